"""LeNet training parity fixture (docs/PERFORMANCE.md workload b): 5 SGD and 5 Adam steps in PyTorch.

Initial weights and the batches are generated from a closed formula (so the Java test makes the
very same values without a large fixture): element i of a tensor with salt s is
    0.1 * sin(0.7 * i + s)          (float64 sin, then rounded to float32)
Weights are additionally scaled by 10/sqrt(fan_in). Targets are (3*i + 7*step) % 10.
Writes src/jnn/test/resources/golden/lenet_parity.txt: per-step losses, the final conv1/conv2/fc2
weights and biases in full, every 13th element of conv2.weight and every 101st of fc1.weight
(plus their sums of squares).

Run from the repository root: /usr/bin/python3 scripts/golden/lenet_parity.py
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from goldenio import GoldenWriter  # noqa: E402

torch.set_num_threads(1)
OUT = "src/jnn/test/resources/golden/lenet_parity.txt"
BATCH = 16
STEPS = 5


def formula(shape, salt, scale=1.0):
    n = 1
    for d in shape:
        n *= d
    vals = [0.1 * math.sin(0.7 * i + salt) * scale for i in range(n)]
    return torch.tensor(vals, dtype=torch.float64).to(torch.float32).reshape(shape)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.fc1 = nn.Linear(800, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


def init(model):
    with torch.no_grad():
        for k, (name, p) in enumerate(model.named_parameters()):
            fan_in = p.shape[1] * (p[0][0].numel() if p.dim() > 2 else 1) if p.dim() > 1 else p.shape[0]
            p.copy_(formula(tuple(p.shape), 1.0 + k, 10.0 / math.sqrt(fan_in)))


def batch(step):
    x = formula((BATCH, 1, 28, 28), 100.0 + step, 10.0)
    y = torch.tensor([(3 * i + 7 * step) % 10 for i in range(BATCH)], dtype=torch.int64)
    return x, y


# Adam divides by sqrt(v) + 1e-8, so in the first steps every parameter moves by about lr * sign(g):
# where g is ~1e-9, float32 rounding picks the sign and the trajectory. torch's own float32 run
# differs from its float64 run by 1.4e-4 in the step-5 loss, more than the 1e-4 tolerance, so the
# Adam reference is computed in float64 (the exact trajectory of the same float32 initial values).
w = GoldenWriter(OUT, __doc__.strip().splitlines()[0])
for name, make, dt in (("sgd", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9), torch.float32),
                       ("adam", lambda ps: torch.optim.Adam(ps, lr=1e-3), torch.float64)):
    model = LeNet()
    init(model)
    model.to(dt)
    opt = make(model.parameters())
    losses = []
    for step in range(STEPS):
        x, y = batch(step)
        loss = F.cross_entropy(model(x.to(dt)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    sd = model.state_dict()
    tensors = {"losses": torch.tensor(losses, dtype=torch.float64)}
    for k in ("conv1.weight", "conv1.bias", "conv2.bias", "fc1.bias", "fc2.weight", "fc2.bias"):
        tensors[k] = sd[k]
    for k, every in (("conv2.weight", 13), ("fc1.weight", 101)):
        tensors[k + ".every%d" % every] = sd[k].reshape(-1)[::every].clone()
        tensors[k + ".sumsq"] = (sd[k].double() ** 2).sum().reshape(1)
    w.case(name, tensors=tensors, attrs={"batch": BATCH, "steps": STEPS, "dtype": str(dt)[6:]})
w.save()
print("wrote", OUT)
