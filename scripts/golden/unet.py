#!/usr/bin/python3
"""Golden fixtures for dev.jnn.models.UNet (issue 20 part 2): the U-Net of milesial/Pytorch-UNet
(unet/unet_model.py, unet/unet_parts.py), the most used PyTorch U-Net, written out below as that
repository lays it out (torchvision has none), with one addition: `base` scales every width
(base * 2^k; the reference is base=64).

Run from the repository root with Debian's torch 1.13:  /usr/bin/python3 scripts/golden/unet.py

Writes
  * src/jnn/test/resources/golden/unet.txt (goldenio format), read by dev.jnn.models.UNetGoldenTest;
  * src/jnn/test/resources/models/unet_b4.pt and unet_b4_bilinear.pt: torch.save(state_dict()) of
    UNet(3, 2, bilinear, base=4), seeded, batch-norm statistics moved by three training-mode
    forwards (small: ~0.1-0.5 MB each).

Cases
* repr_<id>, keys_<id>: repr(model) (PyTorch 2.x's Upsample repr, as scripts/golden/sampling_layers.py)
  and "key [shape] dtype" lines, for the full-size models (base 64) and the small ones;
* pt_<id>: for the saved small models, input 'x' [2, 3, 37, 45] (odd sizes: the decoder pads),
  eval-mode logits 'y'; training-mode logits 'y_train' and, for the upstream gradient 'gy', the
  gradients of sum(y_train * gy) w.r.t. the input ('g.x') and the parameters ('g.<key>').
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

assert torch.__version__.startswith("1.13"), torch.__version__

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
RES = os.path.join(ROOT, "src", "jnn", "test", "resources")
OUT = os.path.join(RES, "golden", "unet.txt")
os.makedirs(os.path.join(RES, "models"), exist_ok=True)
W = GoldenWriter(OUT, "milesial/Pytorch-UNet's UNet (see scripts/golden/unet.py).")


def extra_repr_2x(self):
    """PyTorch 2.x's Upsample.extra_repr (as scripts/golden/sampling_layers.py)."""
    if self.scale_factor is not None:
        info = "scale_factor=" + repr(self.scale_factor)
    else:
        info = "size=" + repr(self.size)
    info += ", mode=" + repr(self.mode)
    return info


nn.Upsample.extra_repr = extra_repr_2x


class DoubleConv(nn.Module):
    """(convolution => [BN] => ReLU) * 2"""

    def __init__(self, in_channels, out_channels, mid_channels=None):
        super().__init__()
        if not mid_channels:
            mid_channels = out_channels
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(in_channels, out_channels))

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    def __init__(self, in_channels, out_channels, bilinear=True):
        super().__init__()
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
            self.conv = DoubleConv(in_channels, out_channels, in_channels // 2)
        else:
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        diffY = x2.size()[2] - x1.size()[2]
        diffX = x2.size()[3] - x1.size()[3]
        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
        x = torch.cat([x2, x1], dim=1)
        return self.conv(x)


class OutConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


class UNet(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=False, base=64):
        super().__init__()
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.bilinear = bilinear
        b = base
        self.inc = DoubleConv(n_channels, b)
        self.down1 = Down(b, 2 * b)
        self.down2 = Down(2 * b, 4 * b)
        self.down3 = Down(4 * b, 8 * b)
        factor = 2 if bilinear else 1
        self.down4 = Down(8 * b, 16 * b // factor)
        self.up1 = Up(16 * b, 8 * b // factor, bilinear)
        self.up2 = Up(8 * b, 4 * b // factor, bilinear)
        self.up3 = Up(4 * b, 2 * b // factor, bilinear)
        self.up4 = Up(2 * b, b, bilinear)
        self.outc = OutConv(b, n_classes)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        return self.outc(x)


# id -> (n_channels, n_classes, bilinear, base); UNetGoldenTest mirrors this table
ZOO = {
    "unet": (3, 2, False, 64),
    "unet_bilinear": (3, 2, True, 64),
    "unet_b4": (3, 2, False, 4),
    "unet_b4_bilinear": (3, 2, True, 4),
}


def keys_text(m):
    return "\n".join("%s [%s] %s" % (k, ", ".join(str(d) for d in v.shape), str(v.dtype)[6:])
                     for k, v in m.state_dict().items())


for i, (mid, (c, k, bil, base)) in enumerate(ZOO.items()):
    torch.manual_seed(100 + i)
    m = UNet(c, k, bil, base)
    W.case("repr_" + mid, texts={"repr": repr(m)})
    W.case("keys_" + mid, texts={"keys": keys_text(m)})
    if base != 4:
        continue
    g = torch.Generator().manual_seed(200 + i)
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(torch.randn(2, c, 37, 45, generator=g) * 1.5 + 0.3)
    torch.save(m.state_dict(), os.path.join(RES, "models", mid + ".pt"))
    x = torch.randn(2, c, 37, 45, generator=g)
    m.eval()
    with torch.no_grad():
        y = m(x)
    m.train()
    xg = x.clone().requires_grad_(True)
    yt = m(xg)
    gy = torch.randn(yt.shape, generator=g)
    (yt * gy).sum().backward()
    tensors = {"x": x, "y": y, "y_train": yt, "gy": gy, "g.x": xg.grad}
    names = ["inc.double_conv.0.weight", "inc.double_conv.1.weight", "down4.maxpool_conv.1.double_conv.3.weight",
             "up1.conv.double_conv.0.weight", "up4.conv.double_conv.4.bias", "outc.conv.weight", "outc.conv.bias"]
    if not bil:
        names += ["up1.up.weight", "up3.up.bias"]
    params = dict(m.named_parameters())
    for n in names:
        tensors["g." + n] = params[n].grad
    W.case("pt_" + mid, tensors=tensors, attrs={"grads": names})

W.save()
print("wrote", OUT)
