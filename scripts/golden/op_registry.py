"""Golden values for jnn's op registry (dev.jnn.ops.OpRegistry), computed with PyTorch 1.13.

Run from the repository root with the system Python that has torch:

    /usr/bin/python3 scripts/golden/op_registry.py

Reads src/jnn/test/resources/ops/registry.json (written by the Java registry; OpRegistryJsonTest
fails when it is stale) and writes src/jnn/test/resources/golden/op_registry.txt, read by
dev.jnn.ops.OpRegistryGoldenTest and OpRegistryBadInputTest. Nothing here lists ops: every op,
sample and error input comes from the JSON, and each op's PyTorch call is the expression in its
`torch` field (over `a`, the list of input tensors, `torch`, `F`, `attention_ref` (PyTorch 2.x's
scaled_dot_product_attention, which 1.13 lacks: scripts/golden/attention_ref.py), `torch2x`
(torch2x.py: PyTorch 2.x functions 1.13 lacks, built from 1.13's ops) and the keyword arguments).

Cases (exact names):
  _registry                 attr sha256: of the registry.json this file was made from
  <op>/<sample>/<dtype>     tensors in<k> (the generated inputs), out, out1 (indices of a
                            (values, indices) result), gout (upstream gradient, kind n from the
                            sample's grad_seed) and gin<k> (input gradients; absent when none
                            flows); attr grad_fn (PyTorch's out.grad_fn class name)
  <op>/error/<i>            text message (str() of PyTorch's exception), attr type (its class)

Inputs come from the generator shared with dev.jnn.ops.SampleGen (SplitMix64; plain IEEE double
arithmetic, so both sides make the same values bit for bit).
"""
import hashlib
import json
import math
import os
import sys
import warnings

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402
import attention_ref  # noqa: E402  (F.scaled_dot_product_attention's 2.x math; 1.13 has none)
import torch2x  # noqa: E402  (2.x functions 1.13 lacks, e.g. torch2x.rms_norm)

REGISTRY = "src/jnn/test/resources/ops/registry.json"
OUT = "src/jnn/test/resources/golden/op_registry.txt"
M64 = (1 << 64) - 1
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def uniforms(seed, n):
    s = seed & M64
    r = []
    for _ in range(n):
        s = (s + 0x9E3779B97F4A7C15) & M64
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        z = z ^ (z >> 31)
        r.append((z >> 11) * 2.0 ** -53)
    return r


def floats(kind, seed, n):
    out = []
    for u in uniforms(seed, n):
        if kind == "n":
            out.append(-2.0 + 4.0 * u)
        elif kind == "p":
            out.append(0.5 + 1.5 * u)
        elif kind == "u":
            out.append(u)
        elif kind == "nz":
            v = -2.0 + 4.0 * u
            out.append(v + 0.25 if v >= 0 else v - 0.25)
        elif kind == "t":
            out.append(math.floor(u * 5.0) - 2.0)
        else:
            raise ValueError(kind)
    return out


def make(spec, dtype):
    shape = list(spec["shape"])
    transposed = spec["layout"] == "transposed"
    if transposed:
        shape[-1], shape[-2] = shape[-2], shape[-1]
    n = 1
    for d in shape:
        n *= d
    kind = spec["kind"]
    if kind == "b":
        t = torch.tensor([u < 0.5 for u in uniforms(spec["seed"], n)], dtype=torch.bool)
    elif kind.startswith("i"):
        k = int(kind[1:])
        t = torch.tensor([int(math.floor(u * k)) for u in uniforms(spec["seed"], n)], dtype=torch.int64)
    else:
        vals = spec["values"] if kind == "v" else floats(kind, spec["seed"], n)
        t = torch.tensor(vals, dtype=torch.float64).to(dtype)
    t = t.reshape(shape)
    if transposed:
        t = t.transpose(-2, -1)
    return t.detach()


def call(op, xs, kwargs):
    env = {"torch": torch, "F": F, "a": xs, "attention_ref": attention_ref, "torch2x": torch2x}
    env.update(kwargs)
    return eval(op["torch"], env)  # noqa: S307 - the registry's own PyTorch call


def write_samples(w, op):
    for i, s in enumerate(op["samples"]):
        for dname in op["dtypes"]:
            dt = DTYPES[dname]
            xs = [make(spec, dt) for spec in s["inputs"]]
            ins = {"in%d" % k: x.clone() for k, x in enumerate(xs)}
            if op["differentiable"]:
                for x, spec in zip(xs, s["inputs"]):
                    if x.is_floating_point() and spec.get("requires_grad", True):
                        x.requires_grad_(True)
            try:
                r = call(op, xs, s["kwargs"])
            except Exception as e:
                raise SystemExit("%s sample %d (%s) raises in PyTorch: %s" % (op["name"], i, s, e))
            out, out1 = (r[0], r[1]) if isinstance(r, tuple) else (r, None)
            tensors = dict(ins)
            tensors["out"] = out
            if out1 is not None:
                tensors["out1"] = out1
            attrs = {}
            if out.requires_grad:
                gout = torch.tensor(floats("n", s["grad_seed"], out.numel()), dtype=torch.float64)
                gout = gout.reshape(out.shape).to(out.dtype)
                diff = [x for x in xs if x.requires_grad]
                grads = torch.autograd.grad(out, diff, gout, allow_unused=True)
                tensors["gout"] = gout
                gi = iter(grads)
                for k, x in enumerate(xs):
                    if x.requires_grad:
                        g = next(gi)
                        if g is not None:
                            tensors["gin%d" % k] = g
                if out.grad_fn is not None:
                    attrs["grad_fn"] = type(out.grad_fn).__name__
            w.case("%s/%d/%s" % (op["name"], i, dname), tensors=tensors, attrs=attrs)


def write_errors(w, op):
    for i, s in enumerate(op["errors"]):
        xs = [make(spec, torch.float32) for spec in s["inputs"]]
        try:
            call(op, xs, s["kwargs"])
        except Exception as e:  # noqa: BLE001 - any PyTorch error is the expected outcome
            w.case("%s/error/%d" % (op["name"], i), attrs={"type": type(e).__name__},
                   texts={"message": str(e).split("\n")[0]})
            continue
        raise SystemExit("%s error input %d does not raise in PyTorch: %s" % (op["name"], i, s))


def main():
    warnings.simplefilter("ignore")  # F.sigmoid / F.tanh deprecation notes
    with open(REGISTRY, "rb") as f:
        raw = f.read()
    reg = json.loads(raw.decode("utf-8"))
    w = GoldenWriter(OUT, header="op registry forward/backward and error messages;"
                                 " see scripts/golden/op_registry.py")
    w.case("_registry", attrs={"sha256": hashlib.sha256(raw).hexdigest(), "ops": len(reg["ops"])})
    for op in reg["ops"]:
        write_samples(w, op)
        write_errors(w, op)
    w.save()
    print("wrote %s (%d ops, %d bytes)" % (OUT, len(reg["ops"]), os.path.getsize(OUT)))


if __name__ == "__main__":
    main()
