#!/usr/bin/python3
"""Golden fixtures for dev.jnn.models (issue 20 parts 2 and 3): torchvision 0.14's ResNet,
MobileNetV2 and VGG, torch.nn.utils.fusion.fuse_conv_bn_eval, and torchvision.transforms'
tensor Resize / CenterCrop / Normalize.

Run from the repository root with Debian's torch 1.13 and torchvision 0.14
(apt-get install python3-torch python3-torchvision):  /usr/bin/python3 scripts/golden/models.py
Nothing is downloaded: every model is built by torchvision's own constructors.

Writes
  * src/jnn/test/resources/golden/models.txt (goldenio format), read by
    dev.jnn.models.ModelsGoldenTest (and the CUDA parity on the emulated device);
  * src/jnn/test/resources/models/mobilenet_v2_w025_c10.pt: torch.save(state_dict()) of
    torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=10), seeded, with its batch-norm
    running statistics moved away from 0/1 by three training-mode forwards (1 MB);
  * src/jnn/test/resources/models/tiny.png: a 40x30 RGB PNG written by PIL, and tiny.jpg, the same
    picture as a JPEG (quality 95, no chroma subsampling).

Full-size ResNet/VGG state dicts are far too large to commit (resnet18 alone is 45 MB; even
torchvision's smallest ResNet, BasicBlock [1, 1, 1, 1], is 20 MB), so those models are checked by
their state-dict keys and shapes and by logits under deterministic "formula" weights that the Java
test computes identically (formula() below, FormulaWeights.java in the tests).

Every model is named by an id (ZOO); the Java test builds the same model for the same id.
Cases:
* repr: repr(model) per id; keys: "key [shape] dtype" lines per id.
* formula_<id>: the eval-mode logits 'y' with formula weights for the input of shape attr 'x'
  whose values are formula("x", .) (a weight of rank 4: u * sqrt(6 / (3 h w)));
  for ids in TRAIN also the training-mode logits 'y_train', the running statistics of the first
  batch norm after that forward ('rm', 'rv'), and the gradients of sum(y_train * gy) for the
  upstream gradient 'gy': 'g.x.corner8' (the input gradient's top-left 8x8 corner) and 'g.<key>'
  for a few (small) parameters (attr grads). The input sizes of these ids are chosen so that
  torch's float32 and float64 gradients agree to 1e-5 of their scale (smaller inputs put 1x1
  batch-2 maps through training-mode batch norm and pooling near-ties, where float32 rounding
  alone moves the input gradient by 0.3 %).
* pt_mobilenet: input 'x' and eval-mode logits 'y' of the saved MobileNetV2.
* image: the PNG's tensor (ToTensor), after Resize(20) (tensor path, bilinear, antialias=False),
  after CenterCrop(16), after Normalize(ImageNet mean/std), and the saved MobileNetV2's logits and
  argmax on that image (the README snippet's path).
* jpeg: ToTensor of tiny.jpg as PIL (libjpeg) decodes it.
* resize_<name>: Resize on a seeded float tensor for other sizes (up and down, non-square).
* fuse_<name>: fuse_conv_bn_eval on seeded Conv2d + BatchNorm2d (eval): the conv's and bn's
  state ('sd.conv.<k>', 'sd.bn.<k>'), the fused 'weight' and 'bias', and the fused conv's repr.
* errors: PyTorch's and torchvision's messages (fusion in training mode, Normalize's zero std,
  the models' constructor checks, a wrong channel count).
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms as T
from torchvision.models import resnet as R
from torchvision.models import vgg as V
from torchvision.models import mobilenetv2 as M
from torch.nn.utils.fusion import fuse_conv_bn_eval

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

assert torch.__version__.startswith("1.13"), torch.__version__
assert torchvision.__version__.startswith("0.14"), torchvision.__version__

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
RES = os.path.join(ROOT, "src", "jnn", "test", "resources")
OUT = os.path.join(RES, "golden", "models.txt")
PT = os.path.join(RES, "models", "mobilenet_v2_w025_c10.pt")
PNG = os.path.join(RES, "models", "tiny.png")
JPG = os.path.join(RES, "models", "tiny.jpg")
os.makedirs(os.path.join(RES, "models"), exist_ok=True)
W = GoldenWriter(OUT, "torchvision 0.14 models, fusion, transforms (see scripts/golden/models.py).")

# id -> constructor; the Java test (ModelsGoldenTest.ZOO) mirrors this table.
ZOO = {
    "resnet18": lambda: R.resnet18(),
    "resnet34": lambda: R.resnet34(),
    "resnet50": lambda: R.resnet50(),
    "resnext50_32x4d": lambda: R.resnext50_32x4d(),
    "wide_resnet50_2": lambda: R.wide_resnet50_2(),
    "resnet_basic_1111_c10": lambda: R.ResNet(R.BasicBlock, [1, 1, 1, 1], num_classes=10),
    "resnet_bottleneck_opts": lambda: R.ResNet(
        R.Bottleneck, [1, 2, 1, 1], num_classes=7, zero_init_residual=True, groups=2,
        width_per_group=16, replace_stride_with_dilation=[False, True, True]),
    "mobilenet_v2": lambda: M.mobilenet_v2(),
    "mobilenet_v2_w025_c10": lambda: M.mobilenet_v2(width_mult=0.25, num_classes=10),
    "mobilenet_v2_opts": lambda: M.MobileNetV2(num_classes=5, width_mult=0.5, round_nearest=4,
                                               dropout=0.3),
    "vgg11": lambda: V.vgg11(),
    "vgg11_bn": lambda: V.vgg11_bn(),
    "vgg13": lambda: V.vgg13(),
    "vgg16_bn": lambda: V.vgg16_bn(),
    "vgg19": lambda: V.vgg19(),
    "vgg11_bn_c10_d03": lambda: V.vgg11_bn(num_classes=10, dropout=0.3),
}
# ids whose logits are checked with formula weights: (batch, side) of the input
FORMULA = {
    "resnet18": (1, 64), "resnet34": (1, 64), "resnet50": (1, 64),
    "resnet_basic_1111_c10": (2, 64), "resnet_bottleneck_opts": (3, 64),
    "mobilenet_v2": (1, 64), "mobilenet_v2_opts": (2, 32), "vgg11_bn": (1, 64),
}
# ids also checked in training mode (forward, running stats, backward); no dropout in these
TRAIN = {
    "resnet_basic_1111_c10": ["bn1.weight", "layer1.0.bn2.weight", "layer4.0.bn2.bias", "fc.bias"],
    "resnet_bottleneck_opts": ["layer2.0.downsample.1.weight", "layer3.0.bn2.weight", "fc.bias"],
}


def keys_text(m):
    return "\n".join("%s %s %s" % (k, list(v.shape), str(v.dtype).replace("torch.", ""))
                     for k, v in m.state_dict().items())


def key_hash(key):
    return sum((i + 1) * ord(c) for i, c in enumerate(key)) % 10007


def formula(key, t):
    """The deterministic value of every element of state-dict entry `key` (FormulaWeights.java):
    u = ((r * r * 7 + i * 7919 + hash(key) * 104729) mod 2001) / 1000 - 1 in [-1, 1] for element i
    (r = i mod 2001; the square term keeps inputs from being locally linear), in float64,
    then: running_var 1 + 0.5u, running_mean 0.1u, weights of rank >= 2 u * sqrt(6 / fan_in)
    (fan_in = numel / size(0): He-like, so activations keep their scale), biases 0.1u, other 1-D
    weights (batch norm) 1 + 0.1u; rounded to the tensor's dtype; num_batches_tracked stays 0."""
    if t.dtype == torch.int64:
        return torch.zeros_like(t)
    n = t.numel()
    i = torch.arange(n, dtype=torch.int64)
    r = i % 2001
    u = ((r * r * 7 + i * 7919 + key_hash(key) * 104729) % 2001).double() / 1000.0 - 1.0
    if key.endswith("running_var"):
        v = 1.0 + 0.5 * u
    elif key.endswith("running_mean"):
        v = 0.1 * u
    elif t.dim() >= 2:
        v = u * math.sqrt(6.0 / (n // t.shape[0]))
    elif key.endswith("bias"):
        v = 0.1 * u
    else:
        v = 1.0 + 0.1 * u
    return v.to(t.dtype).reshape(t.shape)


def set_formula(m):
    sd = m.state_dict()
    m.load_state_dict({k: formula(k, v) for k, v in sd.items()})


W.case("repr", texts={k: repr(f()) for k, f in ZOO.items()})
W.case("keys", texts={k: keys_text(f()) for k, f in ZOO.items()})

for seed, (mid, (n, hw)) in enumerate(FORMULA.items()):
    torch.manual_seed(100 + seed)
    m = ZOO[mid]()
    set_formula(m)
    x = formula("x", torch.zeros(n, 3, hw, hw))
    m.eval()
    with torch.no_grad():
        y = m(x)
    tensors = {"y": y}
    attrs = {"model": mid, "x": [n, 3, hw, hw]}
    if mid in TRAIN:
        m.train()
        xg = x.clone().requires_grad_(True)
        yt = m(xg)
        gy = torch.randn(yt.shape)
        (yt * gy).sum().backward()
        tensors.update({"y_train": yt, "rm": m.bn1.running_mean, "rv": m.bn1.running_var,
                        "gy": gy, "g.x.corner8": xg.grad[:, :, :8, :8]})
        params = dict(m.named_parameters())
        for k in TRAIN[mid]:
            tensors["g." + k] = params[k].grad
        attrs["grads"] = TRAIN[mid]
    W.case("formula_" + mid, tensors=tensors, attrs=attrs)

# ---- a real torchvision-saved state dict (small configuration)
torch.manual_seed(20)
mb = M.mobilenet_v2(width_mult=0.25, num_classes=10)
mb.train()
with torch.no_grad():
    for _ in range(3):
        mb(torch.randn(4, 3, 32, 32) * 2 + 0.5)
mb.eval()
torch.save(mb.state_dict(), PT)
x = torch.randn(2, 3, 32, 32)
with torch.no_grad():
    W.case("pt_mobilenet", tensors={"x": x, "y": mb(x)},
           texts={"keys": "\n".join(mb.state_dict().keys())})

# ---- the image pipeline: PNG -> ToTensor -> Resize(20) -> CenterCrop(16) -> Normalize
g = torch.Generator().manual_seed(21)
yy, xx = torch.meshgrid(torch.arange(30), torch.arange(40), indexing="ij")
base = torch.stack([xx * 6, yy * 8, (xx + yy) * 3]).float()
noise = torch.randint(0, 40, (3, 30, 40), generator=g).float()
rgb = (base + noise).clamp(0, 255).to(torch.uint8)  # [3, 30, 40]
Image.fromarray(rgb.permute(1, 2, 0).numpy(), "RGB").save(PNG)
img = Image.open(PNG).convert("RGB")
t0 = T.functional.to_tensor(img)
# the same picture as a baseline JPEG (4:4:4), decoded by PIL (libjpeg)
Image.fromarray(rgb.permute(1, 2, 0).numpy(), "RGB").save(JPG, quality=95, subsampling=0)
W.case("jpeg", tensors={"to_tensor": T.functional.to_tensor(Image.open(JPG).convert("RGB"))})
t1 = T.Resize(20, interpolation=T.InterpolationMode.BILINEAR, antialias=False)(t0)
t2 = T.CenterCrop(16)(t1)
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
t3 = T.Normalize(MEAN, STD)(t2)
with torch.no_grad():
    logits = mb(t3.unsqueeze(0))
W.case("image", tensors={"to_tensor": t0, "resized": t1, "cropped": t2, "normalized": t3,
                         "logits": logits, "argmax": logits.argmax(1)},
       attrs={"resize": 20, "crop": 16})

# Resize / CenterCrop on tensors of other sizes (down, up, non-square; odd crop offsets)
for name, (h, w, size, crop) in {"down": (23, 37, 9, (7, 5)), "up": (5, 7, 12, (11, 12)),
                                  "tall": (31, 8, 4, (3, 4)), "same": (6, 9, 6, (6, 9)),
                                  "pad": (6, 9, 6, (9, 12)), "pad_odd": (7, 5, 5, (10, 4))}.items():
    src = torch.rand(3, h, w, generator=g)
    r = T.Resize(size, antialias=False)(src)
    W.case("resize_" + name, tensors={"src": src, "resized": r, "cropped": T.CenterCrop(list(crop))(r)},
           attrs={"size": size, "crop": list(crop)})

# ---- fuse_conv_bn_eval
FUSE = {
    "plain": lambda: (nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4)),
    "bias_stride_pad": lambda: (nn.Conv2d(4, 6, 3, stride=2, padding=1), nn.BatchNorm2d(6, eps=1e-3)),
    "depthwise_dilated": lambda: (nn.Conv2d(6, 6, 3, padding=2, dilation=2, groups=6, bias=False),
                                  nn.BatchNorm2d(6)),
    "no_affine": lambda: (nn.Conv2d(2, 3, 1), nn.BatchNorm2d(3, affine=False)),
}
for i, (name, f) in enumerate(FUSE.items()):
    torch.manual_seed(30 + i)
    conv, bn = f()
    with torch.no_grad():
        bn.running_mean.normal_()
        bn.running_var.uniform_(0.5, 2.0)
        if bn.affine:
            bn.weight.normal_()
            bn.bias.normal_()
    conv.eval()
    bn.eval()
    fused = fuse_conv_bn_eval(conv, bn)
    tensors = {"sd.conv." + k: v for k, v in conv.state_dict().items()}
    tensors.update({"sd.bn." + k: v for k, v in bn.state_dict().items()})
    tensors.update({"weight": fused.weight, "bias": fused.bias})
    xin = torch.randn(2, conv.in_channels, 7, 7)
    with torch.no_grad():
        tensors.update({"x": xin, "y": fused(xin), "y_unfused": bn(conv(xin))})
    W.case("fuse_" + name, tensors=tensors,
           texts={"conv_repr": repr(conv), "fused_repr": repr(fused)})

errors = {}
try:
    fuse_conv_bn_eval(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4))
