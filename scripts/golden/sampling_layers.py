#!/usr/bin/python3
"""Golden fixtures for issue 20 part 1's resampling layers (nn.Upsample, nn.UpsamplingNearest2d,
nn.UpsamplingBilinear2d) and nn.Bilinear, from PyTorch 1.13.

Run with Debian's torch:  /usr/bin/python3 scripts/golden/sampling_layers.py
Writes src/jnn/test/resources/golden/sampling_layers.txt (format: goldenio.py), read by
dev.jnn.nn.layers.SamplingLayersGoldenTest, which builds the same module for the same id.

* repr: repr(module) per id, with PyTorch 2.x's Upsample.extra_repr (repr() of the scale factor,
  the size and the mode: "Upsample(scale_factor=2.0, mode='nearest')"); 1.13 prints the mode
  unquoted and the values with str(). keys: state-dict keys ("key shape dtype" lines).
* fb_<id>: forward and backward on fixed weights: the inputs 'x' (or 'x1', 'x2'), the state dict as
  'sd.<key>', the output 'y', an upstream gradient 'gy' and the gradients of sum(y * gy): 'gx'
  ('gx1', 'gx2') for the inputs, 'g.<name>' per parameter.
* init_bilinear: statistics of nn.Bilinear(20, 30, 40)'s default initialisation.
* errors: PyTorch's messages.
"""
import math
import os
import sys
import zlib

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

torch.manual_seed(2020)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "jnn", "test", "resources",
                   "golden", "sampling_layers.txt")
W = GoldenWriter(OUT, "Resampling layers and Bilinear (see scripts/golden/sampling_layers.py).")


def extra_repr_2x(self):
    """PyTorch 2.x's Upsample.extra_repr (torch/nn/modules/upsampling.py)."""
    if self.scale_factor is not None:
        info = "scale_factor=" + repr(self.scale_factor)
    else:
        info = "size=" + repr(self.size)
    info += ", mode=" + repr(self.mode)
    return info


nn.Upsample.extra_repr = extra_repr_2x


def rnd(*shape, scale=1.0):
    return (torch.randn(*shape, dtype=torch.float64) * scale).to(torch.float32)


# id -> constructor; SamplingLayersGoldenTest.ZOO mirrors this table.
ZOO = {
    "up_nearest_scale": lambda: nn.Upsample(scale_factor=2),
    "up_nearest_exact": lambda: nn.Upsample(size=(4, 5), mode="nearest-exact"),
    "up_linear": lambda: nn.Upsample(size=6, mode="linear"),
    "up_bilinear_size": lambda: nn.Upsample(size=(5, 7), mode="bilinear"),
    "up_bilinear_align": lambda: nn.Upsample(scale_factor=(1.5, 2.0), mode="bilinear", align_corners=True),
    "up_bicubic": lambda: nn.Upsample(scale_factor=2, mode="bicubic"),
    "up_trilinear": lambda: nn.Upsample(scale_factor=1.5, mode="trilinear", recompute_scale_factor=True),
    "up_area": lambda: nn.Upsample(scale_factor=0.5, mode="area"),
    "upsampling_nearest2d": lambda: nn.UpsamplingNearest2d(scale_factor=2),
    "upsampling_bilinear2d": lambda: nn.UpsamplingBilinear2d(size=(5, 6)),
    "bilinear": lambda: nn.Bilinear(3, 4, 5),
    "bilinear_nobias": lambda: nn.Bilinear(3, 4, 2, bias=False),
    "bilinear_float64": lambda: nn.Bilinear(3, 4, 2, dtype=torch.float64),
}

