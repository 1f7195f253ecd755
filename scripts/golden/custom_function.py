"""Golden values and texts for user-defined differentiable functions (torch.autograd.Function),
which jnn offers as dev.jnn.autograd.Function: outputs and input gradients of small functions,
the name of their backward node, needs_input_grad, and the errors for a backward that returns
the wrong number of gradients or a gradient of the wrong shape.

Run from the repository root: /usr/bin/python3 scripts/golden/custom_function.py
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from goldenio import GoldenWriter  # noqa: E402

OUT = "src/jnn/test/resources/golden/custom_function.txt"
w = GoldenWriter(OUT, "torch.autograd.Function: values, node names, needs_input_grad, errors")


def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return str(e.args[0]) if e.args else ""
    raise AssertionError("no error")


class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y


class ScaledMul(torch.autograd.Function):
    """a * b * scale; records needs_input_grad; gradients only where needed."""

    seen = None

    @staticmethod
    def forward(ctx, a, b, scale):
        ctx.save_for_backward(a, b)
        ctx.scale = scale
        return a * b * scale

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ScaledMul.seen = tuple(ctx.needs_input_grad)
        ga = g * b * ctx.scale if ctx.needs_input_grad[0] else None
        gb = g * a * ctx.scale if ctx.needs_input_grad[1] else None
        return ga, gb, None


class SplitTwo(torch.autograd.Function):
    """Two outputs: (2x, x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2, x * x

    @staticmethod
    def backward(ctx, g1, g2):
        (x,) = ctx.saved_tensors
        return g1 * 2 + g2 * 2 * x


class TooMany(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2, g


class WrongShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.sum(0)

    @staticmethod
    def backward(ctx, g):
        return g


x = torch.tensor([[0.5, -1.0, 2.0], [0.25, 0.0, -0.75]], dtype=torch.float64, requires_grad=True)
y = MyExp.apply(x)
y.backward(torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=torch.float64))
w.case("my_exp", tensors={"x": x, "out": y, "grad_x": x.grad}, texts={"node": type(y.grad_fn).__name__})

a = torch.tensor([1.0, 2.0, -3.0], dtype=torch.float64, requires_grad=True)
b = torch.tensor([0.5, -4.0, 2.0], dtype=torch.float64)  # no grad
out = ScaledMul.apply(a, b, 1.5)
out.sum().backward()
w.case("scaled_mul", tensors={"a": a, "b": b, "out": out, "grad_a": a.grad},
       attrs={"scale": 1.5, "needs_input_grad": [int(v) for v in ScaledMul.seen]},
       texts={"node": type(out.grad_fn).__name__})

s = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64, requires_grad=True)
o1, o2 = SplitTwo.apply(s)
(o1.sum() + (o2 * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum()).backward()
w.case("split_two", tensors={"x": s, "out1": o1, "out2": o2, "grad_x": s.grad})

w.case("errors", texts={
    "too_many": err(lambda: TooMany.apply(torch.ones(2, requires_grad=True)).sum().backward()),
    "wrong_shape": err(lambda: WrongShape.apply(torch.ones(2, 3, requires_grad=True)).sum().backward()),
})
w.save()
print("wrote", OUT)
