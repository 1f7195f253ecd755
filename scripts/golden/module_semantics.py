"""Golden text for dev.jnn.nn (Module, containers, hooks, state dicts): run with /usr/bin/python3.

Writes src/jnn/test/resources/golden/module_semantics.txt (read by ModuleGoldenTest and friends).

Debian's torch is 1.13. Where a behaviour of PyTorch 2.x is exercised that 1.13 lacks, this script
patches in the 2.x code verbatim and says so (ModuleList.__repr__, which folds repeated children).
Behaviours 1.13 cannot show at all (full backward pre-hooks, prepend, always_call, with_kwargs,
set_submodule, load_state_dict(assign=True), zero_grad's set_to_none default) are tested in Java
against docs/PYTORCH-SEMANTICS.md (section 1.14) instead.

The Python classes are named like the Java test modules (dev.jnn.nn.TestModules) so reprs and
error messages can be compared byte for byte.
"""
import os
import sys
from collections import OrderedDict

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter, use_torch2_modulelist_repr  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "src", "jnn", "test", "resources", "golden", "module_semantics.txt")


# --------------------------------------------------------------------------- 2.x behaviour patch
use_torch2_modulelist_repr()


# --------------------------------------------------------------------------- test modules
def fill_linear(lin, start):
    """Deterministic weights: weight = start + 0.1 * arange, bias = -0.05 * arange."""
    with torch.no_grad():
        n = lin.weight.numel()
        lin.weight.copy_((start + 0.1 * torch.arange(n, dtype=torch.float32)).reshape(lin.weight.shape))
        if lin.bias is not None:
            lin.bias.copy_(-0.05 * torch.arange(lin.bias.numel(), dtype=torch.float32))
    return lin


Linear = nn.Linear
ReLU = nn.ReLU


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = Linear(2, 3)
        self.act = ReLU()
        self.fc2 = Linear(3, 1)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_parameter("scale", nn.Parameter(torch.ones(2)))
        self.register_parameter("maybe", None)
        self.register_buffer("running", torch.zeros(2))
        self.register_buffer("scratch", torch.zeros(3), persistent=False)
        self.register_buffer("absent", None)
        self.lin = Linear(2, 2)
        self.add_module("gap", None)


