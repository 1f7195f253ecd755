#!/usr/bin/env python3
"""PyTorch baseline for the docs/PERFORMANCE.md workloads (fp32, NCHW) on one GPU.

  a  x[64,1,28,28] -> Conv2d(1,20,5) -> relu -> Conv2d(20,20,5) -> relu       fwd, fwd+bwd
  b  LeNet training step, batch 64 (cross-entropy, SGD step)                  fwd, train step
  c  x[16,64,56,56] -> Conv2d(64,64,3,padding=1)                              fwd, fwd+bwd
  d  Linear(1024,1024), batch 256                                             fwd, fwd+bwd

"fwd" runs under torch.no_grad(); "fwd+bwd" computes the input gradient and the parameter
gradients (x.requires_grad=True), so it is ~3x the forward FLOPs as docs/PERFORMANCE.md counts.
Each cell: warm-up, then the median of --iters runs. Each run is timed as jnn's GpuBench times
it: wall clock (time.perf_counter) from a synchronised device to a synchronised device
(torch.cuda.synchronize), so host overhead counts on both sides; CUDA events recorded around the
same run are printed too (a second table). Three configurations:
  fp32        cudnn.benchmark=False, TF32 off for convolutions and matmuls (strict fp32)
  fp32+bench  cudnn.benchmark=True,  TF32 off
  tf32+bench  cudnn.benchmark=True,  TF32 allowed for convolutions and matmuls
The table is printed last. --device cpu exists only to test this script without a GPU.
"""
import argparse
import ctypes
import os
import platform
import statistics
import sys
import time
import warnings

GFLOP_FWD = {"a": 0.549, "b": 0.294, "c": 3.699, "d": 0.537}


