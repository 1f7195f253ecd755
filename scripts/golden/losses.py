#!/usr/bin/python3
"""Golden fixtures for the loss modules of issue 20 (dev.jnn.nn.loss) from PyTorch 1.13.

Run from the repository root with Debian's torch:  /usr/bin/python3 scripts/golden/losses.py
Writes src/jnn/test/resources/golden/losses.txt (see goldenio.py for the format), read by
dev.jnn.nn.loss.LossModulesGoldenTest. The functional forms (Functional.smoothL1Loss, ...) are covered by the
op registry (scripts/golden/op_registry.py); this file covers what the registry cannot: the
modules (repr, state-dict keys, forward and backward through the module with its options and
buffers, the three-input modules), their error messages (constructor checks, missing arguments,
arguments PyTorch refuses to differentiate) and the warnings' texts.

Every module is named by an id; the Java test builds the same module for the same id
(LossModulesGoldenTest.ZOO). Cases:

* repr: repr(module) per id; keys: state-dict keys ("key shape dtype" lines) per id.
* fb_<id>: attr module (the id), inputs in0, in1, ... (attr grads: the indices of the inputs that
  require grad), the state dict as sd.<key>, the output y, the upstream gradient gy and the
  gradients gin<k> of sum(y * gy).
* errors: text per name, str() of PyTorch's exception (first line).
* warnings: text per name, the UserWarning's message.
"""
import os
import sys
import warnings

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

torch.manual_seed(2020)
OUT = "src/jnn/test/resources/golden/losses.txt"
W = GoldenWriter(OUT, "Loss modules of issue 20 (see scripts/golden/losses.py).")


def rnd(*shape):
    return torch.randn(*shape, dtype=torch.float64).to(torch.float32)


def uni(*shape, lo=0.0, hi=1.0):
    return (torch.rand(*shape, dtype=torch.float64) * (hi - lo) + lo).to(torch.float32)


def labels(*shape):
    return (torch.randint(0, 2, shape) * 2 - 1).to(torch.float32)


def w4():
    return uni(4, lo=0.5, hi=2.0)


# id -> module factory (the Java test builds the same with jnn's builders)
ZOO = {
    "bce": lambda: nn.BCELoss(),
    "bce_w_sum": lambda: nn.BCELoss(weight=w4(), reduction="sum"),
    "bce_none": lambda: nn.BCELoss(reduction="none"),
    "sl1": lambda: nn.SmoothL1Loss(),
    "sl1_beta": lambda: nn.SmoothL1Loss(reduction="none", beta=0.5),
    "sl1_zero": lambda: nn.SmoothL1Loss(reduction="sum", beta=0.0),
    "huber": lambda: nn.HuberLoss(),
    "huber_delta": lambda: nn.HuberLoss(reduction="sum", delta=0.5),
    "kl": lambda: nn.KLDivLoss(),
    "kl_batchmean": lambda: nn.KLDivLoss(reduction="batchmean"),
    "kl_log": lambda: nn.KLDivLoss(reduction="sum", log_target=True),
    "kl_none": lambda: nn.KLDivLoss(reduction="none"),
    "poisson": lambda: nn.PoissonNLLLoss(),
    "poisson_full": lambda: nn.PoissonNLLLoss(log_input=False, full=True, eps=1e-4, reduction="sum"),
    "gauss": lambda: nn.GaussianNLLLoss(),
    "gauss_full": lambda: nn.GaussianNLLLoss(full=True, eps=1e-3, reduction="none"),
    "cos": lambda: nn.CosineEmbeddingLoss(),
    "cos_margin": lambda: nn.CosineEmbeddingLoss(margin=0.2, reduction="none"),
    "mr": lambda: nn.MarginRankingLoss(),
    "mr_margin": lambda: nn.MarginRankingLoss(margin=0.5, reduction="sum"),
    "hinge": lambda: nn.HingeEmbeddingLoss(),
    "hinge_margin": lambda: nn.HingeEmbeddingLoss(margin=2.0, reduction="none"),
    "triplet": lambda: nn.TripletMarginLoss(),
    "triplet_opts": lambda: nn.TripletMarginLoss(margin=0.5, p=1, eps=1e-4, swap=True, reduction="none"),
    "mlsm": lambda: nn.MultiLabelSoftMarginLoss(),
    "mlsm_w": lambda: nn.MultiLabelSoftMarginLoss(weight=w4(), reduction="none"),
    "mm": lambda: nn.MultiMarginLoss(),
    "mm_opts": lambda: nn.MultiMarginLoss(p=2, margin=0.5, weight=w4(), reduction="sum"),
    "soft": lambda: nn.SoftMarginLoss(),
    "soft_none": lambda: nn.SoftMarginLoss(reduction="none"),
    "ce_spatial": lambda: nn.CrossEntropyLoss(weight=w4(), ignore_index=1, label_smoothing=0.1),
    "ce_spatial_none": lambda: nn.CrossEntropyLoss(reduction="none"),
    "ce_spatial_prob": lambda: nn.CrossEntropyLoss(weight=w4(), reduction="sum", label_smoothing=0.2),
    "nll_spatial": lambda: nn.NLLLoss(weight=w4(), ignore_index=0, reduction="sum"),
    "nll_spatial_none": lambda: nn.NLLLoss(reduction="none"),
}