except AssertionError as e:
    errors["fuse_training"] = str(e)
try:
    T.Normalize([0.5, 0.5, 0.5], [0.2, 0.0, 0.2])(t0)
except ValueError as e:
    errors["normalize_zero_std"] = str(e)
def message(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the message is what is recorded
        return str(e)
    raise AssertionError("no error")


errors["basic_groups"] = message(lambda: R.BasicBlock(64, 64, groups=2))
errors["basic_dilation"] = message(lambda: R.BasicBlock(64, 64, dilation=2))
errors["resnet_basic_dilation"] = message(
    lambda: R.ResNet(R.BasicBlock, [1, 1, 1, 2], replace_stride_with_dilation=[False, False, True]))
errors["resnet_dilation_list"] = message(
    lambda: R.ResNet(R.Bottleneck, [1, 1, 1, 1], replace_stride_with_dilation=[False, True]))
errors["inverted_residual_stride"] = message(lambda: M.InvertedResidual(8, 8, 3, 6))
errors["mobilenet_setting"] = message(lambda: M.MobileNetV2(inverted_residual_setting=[[1, 16, 1]]))
errors["resnet_channels"] = message(lambda: R.resnet18()(torch.zeros(1, 4, 32, 32)))
errors["mobilenet_channels"] = message(
    lambda: M.mobilenet_v2(width_mult=0.25)(torch.zeros(1, 1, 32, 32)))
errors["vgg_channels"] = message(lambda: V.vgg11()(torch.zeros(1, 2, 32, 32)))
W.case("errors", texts=errors)

W.save()
print("wrote", OUT, PT, PNG)
