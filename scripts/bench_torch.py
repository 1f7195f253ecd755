#!/usr/bin/python3
"""PyTorch side of scripts/bench: docs/PERFORMANCE.md's workloads a-d, the same code as
src/jnn/test/java/dev/jnn/bench/Workloads.java, timed the same way as WorkloadRunner (warm-up, then
timed iterations; one JSON line per phase with the median and every sample in milliseconds).

Run it with Debian's /usr/bin/python3 (python3-torch 1.13) and the tuning docs/PERFORMANCE.md asks for;
scripts/bench sets OPENBLAS_CORETYPE and the malloc variables for this command only.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def lenet():
    """Workload b's LeNet (also the models suite's batch-1 cnn-b1), as Workloads.lenet()."""
    return nn.Sequential(
        nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(800, 500), nn.ReLU(),
        nn.Linear(500, 10))


def workloads():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)

    def randn(*dims):
        return torch.randn(*dims, generator=g)

    out = {}

    # a: the seed's model
    a_model = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.Conv2d(20, 20, 5), nn.ReLU())
    a_x = randn(64, 1, 28, 28)

    def a_fwd():
        with torch.no_grad():
            return a_model(a_x)

    def a_train():
        a_model.zero_grad(set_to_none=True)
        y = a_model(a_x)
        y.sum().backward()
        return y

    out["a"] = (0.549, a_fwd, "fwd+bwd", a_train)

    # b: LeNet training step
    b_model = lenet()
    opt = torch.optim.SGD(b_model.parameters(), lr=0.01, momentum=0.9)
    b_x = randn(64, 1, 28, 28)
    b_y = torch.randint(0, 10, (64,), generator=g)

    def b_train():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(b_model(b_x), b_y)
        loss.backward()
        opt.step()
        return loss

    out["b"] = (0.294, None, "train step", b_train)

    # c: ResNet conv 64->64 3x3
    c_conv = nn.Conv2d(64, 64, 3, padding=1)
    c_x = randn(16, 64, 56, 56).requires_grad_(True)

    def c_fwd():
        with torch.no_grad():
            return c_conv(c_x)

    def c_train():
        c_conv.zero_grad(set_to_none=True)
        c_x.grad = None
        y = c_conv(c_x)
        y.sum().backward()
        return c_x.grad

    out["c"] = (3.699, c_fwd, "fwd+bwd", c_train)

    # d: Linear 1024 batch 256
    d_fc = nn.Linear(1024, 1024)
    d_x = randn(256, 1024).requires_grad_(True)

    def d_fwd():
        with torch.no_grad():
            return d_fc(d_x)

    def d_train():
        d_fc.zero_grad(set_to_none=True)
        d_x.grad = None
        y = d_fc(d_x)
        y.sum().backward()
        return d_x.grad

    out["d"] = (0.537, d_fwd, "fwd+bwd", d_train)

    # e: LSTM(512, 512, num_layers=2) over x[64, 32, 512] (issue 18: hidden 512, 2 layers,
    # sequence 64, batch 32)
    e_lstm = nn.LSTM(512, 512, 2)
    e_x = randn(64, 32, 512).requires_grad_(True)

    def e_fwd():
        with torch.no_grad():
            return e_lstm(e_x)[0]

    def e_train():
        e_lstm.zero_grad(set_to_none=True)
        e_x.grad = None
        y = e_lstm(e_x)[0]
        y.sum().backward()
        return e_x.grad

    out["e"] = (17.18, e_fwd, "fwd+bwd", e_train)

    # f: TransformerEncoderLayer(512, 8, 2048, dropout 0.1, batch_first) over x[8, 128, 512]
    # (issue 19): inference in eval mode without autograd (PyTorch's fused fast path), and a
    # training-mode step
    f_layer = nn.TransformerEncoderLayer(512, 8, 2048, 0.1, batch_first=True)
    f_x = randn(8, 128, 512).requires_grad_(True)

    def f_fwd():
        f_layer.eval()
        with torch.no_grad():
            return f_layer(f_x)

    def f_train():
        f_layer.train()
        f_layer.zero_grad(set_to_none=True)
        f_x.grad = None
        y = f_layer(f_x)
        y.sum().backward()
        return f_x.grad

    out["f"] = (6.711, f_fwd, "fwd+bwd", f_train)
    return out


def model_workload(wid, g):
    """Issue 21's models suite, the same code as ModelWorkloads.java (torchvision 0.14's models,
    their default initialisation): (forward GFLOP, forward or None, train phase name or None,
    train step or None), or None for an id outside the suite."""
    import torchvision

    def randn(*dims):
        return torch.randn(*dims, generator=g)

    def train_step(gflop, model, x, y):
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

        def step():
            model.train()
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            return loss

        return (gflop, None, "train step", step)

    def inference(gflop, model, x):
        model.eval()

        def fwd():
            with torch.no_grad():
                return model(x)

        return (gflop, fwd, None, None)

    if wid == "r50-train":
        return train_step(8 * 8.18, torchvision.models.resnet50(), randn(8, 3, 224, 224),
                          torch.randint(0, 1000, (8,), generator=g))
    if wid == "r50-b1":
        return inference(8.18, torchvision.models.resnet50(), randn(1, 3, 224, 224))
    if wid == "r50-b32":
        return inference(32 * 8.18, torchvision.models.resnet50(), randn(32, 3, 224, 224))
    if wid == "mnv2-train":
        return train_step(8 * 0.60, torchvision.models.mobilenet_v2(), randn(8, 3, 224, 224),
                          torch.randint(0, 1000, (8,), generator=g))
    if wid == "mnv2-b1":
        return inference(0.60, torchvision.models.mobilenet_v2(), randn(1, 3, 224, 224))
    if wid == "cnn-b1":
        return inference(0.294 / 64, lenet(), randn(1, 1, 28, 28))
    if wid == "mlp-b1":
        return inference(2e-9 * (784 * 256 + 256 * 256 + 256 * 10), nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
            nn.Linear(256, 10)), randn(1, 784))
    if wid == "tiny-ops":
        # 16 rounds of mul, add, relu, sub, tanh on an [8, 8] tensor (ModelWorkloads.tinyOps)
        x = randn(8, 8).requires_grad_(True)

        def chain(y):
            for _ in range(16):
                y = torch.tanh(torch.relu(y * 1.0001 + 0.5) - 0.25)
            return y

        def ops_fwd():
            with torch.no_grad():
                return chain(x)

        def ops_train():
            x.grad = None
            chain(x).sum().backward()
            return x.grad

        return (64e-9 * 80, ops_fwd, "fwd+bwd", ops_train)
    return None


def median(xs):
    s = sorted(xs)
    k = len(s)
    return s[k // 2] if k % 2 else 0.5 * (s[k // 2 - 1] + s[k // 2])


CLOCK = time.perf_counter


def time_phase(fn, warmup_s, max_warmup_s, measure_s, min_iters):
    """Warm-up by WorkloadRunner.time's rule (warmup_s, then 0.5 s windows until two in a row
    are no longer 3 % faster (median) than the best earlier one, at most max_warmup_s), then timed
    calls. Returns (samples, warm-up seconds, warm-up calls, first call ms)."""
    start = time.perf_counter()
    fn()
    first_ms = (time.perf_counter() - start) * 1e3
    n = 1
    end = start + warmup_s
    while time.perf_counter() < end or n < 3:
        fn()
        n += 1
    cap = start + max(warmup_s, max_warmup_s)
    best = float("inf")
    stale = 0
    while time.perf_counter() < cap:
        window = []
        window_end = time.perf_counter() + 0.5
        while len(window) < 5 or time.perf_counter() < window_end:
            t0 = time.perf_counter()
            fn()
            window.append((time.perf_counter() - t0) * 1e3)
        n += len(window)
        med = median(window)
        if med > 0.97 * best:
            stale += 1
            if stale == 2:
                break
        else:
            stale = 0
        best = min(best, med)
    warmup = time.perf_counter() - start
    samples = []
    stop = time.perf_counter() + measure_s
    while time.perf_counter() < stop or len(samples) < min_iters:
        t0 = CLOCK()
        fn()
        samples.append((CLOCK() - t0) * 1e3)
    return samples, warmup, n, first_ms


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--workloads", default="a,b,c,d")
    p.add_argument("--warmup-s", type=float, default=1.5)
    p.add_argument("--max-warmup-s", type=float, default=20)
    p.add_argument("--measure-s", type=float, default=1.5)
    p.add_argument("--min-iters", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--label", default="torch")
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                   help="cpu: time the timed calls by this thread's CPU time (time.thread_time; "
                        "with --threads 1 every kernel runs on it), as WorkloadRunner --clock cpu")
    a = p.parse_args()
    global CLOCK
    if a.clock == "cpu":
        CLOCK = time.thread_time
    torch.set_num_threads(a.threads)
    print(json.dumps({"impl": a.label, "info": "torch %s, %d threads, mkldnn %s" % (
        torch.__version__, torch.get_num_threads(), torch.backends.mkldnn.is_available())}), flush=True)
    ws = workloads()
    mg = torch.Generator().manual_seed(1)
    for wid in a.workloads.split(","):
        wid = wid.strip()
        if wid in ws:
            gflop, fwd, train_name, train = ws[wid]
        else:
            torch.manual_seed(0)
            gflop, fwd, train_name, train = model_workload(wid, mg)
        phases = (([("fwd", gflop, fwd)] if fwd else [])
                  + ([(train_name, 3 * gflop, train)] if train else []))
        for name, gf, fn in phases:
            s, warmup, calls, first_ms = time_phase(fn, a.warmup_s, a.max_warmup_s, a.measure_s,
                                                    a.min_iters)
            print(json.dumps({"impl": a.label, "workload": wid, "phase": name, "gflop": gf,
                              "median_ms": median(s), "warmup_s": round(warmup, 2),
                              "warmup_calls": calls, "first_ms": round(first_ms, 2),
                              "samples": [round(x, 4) for x in s]}), flush=True)


if __name__ == "__main__":
    main()