def pair(a, b):
    return lambda: [a(), b()]


# id -> inputs (a list; floating ones require grad unless listed in CONSTANT)
INPUTS = {
    "bce": lambda: [torch.sigmoid(rnd(3, 4)), uni(3, 4)],
    "bce_w_sum": lambda: [torch.sigmoid(rnd(3, 4)), uni(3, 4)],
    "bce_none": lambda: [torch.sigmoid(rnd(2, 4)), uni(2, 4)],
    "sl1": lambda: [rnd(3, 4), rnd(3, 4)],
    "sl1_beta": lambda: [rnd(3, 4), rnd(3, 4)],
    "sl1_zero": lambda: [rnd(3, 4), rnd(3, 4)],
    "huber": lambda: [rnd(3, 4), rnd(3, 4)],
    "huber_delta": lambda: [rnd(3, 4), rnd(3, 4)],
    "kl": lambda: [torch.log_softmax(rnd(3, 4), 1), torch.softmax(rnd(3, 4), 1)],
    "kl_batchmean": lambda: [torch.log_softmax(rnd(3, 4), 1), torch.softmax(rnd(3, 4), 1)],
    "kl_log": lambda: [torch.log_softmax(rnd(3, 4), 1), torch.log_softmax(rnd(3, 4), 1)],
    "kl_none": lambda: [torch.log_softmax(rnd(3, 4), 1), torch.softmax(rnd(3, 4), 1)],
    "poisson": lambda: [rnd(3, 4), uni(3, 4, hi=4.0)],
    "poisson_full": lambda: [uni(3, 4, lo=0.1, hi=3.0), uni(3, 4, lo=0.0, hi=5.0)],
    "gauss": lambda: [rnd(3, 4), rnd(3, 4), uni(3, 4, lo=0.2, hi=2.0)],
    "gauss_full": lambda: [rnd(3, 4), rnd(3, 4), uni(3, lo=0.2, hi=2.0)],
    "cos": lambda: [rnd(4, 5), rnd(4, 5), labels(4)],
    "cos_margin": lambda: [rnd(4, 5), rnd(4, 5), labels(4)],
    "mr": lambda: [rnd(6), rnd(6), labels(6)],
    "mr_margin": lambda: [rnd(6), rnd(6), labels(6)],
    "hinge": lambda: [rnd(3, 4), labels(3, 4)],
    "hinge_margin": lambda: [rnd(3, 4), labels(3, 4)],
    "triplet": lambda: [rnd(4, 5), rnd(4, 5), rnd(4, 5)],
    "triplet_opts": lambda: [rnd(4, 5), rnd(4, 5), rnd(4, 5)],
    "mlsm": lambda: [rnd(3, 4), torch.randint(0, 2, (3, 4)).to(torch.float32)],
    "mlsm_w": lambda: [rnd(3, 4), torch.randint(0, 2, (3, 4)).to(torch.float32)],
    "mm": lambda: [rnd(5, 4), torch.randint(0, 4, (5,))],
    "mm_opts": lambda: [rnd(5, 4), torch.randint(0, 4, (5,))],
    "soft": lambda: [rnd(3, 4), labels(3, 4)],
    "soft_none": lambda: [rnd(3, 4), labels(3, 4)],
    "ce_spatial": lambda: [rnd(2, 4, 3, 2), torch.randint(0, 4, (2, 3, 2))],
    "ce_spatial_none": lambda: [rnd(2, 4, 5), torch.randint(0, 4, (2, 5))],
    "ce_spatial_prob": lambda: [rnd(2, 4, 3), torch.softmax(rnd(2, 4, 3), 1)],
    "nll_spatial": lambda: [torch.log_softmax(rnd(2, 4, 2, 2), 1), torch.randint(0, 4, (2, 2, 2))],
    "nll_spatial_none": lambda: [torch.log_softmax(rnd(2, 4, 3, 1, 2), 1), torch.randint(0, 4, (2, 3, 1, 2))],
}

# inputs PyTorch compares only, or refuses to differentiate: never require grad
CONSTANT = {
    "cos": {2}, "cos_margin": {2}, "hinge": {1}, "hinge_margin": {1}, "soft": {1}, "soft_none": {1},
}

