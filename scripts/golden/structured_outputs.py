"""Golden text for structured module outputs (issue 18): run with /usr/bin/python3 from anywhere.

Writes src/jnn/test/resources/golden/structured_outputs.txt, read by
dev.jnn.nn.StructuredOutputTest. The Python modules mirror that test's Java modules: a Python
tuple is a Java record (components in order), a dict a LinkedHashMap, a list a List.

What it pins down (torch 1.13, unchanged in 2.x's torch/utils/hooks.py): a full backward hook of a
module returning a tuple sees one grad_output per *top-level* element, None for non-tensor
elements, for nested tuples and for elements that got no gradient; a dict or list output gives
the hooks no output gradient, so they never fire; forward hooks receive and may replace the whole
output (the backward wrapping happens after them); non-full backward hooks attach to the first
tensor found by PyTorch's dict/[0] walk. Behaviours 1.13 lacks (full backward pre-hooks,
always_call, namedtuples keeping their type through backward hooks) are tested in Java against
docs/PYTORCH-SEMANTICS.md and torch 2.x's hooks.py instead; the pre-hook case uses an equivalent
loss computed here.
"""
import os
import sys
import warnings

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "src", "jnn", "test", "resources", "golden", "structured_outputs.txt")

warnings.simplefilter("ignore")  # 1.13's non-full backward hook warning


def fill_linear(lin, start):
    """As in module_semantics.py: weight = start + 0.1 * arange, bias = -0.05 * arange."""
    with torch.no_grad():
        n = lin.weight.numel()
        lin.weight.copy_((start + 0.1 * torch.arange(n, dtype=torch.float32)).reshape(lin.weight.shape))
        lin.bias.copy_(-0.05 * torch.arange(lin.bias.numel(), dtype=torch.float32))
    return lin


def desc(grads):
    return " ".join("None" if g is None else "tensor" for g in grads)


class TwoHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = fill_linear(nn.Linear(2, 3), 0.1)
        self.act = nn.ReLU()
        self.cls = fill_linear(nn.Linear(3, 2), -0.2)
        self.box = fill_linear(nn.Linear(3, 1), 0.05)

    def forward(self, x):
        h = self.act(self.trunk(x))
        return self.cls(h), self.box(h)


class Mixed(nn.Module):
    def forward(self, x):
        return x * 2, 7, x.detach() * 5


class Nested(nn.Module):
    def forward(self, x):
        return x * 2, (x * 3, x * 4)


class DictOut(nn.Module):
    def forward(self, x):
        return {"a": x * 2, "b": x * 3}


class ListOut(nn.Module):
    def forward(self, x):
        return [x * 2, x * 3]


class NestedFirst(nn.Module):
    def forward(self, x):
        return (x * 2, x * 3), x * 4


W_CLS = torch.tensor([[1.0, 2.0], [3.0, 4.0]])


def x_in():
    return torch.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)


def head_loss(out, cls_factor=1.0):
    return (out[0] * W_CLS * cls_factor).sum() + (out[1] * 3).sum()


def recorder(mod, returns=None):
    seen = []

    def hook(m_, gi, go):
        seen.append((gi, go))
        return returns(gi) if returns else None

    mod.register_full_backward_hook(hook)
    return seen


w = GoldenWriter(OUT, header="structured module outputs and their hooks (issue 18)")

# two heads, both used
net = TwoHead()
seen = recorder(net)
x = x_in()
out = net(x)
head_loss(out).backward()
(gi, go), = seen
w.case("two_head", attrs={"fired": len(seen)}, texts={"grad_input": desc(gi), "grad_output": desc(go)},
       tensors={"x": x.detach(), "cls": out[0], "box": out[1], "gi0": gi[0], "go0": go[0], "go1": go[1],
                "x_grad": x.grad, "cls_weight_grad": net.cls.weight.grad})

# only the first head receives a gradient: the second grad_output is None
net = TwoHead()
seen = recorder(net)
x = x_in()
out = net(x)
(out[0] * W_CLS).sum().backward()
(gi, go), = seen
w.case("two_head_cls_only", attrs={"fired": len(seen)}, texts={"grad_output": desc(go)},
       tensors={"go0": go[0], "x_grad": x.grad})