def set_tf32(torch, on):
    """Legacy flags first (torch 1.x and 2.x); the newer fp32_precision API only as a fallback."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            torch.backends.cuda.matmul.allow_tf32 = on
            torch.backends.cudnn.allow_tf32 = on
            return
        except Exception:
            pass
        try:
            torch.backends.cuda.matmul.fp32_precision = "tf32" if on else "ieee"
            torch.backends.cudnn.conv.fp32_precision = "tf32" if on else "ieee"
        except Exception as e:  # pragma: no cover
            print("warning: could not set TF32 to %s: %s" % (on, e))


def loaded_libs(pattern):
    out = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1] if "/" in line else ""
                if pattern in os.path.basename(p) and p not in out:
                    out.append(p)
    except OSError:
        pass
    return out


def cublas_version():
    for p in loaded_libs("libcublas.so"):
        try:
            lib = ctypes.CDLL(p)
            v = [ctypes.c_int() for _ in range(3)]
            for i in range(3):
                if lib.cublasGetProperty(i, ctypes.byref(v[i])) != 0:
                    raise RuntimeError("cublasGetProperty failed")
            return "%d.%d.%d (%s)" % (v[0].value, v[1].value, v[2].value, p)
        except Exception as e:
            return "? (%s: %s)" % (p, e)
    return "not loaded"


WARMUP_S = 1.0  # GpuBench's bench.warmupSeconds


def make_timer(torch, dev):
    """timed(fn, iters, warmup) -> (wall-clock ms per run, CUDA-event ms per run or None)."""
    if dev.type == "cuda":
        def timed(fn, iters, warmup):
            # as GpuBench: at least `warmup` runs and at least WARMUP_S seconds
            until = time.perf_counter() + WARMUP_S
            i = 0
            while i < warmup or time.perf_counter() < until:
                fn()
                i += 1
                if i % 8 == 0:
                    torch.cuda.synchronize()
            torch.cuda.synchronize()
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            wall, ev = [], []
            for _ in range(iters):
                torch.cuda.synchronize()
                t0 = time.perf_counter()
                start.record()
                fn()
                end.record()
                torch.cuda.synchronize()
                wall.append((time.perf_counter() - t0) * 1e3)
                ev.append(start.elapsed_time(end))
            return wall, ev
    else:
        def timed(fn, iters, warmup):
            for _ in range(warmup):
                fn()
            t = []
            for _ in range(iters):
                t0 = time.perf_counter()
                fn()
                t.append((time.perf_counter() - t0) * 1e3)
            return t, None
    return timed


def workloads(torch, dev):
    nn, F = torch.nn, torch.nn.functional
    g = torch.Generator(device="cpu").manual_seed(0)

    def rnd(*shape):
        return torch.randn(*shape, generator=g).to(dev)

    def zero_grads(params, x=None):
        for p in params:
            p.grad = None
        if x is not None:
            x.grad = None

    cases = []  # (key, label, fn)

    # a: the seed model
    ma = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.Conv2d(20, 20, 5), nn.ReLU()).to(dev)
    xa = rnd(64, 1, 28, 28)
    xa_g = xa.clone().requires_grad_(True)
    ga = torch.ones(64, 20, 20, 20, device=dev)

    def a_fwd():
        with torch.no_grad():
            ma(xa)

    def a_fb():
        zero_grads(ma.parameters(), xa_g)
        ma(xa_g).backward(ga)

    cases += [("a_fwd", "a fwd", a_fwd, GFLOP_FWD["a"]), ("a_fb", "a fwd+bwd", a_fb, 3 * GFLOP_FWD["a"])]

    # b: LeNet training step
    mb = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2),
                       nn.Flatten(), nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10)).to(dev)
    opt = torch.optim.SGD(mb.parameters(), lr=0.01)
    xb = rnd(64, 1, 28, 28)
    tb = torch.randint(0, 10, (64,), generator=g).to(dev)

    def b_fwd():
        with torch.no_grad():
            mb(xb)

    def b_step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(mb(xb), tb).backward()
        opt.step()

    cases += [("b_fwd", "b fwd", b_fwd, GFLOP_FWD["b"]), ("b_step", "b train step", b_step, 3 * GFLOP_FWD["b"])]

    # c: ResNet 3x3 conv
    mc = nn.Conv2d(64, 64, 3, padding=1).to(dev)
    xc = rnd(16, 64, 56, 56)
    xc_g = xc.clone().requires_grad_(True)
    gc = torch.ones(16, 64, 56, 56, device=dev)

    def c_fwd():
        with torch.no_grad():
            mc(xc)

    def c_fb():
        zero_grads(mc.parameters(), xc_g)
        mc(xc_g).backward(gc)

    cases += [("c_fwd", "c fwd", c_fwd, GFLOP_FWD["c"]), ("c_fb", "c fwd+bwd", c_fb, 3 * GFLOP_FWD["c"])]

    # d: Linear 1024x1024, batch 256
    md = nn.Linear(1024, 1024).to(dev)
    xd = rnd(256, 1024)
    xd_g = xd.clone().requires_grad_(True)
    gd = torch.ones(256, 1024, device=dev)

    def d_fwd():
        with torch.no_grad():
            md(xd)

    def d_fb():
        zero_grads(md.parameters(), xd_g)
        md(xd_g).backward(gd)

    cases += [("d_fwd", "d fwd", d_fwd, GFLOP_FWD["d"]), ("d_fb", "d fwd+bwd", d_fb, 3 * GFLOP_FWD["d"])]
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iters", type=int, default=100, help="timed runs per cell (median is reported; >= 50 on a GPU)")
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--device", default="cuda", help="cuda (default) or cpu (only to test this script)")
    args = ap.parse_args()

    t_start = time.time()
    import torch
    print("torch %s (CUDA %s), python %s, %s" % (torch.__version__, torch.version.cuda, platform.python_version(), sys.executable))
    if args.device == "cuda" and not torch.cuda.is_available():
        print("FAIL torch: torch.cuda.is_available() is False (no GPU/driver visible to PyTorch)")
        return 2
    dev = torch.device(args.device)
    if dev.type == "cuda":
        torch.cuda.init()
        p = torch.cuda.get_device_properties(0)
        print("gpu: %s, sm_%d%d, %d SMs, %d MiB" % (p.name, p.major, p.minor, p.multi_processor_count, p.total_memory >> 20))
        print("cudnn: %s" % torch.backends.cudnn.version())
        if args.iters < 50:
            print("note: --iters %d < 50" % args.iters)
    else:
        print("device: cpu (%d threads) - script test only, not a baseline" % torch.get_num_threads())

    timed = make_timer(torch, dev)
    cases = workloads(torch, dev)
    configs = [("fp32", False, False), ("fp32+bench", True, False), ("tf32+bench", True, True)]
    res = {}  # (case key, config) -> (median, p10, p90) or error string; wall clock
    res_ev = {}  # the same from CUDA events
    for cname, bench, tf32 in configs:
        torch.backends.cudnn.benchmark = bench
        set_tf32(torch, tf32)
        for key, label, fn, gflop in cases:
            try:
                t, ev = timed(fn, args.iters, args.warmup)
                t = sorted(t)
                res[(key, cname)] = (statistics.median(t), t[len(t) // 10], t[(len(t) * 9) // 10])
                if ev:
                    res_ev[(key, cname)] = (statistics.median(ev),)
                m = res[(key, cname)]
                print("  %-11s %-13s median %8.4f ms  p10 %8.4f  p90 %8.4f  %7.0f GFLOP/s%s"
                      % (cname, label, m[0], m[1], m[2], gflop / m[0] * 1e3,
                         "  (CUDA events %8.4f ms)" % res_ev[(key, cname)][0] if ev else ""))
            except Exception as e:  # keep going: one failing cell must not hide the others
                res[(key, cname)] = "ERR " + type(e).__name__
                print("  %-11s %-13s FAILED: %s: %s" % (cname, label, type(e).__name__, str(e).splitlines()[0][:200]))
            sys.stdout.flush()

    if dev.type == "cuda":
        torch.cuda.synchronize()
    cudnn_libs = loaded_libs("libcudnn")
    if dev.type == "cuda":
        print("libraries used by torch: %s" % ", ".join(loaded_libs("libcublas") + cudnn_libs[:1]))

    # ---- compact summary last ----
    print("")
    print("=== torch baseline (%s) ===" % ("GPU" if dev.type == "cuda" else "CPU TEST ONLY"))
    if dev.type == "cuda":
        print("gpu %s | torch %s | CUDA %s | cuDNN %s | cuBLAS %s"
              % (torch.cuda.get_device_name(0), torch.__version__, torch.version.cuda, torch.backends.cudnn.version(),
                 cublas_version().split(" (")[0]))
    def table(title, r_of):
        print("%-35s | %-10s | %-10s | %-10s | GFLOP/s fp32+bench" % (title, "fp32", "fp32+bench", "tf32+bench"))
        for key, label, fn, gflop in cases:
            cells = []
            for cname, _, _ in configs:
                r = r_of.get((key, cname), "-")
                cells.append("%10.4f" % r[0] if isinstance(r, tuple) else "%10s" % r)
            fb = r_of.get((key, "fp32+bench"))
            rate = "%8.0f" % (gflop / fb[0] * 1e3) if isinstance(fb, tuple) else "       -"
            print("%-35s | %s | %s | %s | %s" % (label, cells[0], cells[1], cells[2], rate))

    # the first table is the one compared with jnn's (same timer: sync + wall clock)
    table("median ms of %d runs (sync+clock)" % args.iters, res)
    if res_ev:
        print("")
        print("=== torch baseline, CUDA events (same runs) ===")
        table("median ms of %d runs (CUDA events)" % args.iters, res_ev)
    print("(%.1f s total)" % (time.time() - t_start))
    bad = sum(1 for v in res.values() if not isinstance(v, tuple))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
