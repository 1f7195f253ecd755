#!/usr/bin/python3
"""Golden fixtures for dev.jnn.nn.layers, dev.jnn.nn.loss and dev.jnn.nn.init from PyTorch.

Run with Debian's torch:  /usr/bin/python3 scripts/golden/layers.py
Writes src/jnn/test/resources/golden/layers.txt (see goldenio.py for the format), read by
LayersGoldenTest, LossGoldenTest and InitGoldenTest.

Every module is named by an id; the Java tests build the same module for the same id
(dev.jnn.nn.layers.LayerZoo). Cases:

* repr: repr(module) per id; keys: state-dict keys ("key shape dtype" lines) and the root version.
* fb_<id>: forward and backward on fixed weights: 'x' (and 'target'), the state dict as 'sd.<key>'
  (loaded into the Java module), the output 'y', an upstream gradient 'gy', and the gradients of
  sum(y * gy): 'gx' for the input, 'g.<name>' per parameter; 'sd_after.<key>' for buffers after
  the forward. attr 'train' says whether the module runs in training mode.
* bn_steps_<variant>: several training steps of a batch norm, then one in eval mode.
* bn_load_*: loading version-1 style state dicts (no num_batches_tracked).
* init_*: distribution statistics of PyTorch's default and nn.init initialisation (the Java side
  compares its own statistics: same distributions, different random streams).
* gains, fans, errors: nn.init.calculate_gain values, fans, and PyTorch's error messages.
* errors_transformer: the error messages of issue 19 part 3's layers (norms, channel dropout,
  Embedding's options).

A forward that changes a parameter in place (Embedding's max_norm) records it as 'sd_after.<key>'.
"""
import math
import os
import sys
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.init as init

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402
import torch2x  # noqa: E402  (PyTorch 2.x modules 1.13 lacks: RMSNorm, LayerNorm(bias=False))

torch.manual_seed(20240)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "jnn", "test", "resources",
                   "golden", "layers.txt")
W = GoldenWriter(OUT, "Layers, losses and nn.init (see scripts/golden/layers.py).")


def rnd(*shape, scale=1.0):
    return (torch.randn(*shape, dtype=torch.float64) * scale).to(torch.float32)


