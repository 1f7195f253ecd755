#!/usr/bin/python3
"""Golden fixtures for issue 20 part 1's convolution layers (Conv1d, Conv3d, ConvTranspose1d/2d/3d,
Fold, Unfold) from PyTorch 1.13.

Run with Debian's torch:  /usr/bin/python3 scripts/golden/conv_layers.py
Writes src/jnn/test/resources/golden/conv_layers.txt (format: goldenio.py), read by
dev.jnn.nn.layers.ConvLayersGoldenTest, which builds the same module for the same id (its ZOO).
Cases, as in layers.py:

* repr: repr(module) per id; keys: state-dict keys ("key shape dtype" lines).
* fb_<name>: forward and backward on fixed weights: 'x', the state dict as 'sd.<key>', the output
  'y', an upstream gradient 'gy', 'gx' and 'g.<param>' (gradients of sum(y * gy)); attr 'module'
  (the id) and, for a transposed convolution's forward(input, output_size), 'output_size'.
* errors: PyTorch's messages for bad construction arguments and inputs.
"""
import os
import sys
import zlib

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

torch.manual_seed(2020)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "jnn", "test", "resources",
                   "golden", "conv_layers.txt")
W = GoldenWriter(OUT, "Convolution layers (see scripts/golden/conv_layers.py).")


def rnd(*shape, scale=1.0):
    return (torch.randn(*shape, dtype=torch.float64) * scale).to(torch.float32)


ZOO = {
    "convt2d_doc": lambda: nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2)),
    "convt2d_default": lambda: nn.ConvTranspose2d(2, 3, 3),
    "convt2d_full": lambda: nn.ConvTranspose2d(4, 6, (3, 2), stride=(2, 3), padding=(1, 0), output_padding=(1, 2),
                                               groups=2, dilation=(1, 2), bias=False),
    "convt2d_up": lambda: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1),
    "conv1d_default": lambda: nn.Conv1d(3, 4, 3),
    "conv1d_full": lambda: nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2, bias=False),
    "conv1d_same": lambda: nn.Conv1d(2, 3, 4, padding="same", dilation=2),
    "conv1d_valid": lambda: nn.Conv1d(2, 3, 2, padding="valid"),
    "conv1d_reflect": lambda: nn.Conv1d(2, 3, 3, padding=2, padding_mode="reflect"),
    "conv1d_replicate": lambda: nn.Conv1d(2, 3, 3, padding=1, padding_mode="replicate"),
    "conv1d_circular": lambda: nn.Conv1d(2, 3, 2, padding=1, padding_mode="circular"),
    "conv1d_same_circular": lambda: nn.Conv1d(2, 3, 4, padding="same", padding_mode="circular"),
    "convt1d_default": lambda: nn.ConvTranspose1d(3, 2, 3),
    "convt1d_full": lambda: nn.ConvTranspose1d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2,
                                               dilation=2),
    "conv3d_default": lambda: nn.Conv3d(2, 3, 2),
    "conv3d_pos": lambda: nn.Conv3d(2, 3, 3, 2, 1),
    "convt1d_pos": lambda: nn.ConvTranspose1d(3, 2, 4, 2, 1),
    "conv3d_full": lambda: nn.Conv3d(4, 4, (2, 3, 2), stride=(2, 1, 2), padding=(1, 1, 0), dilation=(2, 1, 1),
                                     groups=2),
    "conv3d_same": lambda: nn.Conv3d(2, 2, (2, 3, 1), padding="same"),
    "conv3d_reflect": lambda: nn.Conv3d(2, 2, 2, padding=(1, 0, 1), padding_mode="reflect"),
    "conv3d_circular": lambda: nn.Conv3d(2, 2, 2, padding=1, padding_mode="circular", bias=False),
    "convt3d_default": lambda: nn.ConvTranspose3d(2, 3, 2),
    "convt3d_full": lambda: nn.ConvTranspose3d(2, 4, (2, 1, 2), stride=(2, 1, 3), padding=(1, 0, 0),
                                               output_padding=(1, 0, 2), groups=2, dilation=(1, 1, 2)),
}
EXTRA_ZOO = {}  # filled by later parts of this script (Fold, Unfold)


def texts(fn, zoo):
    return {k: fn(f) for k, f in zoo.items()}


def keys_text(m):
    sd = m.state_dict()
    return "\n".join("%s %s %s" % (k, list(v.shape), str(v.dtype).replace("torch.", "")) for k, v in sd.items())


def fb(mid, x, name=None, output_size=None, zoo=ZOO):
    """Forward and backward of module `mid` on fixed (seeded) weights."""
    torch.manual_seed(zlib.crc32(mid.encode()) % 1000)
    m = zoo[mid]()
    with torch.no_grad():
        for _, p in m.named_parameters():
            p.copy_(rnd(*p.shape, scale=0.5))
    sd = {("sd." + k): v.detach().clone() for k, v in m.state_dict().items()}
    xi = x.detach().clone().requires_grad_(True)
    y = m(xi) if output_size is None else m(xi, output_size=output_size)
    gy = rnd(*y.shape)
    params = [(n, p) for n, p in m.named_parameters()]
    grads = torch.autograd.grad(y, [xi] + [p for _, p in params], gy)
    t = dict(sd)
    t["x"] = x
    t["y"] = y.detach()
    t["gy"] = gy
    t["gx"] = grads[0]
    for (n, _), g in zip(params, grads[1:]):
        t["g." + n] = g
    attrs = {"module": mid}
    if output_size is not None:
        attrs["output_size"] = " ".join(str(v) for v in output_size)
    W.case("fb_" + (name or mid), tensors=t, attrs=attrs)