INPUTS = {
    "up_nearest_scale": [rnd(1, 2, 3, 4)],
    "up_nearest_exact": [rnd(2, 1, 3, 3)],
    "up_linear": [rnd(2, 3, 4)],
    "up_bilinear_size": [rnd(2, 2, 3, 4)],
    "up_bilinear_align": [rnd(1, 2, 3, 3)],
    "up_bicubic": [rnd(1, 2, 3, 3)],
    "up_trilinear": [rnd(1, 2, 2, 3, 2)],
    "up_area": [rnd(1, 2, 6, 4)],
    "upsampling_nearest2d": [rnd(1, 3, 2, 3)],
    "upsampling_bilinear2d": [rnd(2, 1, 3, 4)],
    "bilinear": [rnd(6, 3), rnd(6, 4)],
    "bilinear_nobias": [rnd(2, 3, 3), rnd(2, 3, 4)],
    "bilinear_float64": [rnd(4, 3).double(), rnd(4, 4).double()],
}


def keys_text(m):
    sd = m.state_dict()
    return "\n".join("%s %s %s" % (k, list(v.shape), str(v.dtype).replace("torch.", "")) for k, v in sd.items())


W.case("repr", texts={k: repr(f()) for k, f in ZOO.items()})
W.case("keys", texts={k: keys_text(f()) for k, f in ZOO.items()})


def fb(mid):
    torch.manual_seed(zlib.crc32(mid.encode()) % 1000)
    m = ZOO[mid]()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(rnd(*p.shape, scale=0.5))
    sd = {("sd." + k): v.detach().clone() for k, v in m.state_dict().items()}
    xs = [x.detach().clone().requires_grad_(True) for x in INPUTS[mid]]
    y = m(*xs)
    gy = rnd(*y.shape).to(y.dtype)
    params = [(n, p) for n, p in m.named_parameters()]
    grads = torch.autograd.grad(y, xs + [p for _, p in params], gy)
    t = dict(sd)
    names = ["x"] if len(xs) == 1 else ["x%d" % (i + 1) for i in range(len(xs))]
    for nm, x, g in zip(names, INPUTS[mid], grads):
        t[nm] = x
        t["g" + nm] = g.detach()
    t["y"] = y.detach()
    t["gy"] = gy
    for (n, _), g in zip(params, grads[len(xs):]):
        t["g." + n] = g.detach()
    W.case("fb_" + mid, tensors=t, attrs={"module": mid, "inputs": len(xs)})


for mid in ZOO:
    fb(mid)

# nn.Bilinear's default initialisation: U(-1/sqrt(in1), 1/sqrt(in1)) for weight and bias
torch.manual_seed(7)
B = nn.Bilinear(20, 30, 40)
W.case("init_bilinear", attrs={
    "bound": 1 / math.sqrt(20),
    "weight_min": B.weight.min().item(), "weight_max": B.weight.max().item(),
    "weight_std": B.weight.std().item(), "weight_mean": B.weight.mean().item(),
    "bias_min": B.bias.min().item(), "bias_max": B.bias.max().item(),
})


def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return str(e.args[0]) if e.args else ""
    raise AssertionError("no error")


W.case("errors", texts={
    "up_both": err(lambda: nn.Upsample(size=4, scale_factor=2)(torch.zeros(1, 1, 2, 2))),
    "up_neither": err(lambda: nn.Upsample()(torch.zeros(1, 1, 2, 2))),
    "up_align_nearest": err(lambda: nn.Upsample(scale_factor=2, align_corners=True)(torch.zeros(1, 1, 2, 2))),
    "up_rank": err(lambda: nn.Upsample(scale_factor=2, mode="bilinear")(torch.zeros(1, 2, 3))),
    "up_size_len": err(lambda: nn.Upsample(size=[2, 3, 4])(torch.zeros(1, 1, 2, 2))),
    "bilinear_in1": err(lambda: nn.Bilinear(3, 4, 5)(torch.zeros(2, 4), torch.zeros(2, 4))),
    "bilinear_batch": err(lambda: nn.Bilinear(3, 4, 5)(torch.zeros(2, 3), torch.zeros(3, 4))),
})

W.save()
print("wrote", OUT)
