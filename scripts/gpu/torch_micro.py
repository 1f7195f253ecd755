#!/usr/bin/env python3
"""PyTorch's side of jnn's `GpuBench --micro`: host-device copy rates and the cost of small ops.

  h2d_<n>MiB_pageable / _pinned   float32 CPU tensor (pageable, or pin_memory()) -> .to("cuda")
  d2h_<n>MiB_pageable / _pinned   device tensor -> .cpu() (a new pageable tensor), or copy_ into a
                                  pinned tensor with non_blocking=True
  launch_<op>                     microseconds per op over 2,000 ops on 1,024-element tensors,
                                  queued back to back and synchronised once (add_new: a + b,
                                  add_inplace: a.add_(b), relu, sum)

Every number is the median of several runs, each timed with the wall clock from a synchronised
device to a synchronised device, as GpuBench times jnn. One `MICRO key value unit` line each.
--device cpu exists only to test this script without a GPU.
"""
import argparse
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cuda")
    args = ap.parse_args()
    import torch
    dev = torch.device(args.device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        print("FAIL torch: torch.cuda.is_available() is False")
        return 2
    print("torch %s (CUDA %s)%s" % (torch.__version__, torch.version.cuda,
                                     ", " + torch.cuda.get_device_name(0) if dev.type == "cuda" else ", cpu: script test only"))

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    def median(reps, fn):
        t = []
        for _ in range(reps):
            sync()
            t0 = time.perf_counter()
            fn()
            sync()
            t.append(time.perf_counter() - t0)
        return statistics.median(t)

    pin = dev.type == "cuda"
    for mib in (1, 16, 256):
        n = mib << 18
        host = torch.zeros(n)
        d = host.to(dev)
        reps = 5 if mib >= 256 else 20
        nbytes = float(mib << 20)
        median(2, lambda: host.to(dev))
        print("MICRO h2d_%dMiB_pageable %.2f GB/s" % (mib, nbytes / median(reps, lambda: host.to(dev)) / 1e9))
        print("MICRO d2h_%dMiB_pageable %.2f GB/s" % (mib, nbytes / median(reps, lambda: d.cpu()) / 1e9))
        if pin:
            hp = host.pin_memory()
            outp = torch.empty(n).pin_memory()
            median(2, lambda: hp.to(dev, non_blocking=True))
            print("MICRO h2d_%dMiB_pinned %.2f GB/s" % (mib, nbytes / median(reps, lambda: hp.to(dev, non_blocking=True)) / 1e9))
            print("MICRO d2h_%dMiB_pinned %.2f GB/s" % (mib, nbytes / median(reps, lambda: outp.copy_(d, non_blocking=True)) / 1e9))
        sys.stdout.flush()

    a = torch.ones(1024, device=dev)
    b = torch.ones(1024, device=dev)
    ops = {"add_new": lambda: a + b, "add_inplace": lambda: a.add_(b), "relu": lambda: torch.relu(a),
           "sum": lambda: a.sum()}
    n = 2000
    for name, fn in ops.items():
        def loop(k):
            def run():
                for _ in range(k):
                    fn()
            return run
        median(1, loop(200))
        print("MICRO launch_%s %.2f us/op" % (name, median(5, loop(n)) / n * 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