class Outer(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.seq = nn.Sequential(Linear(2, 2), ReLU(), nn.Sequential(OrderedDict([("inner", Linear(2, 1))])))


class Multi(nn.Module):
    def __init__(self):
        super().__init__()
        self.child = Linear(1, 1)

    def extra_repr(self):
        return "alpha=1\nbeta=2"


class Single(nn.Module):
    def extra_repr(self):
        return "k=3"


class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Linear(2, 2)
        self.b = Linear(2, 2)
        self.b.weight = self.a.weight
        shared = Linear(1, 1)
        self.s1 = shared
        self.s2 = shared


class BatchNorm1d(nn.BatchNorm1d):
    pass


def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return e.args[0] if e.args else ""
    raise AssertionError("no error")


w = GoldenWriter(OUT, header="Module semantics (repr, state-dict keys, errors, hook order) from torch")

# --------------------------------------------------------------------------- reprs
outer = Outer()
w.case("repr", texts={
    "net": repr(Net()),
    "outer": repr(outer),
    "module": repr(nn.Module()),
    "multi": repr(Multi()),
    "single": repr(Single()),
    "linear_nobias": repr(Linear(3, 4, bias=False)),
    "seq_named": repr(nn.Sequential(OrderedDict([("conv", Linear(1, 2)), ("act", ReLU())]))),
    "modulelist": repr(nn.ModuleList([Linear(2, 2), Linear(2, 2), Linear(2, 2), ReLU(), Linear(2, 3), Linear(2, 3)])),
    "modulelist_nested": repr(nn.ModuleList([Net(), Net()])),
    "modulelist_empty": repr(nn.ModuleList()),
    "moduledict": repr(nn.ModuleDict(OrderedDict([("b", Linear(1, 1)), ("a", ReLU())]))),
    "paramlist1": repr(nn.ParameterList([nn.Parameter(torch.zeros(2, 3))])),
    "paramlist2": repr(nn.ParameterList([nn.Parameter(torch.zeros(2, 3)), nn.Parameter(torch.zeros(4, dtype=torch.float64))])),
    "paramdict": repr(nn.ParameterDict(OrderedDict([("w", nn.Parameter(torch.zeros(2, 2))), ("s", nn.Parameter(torch.zeros(())))]))),
    "paramdict_sorted": repr(nn.ParameterDict({"b": nn.Parameter(torch.zeros(2)), "a": nn.Parameter(torch.zeros(1))})),
    "block": repr(Block()),
})

# --------------------------------------------------------------------------- state dicts
def sd_text(m, **kw):
    sd = m.state_dict(**kw)
    keys = "\n".join("%s %s %s" % (k, list(v.shape), str(v.dtype).replace("torch.", "")) for k, v in sd.items())
    meta = "\n".join("%s=%d" % (k if k else "<root>", v["version"]) for k, v in sd._metadata.items())
    return keys, meta


cases = {}
for name, mod in [("net", Net()), ("outer", outer), ("tied", Tied()), ("bn", BatchNorm1d(3)),
                  ("seq", nn.Sequential(Linear(1, 2), ReLU(), Linear(2, 1)))]:
    k, m = sd_text(mod)
    cases[name + "_keys"] = k
    cases[name + "_meta"] = m
k, m = sd_text(Net(), prefix="model.")
cases["net_prefixed_keys"] = k
cases["net_prefixed_meta"] = m
bn = BatchNorm1d(3).double()
cases["bn_double_dtypes"] = "\n".join("%s %s" % (k, str(v.dtype).replace("torch.", "")) for k, v in bn.state_dict().items())
w.case("state_dict", texts=cases)

# --------------------------------------------------------------------------- traversal
def names(it):
    return "\n".join(n for n, _ in it)


tied = Tied()
o = Outer()
w.case("traversal", texts={
    "outer_named_modules": names(o.named_modules()),
    "outer_named_modules_prefix": names(o.named_modules(prefix="root")),
    "outer_named_children": names(o.named_children()),
    "outer_named_parameters": names(o.named_parameters()),
    "outer_named_parameters_prefix_norecurse": names(o.block.named_parameters(prefix="blk", recurse=False)),
    "outer_named_buffers": names(o.named_buffers()),
    "tied_named_parameters": names(tied.named_parameters()),
    "tied_named_modules": names(tied.named_modules()),
    "tied_named_modules_dups": names(tied.named_modules(remove_duplicate=False)),
    "tied_parameters_count": str(len(list(tied.parameters()))),
    "tied_modules_count": str(len(list(tied.modules()))),
})

# apply order (post-order) recorded separately
order = []
Outer().apply(lambda mm: order.append(type(mm).__name__))
w.case("apply", texts={"order": "\n".join(order)})

# --------------------------------------------------------------------------- errors
m = Block()
m.plain = 5
errors = {
    "param_dot": err(lambda: m.register_parameter("a.b", nn.Parameter(torch.zeros(1)))),
    "param_empty": err(lambda: m.register_parameter("", nn.Parameter(torch.zeros(1)))),
    "param_exists_buffer": err(lambda: m.register_parameter("running", nn.Parameter(torch.zeros(1)))),
    "param_exists_module": err(lambda: m.register_parameter("lin", nn.Parameter(torch.zeros(1)))),
    "param_exists_plain": err(lambda: m.register_parameter("plain", nn.Parameter(torch.zeros(1)))),
    "param_exists_training": err(lambda: m.register_parameter("training", nn.Parameter(torch.zeros(1)))),
    "param_not_parameter": err(lambda: m.register_parameter("np", torch.zeros(1))),
    "buffer_dot": err(lambda: m.register_buffer("a.b", torch.zeros(1))),
    "buffer_empty": err(lambda: m.register_buffer("", torch.zeros(1))),
    "buffer_exists_param": err(lambda: m.register_buffer("scale", torch.zeros(1))),
    "module_dot": err(lambda: m.add_module("a.b", Linear(1, 1))),
    "module_empty": err(lambda: m.add_module("", Linear(1, 1))),
    "module_exists_param": err(lambda: m.add_module("scale", Linear(1, 1))),
    "setattr_tensor_to_param": err(lambda: setattr(m, "scale", torch.zeros(2))),
    "setattr_double_tensor_to_param": err(lambda: setattr(m, "scale", torch.zeros(2, dtype=torch.float64))),
    "setattr_tensor_to_module": err(lambda: setattr(m, "lin", torch.zeros(2))),
    "getattr_missing": err(lambda: getattr(m, "nope")),
    "delattr_missing": err(lambda: delattr(m, "nope")),
    "get_submodule_missing": err(lambda: Outer().get_submodule("seq.7")),
    "get_submodule_not_module": err(lambda: Outer().get_submodule("block.scale")),
    "get_submodule_deep_missing": err(lambda: Outer().get_submodule("seq.2.nothing")),
    "get_parameter_missing": err(lambda: Outer().get_parameter("block.lin.nope")),
    "get_parameter_not_param": err(lambda: Outer().get_parameter("block.running")),
    "get_parameter_bad_path": err(lambda: Outer().get_parameter("nope.weight")),
    "get_buffer_not_buffer": err(lambda: Outer().get_buffer("block.scale")),
    "get_buffer_missing": err(lambda: Outer().get_buffer("block.nope")),
    "forward_missing": err(lambda: nn.Module()()),
    "to_long": err(lambda: Net().to(torch.long)),
    "paramlist_call": err(lambda: nn.ParameterList()()),
    "seq_index": err(lambda: nn.Sequential(ReLU())[5]),
    "seq_insert": err(lambda: nn.Sequential(ReLU()).insert(7, ReLU())),
    "modulelist_index": err(lambda: nn.ModuleList([ReLU()])[-2]),
}
w.case("errors", texts=errors)


# --------------------------------------------------------------------------- load_state_dict
def load_err(model, sd, strict=True):
    try:
        model.load_state_dict(sd, strict=strict)
    except RuntimeError as e:
        return e.args[0]
    raise AssertionError("no error")


net = Net()
good = Net().state_dict()
missing = OrderedDict((k, v) for k, v in good.items() if k != "fc2.bias")
unexpected = OrderedDict(good)
unexpected["fc3.weight"] = torch.zeros(1)
unexpected["fc1.extra"] = torch.zeros(1)
# (a key like "fc1.weight.x" is unexpected in 2.x but not in 1.13: tested in Java, not here)
both = OrderedDict((k, v) for k, v in good.items() if k != "fc1.weight")
both["zzz"] = torch.zeros(1)
mismatch = OrderedDict(good)
mismatch["fc1.weight"] = torch.zeros(3, 3)
mismatch["fc2.bias"] = torch.zeros(2)
mismatch_missing = OrderedDict((k, v) for k, v in mismatch.items() if k != "fc2.weight")
r_nonstrict = net.load_state_dict(both, strict=False)
r_ok = net.load_state_dict(good)
scalar_net = BatchNorm1d(2)
bc = scalar_net.state_dict()
bc["num_batches_tracked"] = torch.tensor([7])  # 1-D into 0-D: PyTorch's BC rule
scalar_net.load_state_dict(bc)
w.case("load_state_dict", tensors={"bc_num_batches_tracked": scalar_net.num_batches_tracked}, texts={
    "missing": load_err(Net(), missing),
    "unexpected": load_err(Net(), unexpected),
    "both": load_err(Net(), both),
    "mismatch_nonstrict": load_err(Net(), mismatch, strict=False),
    "mismatch_missing_strict": load_err(Net(), mismatch_missing),
    "nonstrict_result": repr(r_nonstrict),
    "ok_result": repr(r_ok),
    "outer_unexpected": load_err(Outer(), OrderedDict(list(Outer().state_dict().items()) + [("block.gap.weight", torch.zeros(1)), ("block.maybe", torch.zeros(1)), ("block.scratch", torch.zeros(3))])),
})

# BatchNorm: version-1 checkpoints without num_batches_tracked load under strict=True
bn_old = BatchNorm1d(3)
sd_old = bn_old.state_dict()
del sd_old["num_batches_tracked"]
sd_old._metadata[""]["version"] = 1
bn_new = BatchNorm1d(3)
with torch.no_grad():
    bn_new.num_batches_tracked.fill_(5)
res = bn_new.load_state_dict(sd_old)
bn_v2 = BatchNorm1d(3)
sd_v2 = bn_v2.state_dict()
del sd_v2["num_batches_tracked"]
w.case("batchnorm", texts={
    "v1_result": repr(res),
    "v2_missing": load_err(BatchNorm1d(3), sd_v2),
})
# (1.13 fills the missing count with 0; 2.x keeps the module's current value: tested in Java)

# cumulative moving average with momentum=None
bnc = BatchNorm1d(2, momentum=None)
x1 = torch.tensor([[1.0, 2.0], [3.0, 6.0], [5.0, 1.0]])
x2 = torch.tensor([[0.0, -2.0], [4.0, 2.0]])
bnc(x1)
bnc(x2)
bnm = BatchNorm1d(2)
bnm(x1)
bnm(x2)
w.case("batchnorm_running", tensors={
    "x1": x1, "x2": x2,
    "cumulative_mean": bnc.running_mean, "cumulative_var": bnc.running_var,
    "cumulative_count": bnc.num_batches_tracked,
    "momentum_mean": bnm.running_mean, "momentum_var": bnm.running_var,
})

# --------------------------------------------------------------------------- hooks
log = []


def label_of(mod):
    return getattr(mod, "label", type(mod).__name__)


def make_model():
    seq = nn.Sequential(fill_linear(Linear(2, 3), 0.1), ReLU(), fill_linear(Linear(3, 2), -0.2))
    seq.label = "seq"
    seq[0].label = "fc1"
    seq[1].label = "act"
    seq[2].label = "fc2"
    return seq


seq = make_model()
handles = []
handles.append(torch.nn.modules.module.register_module_forward_pre_hook(lambda mod, a: log.append("gpre " + label_of(mod))))
handles.append(torch.nn.modules.module.register_module_forward_hook(lambda mod, a, out: log.append("gfwd " + label_of(mod))))
for mod in [seq, seq[0], seq[1], seq[2]]:
    lab = mod.label
    handles.append(mod.register_forward_pre_hook(lambda m_, a, lab=lab: log.append("pre1 " + lab)))
    handles.append(mod.register_forward_pre_hook(lambda m_, a, lab=lab: log.append("pre2 " + lab)))
    handles.append(mod.register_forward_hook(lambda m_, a, o_, lab=lab: log.append("fwd1 " + lab)))
    handles.append(mod.register_forward_hook(lambda m_, a, o_, lab=lab: log.append("fwd2 " + lab)))
    handles.append(mod.register_full_backward_hook(lambda m_, gi, go, lab=lab: log.append("bwd " + lab)))
handles.append(torch.nn.modules.module.register_module_full_backward_hook(lambda mod, gi, go: log.append("gbwd " + label_of(mod))))
x = torch.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
out = seq(x)
log.append("-- backward")
out.sum().backward()
for h in handles:
    h.remove()
w.case("hook_order", texts={"log": "\n".join(log)}, tensors={"x": x.detach(), "out": out.detach(), "x_grad": x.grad})

# pre-hook replaces input (single value -> 1-tuple), forward hook replaces output
lin = fill_linear(Linear(2, 2), 0.3)
h1 = lin.register_forward_pre_hook(lambda m_, a: a[0] * 2)
h2 = lin.register_forward_hook(lambda m_, a, o_: o_ + 1)
xin = torch.tensor([[1.0, 2.0]])
y = lin(xin)
h1.remove()
h2.remove()
y_plain = lin(xin)
w.case("hook_replace", tensors={"x": xin, "y": y, "y_plain": y_plain})

# full backward hook values: grad_input / grad_output, and grad_input replacement
lin = fill_linear(Linear(2, 2), 0.3)
seen = {}


def bh(m_, gi, go):
    seen["gi"] = gi
    seen["go"] = go
    return (gi[0] * 0.5,)


lin.register_full_backward_hook(bh)
xb = torch.tensor([[1.0, 2.0], [-1.0, 0.5]], requires_grad=True)
yb = lin(xb)
(yb * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
w.case("backward_hook_values", tensors={
    "x": xb.detach(), "grad_input0": seen["gi"][0], "grad_output0": seen["go"][0], "x_grad": xb.grad,
    "weight_grad": lin.weight.grad,
})


# two positional inputs, one not requiring grad, plus a non-tensor argument
class Mul(nn.Module):
    def forward(self, a, b, c=None):
        return a * b


mul = Mul()
got = {}
mul.register_full_backward_hook(lambda m_, gi, go: got.update(gi=gi, go=go))
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
mul(a, b, None).sum().backward()
lin2 = fill_linear(Linear(2, 1), 0.1)
got2 = {}
lin2.register_full_backward_hook(lambda m_, gi, go: got2.update(gi=gi, go=go))
lin2(torch.tensor([[1.0, 1.0]])).sum().backward()
w.case("backward_hook_none", texts={
    "mul_grad_input": " ".join("None" if g is None else "tensor" for g in got["gi"]),
    "lin_grad_input": " ".join("None" if g is None else "tensor" for g in got2["gi"]),
}, tensors={"mul_gi0": got["gi"][0], "mul_gi1": got["gi"][1], "mul_go0": got["go"][0], "lin_go0": got2["go"][0]})

w.save()
print("wrote", OUT)
