#!/usr/bin/env python3
"""PyTorch replica of jnn's main job (scripts/train, dev.jnn.examples.TrainFashionMnist), for a
side-by-side run on the same GPU: same data files, network, optimiser, schedule and loop.

  data      data/ (the repository's embedded Fashion-MNIST test split, 8,000 train / 2,000
            held-out, first 8,000 for training), or the full split when DIR holds the four
            train-/t10k- files; images / 255, normalised with mean 0.2860 and std 0.3530
  network   conv 1->20 5x5, relu, maxpool 2; conv 20->20 5x5, relu, maxpool 2; linear 320->10
  training  SGD lr 0.05 momentum 0.9, cosine annealing to 0 over the epochs (stepped per epoch),
            batch 64, reshuffled every epoch, last partial batch kept; each step moves the batch
            to the device and reads the loss and the number correct (loss.item(), as jnn does)
  held-out  eval mode, no grad, chunks of 500

Prints one line per epoch and a `summary:` line: epoch time, images/s, held-out accuracy, peak
device memory (torch.cuda.max_memory_allocated). --device cpu only tests the script.
"""
import argparse
import gzip
import os
import struct
import sys
import time

MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError("%s: not an unsigned-byte IDX file" % path)
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def idx_file(d, base):
    gz = os.path.join(d, base + ".gz")
    return gz if os.path.exists(gz) else os.path.join(d, base)


def load(torch, d):
    def images(p):
        dims, raw = read_idx(p)
        x = torch.frombuffer(bytearray(raw), dtype=torch.uint8).float().reshape(dims[0], 1, 28, 28)
        return (x / 255.0 - MEAN) / STD

    def labels(p):
        dims, raw = read_idx(p)
        return torch.frombuffer(bytearray(raw), dtype=torch.uint8).long()

    full = all(os.path.exists(idx_file(d, b)) for b in
               ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"))
    if full:
        return (images(idx_file(d, "train-images-idx3-ubyte")), labels(idx_file(d, "train-labels-idx1-ubyte")),
                images(idx_file(d, "t10k-images-idx3-ubyte")), labels(idx_file(d, "t10k-labels-idx1-ubyte")),
                "Fashion-MNIST full split from %s" % d)
    x = images(idx_file(d, "t10k-images-idx3-ubyte"))
    y = labels(idx_file(d, "t10k-labels-idx1-ubyte"))
    n = x.shape[0]
    tr = n * 4 // 5
    return (x[:tr].contiguous(), y[:tr].contiguous(), x[tr:].contiguous(), y[tr:].contiguous(),
            "embedded Fashion-MNIST test split from %s (%d train / %d held-out)" % (d, tr, n - tr))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data"))
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training images")
    args = ap.parse_args()

    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    dev = torch.device(args.device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        print("FAIL torch: torch.cuda.is_available() is False")
        return 2
    torch.backends.cudnn.benchmark = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(args.seed)
    trx, try_, tex, tey, desc = load(torch, os.path.normpath(args.data))
    if 0 < args.limit < trx.shape[0]:
        trx, try_ = trx[:args.limit].contiguous(), try_[:args.limit].contiguous()
    print("torch %s (CUDA %s) on %s" % (torch.__version__, torch.version.cuda,
                                          torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu (script test only)"))
    print("data: %s" % desc)

    model = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(20, 20, 5), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(320, 10)).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(1, args.epochs), eta_min=0.0)
    if dev.type == "cuda":
        torch.cuda.reset_peak_memory_stats()

    def evaluate():
        model.eval()
        correct = 0
        with torch.no_grad():
            for s in range(0, tex.shape[0], 500):
                logits = model(tex[s:s + 500].to(dev))
                correct += (logits.argmax(1) == tey[s:s + 500].to(dev)).sum().item()
        return correct / tex.shape[0]

    n = trx.shape[0]
    gen = torch.Generator().manual_seed(args.seed)
    t_all = time.perf_counter()
    acc = 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        te = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        loss_sum, correct = 0.0, 0
        for s in range(0, n, args.batch_size):
            idx = perm[s:s + args.batch_size]
            x = trx[idx].to(dev)
            y = try_[idx].to(dev)
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad(set_to_none=False)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * y.shape[0]
            correct += (logits.argmax(1) == y).sum().item()
        sched.step()
        train_secs = time.perf_counter() - te
        acc = evaluate()
        secs = time.perf_counter() - te
        peak = torch.cuda.max_memory_allocated() / 2**20 if dev.type == "cuda" else 0.0
        print("epoch %d: train loss %.4f, train acc %.2f%%, held-out acc %.2f%%, %.1f s (training %.1f s, %.0f img/s),"
              " peak device memory %.2f MiB" % (epoch, loss_sum / n, 100.0 * correct / n, 100 * acc, secs, train_secs,
                                                 n / train_secs, peak))
        sys.stdout.flush()
    total = time.perf_counter() - t_all
    peak = torch.cuda.max_memory_allocated() / 2**20 if dev.type == "cuda" else 0.0
    print("summary: held-out accuracy %.2f%% after %d epochs, %.1f s (%.0f img/s over the run), peak device memory"
          " %.2f MiB on %s" % (100 * acc, args.epochs, total, n * args.epochs / total, peak, dev))
    return 0


if __name__ == "__main__":
    sys.exit(main())
