"""Golden values for dev.jnn.optim: optimizer updates and scheduler learning rates from PyTorch.

Run from the repository root: /usr/bin/python3 scripts/golden/optim.py
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from goldenio import GoldenWriter  # noqa: E402

OUT = "src/jnn/test/resources/golden/optim.txt"
torch.manual_seed(1234)
w = GoldenWriter(OUT, "optimizer steps (3 steps, fixed grads per step) and scheduler lrs")

p0 = torch.randn(3, 4, dtype=torch.float64)
q0 = torch.randn(5, dtype=torch.float64)
grads = [(torch.randn(3, 4, dtype=torch.float64), torch.randn(5, dtype=torch.float64)) for _ in range(3)]

CONFIGS = [
    ("sgd_plain", torch.optim.SGD, dict(lr=0.1)),
    ("sgd_momentum", torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
    ("sgd_dampening_wd", torch.optim.SGD, dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01)),
    ("sgd_nesterov_maximize", torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, maximize=True)),
    ("adam", torch.optim.Adam, dict(lr=0.01)),
    ("adam_wd_amsgrad", torch.optim.Adam, dict(lr=0.02, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1, amsgrad=True)),
    ("adam_maximize", torch.optim.Adam, dict(lr=0.01, maximize=True)),
    ("adamw", torch.optim.AdamW, dict(lr=0.01)),
    ("adamw_amsgrad", torch.optim.AdamW, dict(lr=0.03, weight_decay=0.05, amsgrad=True)),
    ("rmsprop", torch.optim.RMSprop, dict(lr=0.01)),
    ("rmsprop_centered_momentum_wd", torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.02)),
]

for name, cls, kw in CONFIGS:
    p = torch.nn.Parameter(p0.clone())
    q = torch.nn.Parameter(q0.clone())
    opt = cls([p, q], **kw)
    tensors = {"p0": p0, "q0": q0}
    for i, (gp, gq) in enumerate(grads):
        p.grad = gp.clone()
        q.grad = gq.clone()
        opt.step()
        tensors["p%d" % (i + 1)] = p.detach().clone()
        tensors["q%d" % (i + 1)] = q.detach().clone()
    for i, (gp, gq) in enumerate(grads):
        tensors["gp%d" % i] = gp
        tensors["gq%d" % i] = gq
    w.case(name, tensors=tensors, attrs={k: (" ".join(map(str, v)) if isinstance(v, tuple) else v) for k, v in kw.items()})


def sched_case(name, make, epochs=12, lr=0.5):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=lr)
    s = make(opt)
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(epochs):
        opt.step()
        s.step()
        lrs.append(opt.param_groups[0]["lr"])
    w.case(name, tensors={"lrs": torch.tensor(lrs, dtype=torch.float64)})


sched_case("steplr", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5))
sched_case("multisteplr", lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.1))
sched_case("cosine", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=5, eta_min=0.01), epochs=16)
sched_case("linearlr", lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4))

# gradient clipping
g1 = torch.randn(3, 4, dtype=torch.float64)
g2 = torch.randn(5, dtype=torch.float64)
for norm_type, max_norm in ((2.0, 1.0), (1.0, 2.0), (float("inf"), 0.5), (2.0, 100.0)):
    a = torch.nn.Parameter(torch.zeros(3, 4, dtype=torch.float64))
    b = torch.nn.Parameter(torch.zeros(5, dtype=torch.float64))
    a.grad = g1.clone()
    b.grad = g2.clone()
    total = torch.nn.utils.clip_grad_norm_([a, b], max_norm, norm_type=norm_type)
    w.case("clip_norm_%s_%s" % (norm_type, max_norm), tensors={"g1": g1, "g2": g2, "total": total.reshape(1), "a": a.grad, "b": b.grad},
           attrs={"norm_type": norm_type, "max_norm": max_norm})
a = torch.nn.Parameter(torch.zeros(3, 4, dtype=torch.float64))
a.grad = g1.clone()
torch.nn.utils.clip_grad_value_([a], 0.5)
w.case("clip_value", tensors={"g1": g1, "a": a.grad})
w.save()
print("wrote", OUT)