def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return str(e.args[0]) if e.args else ""
    raise AssertionError("no error")


fb("convt2d_doc", rnd(2, 16, 5, 6, scale=0.3))
fb("convt2d_default", rnd(2, 2, 4, 3))
fb("convt2d_default", rnd(2, 3, 4), name="convt2d_unbatched")
fb("convt2d_full", rnd(2, 4, 3, 4))
fb("convt2d_up", rnd(2, 3, 4, 4), name="convt2d_output_size", output_size=[8, 7])
fb("convt2d_up", rnd(3, 4, 4), name="convt2d_output_size_full", output_size=[2, 7, 8])
fb("conv1d_default", rnd(2, 3, 7))
fb("conv1d_default", rnd(3, 6), name="conv1d_unbatched")
fb("conv1d_full", rnd(2, 4, 9))
fb("conv1d_same", rnd(2, 2, 7))
fb("conv1d_valid", rnd(1, 2, 5))
fb("conv1d_reflect", rnd(2, 2, 5))
fb("conv1d_replicate", rnd(2, 4))
fb("conv1d_circular", rnd(2, 2, 5))
fb("conv1d_same_circular", rnd(1, 2, 6))
fb("convt1d_default", rnd(2, 3, 5))
fb("convt1d_full", rnd(2, 4, 4))
fb("convt1d_full", rnd(4, 3), name="convt1d_output_size", output_size=[8])
fb("conv3d_default", rnd(2, 2, 3, 4, 3))
fb("conv3d_default", rnd(2, 3, 3, 2), name="conv3d_unbatched")
fb("conv3d_full", rnd(2, 4, 5, 4, 5))
fb("conv3d_same", rnd(1, 2, 3, 4, 2))
fb("conv3d_reflect", rnd(1, 2, 3, 3, 2))
fb("conv3d_circular", rnd(1, 2, 2, 3, 2))
fb("convt3d_default", rnd(2, 2, 2, 3, 2))
fb("conv3d_pos", rnd(1, 2, 4, 5, 3))
fb("convt1d_pos", rnd(2, 3, 5))
fb("convt3d_full", rnd(1, 2, 3, 2, 2))

ERRORS = {
    "convt_padding_mode": err(lambda: nn.ConvTranspose2d(2, 3, 3, padding_mode="reflect")),
    "convt1d_padding_mode": err(lambda: nn.ConvTranspose1d(2, 3, 3, padding_mode="circular")),
    "convt_groups": err(lambda: nn.ConvTranspose2d(2, 3, 3, groups=2)),
    "convt_groups_zero": err(lambda: nn.ConvTranspose3d(2, 4, 3, groups=0)),
    "conv1d_groups_in": err(lambda: nn.Conv1d(3, 4, 3, groups=2)),
    "conv3d_same_strided": err(lambda: nn.Conv3d(2, 2, 3, padding="same", stride=2)),
    "convt_output_size": err(lambda: nn.ConvTranspose2d(2, 3, 3, stride=2)(torch.zeros(1, 2, 4, 4),
                                                                          output_size=[12, 10])),
    "convt_output_size_unbatched": err(lambda: nn.ConvTranspose2d(2, 3, 3, stride=2)(torch.zeros(2, 4, 4),
                                                                                    output_size=[12, 10])),
    "convt_output_size_len": err(lambda: nn.ConvTranspose2d(2, 3, 3, stride=2)(torch.zeros(1, 2, 4, 4),
                                                                              output_size=[10, 10, 10])),
    "convt_channels": err(lambda: nn.ConvTranspose2d(2, 3, 3)(torch.zeros(1, 3, 4, 4))),
    "conv1d_rank": err(lambda: nn.Conv1d(2, 3, 3, padding_mode="reflect")(torch.zeros(1, 2, 4, 4))),
    "conv3d_rank": err(lambda: nn.Conv3d(2, 3, 3)(torch.zeros(2, 4, 4))),
}

# ---- Fold and Unfold (item 3)
EXTRA_ZOO.update({
    "unfold_default": lambda: nn.Unfold((2, 3)),
    "unfold_full": lambda: nn.Unfold(2, dilation=(2, 1), padding=1, stride=(1, 2)),
    "fold_default": lambda: nn.Fold((4, 5), 2),
    "fold_full": lambda: nn.Fold(5, (2, 3), dilation=(1, 2), padding=(1, 0), stride=2),
})
fb("unfold_default", rnd(2, 3, 4, 5), zoo=EXTRA_ZOO)
fb("unfold_full", rnd(3, 5, 4), zoo=EXTRA_ZOO)
fb("fold_default", rnd(2, 12, 12), zoo=EXTRA_ZOO)
fb("fold_full", rnd(12, 3), zoo=EXTRA_ZOO)
ERRORS.update({
    "fold_blocks": err(lambda: nn.Fold((5, 5), 2)(torch.zeros(1, 8, 15))),
    "unfold_rank": err(lambda: nn.Unfold(2)(torch.zeros(1, 2, 3, 4, 5))),
})

# ---- written last: every id of ZOO and EXTRA_ZOO
ALL = dict(ZOO)
ALL.update(EXTRA_ZOO)
W.case("repr", texts=texts(lambda f: repr(f()), ALL))
W.case("keys", texts=texts(lambda f: keys_text(f()), ALL))
W.case("errors", texts=ERRORS)
W.save()
print("wrote", OUT)
