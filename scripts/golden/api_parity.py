"""Golden texts for issue 15 (items 5-8): index bounds errors, size-overflow errors, pooling
argument errors, reprs of in-place ReLU / optimizers, flatten defaults.

Run from the repository root: /usr/bin/python3 scripts/golden/api_parity.py
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from goldenio import GoldenWriter  # noqa: E402

OUT = "src/test/resources/golden/api_parity.txt"
w = GoldenWriter(OUT, "issue 15: index bounds, size overflow, pool args, reprs, flatten")


def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return str(e.args[0]) if e.args else ""
    raise AssertionError("no error")


def idx(*v):
    return torch.tensor(v, dtype=torch.long)


# --------------------------------------------------------------------------- item 5: indexing
# negative indices are out of range for index_select / gather / embedding (only select() and
# Python-style x[i] wrap them); the text depends on the op and, for index_select, on the path
# (dim 1 of a tensor of rank > 1 takes the "INDICES element" path in torch 1.13)
w.case("indexing", texts={
    "index_select_neg_1d": err(lambda: torch.zeros(5).index_select(0, idx(-1))),
    "index_select_big_1d": err(lambda: torch.zeros(5).index_select(0, idx(5))),
    "index_select_neg_scalar": err(lambda: torch.tensor(3.0).index_select(0, idx(-1))),
    "index_select_neg_dim0": err(lambda: torch.zeros(5, 3).index_select(0, idx(0, -1))),
    "index_select_neg_dim1": err(lambda: torch.zeros(3, 5).index_select(1, idx(-1))),
    "index_select_big_dim1": err(lambda: torch.zeros(3, 5).index_select(1, idx(1, 5))),
    "index_select_neg_dim1_3d": err(lambda: torch.zeros(2, 5, 3).index_select(1, idx(-2))),
    "index_select_neg_dim2_3d": err(lambda: torch.zeros(2, 3, 5).index_select(2, idx(-1))),
    "index_select_neg_dimm1_2d": err(lambda: torch.zeros(3, 5).index_select(-1, idx(-1))),
    "index_select_empty_axis": err(lambda: torch.zeros(3, 0).index_select(1, idx(0))),
    "gather_neg": err(lambda: torch.zeros(5).gather(0, idx(-1))),
    "gather_big": err(lambda: torch.zeros(5).gather(0, idx(5))),
    "gather_neg_dim1": err(lambda: torch.zeros(2, 5).gather(1, torch.tensor([[0, -2]]))),
    "gather_neg_dim0": err(lambda: torch.zeros(2, 3).gather(0, torch.tensor([[-3, 0]]))),
    "embedding_neg": err(lambda: F.embedding(idx(1, -1), torch.zeros(5, 3))),
    "embedding_big": err(lambda: F.embedding(idx(5), torch.zeros(5, 3))),
    "embedding_no_rows": err(lambda: F.embedding(idx(0), torch.zeros(0, 3))),
    "nll_neg": err(lambda: F.nll_loss(torch.zeros(2, 3), idx(-1, 0))),
    "cross_entropy_neg": err(lambda: F.cross_entropy(torch.zeros(2, 3), idx(0, -1))),
})
# index_add / scatter_add: jnn runs them only in backward passes (their back-end kernels are
# checked directly)
w.case("indexing_backend", texts={
    "index_add_neg": err(lambda: torch.zeros(3, 2).index_add(0, idx(1, -1), torch.ones(2, 2))),
    "scatter_add_neg": err(lambda: torch.zeros(3, 2).scatter_add(0, torch.tensor([[1, 0], [2, -1]]), torch.ones(2, 2))),
})

# --------------------------------------------------------------------------- item 6: sizes
# a shape whose element count overflows int64 (multiplied left to right, so a leading zero dim
# stops the product and the tensor is fine, a trailing one does not)
BIG = (1 << 32, 1 << 32)
H = 1 << 62
w.case("sizes", texts={
    "zeros": err(lambda: torch.zeros(*BIG)),
    "zeros_trailing_zero": err(lambda: torch.zeros(H, H, 0)),
    "ones": err(lambda: torch.ones(*BIG)),
    "full": err(lambda: torch.full(BIG, 2.0)),
    "empty": err(lambda: torch.empty(*BIG)),
    "rand": err(lambda: torch.rand(*BIG)),
    "randn": err(lambda: torch.randn(*BIG)),
    "randint": err(lambda: torch.randint(0, 5, BIG)),
    "eye": err(lambda: torch.eye(1 << 32)),
    "eye_negative": err(lambda: torch.eye(-1)),
    "arange_inf": err(lambda: torch.arange(0, float("inf"))),
    "arange_nan": err(lambda: torch.arange(0, float("nan"))),
    "arange_huge": err(lambda: torch.arange(0, 1e30)),
    "view": err(lambda: torch.zeros(4).view(*BIG)),
    "reshape": err(lambda: torch.zeros(4).reshape(*BIG)),
    "expand": err(lambda: torch.zeros(1, 1).expand(*BIG)),
}, attrs={
    "leading_zero_shape": " ".join(str(d) for d in torch.zeros(0, H, H).shape),
    "expand_zero_shape": " ".join(str(d) for d in torch.zeros(1, 1, 1).expand(0, H, H).shape),
})

# --------------------------------------------------------------------------- item 7: pooling
# torch checks "pad should be at most half of kernel size" before the kernel size, so that
# MaxPool2d(-2) complains about the padding ("maxpool_neg2_torch", kept to document it); jnn
# checks the kernel size first and uses torch's kernel-size text, reached in torch by -1
x6 = torch.zeros(1, 1, 6, 6)
w.case("pool", texts={
    "maxpool_kernel_neg1": err(lambda: torch.nn.MaxPool2d(-1)(x6)),
    "maxpool_kernel_mixed": err(lambda: torch.nn.MaxPool2d((2, -1))(x6)),
    "avgpool_kernel_neg1": err(lambda: torch.nn.AvgPool2d(-1)(x6)),
    "maxpool_stride_zero": err(lambda: torch.nn.MaxPool2d(0)(x6)),
    "maxpool_neg2_torch": err(lambda: torch.nn.MaxPool2d(-2)(x6)),
    "maxpool_neg2_repr": repr(torch.nn.MaxPool2d(-2)),
})

# --------------------------------------------------------------------------- item 8: parity
import torchvision  # noqa: E402
from torchvision.models.resnet import BasicBlock  # noqa: E402

nn = torch.nn
w.case("relu", texts={
    "relu_repr": repr(nn.ReLU()),
    "relu_inplace_repr": repr(nn.ReLU(inplace=True)),
    "basic_block_repr": repr(BasicBlock(4, 4)),
    "basic_block_downsample_repr": repr(BasicBlock(4, 8, 2, nn.Sequential(
        nn.Conv2d(4, 8, 1, 2, bias=False), nn.BatchNorm2d(8)))),
    "relu_inplace_leaf": err(lambda: torch.zeros(2, requires_grad=True).relu_()),
}, attrs={"torchvision": torchvision.__version__})

xf = torch.arange(120.0).reshape(2, 3, 4, 5)
w.case("flatten", attrs={
    "flatten": " ".join(map(str, torch.flatten(xf).shape)),
    "flatten_1": " ".join(map(str, torch.flatten(xf, 1).shape)),
    "flatten_2": " ".join(map(str, xf.flatten(2).shape)),
    "flatten_m2": " ".join(map(str, xf.flatten(-2).shape)),
    "flatten_1_2": " ".join(map(str, torch.flatten(xf, 1, 2).shape)),
    "nn_flatten": " ".join(map(str, nn.Flatten()(xf).shape)),
    "nn_flatten_2": " ".join(map(str, nn.Flatten(2)(xf).shape)),
}, texts={
    "nn_flatten_repr": repr(nn.Flatten()),
    "nn_flatten_2_repr": repr(nn.Flatten(2)),
})

# --------------------------------------------------------------------------- item 8: optimizer reprs
# torch 1.13's Optimizer.__repr__: sorted keys of each group but 'params', values as str();
# 1.13 adds foreach / differentiable / capturable / fused keys (AdamW has no 'differentiable' and
# no 'fused' in 1.13); numbers keep the Python type they were given (PyTorch's int defaults print
# as 0)
o1 = torch.nn.Parameter(torch.zeros(2))
o2 = torch.nn.Parameter(torch.zeros(3))
optim = torch.optim
w.case("optimizer_repr", texts={
    "sgd": repr(optim.SGD([o1], lr=0.1)),
    "sgd_options": repr(optim.SGD([o1], lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-4, nesterov=False, maximize=True)),
    "sgd_nesterov": repr(optim.SGD([o1], lr=1.0, momentum=0.5, nesterov=True)),
    "sgd_groups": repr(optim.SGD([{"params": [o1]}, {"params": [o2], "lr": 0.01, "momentum": 0.9}], lr=0.1, weight_decay=5e-4)),
    "adam": repr(optim.Adam([o1], lr=0.001)),
    "adam_options": repr(optim.Adam([o1], lr=3e-4, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.01, amsgrad=True, maximize=True)),
    "adam_groups": repr(optim.Adam([{"params": [o1]}, {"params": [o2], "lr": 1e-5, "betas": (0.5, 0.9)}], lr=0.002)),
    "adamw": repr(optim.AdamW([o1], lr=0.001)),
    "adamw_options": repr(optim.AdamW([o1], lr=0.1, betas=(0.9, 0.99), eps=1e-7, weight_decay=0.05, amsgrad=True)),
    "adamw_groups": repr(optim.AdamW([{"params": [o1]}, {"params": [o2], "weight_decay": 0.0}], lr=0.001)),
    "rmsprop": repr(optim.RMSprop([o1], lr=0.01)),
    "rmsprop_options": repr(optim.RMSprop([o1], lr=0.001, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.5, centered=True)),
    "rmsprop_groups": repr(optim.RMSprop([{"params": [o1]}, {"params": [o2], "lr": 0.1, "alpha": 0.95}], lr=0.01, momentum=0.9)),
})

w.save()
