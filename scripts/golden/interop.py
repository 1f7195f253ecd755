"""PyTorch interop fixtures for dev.jnn.io (issue 6), and the check of jnn-written files.

Generate (run from the repository root, torch 1.13, Debian python3-torch):

    /usr/bin/python3 scripts/golden/interop.py

writes into src/jnn/test/resources/interop/ (total well under 2 MB):
  * lenet.pt / lenet.safetensors            LeNet-5 (conv1 6@5x5 pad 2, conv2 16@5x5, fc 400-120-84-10)
  * resnet.pt / resnet.safetensors          a small ResNet-style net with BatchNorm (trained a few
                                            steps, so running stats and num_batches_tracked are set)
  * fashion_net.pt / fashion_net.safetensors  the seed's model (conv 1->20 5x5, conv 20->20 5x5, fc)
  * tied.pt                                 a state dict whose tensors are non-contiguous views and
                                            share one storage (tied weights)
  * views.pt / views_p4.pt                  a plain dict of views (transpose, slices, steps, offsets,
                                            0-d, expanded stride-0, empty) and every storage dtype;
                                            views_p4.pt is the same dict with pickle protocol 4
  * wrapped.pt                              {"model": fashion_net sd, "optimizer": SGD state,
                                            "epoch": 3, ...plain values...}
  * dtypes.safetensors                      F64/F32/F16/BF16/I64/I32/I16/I8/U8/BOOL and __metadata__
  * legacy.pt                               the pre-1.6 (non-zip) format, which jnn refuses
and src/jnn/test/resources/golden/interop.txt (goldenio format): inputs and PyTorch's outputs for each
model, the expected values of views.pt and dtypes.safetensors, and one SGD step after wrapped.pt.

Verify jnn-written files (made by dev.jnn.io.InteropTest when -Djnn.interop.out=DIR is set):

    /usr/bin/python3 scripts/golden/interop.py --verify DIR

loads every DIR/<model>.safetensors with the small safetensors reader below into the PyTorch model
(strict load_state_dict), runs the input stored in DIR/<model>.io.safetensors and compares with
jnn's output (1e-5 relative); rebuilds the optimizer state stored in the checkpoint metadata and
loads it into torch.optim.SGD; checks dtypes (num_batches_tracked int64) and __metadata__, and
the CRC-32 of every tensor against jnn's __metadata__["jnn.crc32"] (zlib.crc32 of its bytes).

The python `safetensors` package is not installed here (no Debian package), so this script carries a
small reader/writer of the format (https://github.com/huggingface/safetensors#format). The writer
lays the data out as the reference Rust library does: tensors sorted by dtype alignment (largest
first), then by name; the header lists them in that order and is padded with spaces to 8 bytes.
"""
import collections
import json
import os
import struct
import sys
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from goldenio import GoldenWriter  # noqa: E402

torch.set_num_threads(1)
OUT_DIR = "src/jnn/test/resources/interop"
GOLDEN = "src/jnn/test/resources/golden/interop.txt"

# ----------------------------------------------------------------------------- safetensors

_ST_DTYPES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}
_ST_TORCH = {v: k for k, v in _ST_DTYPES.items()}


def _tensor_bytes(t):
    t = t.detach().cpu().contiguous().reshape(-1)
    if t.dtype == torch.bool:
        t = t.to(torch.uint8)
    return t.view(torch.uint8).numpy().tobytes()