# a full backward hook replaces grad_input
net = TwoHead()
seen = recorder(net, returns=lambda gi: (gi[0] * 0.5,))
x = x_in()
head_loss(net(x)).backward()
w.case("two_head_replace_grad_input", attrs={"fired": len(seen)}, tensors={"x_grad": x.grad})

# a full backward hook returning the wrong number of gradients
net = TwoHead()
recorder(net, returns=lambda gi: (gi[0], gi[0]))
x = x_in()
try:
    head_loss(net(x)).backward()
    msg = "no error"
except RuntimeError as e:
    msg = str(e)
w.case("two_head_wrong_count", texts={"error": msg})

# the x.grad a backward pre-hook doubling grad_output[0] must give (pre-hooks are 2.x-only; this
# is the same gradient through an equivalent loss)
net = TwoHead()
x = x_in()
head_loss(net(x), cls_factor=2.0).backward()
w.case("two_head_double_cls", tensors={"x_grad": x.grad, "cls_weight_grad": net.cls.weight.grad})

# non-tensor element and a tensor that does not require grad
m = Mixed()
seen = recorder(m)
x = x_in()
out = m(x)
(out[0] + out[2]).sum().backward()
(gi, go), = seen
w.case("mixed", attrs={"fired": len(seen), "k": out[1]}, texts={"grad_input": desc(gi), "grad_output": desc(go)},
       tensors={"go0": go[0], "gi0": gi[0], "x_grad": x.grad})

# (out, (h, c)): the nested tuple is one non-tensor position
m = Nested()
seen = recorder(m)
x = x_in()
out = m(x)
(out[0] + out[1][0] + out[1][1]).sum().backward()
(gi, go), = seen
w.case("nested_all", attrs={"fired": len(seen)}, texts={"grad_output": desc(go)},
       tensors={"go0": go[0], "gi0": gi[0], "x_grad": x.grad})

m = Nested()
seen = recorder(m)
x = x_in()
m(x)[1][0].sum().backward()
w.case("nested_h_only", attrs={"fired": len(seen)}, tensors={"x_grad": x.grad})

# dict and list outputs: the full hooks get no output gradient and never fire
for name, cls in (("dict_output", DictOut), ("list_output", ListOut)):
    m = cls()
    seen = recorder(m)
    x = x_in()
    out = m(x)
    vals = list(out.values()) if isinstance(out, dict) else out
    (vals[0] + vals[1]).sum().backward()
    w.case(name, attrs={"fired": len(seen)}, texts={"type": type(out).__name__}, tensors={"x_grad": x.grad})

# a forward hook sees the whole dict and replaces it
m = DictOut()
m.register_forward_hook(lambda m_, a, o: {**o, "sum": o["a"] + o["b"]})
x = x_in()
out = m(x)
w.case("dict_forward_hook", texts={"keys": " ".join(out.keys())},
       tensors={"a": out["a"], "b": out["b"], "sum": out["sum"]})

# a forward hook replaces the tuple; the backward hooks wrap the replacement
net = TwoHead()
net.register_forward_hook(lambda m_, a, o: (o[0] * 2, o[1] + 1))
seen = recorder(net)
x = x_in()
out = net(x)
head_loss(out).backward()
(gi, go), = seen
w.case("tuple_forward_hook_replace", attrs={"fired": len(seen)},
       tensors={"cls": out[0], "box": out[1], "go0": go[0], "go1": go[1], "gi0": gi[0], "x_grad": x.grad})

# non-full backward hooks attach to the first tensor: dict -> first tensor value, tuple -> [0]
for name, cls, uses in (("non_full_dict", DictOut, ("a", "b")), ("non_full_nested", NestedFirst, (0, 1))):
    fired = []
    for use in uses:
        m = cls()
        count = []
        m.register_backward_hook(lambda m_, gi, go, count=count: count.append(1))
        x = x_in()
        out = m(x)
        part = out[use] if isinstance(out, dict) else (out[0][0] if use == 0 else out[1])
        part.sum().backward()
        fired.append(str(len(count)))
    w.case(name, texts={"fired": " ".join(fired)})

w.save()
print("wrote", OUT)