class Model(nn.Module):
    """The issue-3 example (dev.jnn.nn.layers.IssueThreeExampleTest)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))


CE_W = torch.tensor([0.5, 1.0, 2.0, 1.5])
BCE_W = torch.tensor([1.0, 0.5, 2.0])
BCE_PW = torch.tensor([3.0, 0.5, 1.0])

# id -> constructor; the Java LayerZoo mirrors this table.
ZOO = {
    "conv_default": lambda: nn.Conv2d(1, 20, 5),
    "conv_pos": lambda: nn.Conv2d(3, 16, 3, 1, 1),
    "conv_stride2": lambda: nn.Conv2d(20, 40, 3, stride=2, padding=1, bias=False),
    "conv_full": lambda: nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2,
                                   bias=False),
    "conv_same": lambda: nn.Conv2d(2, 3, 4, padding="same", dilation=2),
    "conv_valid": lambda: nn.Conv2d(2, 3, 3, padding="valid"),
    "conv_reflect": lambda: nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="reflect"),
    "conv_replicate": lambda: nn.Conv2d(2, 3, 3, padding=2, padding_mode="replicate"),
    "conv_circular": lambda: nn.Conv2d(2, 3, (3, 2), padding=(2, 1), padding_mode="circular"),
    "conv_same_reflect": lambda: nn.Conv2d(2, 3, (4, 3), padding="same", padding_mode="reflect"),
    "linear": lambda: nn.Linear(800, 500),
    "linear_small": lambda: nn.Linear(5, 3),
    "linear_nobias": lambda: nn.Linear(4, 2, bias=False),
    "bn2d": lambda: nn.BatchNorm2d(20),
    "bn2d_small": lambda: nn.BatchNorm2d(3),
    "bn2d_opts": lambda: nn.BatchNorm2d(3, eps=1e-3, momentum=None, affine=False, track_running_stats=False),
    "bn2d_cma": lambda: nn.BatchNorm2d(3, momentum=None),
    "bn1d": lambda: nn.BatchNorm1d(100),
    "bn1d_small": lambda: nn.BatchNorm1d(4),
    "bn1d_opts": lambda: nn.BatchNorm1d(4, eps=0.0001, momentum=0.01),
    "bn1d_noaffine": lambda: nn.BatchNorm1d(4, affine=False),
    "ln": lambda: nn.LayerNorm(10),
    "ln_small": lambda: nn.LayerNorm(4),
    "ln2": lambda: nn.LayerNorm([3, 4], eps=1e-6, elementwise_affine=False),
    "ln2_affine": lambda: nn.LayerNorm([3, 4]),
    "maxpool": lambda: nn.MaxPool2d(2),
    "maxpool_s": lambda: nn.MaxPool2d(3, 2),
    "maxpool_full": lambda: nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=(1, 2), ceil_mode=True),
    "avgpool": lambda: nn.AvgPool2d(2),
    "avgpool_full": lambda: nn.AvgPool2d((3, 3), stride=2, padding=(1, 0), ceil_mode=True,
                                         count_include_pad=False),
    "avgpool_div": lambda: nn.AvgPool2d(2, stride=1, padding=1, divisor_override=3),
    "adaptive": lambda: nn.AdaptiveAvgPool2d(1),
    "adaptive2": lambda: nn.AdaptiveAvgPool2d((3, 2)),
    "adaptive_none": lambda: nn.AdaptiveAvgPool2d((None, 3)),
    "dropout": lambda: nn.Dropout(),
    "dropout2": lambda: nn.Dropout(0.2),
    "dropout0": lambda: nn.Dropout(0.0),
    "relu": lambda: nn.ReLU(),
    "leaky": lambda: nn.LeakyReLU(),
    "leaky2": lambda: nn.LeakyReLU(0.2),
    "gelu": lambda: nn.GELU(),
    "gelu_tanh": lambda: nn.GELU("tanh"),
    "sigmoid": lambda: nn.Sigmoid(),
    "tanh": lambda: nn.Tanh(),
    "softmax": lambda: nn.Softmax(dim=1),
    "softmax_none": lambda: nn.Softmax(),
    "logsoftmax": lambda: nn.LogSoftmax(dim=-1),
    # issue 20: the other activations and alpha dropout (floats where Java passes doubles)
    "relu6": lambda: nn.ReLU6(),
    "relu6_inplace": lambda: nn.ReLU6(inplace=True),
    "elu": lambda: nn.ELU(),
    "elu_opts": lambda: nn.ELU(0.5, inplace=True),
    "selu": lambda: nn.SELU(),
    "selu_inplace": lambda: nn.SELU(inplace=True),
    "celu": lambda: nn.CELU(),
    "celu_opts": lambda: nn.CELU(0.3),
    "celu_inplace": lambda: nn.CELU(2.0, inplace=True),
    "silu": lambda: nn.SiLU(),
    "silu_inplace": lambda: nn.SiLU(inplace=True),
    "mish": lambda: nn.Mish(),
    "mish_inplace": lambda: nn.Mish(inplace=True),
    "hardswish": lambda: nn.Hardswish(),
    "hardswish_inplace": lambda: nn.Hardswish(inplace=True),
    "hardsigmoid": lambda: nn.Hardsigmoid(),
    "hardsigmoid_inplace": lambda: nn.Hardsigmoid(inplace=True),
    "hardtanh": lambda: nn.Hardtanh(),
    "hardtanh_opts": lambda: nn.Hardtanh(-2.0, 0.5),
    "hardtanh_inplace": lambda: nn.Hardtanh(-0.5, 0.5, inplace=True),
    "softplus": lambda: nn.Softplus(),
    "softplus_beta": lambda: nn.Softplus(2.0),
    "softplus_opts": lambda: nn.Softplus(0.5, 1.0),
    "softsign": lambda: nn.Softsign(),
    "prelu": lambda: nn.PReLU(),
    "prelu3": lambda: nn.PReLU(3, 0.1),
    "logsigmoid": lambda: nn.LogSigmoid(),
    "softmin": lambda: nn.Softmin(dim=1),
    "softmin_none": lambda: nn.Softmin(),
    "softmax2d": lambda: nn.Softmax2d(),
    "threshold": lambda: nn.Threshold(0.1, 20.0),
    "threshold_inplace": lambda: nn.Threshold(-0.5, 2.0, inplace=True),
    "tanhshrink": lambda: nn.Tanhshrink(),
    "hardshrink": lambda: nn.Hardshrink(),
    "hardshrink1": lambda: nn.Hardshrink(1.0),
    "softshrink": lambda: nn.Softshrink(),
    "softshrink1": lambda: nn.Softshrink(1.0),
    "glu": lambda: nn.GLU(),
    "glu0": lambda: nn.GLU(0),
    "leaky_inplace": lambda: nn.LeakyReLU(0.2, inplace=True),
    "alpha_dropout": lambda: nn.AlphaDropout(),
    "alpha_dropout_opts": lambda: nn.AlphaDropout(0.2, inplace=True),
    "feature_alpha_dropout": lambda: nn.FeatureAlphaDropout(),
    "feature_alpha_dropout_opts": lambda: nn.FeatureAlphaDropout(0.1, inplace=True),
    "flatten": lambda: nn.Flatten(),
    "flatten2": lambda: nn.Flatten(0, 2),
    "identity": lambda: nn.Identity(),
    "emb": lambda: nn.Embedding(10, 3),
    "emb_pad": lambda: nn.Embedding(10, 3, padding_idx=-1),
    "emb_pad0": lambda: nn.Embedding(6, 4, padding_idx=0),
    "ce": lambda: nn.CrossEntropyLoss(),
    "ce_opts": lambda: nn.CrossEntropyLoss(weight=CE_W.clone(), ignore_index=0, reduction="sum",
                                           label_smoothing=0.1),
    "ce_none": lambda: nn.CrossEntropyLoss(reduction="none"),
    "ce_weight": lambda: nn.CrossEntropyLoss(weight=CE_W.clone(), ignore_index=1),
    "nll": lambda: nn.NLLLoss(),
    "nll_opts": lambda: nn.NLLLoss(weight=CE_W.clone(), ignore_index=2, reduction="sum"),
    "mse": lambda: nn.MSELoss(),
    "mse_sum": lambda: nn.MSELoss(reduction="sum"),
    "mse_none": lambda: nn.MSELoss(reduction="none"),
    "l1": lambda: nn.L1Loss(),
    "l1_sum": lambda: nn.L1Loss(reduction="sum"),
    "bce": lambda: nn.BCEWithLogitsLoss(),
    "bce_opts": lambda: nn.BCEWithLogitsLoss(weight=BCE_W.clone(), pos_weight=BCE_PW.clone()),
    "bce_pos": lambda: nn.BCEWithLogitsLoss(pos_weight=BCE_PW.clone(), reduction="none"),
    "bn1d_cma3d": lambda: nn.BatchNorm1d(4, momentum=None),
    "seq": lambda: nn.Sequential(nn.Conv2d(1, 4, 5), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                 nn.Dropout(0.25), nn.Linear(64, 10), nn.LogSoftmax(dim=1)),
    "model": lambda: Model(),
}

# Issue 19 part 3 (the pieces Transformer models need besides attention). Their modules are built
# under torch.random.fork_rng (see texts below) and their cases come last, so that the random
# stream of everything above stays as it was. torch2x's modules are PyTorch 2.x's (RMSNorm: 2.4,
# LayerNorm bias=False: 2.1) built on 1.13.
EMB_PRE = torch.arange(12, dtype=torch.float32).reshape(4, 3) * 0.25 - 1.0
ZOO_TFP = {
    "ln_nobias": lambda: torch2x.LayerNorm(6, bias=False),
    "ln2_nobias": lambda: torch2x.LayerNorm([3, 4], eps=1e-6, bias=False),
    "rms": lambda: torch2x.RMSNorm(6),
    "rms2": lambda: torch2x.RMSNorm([3, 4], eps=1e-6),
    "rms_noaffine": lambda: torch2x.RMSNorm(5, eps=0.1, elementwise_affine=False),
    "dropout1d": lambda: nn.Dropout1d(),
    "dropout2d": lambda: nn.Dropout2d(0.2, inplace=True),
    "dropout3d": lambda: nn.Dropout3d(1e-5),
    "emb_maxnorm": lambda: nn.Embedding(10, 3, max_norm=1.0),
    "emb_opts": lambda: nn.Embedding(10, 3, padding_idx=-2, max_norm=1.5, norm_type=1.0,
                                     scale_grad_by_freq=True),
    "emb_norm3": lambda: nn.Embedding(6, 4, max_norm=0.6, norm_type=3.0),
    "emb_pre": lambda: nn.Embedding.from_pretrained(EMB_PRE.clone(), freeze=False, padding_idx=1,
                                                    max_norm=0.5),
}

# Issue 20 part 1 (padding, normalisation and shuffling layers), built under fork_rng like ZOO_TFP,
# their cases at the end of the script. torch2x.CircularPad*d are 2.1's modules on 1.13.
ZOO_VISION = {
    "zeropad2d": lambda: nn.ZeroPad2d((1, 1, 2, 0)),
    "zeropad2d_int": lambda: nn.ZeroPad2d(2),
    "constpad1d": lambda: nn.ConstantPad1d(2, 3.5),
    "constpad1d_crop": lambda: nn.ConstantPad1d((3, -1), -1.25),
    "constpad2d": lambda: nn.ConstantPad2d((3, 0, 2, 1), 3.5),
    "constpad3d": lambda: nn.ConstantPad3d(1, 0.0),
    "reflpad1d": lambda: nn.ReflectionPad1d(2),
    "reflpad2d": lambda: nn.ReflectionPad2d((1, 2, 2, 0)),
    "reflpad3d": lambda: nn.ReflectionPad3d((1, 0, 1, 1, 0, 1)),
    "replpad1d": lambda: nn.ReplicationPad1d((3, 1)),
    "replpad2d": lambda: nn.ReplicationPad2d(2),
    "replpad3d": lambda: nn.ReplicationPad3d((1, 2, 0, 1, 2, 0)),
    "circpad1d": lambda: torch2x.CircularPad1d((2, 1)),
    "circpad2d": lambda: torch2x.CircularPad2d((1, 1, 2, 0)),
    "circpad2d_int": lambda: torch2x.CircularPad2d(1),
    "circpad3d": lambda: torch2x.CircularPad3d((1, 0, 0, 2, 1, 1)),
    "gn": lambda: nn.GroupNorm(2, 4),
    "gn_opts": lambda: nn.GroupNorm(3, 6, eps=1e-3, affine=False),
    "gn1": lambda: nn.GroupNorm(1, 3),
    "inorm1d": lambda: nn.InstanceNorm1d(3),
    "inorm1d_affine": lambda: nn.InstanceNorm1d(3, affine=True),
    "inorm2d_track": lambda: nn.InstanceNorm2d(3, momentum=0.2, affine=True, track_running_stats=True),
    "inorm3d": lambda: nn.InstanceNorm3d(2, eps=1e-3, track_running_stats=True),
    "bn3d": lambda: nn.BatchNorm3d(3),
    "bn3d_opts": lambda: nn.BatchNorm3d(2, eps=1e-3, momentum=None, affine=False),
    "lrn": lambda: nn.LocalResponseNorm(2),
    "lrn_opts": lambda: nn.LocalResponseNorm(3, alpha=0.5, beta=0.6, k=2.0),
    "pixel_shuffle": lambda: nn.PixelShuffle(2),
    "pixel_unshuffle": lambda: nn.PixelUnshuffle(3),
    "channel_shuffle": lambda: nn.ChannelShuffle(2),
    "unflatten": lambda: nn.Unflatten(1, (2, 5)),
    "unflatten_infer": lambda: nn.Unflatten(-1, (3, -1, 2)),
    "identity_args": lambda: nn.Identity(54, unused_argument1=0.1, unused_argument2=False),
}


def texts(fn):
    """fn(factory) per id: ZOO's, then ZOO_TFP's and ZOO_VISION's under fork_rng (their draws leave
    no trace)."""
    t = {k: fn(f) for k, f in ZOO.items()}
    with torch.random.fork_rng():
        t.update({k: fn(f) for k, f in ZOO_TFP.items()})
        t.update({k: fn(f) for k, f in ZOO_VISION.items()})
    return t


# --------------------------------------------------------------------------- repr and keys
W.case("repr", texts=texts(lambda f: repr(f())))


def keys_text(m):
    sd = m.state_dict()
    return "\n".join("%s %s %s" % (k, list(v.shape), str(v.dtype).replace("torch.", "")) for k, v in sd.items())


W.case("keys", texts=texts(lambda f: keys_text(f())),
       attrs={"version_" + k: v for k, v in
              texts(lambda f: f().state_dict()._metadata[""]["version"]).items()})
ZOO.update(ZOO_TFP)
ZOO.update(ZOO_VISION)


# --------------------------------------------------------------------------- forward / backward
def fb(mid, x, target=None, train=False, name=None, ref64=False):
    """ref64: compute the reference in float64 from the float32 data (for deep composites, where
    PyTorch's own float32 result is further than 1e-5 from the exact one)."""
    torch.manual_seed(zlib.crc32(mid.encode()) % 1000)
    m = ZOO[mid]()
    # fixed, non-trivial values for every floating parameter and buffer
    with torch.no_grad():
        for pname, p in m.named_parameters():
            p.copy_(rnd(*p.shape, scale=0.5) + (1.0 if pname.endswith("weight") and p.dim() == 1 else 0.0))
        for bname, b in m.named_buffers():
            if bname.endswith("running_mean"):
                b.copy_(rnd(*b.shape, scale=0.3))
            elif bname.endswith("running_var"):
                b.copy_(rnd(*b.shape).abs() + 0.5)
            elif bname.endswith("num_batches_tracked"):
                b.fill_(4)
    m.train(train)
    sd = {("sd." + k): v.detach().clone() for k, v in m.state_dict().items()}
    if ref64:
        m.double()
    xi = x.detach().clone().double() if ref64 else x.detach().clone()
    if x.is_floating_point():
        xi.requires_grad_(True)
    y = m(xi) if target is None else m(xi, target)
    gy = rnd(*y.shape) if y.dim() > 0 else torch.tensor(0.7)
    params = [(n, p) for n, p in m.named_parameters() if p.requires_grad]
    inputs = ([xi] if xi.requires_grad else []) + [p for _, p in params]
    grads = torch.autograd.grad(y, inputs, gy, allow_unused=True) if inputs else []
    t = dict(sd)
    t["x"] = x
    if target is not None:
        t["target"] = target
    if ref64:
        gy = gy.double()
    t["y"] = y.detach().float()
    t["gy"] = gy.float()
    gi = 0
    if xi.requires_grad:
        t["gx"] = (grads[0] if grads[0] is not None else torch.zeros_like(xi)).float()
        gi = 1
    for (n, p), g in zip(params, grads[gi:]):
        t["g." + n] = (g if g is not None else torch.zeros_like(p)).float()
    param_names = set(n for n, _ in m.named_parameters())
    for k, v in m.state_dict().items():
        if k not in param_names:
            t["sd_after." + k] = v.detach().clone() if not v.is_floating_point() else v.detach().float()
        elif not torch.equal(v.detach().float(), sd["sd." + k].float()):
            # a parameter the forward changed in place (Embedding's max_norm renormalisation)
            t["sd_after." + k] = v.detach().float()
    W.case("fb_" + (name or mid), tensors=t, attrs={"module": mid, "train": int(train)})
    return t


fb("conv_default", rnd(2, 1, 9, 8))
fb("conv_pos", rnd(2, 3, 5, 6))
fb("conv_full", rnd(2, 4, 7, 6))
fb("conv_same", rnd(1, 2, 9, 8))
fb("conv_valid", rnd(3, 2, 5, 5))
fb("conv_reflect", rnd(2, 2, 5, 6))
fb("conv_replicate", rnd(1, 2, 4, 5))
fb("conv_circular", rnd(2, 2, 5, 4))
fb("conv_same_reflect", rnd(2, 6, 7))  # unbatched
fb("linear_small", rnd(4, 5))
fb("linear_nobias", rnd(2, 3, 4))
fb("linear_small", rnd(5), name="linear_small_1d")
for mid, x, train in [("bn2d_small", rnd(4, 3, 3, 2), True), ("bn2d_small", rnd(4, 3, 3, 2), False),
                      ("bn2d_opts", rnd(2, 3, 4, 4), True), ("bn2d_opts", rnd(2, 3, 4, 4), False),
                      ("bn2d_cma", rnd(3, 3, 2, 2), True),
                      ("bn1d_small", rnd(6, 4), True), ("bn1d_small", rnd(5, 4, 3), False),
                      ("bn1d_opts", rnd(5, 4, 3), True), ("bn1d_noaffine", rnd(6, 4), True)]:
    fb(mid, x, train=train, name="%s_%s" % (mid, "train" if train else "eval"))
fb("ln_small", rnd(3, 2, 4))
fb("ln2", rnd(2, 3, 4))
fb("ln2_affine", rnd(5, 3, 4))
fb("maxpool", rnd(2, 3, 6, 5))
fb("maxpool_s", rnd(1, 2, 9, 8))
fb("maxpool_full", rnd(2, 2, 7, 9))
fb("avgpool", rnd(2, 3, 6, 5))
fb("avgpool_full", rnd(1, 2, 8, 7))
fb("avgpool_div", rnd(2, 1, 4, 5))
fb("adaptive", rnd(2, 3, 5, 7))
fb("adaptive2", rnd(2, 2, 7, 5))
fb("adaptive_none", rnd(3, 5, 7))
fb("dropout", rnd(3, 4))  # eval: identity
fb("relu", rnd(3, 5))
fb("leaky", rnd(3, 5))
fb("leaky2", rnd(3, 5))
fb("gelu", rnd(3, 5))
fb("gelu_tanh", rnd(3, 5))
fb("sigmoid", rnd(3, 5))
fb("tanh", rnd(3, 5))
fb("softmax", rnd(2, 4, 3))
fb("softmax_none", rnd(2, 4, 3))
fb("logsoftmax", rnd(2, 4, 3))
fb("flatten", rnd(2, 3, 2, 2))
fb("flatten2", rnd(2, 3, 2, 2))
fb("identity", rnd(2, 3))
fb("emb", torch.tensor([[1, 2, 4], [4, 3, 9]]))
fb("emb_pad", torch.tensor([9, 0, 9, 2]))
fb("emb_pad0", torch.tensor([[0, 5], [3, 0]]))
LOGITS = rnd(5, 4)
LABELS = torch.tensor([0, 3, 1, 1, 2])
fb("ce", LOGITS, LABELS)
fb("ce_opts", LOGITS, LABELS)
fb("ce_none", rnd(3, 4, 2), torch.tensor([[0, 3], [1, 1], [2, 0]]))
fb("ce_weight", LOGITS, LABELS)
fb("nll", F.log_softmax(rnd(5, 4), 1), LABELS)
fb("nll_opts", F.log_softmax(rnd(5, 4), 1), LABELS)
fb("mse", rnd(3, 4), rnd(3, 4))
fb("mse_sum", rnd(3, 4), rnd(3, 4))
fb("mse_none", rnd(3, 4), rnd(3, 4))
fb("l1", rnd(3, 4), rnd(3, 4))
fb("l1_sum", rnd(3, 4), rnd(3, 4))
fb("bce", rnd(4, 3), torch.rand(4, 3))
fb("bce_opts", rnd(4, 3), torch.rand(4, 3))
fb("bce_pos", rnd(4, 3), torch.rand(4, 3))
fb("seq", rnd(2, 1, 12, 12), train=False, ref64=True)


def model_case():
    """The issue-3 model with formula weights (p_i[k] = 0.1 sin(0.7 k + i), i = parameter index)."""
    m = Model()
    with torch.no_grad():
        for i, (_, p) in enumerate(m.named_parameters()):
            k = torch.arange(p.numel(), dtype=torch.float64)
            p.copy_((0.1 * torch.sin(0.7 * k + i)).reshape(p.shape).float())
    m.double()  # float64 reference from the float32 data (see fb's ref64)
    x = rnd(1, 1, 12, 12)
    xi = x.double().requires_grad_(True)
    y = m(xi)
    gy = rnd(*y.shape)
    params = list(m.named_parameters())
    grads = torch.autograd.grad(y, [xi] + [p for _, p in params], gy.double())
    t = {"x": x, "y": y.detach().float(), "gy": gy, "gx": grads[0].float()}
    for (n, _), g in zip(params, grads[1:]):
        t["g." + n] = g.float()
    W.case("model_fb", tensors=t)


model_case()


# --------------------------------------------------------------------------- batch norm over several steps
def bn_steps(variant, m, xs, x_eval):
    t = {}
    with torch.no_grad():
        if m.weight is not None:
            m.weight.copy_(rnd(*m.weight.shape, scale=0.5) + 1.0)
            m.bias.copy_(rnd(*m.bias.shape, scale=0.5))
    for k, v in m.state_dict().items():
        t["sd." + k] = v.detach().clone()
    m.train()
    for i, x in enumerate(xs):
        t["x%d" % i] = x
        t["y%d" % i] = m(x).detach()
        if m.running_mean is not None:
            t["running_mean%d" % i] = m.running_mean.clone()
            t["running_var%d" % i] = m.running_var.clone()
            t["num_batches_tracked%d" % i] = m.num_batches_tracked.clone()
    m.eval()
    t["x_eval"] = x_eval
    t["y_eval"] = m(x_eval).detach()
    W.case("bn_steps_" + variant, tensors=t, attrs={"steps": len(xs)})


bn_steps("bn2d_small", ZOO["bn2d_small"](), [rnd(4, 3, 3, 2) + i for i in range(3)], rnd(2, 3, 3, 2))
bn_steps("bn2d_cma", ZOO["bn2d_cma"](), [rnd(4, 3, 3, 2) * (i + 1) for i in range(4)], rnd(2, 3, 3, 2))
bn_steps("bn1d_opts", ZOO["bn1d_opts"](), [rnd(5, 4, 3) for _ in range(3)], rnd(2, 4, 3))
bn_steps("bn1d_cma3d", ZOO["bn1d_cma3d"](), [rnd(3, 4, 2) - i for i in range(3)], rnd(2, 4, 2))
bn_steps("bn2d_opts", ZOO["bn2d_opts"](),
         [rnd(2, 3, 4, 4) for _ in range(2)], rnd(2, 3, 4, 4))


# --------------------------------------------------------------------------- version-1 batch-norm checkpoints
def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return str(e.args[0]) if e.args else ""
    raise AssertionError("no error")


def trained_bn():
    m = nn.BatchNorm2d(3)
    for i in range(3):
        m(rnd(4, 3, 2, 2))
    return m


src = nn.BatchNorm2d(3)
with torch.no_grad():
    src.weight.copy_(rnd(3) + 1)
    src.bias.copy_(rnd(3))
    src.running_mean.copy_(rnd(3))
    src.running_var.copy_(rnd(3).abs() + 0.5)
sd_v1 = src.state_dict()
del sd_v1["num_batches_tracked"]
sd_v1._metadata[""]["version"] = 1
m1 = trained_bn()
r1 = m1.load_state_dict(sd_v1, strict=True)
plain = {k: v for k, v in sd_v1.items()}  # no _metadata: version None
m2 = trained_bn()
r2 = m2.load_state_dict(plain, strict=True)
sd_v2_missing = src.state_dict()
del sd_v2_missing["num_batches_tracked"]
seq = nn.Sequential(nn.BatchNorm2d(3))
seq_sd = seq.state_dict()
del seq_sd["0.num_batches_tracked"]
seq_v1 = seq.state_dict()
del seq_v1["0.num_batches_tracked"]
seq_v1._metadata["0"]["version"] = 1
seq2 = nn.Sequential(trained_bn())
seq2.load_state_dict(seq_v1)
W.case("bn_load", tensors={
    **{"sd." + k: v for k, v in sd_v1.items()},
    "nbt_v1": m1.num_batches_tracked.clone(),
    "nbt_plain": m2.num_batches_tracked.clone(),
    "nbt_seq_v1": seq2[0].num_batches_tracked.clone(),
    "running_mean_v1": m1.running_mean.clone(),
}, texts={
    "missing_v1": ",".join(r1.missing_keys) + "|" + ",".join(r1.unexpected_keys),
    "missing_plain": ",".join(r2.missing_keys) + "|" + ",".join(r2.unexpected_keys),
    "err_v2_missing": err(lambda: trained_bn().load_state_dict(sd_v2_missing)),
    "err_seq_v2_missing": err(lambda: nn.Sequential(nn.BatchNorm2d(3)).load_state_dict(seq_sd)),
})


# --------------------------------------------------------------------------- init distributions
def stats(name, t, **analytic):
    t = t.detach().double()
    attrs = {"numel": t.numel(), "min": t.min().item(), "max": t.max().item(), "mean": t.mean().item(),
             "std": t.std().item()}
    attrs.update(analytic)
    W.case("init_" + name, attrs=attrs)


lin = nn.Linear(1000, 1000)
stats("linear_weight", lin.weight, bound=1 / math.sqrt(1000))
stats("linear_bias", lin.bias, bound=1 / math.sqrt(1000))
conv = nn.Conv2d(64, 128, 3)
stats("conv_weight", conv.weight, bound=1 / math.sqrt(64 * 9))
stats("conv_bias", conv.bias, bound=1 / math.sqrt(64 * 9))
convg = nn.Conv2d(64, 128, 3, groups=4)
stats("conv_groups_weight", convg.weight, bound=1 / math.sqrt(16 * 9))
emb = nn.Embedding(1000, 256, padding_idx=3)
stats("embedding_weight", emb.weight[torch.arange(1000) != 3], expected_std=1.0)
W_SHAPE = (256, 128, 3, 3)  # fan_in 1152, fan_out 2304
stats("xavier_uniform", init.xavier_uniform_(torch.empty(W_SHAPE), gain=init.calculate_gain("relu")),
      bound=math.sqrt(2) * math.sqrt(6 / (1152 + 2304)))
stats("xavier_normal", init.xavier_normal_(torch.empty(W_SHAPE), gain=0.5),
      expected_std=0.5 * math.sqrt(2 / (1152 + 2304)))
stats("kaiming_uniform", init.kaiming_uniform_(torch.empty(W_SHAPE), mode="fan_out", nonlinearity="relu"),
      bound=math.sqrt(2) * math.sqrt(3 / 2304))
stats("kaiming_normal", init.kaiming_normal_(torch.empty(W_SHAPE), a=0.1),
      expected_std=math.sqrt(2 / (1 + 0.01)) / math.sqrt(1152))
stats("kaiming_normal_tanh", init.kaiming_normal_(torch.empty(W_SHAPE), mode="FAN_OUT", nonlinearity="tanh"),
      expected_std=(5 / 3) / math.sqrt(2304))
stats("uniform", init.uniform_(torch.empty(W_SHAPE), -2, 3), lo=-2, hi=3)
stats("normal", init.normal_(torch.empty(W_SHAPE), 1, 0.5), expected_mean=1, expected_std=0.5)

W.case("gains", attrs={
    "linear": init.calculate_gain("linear"),
    "conv2d": init.calculate_gain("conv2d"),
    "conv_transpose3d": init.calculate_gain("conv_transpose3d"),
    "sigmoid": init.calculate_gain("sigmoid"),
    "tanh": init.calculate_gain("tanh"),
    "relu": init.calculate_gain("relu"),
    "leaky_relu": init.calculate_gain("leaky_relu"),
    "leaky_relu_0.2": init.calculate_gain("leaky_relu", 0.2),
    "leaky_relu_sqrt5": init.calculate_gain("leaky_relu", math.sqrt(5)),
    "selu": init.calculate_gain("selu"),
})
fans = {}
for shape in [(3, 5), (4, 3, 2, 2), (2, 3, 4, 5, 6), (7, 0)]:
    fi, fo = init._calculate_fan_in_and_fan_out(torch.empty(shape))
    fans["fans_" + "x".join(str(s) for s in shape)] = "%d %d" % (fi, fo)
W.case("fans", attrs=fans)

# --------------------------------------------------------------------------- error messages
W.case("errors", texts={
    "conv_channels": err(lambda: nn.Conv2d(1, 20, 5)(torch.zeros(2, 3, 28, 28))),
    "conv_rank": err(lambda: nn.Conv2d(1, 20, 5)(torch.zeros(28, 28))),
    "conv_small": err(lambda: nn.Conv2d(1, 1, 5)(torch.zeros(1, 1, 3, 3))),
    "conv_in_groups": err(lambda: nn.Conv2d(3, 4, 3, groups=2)),
    "conv_out_groups": err(lambda: nn.Conv2d(4, 3, 3, groups=2)),
    "conv_groups0": err(lambda: nn.Conv2d(4, 4, 3, groups=0)),
    "conv_same_stride": err(lambda: nn.Conv2d(1, 1, 3, stride=2, padding="same")),
    "conv_reflect_big": err(lambda: nn.Conv2d(1, 1, 3, padding=3, padding_mode="reflect")(torch.zeros(1, 1, 3, 3))),
    "linear_2d": err(lambda: nn.Linear(5, 2)(torch.zeros(3, 4))),
    "linear_1d": err(lambda: nn.Linear(5, 2)(torch.zeros(4))),
    "linear_3d": err(lambda: nn.Linear(5, 2)(torch.zeros(2, 3, 4))),
    "bn2d_rank": err(lambda: nn.BatchNorm2d(3)(torch.zeros(2, 3, 4))),
    "bn1d_rank": err(lambda: nn.BatchNorm1d(3)(torch.zeros(2, 3, 4, 4))),
    "bn_channels": err(lambda: nn.BatchNorm2d(3)(torch.zeros(2, 4, 4, 4))),
    "bn_single": err(lambda: nn.BatchNorm1d(3)(torch.zeros(1, 3))),
    "ln_shape": err(lambda: nn.LayerNorm(4)(torch.zeros(2, 3))),
    "dropout_p": err(lambda: nn.Dropout(1.5)),
    "pool_rank": err(lambda: nn.MaxPool2d(2)(torch.zeros(4, 4))),
    "avgpool_rank": err(lambda: nn.AvgPool2d(2)(torch.zeros(4, 4))),
    "emb_pad": err(lambda: nn.Embedding(3, 2, padding_idx=3)),
    "emb_range": err(lambda: nn.Embedding(3, 2)(torch.tensor([3]))),
    "ce_target": err(lambda: nn.CrossEntropyLoss()(torch.zeros(2, 3), torch.tensor([0, 3]))),
    "nll_target": err(lambda: nn.NLLLoss()(torch.zeros(2, 3), torch.tensor([0, 5]))),
    "loss_no_target": err(lambda: nn.MSELoss()(torch.zeros(2))),
    "bce_shape": err(lambda: nn.BCEWithLogitsLoss()(torch.zeros(3), torch.zeros(2))),
    "gelu_approx": err(lambda: nn.GELU("foo")(torch.zeros(2))),
    "init_fan_1d": err(lambda: init.xavier_uniform_(torch.empty(5))),
    "init_mode": err(lambda: init.kaiming_uniform_(torch.empty(3, 4), mode="fan_avg")),
    "init_nonlinearity": err(lambda: init.calculate_gain("softplus")),
    "init_kaiming_nonlinearity": err(lambda: init.kaiming_normal_(torch.empty(3, 4), nonlinearity="elu")),
})


# --------------------------------------------------------------------------- issue 20 activations
# (at the end: the inputs above come from the global generator, which these calls advance)
fb("relu6", rnd(3, 5, scale=4.0))
fb("elu", rnd(3, 5))
fb("selu", rnd(3, 5))
fb("celu_opts", rnd(3, 5))
fb("silu", rnd(3, 5, scale=3.0))
fb("mish", rnd(3, 5, scale=3.0))
fb("hardswish", rnd(3, 5, scale=3.0))
fb("hardsigmoid", rnd(3, 5, scale=3.0))
fb("hardtanh_opts", rnd(3, 5))
fb("softplus", rnd(3, 5, scale=4.0))
fb("softplus_opts", rnd(3, 5))
fb("softsign", rnd(3, 5))
fb("prelu", rnd(2, 3, 4))
fb("prelu3", rnd(2, 3, 4))
fb("logsigmoid", rnd(3, 5, scale=4.0))
fb("softmin", rnd(2, 4, 3))
fb("softmin_none", rnd(2, 4, 3))
fb("softmax2d", rnd(2, 3, 2, 2))
fb("softmax2d", rnd(3, 2, 2), name="softmax2d_3d")
fb("threshold", rnd(3, 5))
fb("tanhshrink", rnd(3, 5))
fb("hardshrink1", rnd(3, 5))
fb("softshrink1", rnd(3, 5))
fb("glu", rnd(3, 4))
fb("glu0", rnd(4, 3))
fb("alpha_dropout", rnd(3, 4))  # eval: the input itself
fb("feature_alpha_dropout", rnd(2, 3, 2))  # eval


def backward_err(fn):
    x = torch.zeros(3, requires_grad=True)
    return err(lambda: fn(x.clone()).sum().backward())


W.case("activation_errors", texts={
    "softmax2d_rank": err(lambda: nn.Softmax2d()(torch.zeros(2, 3))),
    "alpha_dropout_p": err(lambda: nn.AlphaDropout(1.5)),
    "feature_alpha_dropout_p": err(lambda: nn.FeatureAlphaDropout(-0.5)),
    "feature_alpha_dropout_1d": err(lambda: nn.FeatureAlphaDropout()(torch.zeros(3))),
    "inplace_leaf": err(lambda: nn.ELU(inplace=True)(torch.zeros(2, requires_grad=True))),
    "inplace_view_of_leaf": err(lambda: F.elu_(torch.zeros(2, 2, requires_grad=True)[0], 1.0)),
    "elu_inplace_negative_alpha": backward_err(lambda z: F.elu_(z, -0.5)),
    "celu_inplace_negative_alpha": backward_err(lambda z: F.celu_(z, -0.5)),
    "leaky_inplace_negative_slope": backward_err(lambda z: F.leaky_relu_(z, -0.5)),
    "prelu_dtype": err(lambda: F.prelu(torch.zeros(2, 3), torch.ones(3, dtype=torch.float64))),
    "prelu_channels": err(lambda: nn.PReLU(3)(torch.zeros(2, 4))),
    "glu_odd": err(lambda: nn.GLU()(torch.zeros(2, 3))),
    "softshrink_negative": err(lambda: nn.Softshrink(-0.5)(torch.zeros(2))),
    "celu_zero": err(lambda: nn.CELU(0.0)(torch.zeros(2))),
})

# --------------------------------------------------------------------------- issue 19 part 3
# (last, so that the random stream of the cases above is unchanged)
fb("ln_nobias", rnd(3, 2, 6))
fb("ln2_nobias", rnd(2, 3, 4))
fb("rms", rnd(3, 2, 6))
fb("rms2", rnd(2, 3, 4))
fb("rms_noaffine", rnd(4, 5))
fb("dropout1d", rnd(2, 3, 4))  # eval: identity
fb("dropout1d", rnd(3, 4), name="dropout1d_unbatched")
fb("dropout2d", rnd(2, 3, 4, 4))  # eval and in place: the input itself
fb("dropout3d", rnd(2, 3, 2, 2, 2))
EMB_IDX = torch.tensor([[8, 1, 1], [3, 8, 1]])
for mid, idx in [("emb_maxnorm", torch.tensor([[1, 2, 4], [4, 3, 9]])), ("emb_opts", EMB_IDX),
                 ("emb_norm3", torch.tensor([5, 0, 5, 2])), ("emb_pre", torch.tensor([[0, 1], [3, 3]]))]:
    assert "sd_after.weight" in fb(mid, idx), mid + ": no row reached max_norm"

W.case("errors_transformer", texts={
    "ln_nobias_shape": err(lambda: torch2x.LayerNorm(4, bias=False)(torch.zeros(2, 3))),
    "rms_shape": err(lambda: torch2x.RMSNorm(4)(torch.zeros(2, 3))),
    "rms_weight": err(lambda: F.layer_norm(torch.zeros(2, 3), [3], torch.ones(4))),
    "dropout1d_rank": err(lambda: nn.Dropout1d()(torch.zeros(2, 3, 4, 5))),
    "dropout1d_p": err(lambda: nn.Dropout1d(1.5)),
    "dropout3d_p": err(lambda: nn.Dropout3d(-0.1)),
    "dropout2d_rank1": err(lambda: nn.Dropout2d()(torch.zeros(3))),
    "dropout2d_inplace_leaf": err(lambda: nn.Dropout2d(inplace=True)(torch.zeros(2, 3, 2, 2, requires_grad=True))),
    "dropout1d_inplace_leaf_eval": err(lambda: nn.Dropout1d(inplace=True).eval()(torch.zeros(3, 4, requires_grad=True))),
    "dropout_int": err(lambda: nn.Dropout2d()(torch.zeros(2, 3, 2, dtype=torch.long))),
    "emb_pretrained_1d": err(lambda: nn.Embedding.from_pretrained(torch.zeros(4))),
    "emb_maxnorm_range": err(lambda: nn.Embedding(5, 3, max_norm=1.0)(torch.tensor([1, 7, 6]))),
    "emb_maxnorm_negative": err(lambda: nn.Embedding(5, 3, max_norm=1.0)(torch.tensor([-1, 2]))),
    "emb_pad_negative": err(lambda: nn.Embedding(3, 2, padding_idx=-4)),
})

# --------------------------------------------------------------------------- issue 20 part 1
# (last, so that the random stream of the cases above is unchanged)
# padding: batched and unbatched inputs of every module
fb("zeropad2d", rnd(2, 2, 3, 4))
fb("zeropad2d", rnd(2, 3, 3), name="zeropad2d_unbatched")
fb("zeropad2d_int", rnd(1, 1, 2, 2))
fb("constpad1d", rnd(2, 3, 4))
fb("constpad1d", rnd(3, 4), name="constpad1d_unbatched")
fb("constpad1d_crop", rnd(2, 2, 5))
fb("constpad2d", rnd(1, 2, 2, 3))
fb("constpad3d", rnd(2, 1, 2, 2, 3))
fb("constpad3d", rnd(2, 2, 1, 3), name="constpad3d_unbatched")
fb("reflpad1d", rnd(2, 3, 4))
fb("reflpad1d", rnd(3, 5), name="reflpad1d_unbatched")
fb("reflpad2d", rnd(2, 2, 3, 4))
fb("reflpad2d", rnd(2, 3, 3), name="reflpad2d_unbatched")
fb("reflpad3d", rnd(1, 2, 2, 3, 2))
fb("reflpad3d", rnd(2, 3, 2, 2), name="reflpad3d_unbatched")
fb("replpad1d", rnd(2, 3, 4))
fb("replpad1d", rnd(3, 2), name="replpad1d_unbatched")
fb("replpad2d", rnd(1, 2, 3, 3))
fb("replpad2d", rnd(2, 2, 3), name="replpad2d_unbatched")
fb("replpad3d", rnd(2, 1, 2, 2, 3))
fb("replpad3d", rnd(1, 2, 3, 2), name="replpad3d_unbatched")
fb("circpad1d", rnd(2, 3, 4))
fb("circpad1d", rnd(3, 3), name="circpad1d_unbatched")
fb("circpad2d", rnd(2, 2, 3, 4))
fb("circpad2d", rnd(2, 3, 3), name="circpad2d_unbatched")
fb("circpad2d_int", rnd(1, 1, 2, 2))
fb("circpad3d", rnd(1, 2, 2, 3, 2))
fb("circpad3d", rnd(2, 2, 3, 2), name="circpad3d_unbatched")

VISION_ERRORS = {
    "reflpad2d_big": err(lambda: nn.ReflectionPad2d(3)(torch.zeros(1, 1, 3, 3))),
    "reflpad1d_big": err(lambda: nn.ReflectionPad1d((1, 4))(torch.zeros(2, 3, 4))),
    "reflpad1d_rank": err(lambda: nn.ReflectionPad1d(2)(torch.zeros(2, 3, 4, 5))),
    "replpad3d_rank": err(lambda: nn.ReplicationPad3d(1)(torch.zeros(3, 3))),
    "replpad2d_empty": err(lambda: nn.ReplicationPad2d(1)(torch.zeros(2, 0, 3))),
    "circpad2d_rank": err(lambda: torch2x.CircularPad2d(1)(torch.zeros(3, 3))),
    "circpad1d_rank": err(lambda: torch2x.CircularPad1d(1)(torch.zeros(1, 2, 3, 3))),
    "circpad3d_rank": err(lambda: torch2x.CircularPad3d(1)(torch.zeros(2, 3, 3))),
    "circpad1d_wrap": err(lambda: torch2x.CircularPad1d(4)(torch.zeros(1, 2, 3))),
    "constpad3d_rank": err(lambda: nn.ConstantPad3d(1, 2.0)(torch.zeros(3, 3))),
    "constpad1d_crop": err(lambda: nn.ConstantPad1d(-3, 2.0)(torch.zeros(3, 4))),
}
# normalisation (issue 20 part 1, item 2)
fb("gn", rnd(2, 4, 3))
fb("gn", rnd(4, 4), name="gn_2d", ref64=True)  # groups of 2: float32 cancellation
fb("gn_opts", rnd(2, 6, 2, 2))
fb("gn1", rnd(3, 3, 4))
fb("inorm1d", rnd(2, 3, 5))
fb("inorm1d", rnd(3, 5), name="inorm1d_unbatched")
fb("inorm1d_affine", rnd(2, 3, 4))
for mid, x, train in [("inorm2d_track", rnd(2, 3, 3, 2), True), ("inorm2d_track", rnd(2, 3, 3, 2), False),
                      ("inorm3d", rnd(2, 2, 2, 2, 3), True), ("inorm3d", rnd(2, 2, 2, 3), False),
                      ("bn3d", rnd(2, 3, 2, 2, 2), True), ("bn3d", rnd(2, 3, 2, 2, 2), False),
                      ("bn3d_opts", rnd(3, 2, 2, 1, 2), True)]:
    fb(mid, x, train=train, name="%s_%s" % (mid, "train" if train else "eval"))
fb("inorm2d_track", rnd(3, 3, 2), train=True, name="inorm2d_track_unbatched_train")
fb("inorm3d", rnd(2, 3, 2, 2), train=True, name="inorm3d_unbatched_train")
fb("lrn", rnd(2, 5, 3))
fb("lrn", rnd(2, 4, 3, 2), name="lrn_4d")
fb("lrn_opts", rnd(2, 6, 2, 2, 2))
bn_steps("inorm2d_track", ZOO["inorm2d_track"](), [rnd(2, 3, 3, 2) + i for i in range(3)], rnd(2, 3, 3, 2))
bn_steps("bn3d", ZOO["bn3d"](), [rnd(2, 3, 2, 2, 2) * (i + 1) for i in range(2)], rnd(2, 3, 2, 2, 2))
VISION_ERRORS.update({
    "gn_groups": err(lambda: nn.GroupNorm(3, 4)),
    "gn_zero": err(lambda: nn.GroupNorm(0, 4)),
    "gn_channels": err(lambda: nn.GroupNorm(2, 4)(torch.zeros(2, 6, 3))),
    "gn_single": err(lambda: nn.GroupNorm(2, 2)(torch.zeros(1, 2))),
    "inorm1d_rank": err(lambda: nn.InstanceNorm1d(3)(torch.zeros(2, 3, 4, 5))),
    "inorm2d_rank": err(lambda: nn.InstanceNorm2d(3)(torch.zeros(3, 4))),
    "inorm3d_rank": err(lambda: nn.InstanceNorm3d(3)(torch.zeros(2, 3, 4, 5, 6, 7))),
    "inorm_spatial": err(lambda: nn.InstanceNorm2d(3)(torch.zeros(2, 3, 1, 1))),
    "inorm_channels": err(lambda: nn.InstanceNorm1d(3, affine=True)(torch.zeros(2, 4, 5))),
    "inorm_load": err(lambda: nn.InstanceNorm1d(3).load_state_dict(
        {"running_mean": torch.zeros(3), "running_var": torch.ones(3)})),
    "bn3d_rank": err(lambda: nn.BatchNorm3d(3)(torch.zeros(2, 3, 4, 4))),
    "lrn_rank": err(lambda: nn.LocalResponseNorm(2)(torch.zeros(2, 3))),
    "lrn_size0": err(lambda: nn.LocalResponseNorm(0)(torch.zeros(2, 3, 4, 5))),
})
# rearranging layers (issue 20 part 1, item 3); ChannelShuffle's forward only (a case of its own,
# not fb_): 1.13 has no derivative for channel_shuffle (the registry's torch2x.channel_shuffle pins
# its gradient)
fb("pixel_shuffle", rnd(2, 8, 2, 3))
fb("pixel_shuffle", rnd(4, 3, 2), name="pixel_shuffle_unbatched")
fb("pixel_unshuffle", rnd(2, 1, 6, 3))
CS_X = rnd(2, 6, 2, 2)
W.case("channel_shuffle_forward", tensors={"x": CS_X, "y": nn.ChannelShuffle(2)(CS_X)})
fb("unflatten", rnd(3, 10, 2))
fb("unflatten_infer", rnd(12), name="unflatten_infer_1d")
fb("unflatten_infer", rnd(2, 12))
fb("identity_args", rnd(2, 3))
VISION_ERRORS.update({
    "pixel_shuffle_channels": err(lambda: nn.PixelShuffle(2)(torch.zeros(2, 6, 3, 3))),
    "pixel_unshuffle_height": err(lambda: nn.PixelUnshuffle(2)(torch.zeros(2, 2, 3, 4))),
    "channel_shuffle_groups": err(lambda: nn.ChannelShuffle(4)(torch.zeros(2, 6, 3))),
    "unflatten_sizes": err(lambda: nn.Unflatten(1, (2, 3))(torch.zeros(4, 5))),
})
W.case("errors_vision", texts=VISION_ERRORS)

W.save()
print("wrote", OUT)