def st_save(tensors, path, metadata=None):
    """Writes tensors (name -> tensor) like safetensors.torch.save_file."""
    names = sorted(tensors, key=lambda k: (-tensors[k].element_size(), k))
    header = collections.OrderedDict()
    if metadata is not None:
        header["__metadata__"] = metadata
    blobs, off = [], 0
    for k in names:
        b = _tensor_bytes(tensors[k])
        header[k] = {"dtype": _ST_DTYPES[tensors[k].dtype], "shape": list(tensors[k].shape),
                     "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def st_load(path):
    """Reads a safetensors file: (ordered dict name -> tensor in header order, metadata)."""
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    assert 8 + n <= len(buf), "header length past end"
    header = json.loads(buf[8:8 + n].decode("utf-8"), object_pairs_hook=collections.OrderedDict)
    meta = header.pop("__metadata__", None)
    data = buf[8 + n:]
    # files written by jnn record each tensor's CRC-32 (zlib's) in __metadata__["jnn.crc32"]
    crcs = json.loads(meta["jnn.crc32"]) if meta and "jnn.crc32" in meta else None
    if crcs is not None:
        assert list(crcs) == list(header), "jnn.crc32 lists %s, the header %s" % (list(crcs), list(header))
    out = collections.OrderedDict()
    spans = []
    for k, info in header.items():
        s, e = info["data_offsets"]
        if crcs is not None:
            got = "%08x" % (zlib.crc32(data[s:e]) & 0xffffffff)
            assert got == crcs[k], "%s: CRC-32 %s, jnn.crc32 says %s" % (k, got, crcs[k])
        dt = _ST_TORCH[info["dtype"]]
        shape = info["shape"]
        numel = 1
        for d in shape:
            numel *= d
        esize = torch.empty((), dtype=dt).element_size()
        assert e - s == numel * esize, "%s: %d bytes for %s %s" % (k, e - s, info["dtype"], shape)
        spans.append((s, e))
        raw = bytearray(data[s:e])
        if dt == torch.bool:
            t = torch.frombuffer(raw, dtype=torch.uint8).to(torch.bool) if raw else torch.empty(0, dtype=dt)
        else:
            t = torch.frombuffer(raw, dtype=dt) if raw else torch.empty(0, dtype=dt)
        out[k] = t.reshape(shape).clone()
    spans.sort()
    pos = 0
    for s, e in spans:
        assert s == pos, "hole or overlap at byte %d" % s
        pos = e
    assert pos == len(data), "data region has %d trailing bytes" % (len(data) - pos)
    return out, meta


# ----------------------------------------------------------------------------- models


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return F.relu(out + identity)


class ResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.layer1 = BasicBlock(8, 8, 1)
        self.layer2 = BasicBlock(8, 16, 2)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer2(self.layer1(x))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


class FashionMnistNet(nn.Module):
    """The seed's network (dev.jnn.examples.FashionMnistNet)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)
        self.fc = nn.Linear(320, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))


class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 4)
        self.fc2 = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


MODELS = {"lenet": (LeNet, (2, 1, 28, 28)), "resnet": (ResNet, (2, 3, 8, 8)),
          "fashion_net": (FashionMnistNet, (2, 1, 28, 28)), "tied": (Tied, (3, 4))}


def train_a_little(model, shape, steps, gen):
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model.train()
    for _ in range(steps):
        x = torch.randn(4, *shape[1:], generator=gen)
        y = torch.randint(0, 10, (4,), generator=gen) if shape[-1] != 4 else None
        out = model(x)
        loss = F.cross_entropy(out, y) if y is not None else out.pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return opt


def make_tied(gen):
    m = Tied()
    with torch.no_grad():
        base = torch.randn(4, 4, generator=gen)
        # fc1.weight: a transposed (non-contiguous) view; fc2.weight: the same storage (tied)
        m.fc1.weight = nn.Parameter(base.t())
        m.fc2.weight = m.fc1.weight
        both = torch.randn(8, generator=gen)
        m.fc1.bias = nn.Parameter(both[0:4])       # offset 0 of a shared storage
        m.fc2.bias = nn.Parameter(both[4:8])       # offset 4 of the same storage
    return m


# ----------------------------------------------------------------------------- generate


def generate():
    os.makedirs(OUT_DIR, exist_ok=True)
    gen = torch.Generator().manual_seed(1234)
    torch.manual_seed(1234)
    w = GoldenWriter(GOLDEN, header="scripts/golden/interop.py: inputs/outputs for the interop checkpoints")
    for name, (cls, shape) in MODELS.items():
        if name == "tied":
            model = make_tied(gen)
        else:
            model = cls()
            train_a_little(model, shape, 3, gen)
        model.eval()
        x = torch.randn(*shape, generator=gen)
        with torch.no_grad():
            y = model(x)
        sd = model.state_dict()
        torch.save(sd, os.path.join(OUT_DIR, name + ".pt"))
        if name != "tied":
            st_save({k: v for k, v in sd.items()}, os.path.join(OUT_DIR, name + ".safetensors"),
                    {"format": "pt"})
        w.case(name, tensors={"input": x, "output": y},
               attrs={"keys": " ".join(sd.keys())})
        if name == "fashion_net":
            fashion, fashion_x = model, x

    # wrapped checkpoint + one more SGD step on a fixed batch
    opt = torch.optim.SGD(fashion.parameters(), lr=0.05, momentum=0.9)
    fashion.train()
    for _ in range(2):
        xb = torch.randn(4, 1, 28, 28, generator=gen)
        yb = torch.randint(0, 10, (4,), generator=gen)
        opt.zero_grad()
        F.cross_entropy(fashion(xb), yb).backward()
        opt.step()
    fashion.eval()
    ckpt = {"model": fashion.state_dict(), "optimizer": opt.state_dict(), "epoch": 3,
            "best_acc": 0.875, "name": "run-1", "history": [1.5, 0.75],
            "flags": (True, False, None), "big": 2 ** 70, "neg": -5, "raw": b"\x00\x01\xff"}
    torch.save(ckpt, os.path.join(OUT_DIR, "wrapped.pt"))
    with torch.no_grad():
        y_wrapped = fashion(fashion_x)
    xb = torch.randn(4, 1, 28, 28, generator=gen)
    yb = torch.randint(0, 10, (4,), generator=gen)
    fashion.train()  # no BatchNorm/Dropout: train() only for form
    opt.zero_grad()
    F.cross_entropy(fashion(xb), yb).backward()
    opt.step()
    w.case("wrapped", tensors={"output": y_wrapped, "step_input": xb, "step_target": yb,
                               "conv1.weight": fashion.conv1.weight, "fc.bias": fashion.fc.bias,
                               "fc.weight": fashion.fc.weight})

    # views and dtypes
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    i64 = torch.arange(10, dtype=torch.int64) * 1000000007
    views = {
        "base": base, "t": base.t(), "slice": base[1:3, 2:5], "step": base[:, ::2],
        "row": base[2], "scalar": base[1, 1], "expand": torch.tensor([1.0, 2.0, 3.0]).expand(2, 3),
        "empty": torch.zeros(0, 3), "f64": torch.linspace(-1, 1, 5, dtype=torch.float64),
        "i64": i64, "i64_tail": i64[7:], "bool": torch.tensor([True, False, True]),
        "f16": torch.tensor([0.5, -2.0, 65504.0, 1e-4], dtype=torch.float16),
        "bf16": torch.tensor([1.5, -3.0, 1e30], dtype=torch.bfloat16),
        "i32": torch.tensor([-7, 2 ** 31 - 1], dtype=torch.int32),
        "i16": torch.tensor([-300, 300], dtype=torch.int16),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 255], dtype=torch.uint8),
    }
    torch.save(views, os.path.join(OUT_DIR, "views.pt"))
    torch.save(views, os.path.join(OUT_DIR, "views_p4.pt"), pickle_protocol=4)
    expected = {}
    for k, v in views.items():
        if v.dtype in (torch.float16, torch.bfloat16):
            v = v.float()
        elif v.dtype in (torch.int32, torch.int16, torch.int8, torch.uint8):
            v = v.long()
        expected[k] = v
    w.case("views", tensors=expected)

    dtypes = {"f64": views["f64"], "f32": base, "f16": views["f16"], "bf16": views["bf16"],
              "i64": i64, "i32": views["i32"], "i16": views["i16"], "i8": views["i8"],
              "u8": views["u8"], "bool": views["bool"], "scalar": torch.tensor(2.5),
              "empty": torch.zeros(0, 3)}
    st_save(dtypes, os.path.join(OUT_DIR, "dtypes.safetensors"),
            {"format": "pt", "source": "scripts/golden/interop.py"})
    exp = {}
    for k, v in dtypes.items():
        if v.dtype in (torch.float16, torch.bfloat16):
            v = v.float()
        elif v.dtype in (torch.int32, torch.int16, torch.int8, torch.uint8):
            v = v.long()
        exp[k] = v
    _, meta = st_load(os.path.join(OUT_DIR, "dtypes.safetensors"))
    hdr_order = list(st_load(os.path.join(OUT_DIR, "dtypes.safetensors"))[0].keys())
    w.case("dtypes", tensors=exp, attrs={"order": " ".join(hdr_order)})

    torch.save({"w": torch.ones(2)}, os.path.join(OUT_DIR, "legacy.pt"),
               _use_new_zipfile_serialization=False)
    w.save()
    total = sum(os.path.getsize(os.path.join(OUT_DIR, f)) for f in os.listdir(OUT_DIR))
    print("wrote %s (%d bytes) and %s" % (OUT_DIR, total, GOLDEN))


# ----------------------------------------------------------------------------- verify


def rebuild_optimizer_state(meta, tensors):
    """jnn stores the optimizer state dict as JSON in __metadata__["jnn.optimizer"]; tensors are
    {"$tensor": key} references into the same file."""
    def conv(v):
        if isinstance(v, dict):
            if set(v) == {"$tensor"}:
                return tensors[v["$tensor"]]
            if set(v) == {"$float"}:
                return float(v["$float"])
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v
    sd = conv(json.loads(meta["jnn.optimizer"]))
    sd["state"] = {int(k): v for k, v in sd["state"].items()}
    for g in sd["param_groups"]:
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
    return sd


def verify(d):
    failures, checked = [], []
    files = sorted(f[:-len(".safetensors")] for f in os.listdir(d)
                   if f.endswith(".safetensors") and not f.endswith(".io.safetensors"))
    for name in files:
        model_name = max((m for m in MODELS if name == m or name.startswith(m + "_")), key=len, default=None)
        if model_name is None:
            continue
        cls = MODELS[model_name][0]
        path = os.path.join(d, name + ".safetensors")
        tensors, meta = st_load(path)
        opt_keys = set(json.loads(meta.get("jnn.optimizer_keys", "[]"))) if meta else set()
        sd = collections.OrderedDict((k, v) for k, v in tensors.items() if k not in opt_keys)
        model = cls()
        model.load_state_dict(sd, strict=True)
        model.eval()
        for k, v in model.state_dict().items():
            if k.endswith("num_batches_tracked") and sd[k].dtype != torch.int64:
                failures.append("%s: %s is %s, not int64" % (name, k, sd[k].dtype))
        if list(sd.keys()) != list(model.state_dict().keys()):
            failures.append("%s: key order %s differs from PyTorch's %s"
                            % (name, list(sd.keys()), list(model.state_dict().keys())))
        io, _ = st_load(os.path.join(d, name + ".io.safetensors"))
        with torch.no_grad():
            y = model(io["input"])
        err = ((y - io["output"]).abs() / (io["output"].abs() + 1e-6)).max().item()
        if not torch.allclose(y, io["output"], rtol=1e-5, atol=1e-6):
            failures.append("%s: output differs from jnn's (max rel err %.3g)" % (name, err))
        line = "%s: %d tensors, strict load ok, key order = PyTorch's, output max rel err %.2g" % (
            name, len(sd), err)
        if meta and "jnn.optimizer" in meta:
            osd = rebuild_optimizer_state(meta, tensors)
            opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
            opt.load_state_dict(osd)
            bufs = sum(1 for s in opt.state.values() if "momentum_buffer" in s)
            line += ", optimizer state loaded into torch.optim.SGD (%d momentum buffers, lr=%s)" % (
                bufs, opt.param_groups[0]["lr"])
            ref = os.path.join(OUT_DIR, "wrapped.pt")
            if name == "fashion_net_sgd" and os.path.exists(ref):
                want = torch.load(ref)["optimizer"]
                for i, st in want["state"].items():
                    if not torch.equal(st["momentum_buffer"], osd["state"][i]["momentum_buffer"]):
                        failures.append("%s: momentum buffer %d differs from wrapped.pt's" % (name, i))
                if want["param_groups"][0]["lr"] != osd["param_groups"][0]["lr"]:
                    failures.append("%s: lr differs from wrapped.pt's" % name)
                line += " equal to wrapped.pt's"
        if meta:
            line += ", metadata keys %s" % sorted(meta)
        checked.append(line)
    path = os.path.join(d, "dtypes_jnn.safetensors")
    if os.path.exists(path):
        t, meta = st_load(path)
        want = collections.OrderedDict([
            ("bool", torch.tensor([True, False, True])),
            ("f32", torch.arange(6, dtype=torch.float32).mul(0.5).reshape(2, 3)),
            ("f32_t", torch.arange(6, dtype=torch.float32).mul(0.5).reshape(2, 3).t()),
            ("f64", torch.tensor([-1.5, 1e-300, float("inf")], dtype=torch.float64)),
            ("i64", torch.tensor([-2 ** 63, -1, 9000000063])),
            ("scalar", torch.tensor(2.5)),
            ("empty", torch.zeros(0, 3))])
        bad = [k for k in want if k not in t or t[k].dtype != want[k].dtype
               or t[k].shape != want[k].shape or not torch.equal(t[k], want[k])]
        if list(t.keys()) != list(want.keys()):
            bad.append("order %s" % list(t.keys()))
        if meta is None or "jnn.crc32" not in meta or {
                k: v for k, v in meta.items() if k != "jnn.crc32"} != {"writer": "jnn"}:
            bad.append("metadata %s" % meta)
        if bad:
            failures.append("dtypes_jnn: wrong %s" % bad)
        else:
            checked.append("dtypes_jnn: bool/f32/f32 transposed/f64 (inf, 1e-300)/i64 (min)/0-d/empty "
                           "read back exactly, in jnn's order, with __metadata__ and CRC-32s equal to"
                           " zlib.crc32")
    for line in checked:
        print("ok   " + line)
    for f in failures:
        print("FAIL " + f)
    if not checked:
        print("FAIL nothing to verify in " + d)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--verify":
        sys.exit(verify(sys.argv[2]))
    elif len(sys.argv) == 1:
        generate()
    else:
        print(__doc__)
        sys.exit(2)