modules = {k: f() for k, f in ZOO.items()}
W.case("repr", texts={k: repr(m) for k, m in modules.items()})
W.case("keys", texts={k: "\n".join("%s %s %s" % (n, list(t.shape), str(t.dtype).replace("torch.", ""))
                                   for n, t in m.state_dict().items())
                      for k, m in modules.items()})

warnings.simplefilter("ignore")
for k, m in modules.items():
    xs = INPUTS[k]()
    grads = [i for i, x in enumerate(xs) if x.is_floating_point() and i not in CONSTANT.get(k, set())]
    ins = {"in%d" % i: x.clone() for i, x in enumerate(xs)}
    for i in grads:
        xs[i].requires_grad_(True)
    y = m(*xs)
    gy = rnd(*y.shape) if y.dim() > 0 else torch.tensor(1.0)
    got = torch.autograd.grad(y, [xs[i] for i in grads], gy, allow_unused=True)
    tensors = dict(ins)
    tensors.update({"sd." + n: t for n, t in m.state_dict().items()})
    tensors["y"] = y
    tensors["gy"] = gy
    for i, g in zip(grads, got):
        if g is not None:
            tensors["gin%d" % i] = g
    W.case("fb_" + k, tensors=tensors,
           attrs={"module": k, "grads": " ".join(str(i) for i in grads) or "-",
                  "grad_fn": type(y.grad_fn).__name__})


def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001 - any PyTorch error is the expected outcome
        return str(e).split("\n")[0]
    raise SystemExit("no error raised")


x34 = rnd(3, 4)
p34 = torch.sigmoid(rnd(3, 4))
z = torch.zeros(3)
W.case("errors", texts={
    "mm_p3": err(lambda: nn.MultiMarginLoss(p=3)),
    "cos_no_args": err(lambda: nn.CosineEmbeddingLoss()()),
    "cos_one_arg": err(lambda: nn.CosineEmbeddingLoss()(z)),
    "cos_two_args": err(lambda: nn.CosineEmbeddingLoss()(z, z)),
    "cos_four_args": err(lambda: nn.CosineEmbeddingLoss()(z, z, z, z)),
    "triplet_two_args": err(lambda: nn.TripletMarginLoss()(z, z)),
    "gauss_one_arg": err(lambda: nn.GaussianNLLLoss()(z)),
    "mr_one_arg": err(lambda: nn.MarginRankingLoss()(z)),
    "bce_no_target": err(lambda: nn.BCELoss()(z)),
    "bce_weight_grad": err(lambda: nn.BCELoss(weight=torch.ones(4, requires_grad=True))(p34, p34)),
    "soft_target_grad": err(lambda: nn.SoftMarginLoss()(x34, labels(3, 4).requires_grad_())),
    "mm_weight_grad": err(lambda: nn.MultiMarginLoss(weight=torch.ones(4, requires_grad=True))(
        x34, torch.tensor([0, 1, 2]))),
    "mse_batchmean": err(lambda: nn.MSELoss(reduction="batchmean")(x34, x34)),
    "sl1_batchmean": err(lambda: nn.SmoothL1Loss(reduction="batchmean")(x34, x34)),
    "gauss_batchmean": err(lambda: nn.GaussianNLLLoss(reduction="batchmean")(x34, x34, p34)),
    "bce_range": err(lambda: nn.BCELoss()(x34, p34)),
    "sl1_beta": err(lambda: nn.SmoothL1Loss(beta=-0.5)(x34, x34)),
    "huber_delta": err(lambda: nn.HuberLoss(delta=0.0)(x34, x34)),
    "gauss_neg_var": err(lambda: nn.GaussianNLLLoss()(x34, x34, x34)),
    "gauss_var_size": err(lambda: nn.GaussianNLLLoss()(x34, x34, p34[:, :2])),
    "mm_out_of_range": err(lambda: nn.MultiMarginLoss()(x34, torch.tensor([0, 4, 1]))),
    "kl_int": err(lambda: nn.KLDivLoss(reduction="sum")(x34, torch.ones(3, 4, dtype=torch.long))),
})

warnings.simplefilter("always")


def warned(f):
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        f()
    if len(ws) != 1:
        raise SystemExit("expected one warning, got %d" % len(ws))
    return str(ws[0].message)


W.case("warnings", texts={
    "kl_mean": warned(lambda: nn.KLDivLoss()(torch.log_softmax(x34, 1), torch.softmax(x34, 1))),
    "sl1_size": warned(lambda: nn.SmoothL1Loss()(rnd(7, 5), rnd(5))),
    "huber_size": warned(lambda: nn.HuberLoss()(rnd(5), rnd(6, 5))),
})
W.save()
print("wrote", OUT)
