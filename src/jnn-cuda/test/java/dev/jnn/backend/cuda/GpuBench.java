package dev.jnn.backend.cuda;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.Backends;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Linear;
import dev.jnn.optim.Optimizer;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * jnn's side of the GPU timing in {@code scripts/gpu/device-run.sh}: docs/PERFORMANCE.md workloads
 * a-d exactly as {@code scripts/gpu/torch_baseline.py} runs them (same shapes, fwd under no-grad,
 * fwd+bwd with a ones gradient, the LeNet SGD step), in the configurations fp32 (heuristic cuDNN
 * algorithms), fp32+bench ({@link Cudnn#benchmark(boolean)}) and tf32+bench. Each run is timed from
 * a synchronised device to a synchronised device ({@link Cuda#synchronize()}), so host overhead
 * counts as it does in PyTorch's CUDA-event timing. Prints one line per cell, then a table in
 * torch_baseline.py's format.
 *
 * <p>{@code --micro} measures instead host-device copies (GB/s: a Java array through the pinned
 * staging ring, and back into a new array) and the cost of small ops (microseconds per op over 2,000
 * queued ops, synchronised once), as {@code scripts/gpu/torch_micro.py} does for PyTorch; one {@code
 * MICRO key value unit} line each.
 *
 * <p>usage: {@code GpuBench [--iters N] [--warmup N] [--device cuda|cpu] [--micro]} (cpu only tests
 * the program)
 */
public final class GpuBench {
  private static final Map<String, Double> GFLOP = Map.of("a", 0.549, "b", 0.294, "c", 3.699, "d", 0.537);

  private GpuBench() {}

  private record Case(String key, String label, Runnable fn, double gflop) {}

  private static final class LeNet extends Module {
    final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 20, 5));
    final Conv2d conv2 = registerModule("conv2", new Conv2d(20, 50, 5));
    final Linear fc1 = registerModule("fc1", new Linear(800, 500));
    final Linear fc2 = registerModule("fc2", new Linear(500, 10));

    @Override
    public Tensor forward(Tensor x) {
      x = Functional.maxPool2d(Functional.relu(conv1.call(x)), 2);
      x = Functional.maxPool2d(Functional.relu(conv2.call(x)), 2);
      x = Functional.flatten(x, 1, -1);
      return fc2.call(Functional.relu(fc1.call(x)));
    }
  }

  private static final class Seed extends Module {
    final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 20, 5));
    final Conv2d conv2 = registerModule("conv2", new Conv2d(20, 20, 5));

    @Override
    public Tensor forward(Tensor x) {
      return Functional.relu(conv2.call(Functional.relu(conv1.call(x))));
    }
  }

  private static List<Case> workloads(Device dev) {
    Generator g = new Generator(0);
    List<Case> cases = new ArrayList<>();
    // a: the seed model
    Seed ma = new Seed();
    ma.to(dev);
    Tensor xa = Tensor.randn(Shape.of(64, 1, 28, 28), DType.FLOAT32, g).to(dev);
    Tensor xaG = xa.detach().requiresGrad(true);
    Tensor ga = Tensor.ones(Shape.of(64, 20, 20, 20), DType.FLOAT32, dev);
    cases.add(new Case("a_fwd", "a fwd", () -> {
      try (var n = NoGrad.enter()) {
        ma.call(xa);
      }
    }, GFLOP.get("a")));
    cases.add(new Case("a_fb", "a fwd+bwd", () -> {
      ma.zeroGrad();
      xaG.setGrad(null);
      ma.call(xaG).backward(ga);
    }, 3 * GFLOP.get("a")));
    // b: LeNet training step
    LeNet mb = new LeNet();
    mb.to(dev);
    Optimizer opt = new SGD(mb.parameters(), 0.01);
    Tensor xb = Tensor.randn(Shape.of(64, 1, 28, 28), DType.FLOAT32, g).to(dev);
    Tensor tb = Tensor.randint(0, 10, Shape.of(64), g).to(dev);
    cases.add(new Case("b_fwd", "b fwd", () -> {
      try (var n = NoGrad.enter()) {
        mb.call(xb);
      }
    }, GFLOP.get("b")));
    cases.add(new Case("b_step", "b train step", () -> {
      opt.zeroGrad();
      Functional.crossEntropy(mb.call(xb), tb).backward();
      opt.step();
    }, 3 * GFLOP.get("b")));
    // c: ResNet 3x3 conv
    Conv2d mc = Conv2d.builder(64, 64, 3).padding(1).build();
    mc.to(dev);
    Tensor xc = Tensor.randn(Shape.of(16, 64, 56, 56), DType.FLOAT32, g).to(dev);
    Tensor xcG = xc.detach().requiresGrad(true);
    Tensor gc = Tensor.ones(Shape.of(16, 64, 56, 56), DType.FLOAT32, dev);
    cases.add(new Case("c_fwd", "c fwd", () -> {
      try (var n = NoGrad.enter()) {
        mc.call(xc);
      }
    }, GFLOP.get("c")));
    cases.add(new Case("c_fb", "c fwd+bwd", () -> {
      mc.zeroGrad();
      xcG.setGrad(null);
      mc.call(xcG).backward(gc);
    }, 3 * GFLOP.get("c")));
    // d: Linear 1024x1024, batch 256
    Linear md = new Linear(1024, 1024);
    md.to(dev);
    Tensor xd = Tensor.randn(Shape.of(256, 1024), DType.FLOAT32, g).to(dev);
    Tensor xdG = xd.detach().requiresGrad(true);
    Tensor gd = Tensor.ones(Shape.of(256, 1024), DType.FLOAT32, dev);
    cases.add(new Case("d_fwd", "d fwd", () -> {
      try (var n = NoGrad.enter()) {
        md.call(xd);
      }
    }, GFLOP.get("d")));
    cases.add(new Case("d_fb", "d fwd+bwd", () -> {
      md.zeroGrad();
      xdG.setGrad(null);
      md.call(xdG).backward(gd);
    }, 3 * GFLOP.get("d")));
    return cases;
  }

  private static void sync(Device dev) {
    if (dev.isCuda()) {
      Cuda.synchronize();
    }
  }

  /**
   * Warm-up: at least {@code warmup} runs and at least {@link #WARMUP_S} seconds, so the JVM has
   * compiled the host-side code before the timed runs (with 10 runs alone, the first workloads of
   * the first configuration measured 2-5x their later times on an H100: docs/gpu-runs/2026-12-06-h100.md).
   */
  static final double WARMUP_S = Double.parseDouble(System.getProperty("bench.warmupSeconds", "1.0"));

  private static double[] time(Case c, Device dev, int iters, int warmup) {
    long until = System.nanoTime() + (long) (WARMUP_S * 1e9);
    for (int i = 0; i < warmup || System.nanoTime() < until; i++) {
      c.fn().run();
      if (i % 8 == 7) {
        sync(dev); // keeps the queue short: a time-based warm-up must not just enqueue
      }
    }
    sync(dev);
    double[] t = new double[iters];
    for (int i = 0; i < iters; i++) {
      long t0 = System.nanoTime();
      c.fn().run();
      sync(dev);
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return new double[] {t[iters / 2], t[iters / 10], t[iters * 9 / 10]};
  }

  /** Median of {@code reps} timings of {@code r} in seconds, each from a synchronised device. */
  private static double median(Device dev, int reps, Runnable r) {
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      sync(dev);
      long t0 = System.nanoTime();
      r.run();
      sync(dev);
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(t);
    return t[reps / 2];
  }

  private static void closeCopy(Tensor src, Tensor copy) {
    if (copy != src) {
      copy.close();
    }
  }

  /** Transfer rates and small-op costs, as scripts/gpu/torch_micro.py measures them for PyTorch. */
  static void micro(Device dev) {
    int[] mib = {1, 16, 256};
    for (int m : mib) {
      float[] host = new float[m << 18];
      Tensor h = Tensor.fromArray(host);
      Tensor d = h.to(dev);
      int reps = m >= 256 ? 5 : 20;
      median(dev, 2, () -> closeCopy(h, h.to(dev))); // warm-up (pinned ring, allocator)
      double up = median(dev, reps, () -> closeCopy(h, h.to(dev)));
      double down = median(dev, reps, () -> d.cpu());
      double bytes = (double) m * (1 << 20);
      System.out.printf("MICRO h2d_%dMiB %.2f GB/s%n", m, bytes / up / 1e9);
      System.out.printf("MICRO d2h_%dMiB %.2f GB/s%n", m, bytes / down / 1e9);
      if (dev.isCuda() && Backends.forDevice(dev) instanceof CudaBackend be) {
        // the staging path alone, into one reused (already touched) array: tells the pinned ring's
        // cost from that of allocating and first touching a new Java array per download
        ThreadContext c = be.rt.context(dev.index());
        try (CudaBuffer buf = be.allocateRaw(dev, DType.FLOAT32, m << 18)) {
          float[] into = new float[m << 18];
          long src = buf.read(c);
          double raw = median(dev, reps, () -> {
            if (!c.device.staging.download(into, src, (long) m << 20, c.stream)) {
              be.rt.api.copyDeviceToHost(into, src, (long) m << 20, c.stream);
            }
          });
          System.out.printf("MICRO d2h_reused_%dMiB %.2f GB/s%n", m, bytes / raw / 1e9);
        }
      }
      closeCopy(h, d);
    }
    int n = 2000;
    Tensor a = Tensor.ones(Shape.of(1024), DType.FLOAT32, dev);
    Tensor b = Tensor.ones(Shape.of(1024), DType.FLOAT32, dev);
    Map<String, Runnable> ops = new LinkedHashMap<>();
    ops.put("add_new", () -> a.add(b).close());
    ops.put("add_inplace", () -> a.addInPlace(b));
    ops.put("relu", () -> a.relu().close());
    ops.put("sum", () -> a.sum().close());
    for (var e : ops.entrySet()) {
      median(dev, 1, () -> {
        for (int i = 0; i < 200; i++) {
          e.getValue().run();
        }
      });
      double t = median(dev, 5, () -> {
        for (int i = 0; i < n; i++) {
          e.getValue().run();
        }
      });
      System.out.printf("MICRO launch_%s %.2f us/op%n", e.getKey(), t / n * 1e6);
    }
  }

  public static void main(String[] args) {
    Locale.setDefault(Locale.ROOT);
    int iters = 100;
    int warmup = 10;
    Device dev = Device.cuda(0);
    boolean micro = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--iters" -> iters = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--device" -> dev = Device.parse(args[++i]);
        case "--micro" -> micro = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    long start = System.nanoTime();
    if (dev.isCuda()) {
      if (!Cuda.isAvailable()) {
        System.out.println("FAIL jnn: " + Cuda.unavailableReason());
        System.exit(2);
      }
      System.out.println(Cuda.describe());
    } else {
      System.out.println("device: cpu - program test only, not a measurement");
    }
    if (micro) {
      micro(dev);
      System.exit(0);
    }
    List<Case> cases = workloads(dev);
    String[][] configs = {{"fp32", "false", "false"}, {"fp32+bench", "true", "false"}, {"tf32+bench", "true", "true"}};
    Map<String, Object> res = new LinkedHashMap<>();
    for (String[] cfg : configs) {
      Cudnn.benchmark(Boolean.parseBoolean(cfg[1]));
      Cudnn.allowTf32(Boolean.parseBoolean(cfg[2]));
      Cublas.allowTf32(Boolean.parseBoolean(cfg[2]));
      for (Case c : cases) {
        System.gc();
        try {
          double[] m = time(c, dev, iters, warmup);
          res.put(c.key() + "/" + cfg[0], m);
          System.out.printf("  %-11s %-13s median %8.4f ms  p10 %8.4f  p90 %8.4f  %7.0f GFLOP/s%n",
              cfg[0], c.label(), m[0], m[1], m[2], c.gflop() / m[0] * 1e3);
        } catch (RuntimeException e) {
          res.put(c.key() + "/" + cfg[0], "ERR " + e.getClass().getSimpleName());
          System.out.printf("  %-11s %-13s FAILED: %s%n", cfg[0], c.label(), e);
        }
        System.out.flush();
      }
    }
    Cudnn.benchmark(false);
    Cudnn.allowTf32(false);
    Cublas.allowTf32(false);
    if (dev.isCuda()) {
      System.out.println("memory: " + Cuda.memoryStats());
    }
    System.out.println();
    System.out.println("=== jnn (" + (dev.isCuda() ? "GPU" : "CPU TEST ONLY") + ") ===");
    System.out.printf("%-35s | %-10s | %-10s | %-10s | GFLOP/s fp32+bench%n",
        "median ms of " + iters + " runs (sync+clock)", "fp32", "fp32+bench", "tf32+bench");
    int bad = 0;
    for (Case c : cases) {
      StringBuilder sb = new StringBuilder(String.format("%-35s", c.label()));
      for (String[] cfg : configs) {
        Object r = res.get(c.key() + "/" + cfg[0]);
        sb.append(" | ").append(r instanceof double[] m ? String.format("%10.4f", m[0]) : String.format("%10s", r));
        if (!(r instanceof double[])) {
          bad++;
        }
      }
      Object fb = res.get(c.key() + "/fp32+bench");
      sb.append(" | ").append(fb instanceof double[] m ? String.format("%8.0f", c.gflop() / m[0] * 1e3) : "       -");
      System.out.println(sb);
    }
    System.out.printf("(%.1f s total)%n", (System.nanoTime() - start) / 1e9);
    System.exit(bad == 0 ? 0 : 1);
  }
}
