#!/usr/bin/python3
"""Golden fixtures for issue 20's pooling layers (dev.jnn.nn.layers) from PyTorch 1.13.

Run with Debian's torch:  /usr/bin/python3 scripts/golden/pool_layers.py
Writes src/jnn/test/resources/golden/pool_layers.txt (format: goldenio.py), read by
PoolLayersGoldenTest, whose ZOO mirrors the one here (id -> module).

Cases:

* repr: repr(module) per id.
* fb_<name>: forward and backward of module <id> (attr 'module'): the input 'x', the output 'y'
  (and 'idx', the indices of return_indices=True, for the max poolings), an upstream gradient
  'gy' and the input gradient 'gx' of sum(y * gy). The unpooling cases pool 'src' with the
  matching max pooling (attr 'pool': its id) first and unpool its output with its indices (attr
  'output_size' when given), so that overlapping windows give repeated indices.
  Some inputs hold NaN (fb_*_nan): NaN wins a max pooling window.
* maxpool1d_nograd_empty: F.max_pool1d's empty output for an input that needs no gradient.
* errors: PyTorch's messages for bad input to the layers (text per name).
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

torch.manual_seed(2020)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "jnn", "test", "resources",
                   "golden", "pool_layers.txt")
W = GoldenWriter(OUT, "Issue 20's pooling layers (see scripts/golden/pool_layers.py).")


def rnd(*shape):
    return torch.randn(*shape, dtype=torch.float64).to(torch.float32)


ZOO = {
    "maxpool1d": lambda: nn.MaxPool1d(3),
    "maxpool1d_full": lambda: nn.MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True),
    "avgpool1d": lambda: nn.AvgPool1d(3),
    "avgpool1d_full": lambda: nn.AvgPool1d(4, stride=2, padding=2, ceil_mode=True, count_include_pad=False),
    "maxpool3d": lambda: nn.MaxPool3d(2),
    "maxpool3d_s": lambda: nn.MaxPool3d(3, 2),
    "maxpool3d_full": lambda: nn.MaxPool3d((2, 3, 2), stride=(1, 2, 2), padding=(1, 1, 0), dilation=(2, 1, 1),
                                           ceil_mode=True),
    "avgpool3d": lambda: nn.AvgPool3d(2),
    "avgpool3d_full": lambda: nn.AvgPool3d((3, 2, 3), stride=2, padding=(1, 1, 0), ceil_mode=True,
                                           count_include_pad=False),
    "avgpool3d_div": lambda: nn.AvgPool3d(2, stride=1, padding=1, divisor_override=5),
    "adaptivemax1d": lambda: nn.AdaptiveMaxPool1d(4),
    "adaptivemax2d": lambda: nn.AdaptiveMaxPool2d(3),
    "adaptivemax2d_tuple": lambda: nn.AdaptiveMaxPool2d((5, 7)),
    "adaptivemax2d_none": lambda: nn.AdaptiveMaxPool2d((None, 3)),
    "adaptivemax3d": lambda: nn.AdaptiveMaxPool3d(2),
    "adaptivemax3d_none": lambda: nn.AdaptiveMaxPool3d((3, None, 2)),
    "adaptiveavg1d": lambda: nn.AdaptiveAvgPool1d(3),
    "adaptiveavg3d": lambda: nn.AdaptiveAvgPool3d(2),
    "adaptiveavg3d_tuple": lambda: nn.AdaptiveAvgPool3d((1, 3, 2)),
    "adaptiveavg3d_none": lambda: nn.AdaptiveAvgPool3d((None, 2, None)),
    "adaptiveavg3d_one": lambda: nn.AdaptiveAvgPool3d(1),
    "unpool1d": lambda: nn.MaxUnpool1d(3, stride=1),
    "unpool2d": lambda: nn.MaxUnpool2d(2),
    "unpool2d_overlap": lambda: nn.MaxUnpool2d(3, stride=1, padding=1),
    "unpool3d": lambda: nn.MaxUnpool3d(2, stride=(1, 2, 2)),
    "lppool1d": lambda: nn.LPPool1d(2.0, 3),
    "lppool1d_full": lambda: nn.LPPool1d(1.5, 2, stride=3, ceil_mode=True),
    "lppool2d": lambda: nn.LPPool2d(2.0, 2),
    "lppool2d_full": lambda: nn.LPPool2d(3.0, (3, 2), stride=(2, 1), ceil_mode=True),
    # the poolings the unpooling cases invert
    "pool1d_s1": lambda: nn.MaxPool1d(3, stride=1, return_indices=True),
    "pool2d": lambda: nn.MaxPool2d(2, return_indices=True),
    "pool2d_overlap": lambda: nn.MaxPool2d(3, stride=1, padding=1, return_indices=True),
    "pool3d": lambda: nn.MaxPool3d(2, stride=(1, 2, 2), return_indices=True),
}

W.case("repr", texts={k: repr(f()) for k, f in ZOO.items() if not k.startswith("pool")})

WITH_INDICES = {"maxpool1d", "maxpool1d_full", "maxpool3d", "maxpool3d_s", "maxpool3d_full", "adaptivemax1d",
                "adaptivemax2d", "adaptivemax2d_tuple", "adaptivemax2d_none", "adaptivemax3d",
                "adaptivemax3d_none"}


def fb(mid, x, name=None):
    m = ZOO[mid]()
    xi = x.clone().requires_grad_(True)
    t = {"x": x}
    y = m(xi)
    if mid in WITH_INDICES:
        m.return_indices = True
        t["idx"] = m(x)[1]
    gy = rnd(*y.shape)
    (gx,) = torch.autograd.grad(y, xi, gy)
    t.update({"y": y.detach(), "gy": gy, "gx": gx})
    W.case("fb_" + (name or mid), tensors=t, attrs={"module": mid})


def fb_unpool(mid, pool, src, output_size=None, name=None):
    o, idx = ZOO[pool]()(src)
    x = o.detach().clone().requires_grad_(True)
    y = ZOO[mid]()(x, idx, output_size=output_size)
    gy = rnd(*y.shape)
    (gx,) = torch.autograd.grad(y, x, gy)
    attrs = {"module": mid, "pool": pool}
    if output_size is not None:
        attrs["output_size"] = list(output_size)
    W.case("fb_" + (name or mid), tensors={"src": src, "x": o.detach(), "idx": idx, "y": y.detach(), "gy": gy,
                                            "gx": gx}, attrs=attrs)


fb("maxpool1d", rnd(2, 3, 10))
fb("maxpool1d_full", rnd(3, 11))
fb("avgpool1d", rnd(2, 3, 10))
fb("avgpool1d_full", rnd(2, 2, 9))
fb("maxpool3d", rnd(2, 2, 4, 5, 4))
fb("maxpool3d_s", rnd(1, 2, 7, 6, 5))
fb("maxpool3d_full", rnd(2, 5, 7, 6))
fb("avgpool3d", rnd(2, 2, 4, 5, 4))
fb("avgpool3d_full", rnd(1, 2, 6, 5, 7))
fb("avgpool3d_div", rnd(2, 3, 3, 4))
fb("adaptivemax1d", rnd(2, 3, 10))
fb("adaptivemax2d", rnd(2, 3, 7, 8))
fb("adaptivemax2d_tuple", rnd(3, 9, 10))
fb("adaptivemax2d_none", rnd(2, 2, 6, 7))
fb("adaptivemax3d", rnd(2, 2, 5, 4, 3))
fb("adaptivemax3d_none", rnd(2, 4, 5, 6))
fb("adaptiveavg1d", rnd(2, 3, 10))
fb("adaptiveavg3d", rnd(2, 2, 5, 4, 3))
fb("adaptiveavg3d_tuple", rnd(2, 3, 4, 7, 5))
fb("adaptiveavg3d_none", rnd(2, 4, 5, 6))
fb("adaptiveavg3d_one", rnd(2, 3, 2, 3, 4))
fb_unpool("unpool1d", "pool1d_s1", rnd(2, 3, 9))
fb_unpool("unpool2d", "pool2d", rnd(2, 2, 6, 8))
fb_unpool("unpool2d", "pool2d", rnd(1, 2, 5, 5), output_size=(5, 5), name="unpool2d_size")
fb_unpool("unpool2d_overlap", "pool2d_overlap", rnd(2, 2, 5, 6))
fb_unpool("unpool3d", "pool3d", rnd(1, 2, 4, 4, 6))


def with_nan(x, *cells):
    x = x.clone()
    for c in cells:
        x[c] = float("nan")
    return x


# NaN wins its window (the last one in scan order when there are several), in values and indices
fb("maxpool3d", with_nan(rnd(1, 2, 4, 4, 4), (0, 0, 1, 1, 0), (0, 1, 2, 3, 3), (0, 1, 3, 2, 3)), name="maxpool3d_nan")
fb("adaptivemax2d", with_nan(rnd(2, 7, 8), (0, 1, 1), (0, 1, 2), (1, 6, 7)), name="adaptivemax2d_nan")
fb("maxpool1d", with_nan(rnd(2, 9), (0, 4), (1, 0), (1, 2)), name="maxpool1d_nan")
fb("lppool1d", rnd(2, 3, 10))
fb("lppool1d_full", rnd(2, 3, 11).abs())
fb("lppool2d", rnd(2, 3, 6, 7))
fb("lppool2d_full", rnd(2, 7, 6).abs())


def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the message is what is recorded
        return str(e).split("\n")[0]
    raise SystemExit("no error")


# F.max_pool1d of an input that needs no gradient takes 1.13's max_pool1d_impl, which allows an
# empty output; with a gradient it is max_pool2d of a height-1 view, which does not
x = rnd(2, 3, 2)
W.case("maxpool1d_nograd_empty", tensors={"x": x, "y": torch.nn.functional.max_pool1d(x, 3)})

W.case("errors", texts={
    "maxpool1d_grad_empty": err(lambda: torch.nn.functional.max_pool1d(x.clone().requires_grad_(True), 3)),
    "maxpool1d_rank": err(lambda: nn.MaxPool1d(2)(torch.zeros(1, 2, 3, 4))),
    "avgpool1d_rank": err(lambda: nn.AvgPool1d(2)(torch.zeros(1, 2, 3, 4))),
    "maxpool3d_rank": err(lambda: nn.MaxPool3d(2)(torch.zeros(2, 3, 4))),
    "avgpool3d_small": err(lambda: nn.AvgPool3d(3)(torch.zeros(1, 2, 2, 4, 4))),
    "adaptivemax2d_none_rank": err(lambda: nn.AdaptiveMaxPool2d((None, 3))(torch.zeros(4, 4))),
    "adaptivemax3d_none_rank": err(lambda: nn.AdaptiveMaxPool3d((2, None, 3))(torch.zeros(4, 4, 4))),
    "adaptiveavg3d_rank": err(lambda: nn.AdaptiveAvgPool3d(2)(torch.zeros(4, 4, 4))),
    "unpool2d_size": err(lambda: nn.MaxUnpool2d(2)(*nn.MaxPool2d(2, return_indices=True)(torch.zeros(1, 1, 4, 4)),
                                                    output_size=[9, 4])),
})
W.save()
print("wrote", OUT)
