#!/usr/bin/python3
"""PyTorch side of scripts/bench-gemm --shapes: the GEMM shapes of
src/jnn/test/java/dev/jnn/bench/GemmShapesRunner.java, timed the same way (warm-up, then samples
of several calls each; one JSON line per shape with the median ms per call and every sample).

A shape is OP:MxNxK or OP:BxMxNxK. OP's letters say whether A and B are stored transposed (A as
k x m, B as n x k): torch.mm / torch.bmm get transposed views, which PyTorch hands to BLAS as
transpose flags without a copy. The output is preallocated (out=), as jnn's runner overwrites C.
--clock cpu times with this thread's CPU time (with --threads 1 OpenBLAS runs on this thread).

Run with Debian's /usr/bin/python3 (python3-torch 1.13, OpenBLAS); scripts/bench-gemm sets the
environment as scripts/bench does.
"""
import argparse
import json
import time

import torch


def median(xs):
    s = sorted(xs)
    k = len(s)
    return s[k // 2] if k % 2 else 0.5 * (s[k // 2 - 1] + s[k // 2])


def parse(text):
    op, dims = text.strip().split(":")
    d = [int(x) for x in dims.split("x")]
    if len(d) == 3:
        d = [1] + d
    return op.upper()[0] == "T", op.upper()[1] == "T", d[0], d[1], d[2], d[3]


def operands(text):
    ta, tb, batch, m, n, k = parse(text)
    g = torch.Generator().manual_seed(1)
    a = torch.rand(batch, *((k, m) if ta else (m, k)), generator=g) - 0.5
    b = torch.rand(batch, *((n, k) if tb else (k, n)), generator=g) - 0.5
    if ta:
        a = a.transpose(1, 2)
    if tb:
        b = b.transpose(1, 2)
    if batch == 1:
        a, b = a[0], b[0]
        c = torch.empty(m, n)
        return (lambda: torch.mm(a, b, out=c)), 2.0 * m * n * k / 1e9
    c = torch.empty(batch, m, n)
    return (lambda: torch.bmm(a, b, out=c)), 2.0 * batch * m * n * k / 1e9


def time_shape(fn, warmup_s, measure_s, clock=time.perf_counter):
    start = time.perf_counter()
    calls = 0
    while time.perf_counter() - start < warmup_s or calls < 20:
        fn()
        calls += 1
    # then on in 0.2 s windows until two in a row are no longer 3 % faster than the best before,
    # at most 10 s (GemmShapesRunner's rule)
    best = float("inf")
    stale = 0
    while time.perf_counter() - start < 10 and stale < 2:
        w0 = time.perf_counter()
        n = 0
        while time.perf_counter() - w0 < 0.2 or n < 3:
            fn()
            n += 1
        per = (time.perf_counter() - w0) / n
        stale = stale + 1 if per > 0.97 * best else 0
        best = min(best, per)
    per_call = best
    reps = int(max(1, min(1000, 1e-3 / per_call)))
    samples = []
    stop = time.perf_counter() + measure_s
    while time.perf_counter() < stop or len(samples) < 5:
        t0 = clock()
        for _ in range(reps):
            fn()
        samples.append((clock() - t0) * 1e3 / reps)
    return samples


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shapes", required=True)
    p.add_argument("--warmup-s", type=float, default=0.5)
    p.add_argument("--measure-s", type=float, default=0.5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--label", default="torch")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="cpu: this thread's CPU time (meaningful with --threads 1)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    print(json.dumps({"impl": a.label, "info": "torch %s, %d threads" % (
        torch.__version__, torch.get_num_threads())}), flush=True)
    for s in a.shapes.split(","):
        fn, gflop = operands(s)
        samples = time_shape(fn, a.warmup_s, a.measure_s,
                             time.thread_time if a.clock == "cpu" else time.perf_counter)
        print(json.dumps({"impl": a.label, "shape": s.strip(), "gflop": gflop,
                          "median_ms": median(samples),
                          "samples": [round(x, 5) for x in samples]}), flush=True)


if __name__ == "__main__":
    main()
