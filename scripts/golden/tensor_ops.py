"""Golden values for jnn's tensor ops and autograd, computed with PyTorch.

Run from the repository root with the system Python that has torch:

    /usr/bin/python3 scripts/golden/tensor_ops.py

writes src/jnn/test/resources/golden/tensor_ops.txt, read by dev.jnn.tensor.TensorOpsGoldenTest.

Every op case holds: attr `op` (the op name the Java test dispatches on) and its parameters,
tensors `in0`, `in1`, ... (inputs; floating ones require grad), `out` (the first output),
optionally `out1` (a second output, e.g. the indices of max(dim)), `gout` (a fixed upstream
gradient for `out`) and `gin<k>` (the gradient of input k, absent when none flows).
Each op runs in float32 and float64 (case name suffix _f32 / _f64). Attr `grad_fn` is the class name
of PyTorch's `out.grad_fn` (what the tensor repr prints).

Cases named repr_* hold a tensor `x`, attr `build` (none | requires_grad | mul2) and text `repr`:
PyTorch's repr of the built tensor.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

OUT = "src/jnn/test/resources/golden/tensor_ops.txt"

GEN = torch.Generator().manual_seed(1234)


def gen_input(spec):
    """spec: (shape, kind). kinds: n normal, p positive, nz normal away from 0, t ties,
    b bool, i<K> int64 in [0, K), or an explicit list of values."""
    shape, kind = spec
    if isinstance(kind, list):
        return torch.tensor(kind, dtype=torch.float64).reshape(shape)
    if kind == "n":
        return torch.randn(shape, generator=GEN, dtype=torch.float64)
    if kind == "p":
        return torch.rand(shape, generator=GEN, dtype=torch.float64) * 1.5 + 0.5
    if kind == "nz":
        x = torch.randn(shape, generator=GEN, dtype=torch.float64)
        return torch.where(x.abs() < 0.2, x.sign() * 0.2 + x, x) + (x == 0).double()
    if kind == "t":
        return torch.randint(-2, 3, shape, generator=GEN).double()
    if kind == "b":
        return torch.rand(shape, generator=GEN) < 0.5
    if kind.startswith("i"):
        return torch.randint(0, int(kind[1:]), shape, generator=GEN)
    raise ValueError(kind)


def opt(a, key, conv=float):
    v = a.get(key, "none")
    return None if v == "none" else conv(v)


def ints(a, key):
    return [int(s) for s in str(a[key]).split()] if str(a[key]).strip() else []


def run_op(op, xs, a):
    """Returns one output or a tuple (out, out1)."""
    x = xs[0]
    binary = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
              "pow": torch.pow, "maximum": torch.maximum, "minimum": torch.minimum,
              "eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt,
              "ge": torch.ge, "matmul": torch.matmul}
    if op in binary:
        return binary[op](x, xs[1])
    if op in ("eq_s", "ne_s", "lt_s", "le_s", "gt_s", "ge_s"):
        return binary[op[:-2]](x, float(a["s"]))
    if op == "add_alpha":
        return torch.add(x, xs[1], alpha=float(a["alpha"]))
    if op == "add_s":
        return x + float(a["s"])
    if op == "sub_s":
        return x - float(a["s"])
    if op == "mul_s":
        return x * float(a["s"])
    if op == "div_s":
        return x / float(a["s"])
    if op == "rsub_s":
        return float(a["s"]) - x
    unary = {"neg": torch.neg, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
             "abs": torch.abs, "relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
    if op in unary:
        return unary[op](x)
    if op == "gelu":
        return torch.nn.functional.gelu(x, approximate=a["approximate"])
    if op == "pow_s":
        return torch.pow(x, float(a["p"]))
    if op == "clamp":
        return torch.clamp(x, min=opt(a, "min"), max=opt(a, "max"))
    if op == "where":
        return torch.where(x, xs[1], xs[2])
    if op in ("sum", "mean"):
        d = ints(a, "dims")
        f = torch.sum if op == "sum" else torch.mean
        return f(x) if not d else f(x, dim=d, keepdim=str(a["keepdim"]) == "1")
    if op == "var":
        d = ints(a, "dims")
        if not d:
            return torch.var(x, unbiased=int(a["correction"]) == 1)
        return torch.var(x, dim=d, unbiased=int(a["correction"]) == 1, keepdim=str(a["keepdim"]) == "1")
    if op == "max_all":
        return x.max()
    if op == "min_all":
        return x.min()
    if op in ("max_dim", "min_dim"):
        f = torch.max if op == "max_dim" else torch.min
        r = f(x, int(a["dim"]), keepdim=str(a["keepdim"]) == "1")
        return r.values, r.indices
    if op == "argmax_all":
        return torch.argmax(x)
    if op == "argmax_dim":
        return torch.argmax(x, int(a["dim"]), keepdim=str(a["keepdim"]) == "1")
    if op == "view":
        return x.view(ints(a, "shape"))
    if op == "reshape":
        return x.reshape(ints(a, "shape"))
    if op == "reshape_t":
        return x.transpose(0, 1).reshape(ints(a, "shape"))
    if op == "permute":
        return x.permute(ints(a, "dims"))
    if op == "transpose":
        return x.transpose(int(a["d0"]), int(a["d1"]))
    if op == "contiguous_t":
        return x.transpose(0, 1).contiguous()
    if op == "flatten":
        return torch.flatten(x, int(a["start"]), int(a["end"]))
    if op == "squeeze_all":
        return x.squeeze()
    if op == "squeeze_dim":
        return x.squeeze(int(a["dim"]))
    if op == "unsqueeze":
        return x.unsqueeze(int(a["dim"]))
    if op == "expand":
        return x.expand(ints(a, "shape"))
    if op == "cat":
        return torch.cat(xs, int(a["dim"]))
    if op == "stack":
        return torch.stack(xs, int(a["dim"]))
    if op == "narrow":
        return x.narrow(int(a["dim"]), int(a["start"]), int(a["length"]))
    if op == "slice":
        d, s, e, st = int(a["dim"]), int(a["start"]), int(a["end"]), int(a["step"])
        idx = [slice(None)] * x.dim()
        idx[d] = slice(s, e, st)
        return x[tuple(idx)]
    if op == "select":
        return x.select(int(a["dim"]), int(a["index"]))
    if op == "index_select":
        return torch.index_select(x, int(a["dim"]), xs[1])
    if op == "gather":
        return torch.gather(x, int(a["dim"]), xs[1])
    if op == "to":
        return x.to({"float32": torch.float32, "float64": torch.float64, "int64": torch.int64}[a["dtype"]])
    raise ValueError(op)


# (case name, op, [input specs], attrs)
CASES = []


def case(name, op, inputs, **attrs):
    CASES.append((name, op, inputs, {k: (" ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
                                     for k, v in attrs.items()}))


# element-wise binary, with broadcasting
case("add", "add", [((2, 3), "n"), ((2, 3), "n")])
case("add_bcast_row", "add", [((2, 3), "n"), ((3,), "n")])
case("add_bcast_3d", "add", [((4, 1, 3), "n"), ((2, 1), "n")])
case("add_bcast_0d", "add", [((), "n"), ((2, 3), "n")])
case("add_alpha", "add_alpha", [((2, 3), "n"), ((3,), "n")], alpha=-2.5)
case("add_s", "add_s", [((2, 3), "n")], s=1.5)
case("sub", "sub", [((2, 3), "n"), ((2, 3), "n")])
case("sub_bcast", "sub", [((2, 1), "n"), ((1, 3), "n")])
case("sub_s", "sub_s", [((2, 3), "n")], s=0.25)
case("rsub_s", "rsub_s", [((2, 3), "n")], s=2.0)
case("mul", "mul", [((2, 3), "n"), ((2, 3), "n")])
case("mul_bcast", "mul", [((2, 1, 4), "n"), ((3, 1), "n")])
case("mul_s", "mul_s", [((2, 3), "n")], s=-3.0)
case("div", "div", [((2, 3), "n"), ((2, 3), "nz")])
case("div_bcast", "div", [((3,), "n"), ((2, 3), "nz")])
case("div_s", "div_s", [((2, 3), "n")], s=4.0)
case("neg", "neg", [((2, 3), "n")])
case("pow", "pow", [((2, 3), "p"), ((2, 3), "n")])
case("pow_bcast", "pow", [((2, 3), "p"), ((3,), "n")])
case("pow_s2", "pow_s", [((2, 3), "n")], p=2.0)
case("pow_s3", "pow_s", [((2, 3), "n")], p=3.0)
case("pow_s_half", "pow_s", [((2, 3), "p")], p=0.5)
case("pow_s_neg", "pow_s", [((2, 3), "p")], p=-1.5)
case("exp", "exp", [((2, 3), "n")])
case("log", "log", [((2, 3), "p")])
case("sqrt", "sqrt", [((2, 3), "p")])
case("abs", "abs", [((2, 3), "nz")])
case("abs_at_zero", "abs", [((3,), [-1.0, 0.0, 2.0])])
case("clamp", "clamp", [((8,), [-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 2.0])], min=-0.5, max=0.5)
case("clamp_min", "clamp", [((2, 3), "n")], min=0.1, max="none")
case("clamp_max", "clamp", [((2, 3), "n")], min="none", max=-0.1)
case("maximum", "maximum", [((2, 3), "t"), ((2, 3), "t")])
case("maximum_bcast", "maximum", [((2, 3), "n"), ((3,), "n")])
case("minimum", "minimum", [((2, 3), "t"), ((2, 3), "t")])
case("minimum_bcast", "minimum", [((2, 1), "n"), ((1, 3), "n")])
for c in ("eq", "ne", "lt", "le", "gt", "ge"):
    case(c, c, [((2, 3), "t"), ((2, 3), "t")])
    case(c + "_bcast", c, [((2, 3), "t"), ((3,), "t")])
    case(c + "_s", c + "_s", [((2, 3), "t")], s=0.0)
case("where", "where", [((2, 3), "b"), ((2, 3), "n"), ((2, 3), "n")])
case("where_bcast", "where", [((2, 1), "b"), ((2, 3), "n"), ((3,), "n")])
case("relu", "relu", [((2, 4), "nz")])
case("relu_at_zero", "relu", [((3,), [-1.0, 0.0, 1.0])])
case("sigmoid", "sigmoid", [((2, 3), "n")])
case("tanh", "tanh", [((2, 3), "n")])
case("gelu", "gelu", [((2, 4), "n")], approximate="none")
case("gelu_tanh", "gelu", [((2, 4), "n")], approximate="tanh")
case("gelu_wide", "gelu", [((8,), [-6.0, -3.0, -1.0, -0.1, 0.0, 0.5, 2.0, 5.0])], approximate="none")

# reductions
case("sum_all", "sum", [((2, 3, 4), "n")], dims="", keepdim=0)
case("sum_dim", "sum", [((2, 3, 4), "n")], dims=1, keepdim=0)
case("sum_dims_keep", "sum", [((2, 3, 4), "n")], dims=(0, 2), keepdim=1)
case("sum_neg_dim", "sum", [((2, 3, 4), "n")], dims=-1, keepdim=1)
case("sum_all_keep", "sum", [((2, 3), "n")], dims=(0, 1), keepdim=1)
case("sum_0d", "sum", [((), "n")], dims="", keepdim=0)
case("mean_0d", "mean", [((), "n")], dims="", keepdim=0)
case("max_all_0d", "max_all", [((), "n")])
case("mean_all", "mean", [((2, 3, 4), "n")], dims="", keepdim=0)
case("mean_dim", "mean", [((2, 3, 4), "n")], dims=2, keepdim=0)
case("mean_dims_keep", "mean", [((2, 3, 4), "n")], dims=(0, 1), keepdim=1)
case("var_all", "var", [((3, 4), "n")], dims="", correction=1, keepdim=0)
case("var_dim", "var", [((3, 4), "n")], dims=1, correction=1, keepdim=0)
case("var_dim_biased_keep", "var", [((3, 4), "n")], dims=0, correction=0, keepdim=1)
case("var_dims", "var", [((2, 3, 4), "n")], dims=(0, 2), correction=1, keepdim=0)
case("max_all", "max_all", [((3, 4), "n")])
case("max_all_ties", "max_all", [((6,), [1.0, 3.0, -2.0, 3.0, 0.5, 3.0])])
case("min_all", "min_all", [((3, 4), "n")])
case("min_all_ties", "min_all", [((4,), [-1.0, 2.0, -1.0, 0.0])])
case("max_dim", "max_dim", [((3, 4), "n")], dim=1, keepdim=0)
case("max_dim_keep", "max_dim", [((2, 3, 4), "n")], dim=0, keepdim=1)
case("min_dim", "min_dim", [((3, 4), "n")], dim=-2, keepdim=0)
case("argmax_all", "argmax_all", [((3, 4), "n")])
case("argmax_dim", "argmax_dim", [((3, 4), "n")], dim=1, keepdim=0)
case("argmax_dim_keep", "argmax_dim", [((2, 3, 4), "n")], dim=0, keepdim=1)

# matmul
case("matmul_1d_1d", "matmul", [((4,), "n"), ((4,), "n")])
case("matmul_2d_1d", "matmul", [((3, 4), "n"), ((4,), "n")])
case("matmul_1d_2d", "matmul", [((3,), "n"), ((3, 4), "n")])
case("matmul_2d_2d", "matmul", [((3, 4), "n"), ((4, 5), "n")])
case("matmul_batched", "matmul", [((2, 3, 4), "n"), ((2, 4, 5), "n")])
case("matmul_bcast_batch", "matmul", [((2, 1, 3, 4), "n"), ((3, 4, 2), "n")])
case("matmul_3d_2d", "matmul", [((2, 3, 4), "n"), ((4, 2), "n")])
case("matmul_1d_3d", "matmul", [((3,), "n"), ((2, 3, 4), "n")])
case("matmul_3d_1d", "matmul", [((2, 3, 4), "n"), ((4,), "n")])

# views and shape ops
case("view", "view", [((2, 3, 4), "n")], shape=(6, -1))
case("reshape", "reshape", [((2, 3, 4), "n")], shape=(4, 6))
case("reshape_noncontig", "reshape_t", [((2, 3, 4), "n")], shape=(-1,))
case("permute", "permute", [((2, 3, 4), "n")], dims=(2, 0, 1))
case("transpose", "transpose", [((2, 3, 4), "n")], d0=0, d1=-1)
case("contiguous", "contiguous_t", [((3, 4), "n")])
case("flatten", "flatten", [((2, 3, 4), "n")], start=0, end=-1)
case("flatten_mid", "flatten", [((2, 3, 4, 2), "n")], start=1, end=2)
case("squeeze_all", "squeeze_all", [((2, 1, 3, 1), "n")])
case("squeeze_dim", "squeeze_dim", [((2, 1, 3, 1), "n")], dim=-1)
case("unsqueeze", "unsqueeze", [((2, 3), "n")], dim=1)
case("unsqueeze_neg", "unsqueeze", [((2, 3), "n")], dim=-1)
case("expand", "expand", [((3, 1), "n")], shape=(2, 3, 4))
case("expand_keep", "expand", [((1, 3), "n")], shape=(4, -1))
case("expand_0d", "expand", [((), "n")], shape=(2, 3))
case("cat", "cat", [((2, 3), "n"), ((1, 3), "n"), ((3, 3), "n")], dim=0)
case("cat_dim1", "cat", [((2, 1), "n"), ((2, 3), "n")], dim=-1)
case("stack", "stack", [((2, 3), "n"), ((2, 3), "n")], dim=0)
case("stack_last", "stack", [((2, 3), "n"), ((2, 3), "n"), ((2, 3), "n")], dim=2)
case("narrow", "narrow", [((4, 5), "n")], dim=1, start=1, length=3)
case("slice", "slice", [((6, 3), "n")], dim=0, start=1, end=6, step=2)
case("slice_neg", "slice", [((3, 6), "n")], dim=1, start=-4, end=-1, step=1)
case("select", "select", [((3, 4), "n")], dim=0, index=-1)
case("select_dim1", "select", [((2, 3, 4), "n")], dim=1, index=2)
case("index_select", "index_select", [((4, 3), "n"), ((3,), [2, 0, 2])], dim=0)
case("index_select_dim1", "index_select", [((2, 4), "n"), ((2,), [3, 1])], dim=1)
case("gather", "gather", [((3, 4), "n"), ((3, 2), "i4")], dim=1)
case("gather_dim0", "gather", [((3, 4), "n"), ((2, 4), "i3")], dim=0)


def to_dtype_cases():
    return [("to_f64", "to", [((2, 3), "n")], {"dtype": "float64"}),
            ("to_f32", "to", [((2, 3), "n")], {"dtype": "float32"}),
            ("to_i64", "to", [((2, 3), [-1.5, -0.5, 0.0, 0.7, 1.9, 3.0])], {"dtype": "int64"})]


INT_INPUT_OPS = {"index_select", "gather"}


def write_ops(w):
    all_cases = CASES + to_dtype_cases()
    for name, op, specs, attrs in all_cases:
        base = []
        for k, s in enumerate(specs):
            if op in INT_INPUT_OPS and k == 1:
                if isinstance(s[1], list):
                    base.append(torch.tensor(s[1], dtype=torch.int64).reshape(s[0]))
                else:
                    base.append(gen_input(s))
            else:
                base.append(gen_input(s))
        for dt, suffix in ((torch.float32, "f32"), (torch.float64, "f64")):
            xs = []
            for t in base:
                if t.dtype == torch.float64:
                    xs.append(t.to(dt).requires_grad_(True))
                else:
                    xs.append(t.clone())
            r = run_op(op, xs, attrs)
            out, out1 = (r if isinstance(r, tuple) else (r, None))
            tensors = {"in%d" % k: t for k, t in enumerate(xs)}
            tensors["out"] = out
            if out1 is not None:
                tensors["out1"] = out1
            if out.requires_grad:
                gout = torch.randn(out.shape, generator=GEN, dtype=torch.float64).to(out.dtype)
                diff = [t for t in xs if t.requires_grad]
                grads = torch.autograd.grad(out, diff, gout, allow_unused=True)
                tensors["gout"] = gout
                gi = iter(grads)
                for k, t in enumerate(xs):
                    if t.requires_grad:
                        g = next(gi)
                        if g is not None:
                            tensors["gin%d" % k] = g
            a = {"op": op}
            a.update(attrs)
            if out.grad_fn is not None:
                a["grad_fn"] = type(out.grad_fn).__name__
            w.case("%s_%s" % (name, suffix), tensors=tensors, attrs=a)


def write_reprs(w):
    g = torch.Generator().manual_seed(7)
    reprs = [
        ("float_small", torch.tensor([1.5, 2.0, 3.0]), "none"),
        ("float_neg", torch.tensor([-1.25, 0.5, 10.125]), "none"),
        ("ints", torch.tensor([1, -20, 300]), "none"),
        ("bools", torch.tensor([True, False, True]), "none"),
        ("float64", torch.tensor([1.25, 2.0], dtype=torch.float64), "none"),
        ("requires_grad", torch.tensor([1.0, 2.0]), "requires_grad"),
        ("float64_requires_grad", torch.tensor([0.5, -2.0], dtype=torch.float64), "requires_grad"),
        ("grad_fn", torch.tensor([1.0, 2.0, 3.5]), "mul2"),
        ("sci", torch.tensor([1e-5, 1.0, 1000.0]), "none"),
        ("sci_large", torch.tensor([1.0, 2.5e9]), "none"),
        ("int_valued", torch.tensor([1.0, 2.0, -3.0]), "none"),
        ("int_valued_large", torch.tensor([1.0, 1e9]), "none"),
        ("scalar", torch.tensor(3.5), "none"),
        ("scalar_int_valued", torch.tensor(2.0), "none"),
        ("scalar_long", torch.tensor(7), "none"),
        ("nan_inf", torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5]), "none"),
        ("zeros", torch.zeros(3), "none"),
        ("empty", torch.zeros(0), "none"),
        ("empty_2d", torch.zeros(0, 3), "none"),
        ("2d", torch.randn(3, 4, generator=g), "none"),
        ("3d", torch.randn(2, 3, 4, generator=g), "none"),
        ("2d_ints", torch.tensor([[1, 22], [-333, 4]]), "none"),
        ("2d_float64", torch.randn(2, 2, generator=g, dtype=torch.float64), "none"),
        ("wrap", torch.randn(20, generator=g), "none"),
        ("summarized_1d", torch.arange(2000.0), "none"),
        ("summarized_2d", torch.randn(40, 30, generator=g), "none"),
        ("summarized_long", torch.arange(1500), "none"),
        ("summarized_3d", torch.arange(1200.0).reshape(12, 10, 10) * 0.5, "none"),
        ("empty_long", torch.zeros(0, dtype=torch.int64), "none"),
        ("empty_3d_float64", torch.zeros(2, 0, 3, dtype=torch.float64), "none"),
        ("neg_zero", torch.tensor([-0.0, 1.5]), "none"),
        ("bools_2d", torch.tensor([[True, False], [False, True]]), "none"),
        ("long_large", torch.tensor([2**62, -5]), "none"),
        ("rounding", torch.tensor([1.00005, 2.71828182, 0.12345, 0.5], dtype=torch.float64), "none"),
        ("suffix_wrap", torch.randn(7, generator=g, dtype=torch.float64), "requires_grad"),
        ("suffix_wrap_grad_fn", torch.randn(2, 7, generator=g), "mul2"),
    ]
    for name, t, build in reprs:
        if build == "requires_grad":
            b = t.clone().requires_grad_(True)
        elif build == "mul2":
            b = t.clone().requires_grad_(True) * 2
        else:
            b = t
        w.case("repr_" + name, tensors={"x": t}, attrs={"build": build}, texts={"repr": repr(b)})


def main():
    torch.set_printoptions(profile="default")
    w = GoldenWriter(OUT, header="tensor ops forward/backward and reprs; see scripts/golden/tensor_ops.py")
    write_ops(w)
    write_reprs(w)
    w.save()
    print("wrote %s (%d bytes)" % (OUT, os.path.getsize(OUT)))


if __name__ == "__main__":
    main()
