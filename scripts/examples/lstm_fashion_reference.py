#!/usr/bin/python3
"""PyTorch reference for the LSTM example (scripts/train --model lstm: FashionMnistLstm, Network.LSTM).

Reads the embedded Fashion-MNIST test split (data/*.gz) with gzip + numpy, divides it 8,000 train /
2,000 held-out and normalises it exactly as FashionMnist.java does ((x/255 - 0.2860) / 0.3530), then
trains an LSTM that reads each image row by row (28 steps of 28 features) and prints the held-out
accuracy after each epoch, for several seeds.

Used to choose the Java example's configuration: this script's defaults are it (one bidirectional
layer of hidden size 256, a linear head on the outputs max-pooled over the 28 steps, Adam lr 0.005,
gradient norm clipped to 1, cosine annealing to 0 stepped after every batch, batch 32, 3 epochs).
The configurations tried and their per-seed results are in README.md ("The LSTM example"). Run
with Debian's PyTorch 1.13 (apt-get install python3-torch):

    # the chosen configuration, seeds 0 1 2
    /usr/bin/python3 scripts/examples/lstm_fashion_reference.py
    # the cheaper runner-up (84.2-85.0 %)
    /usr/bin/python3 scripts/examples/lstm_fashion_reference.py --hidden 128 --no-bidirectional --batch-size 64 --lr 0.02
"""
import argparse
import gzip
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MEAN, STD = 0.2860, 0.3530  # FashionMnist.MEAN / STD


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(data_dir):
    x = read_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz")).astype(np.float32)
    y = read_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    x = torch.from_numpy((x / 255.0 - MEAN) / STD).float()  # [N, 28, 28]: 28 steps of 28 features
    y = torch.from_numpy(y)
    n = x.shape[0]
    train = n * 4 // 5
    return x[:train], y[:train], x[train:], y[train:]


class LstmClassifier(nn.Module):
    def __init__(self, hidden, layers, bidirectional, head, forget_bias):
        super().__init__()
        self.lstm = nn.LSTM(28, hidden, num_layers=layers, batch_first=True, bidirectional=bidirectional)
        if forget_bias:
            with torch.no_grad():
                for name, b in self.lstm.named_parameters():
                    if name.startswith("bias_ih"):
                        b[hidden:2 * hidden] += forget_bias  # gate order i, f, g, o
        self.head = head
        self.fc = nn.Linear(hidden * (2 if bidirectional else 1) * (2 if head == "maxmean" else 1), 10)

    def forward(self, x):
        out, (h_n, _) = self.lstm(x)  # out [B, T, D*H], h_n [D*L, B, H]
        if self.head == "last":
            if self.lstm.bidirectional:
                z = torch.cat([h_n[-2], h_n[-1]], dim=1)
            else:
                z = h_n[-1]
        elif self.head == "mean":
            z = out.mean(dim=1)
        elif self.head == "maxmean":
            z = torch.cat([out.max(dim=1).values, out.mean(dim=1)], dim=1)
        else:  # max over time, as FashionMnistLstm (torch.max(dim) like jnn's Tensor.max(dim, keepdim))
            z = out.max(dim=1).values
        return self.fc(z)


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        correct = sum((model(x[s:s + 500]).argmax(1) == y[s:s + 500]).sum().item() for s in range(0, len(x), 500))
    return correct / len(x)


def run(a, seed, data):
    trX, trY, teX, teY = data
    torch.manual_seed(seed)
    model = LstmClassifier(a.hidden, a.layers, a.bidirectional, a.head, a.forget_bias)
    if a.optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9)
    steps_per_epoch = (len(trX) + a.batch_size - 1) // a.batch_size
    t_max = a.epochs * (steps_per_epoch if a.cosine == "step" else 1)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, t_max, 0.0) if a.cosine != "none" else None
    g = torch.Generator().manual_seed(seed)
    accs, times = [], []
    for epoch in range(1, a.epochs + 1):
        model.train()
        t = time.time()
        perm = torch.randperm(len(trX), generator=g)
        loss_sum = 0.0
        for s in range(0, len(trX), a.batch_size):
            idx = perm[s:s + a.batch_size]
            loss = F.cross_entropy(model(trX[idx]), trY[idx])
            opt.zero_grad()
            loss.backward()
            if a.clip > 0:
                nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            opt.step()
            if sched and a.cosine == "step":
                sched.step()
            loss_sum += loss.item() * len(idx)
        if sched and a.cosine == "epoch":
            sched.step()
        times.append(time.time() - t)
        accs.append(evaluate(model, teX, teY))
        print(f"  seed {seed} epoch {epoch}: train loss {loss_sum / len(trX):.4f}, "
              f"held-out acc {100 * accs[-1]:.2f}%, {times[-1]:.1f} s", flush=True)
    if a.save:
        torch.save(model.state_dict(), a.save)
        print(f"  seed {seed}: state dict saved to {a.save}")
    return accs


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--bidirectional", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--head", choices=["last", "mean", "max", "maxmean"], default="max",
                   help="classify the last hidden state, or the outputs pooled over the steps")
    p.add_argument("--forget-bias", type=float, default=0.0, help="added to the forget gate's input bias")
    p.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    p.add_argument("--lr", type=float, default=0.005)
    p.add_argument("--cosine", choices=["none", "epoch", "step"], default="step",
                   help="cosine-anneal the learning rate to 0, stepped per epoch or per batch")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--clip", type=float, default=1.0, help="clip the gradient norm (0: no clipping)")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=os.path.join(ROOT, "data"))
    p.add_argument("--save", metavar="FILE.pt",
                   help="torch.save the trained state dict (of the last seed): scripts/train --model lstm "
                        "--epochs 0 --load FILE.pt evaluates it in jnn")
    a = p.parse_args()
    for name in ("hidden", "layers", "batch_size", "epochs", "threads"):
        if getattr(a, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be positive, got {getattr(a, name)}")
    if not a.lr > 0 or a.clip < 0:
        p.error(f"--lr must be positive and --clip 0 or more, got {a.lr} and {a.clip}")
    torch.set_num_threads(a.threads)
    data = load(a.data)
    print(f"torch {torch.__version__}; {vars(a)}", flush=True)
    finals = []
    for seed in a.seeds:
        finals.append(run(a, seed, data)[-1])
    print("final held-out accuracy per seed: " + ", ".join(f"{100 * f:.2f}%" for f in finals)
          + f"; min {100 * min(finals):.2f}%, mean {100 * sum(finals) / len(finals):.2f}%")


if __name__ == "__main__":
    main()
