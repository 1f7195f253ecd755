package dev.jnn.bench;

import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.backend.cpu.Gemm;
import dev.jnn.backend.HostBufferPool;
import dev.jnn.tensor.MemoryScope;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Times {@link Workloads} in this JVM for {@code scripts/bench}: per phase a warm-up, then timed
 * iterations; prints one JSON line per phase with the median and every sample (milliseconds).
 *
 * <pre>
 * java [--add-modules jdk.incubator.vector] -cp ... dev.jnn.bench.WorkloadRunner \
 *     [--workloads a,b,c,d] [--warmup-s 1.5] [--max-warmup-s 20] [--measure-s 1.5] \
 *     [--min-iters 5] [--label NAME] [--clock wall|cpu]
 * </pre>
 */
public final class WorkloadRunner {
  private WorkloadRunner() {}

  /**
   * {@code --clock cpu}: time with the calling thread's CPU time instead of the wall clock. A
   * development aid on a shared machine: with {@code -Djnn.cpu.threads=1} (all kernels on this
   * thread) it is much less sensitive to other load than wall time, but it leaves out the garbage
   * collector's threads. {@code scripts/bench} uses the wall clock.
   */
  private static boolean cpuClock;

  /**
   * {@code --scope true}: run each call in a {@link MemoryScope}, the way the README's training
   * loop frees a step's temporaries (default false: temporaries are left to the garbage
   * collector, as in code that never closes anything).
   */
  private static boolean scoped;

  private static Tensor call(Supplier<Tensor> body) {
    if (!scoped) {
      return body.get();
    }
    try (MemoryScope s = MemoryScope.open()) {
      return body.get();
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private static long now() {
    return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  /** Entry point. */
  public static void main(String[] args) {
    String workloads = "a,b,c,d";
    double warmupS = 1.5;
    double measureS = 1.5;
    int minIters = 5;
    String label = CpuFeatures.vectorEnabled() ? "jnn" : "jnn-scalar";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--workloads" -> workloads = args[i + 1];
        case "--warmup-s" -> warmupS = Double.parseDouble(args[i + 1]);
        case "--measure-s" -> measureS = Double.parseDouble(args[i + 1]);
        case "--max-warmup-s" -> maxWarmupS = Double.parseDouble(args[i + 1]);
        case "--min-iters" -> minIters = Integer.parseInt(args[i + 1]);
        case "--label" -> label = args[i + 1];
        case "--clock" -> cpuClock = args[i + 1].equals("cpu");
        case "--scope" -> scoped = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "{\"impl\":\"%s\",\"info\":\"%s; GEMM %s; java %s%s\"}",
            label,
            CpuFeatures.describe(),
            Gemm.kernelName(),
            System.getProperty("java.runtime.version"),
            scoped ? "; MemoryScope per call" : ""));
    for (String id : workloads.split(",")) {
      Workloads.Workload w = Workloads.create(id.trim());
      if (w.hasForward()) {
        report(label, w, "fwd", w.forwardGflop, time(w::forward, warmupS, measureS, minIters));
      }
      if (w.trainPhase() != null) {
        report(label, w, w.trainPhase(), 3 * w.forwardGflop,
            time(w::train, warmupS, measureS, minIters));
      }
    }
    System.err.println("# " + HostBufferPool.stats());
  }

  private static void report(String label, Workloads.Workload w, String phase, double gflop, double[] ms) {
    double med = median(ms);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ms.length; i++) {
      sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", ms[i]));
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "{\"impl\":\"%s\",\"workload\":\"%s\",\"phase\":\"%s\",\"gflop\":%.4f,\"median_ms\":%.4f,"
                + "\"warmup_s\":%.2f,\"warmup_calls\":%d,\"first_ms\":%.2f,\"samples\":[%s]}",
            label, w.id, phase, gflop, med, lastWarmupS, lastWarmupCalls, lastFirstMs, sb));
    System.out.flush();
  }

  /** Longest warm-up per phase, seconds ({@code --max-warmup-s}). */
  private static double maxWarmupS = 20;

  /** What the warm-up of the last {@link #time} call took: seconds, calls, first call (ms). */
  private static double lastWarmupS;

  private static int lastWarmupCalls;
  private static double lastFirstMs;

  /**
   * Warm-up, then at least {@code minIters} timed calls for at least {@code measureS} seconds.
   *
   * <p>The warm-up runs for {@code warmupS} seconds, then on in windows (at least 5 calls and 0.5 s
   * each) until two windows in a row are no longer 3 % faster (median) than the best earlier
   * window, at most {@link #maxWarmupS} seconds: the JIT keeps compiling jnn's kernels for several seconds on two
   * cores (workload b was still 2.5x slower at 1.5 s than at 8 s), and timing that would measure
   * the compiler. scripts/bench_torch.py applies the same rule; both report how long it took.
   */
  static double[] time(Supplier<Tensor> body, double warmupS, double measureS, int minIters) {
    long start = System.nanoTime();
    long t0 = System.nanoTime();
    consume(call(body));
    lastFirstMs = (System.nanoTime() - t0) / 1e6;
    int calls = 1;
    long end = start + (long) (warmupS * 1e9);
    while (System.nanoTime() < end || calls < 3) {
      consume(call(body));
      calls++;
    }
    long cap = start + (long) (Math.max(warmupS, maxWarmupS) * 1e9);
    double best = Double.MAX_VALUE;
    int stale = 0;
    while (System.nanoTime() < cap) {
      List<Double> window = new ArrayList<>();
      long windowEnd = System.nanoTime() + 500_000_000L;
      while (window.size() < 5 || System.nanoTime() < windowEnd) {
        long a = System.nanoTime();
        consume(call(body));
        window.add((System.nanoTime() - a) / 1e6);
      }
      calls += window.size();
      double med = median(window.stream().mapToDouble(Double::doubleValue).toArray());
      if (med > 0.97 * best) {
        if (++stale == 2) {
          break;
        }
      } else {
        stale = 0;
      }
      best = Math.min(best, med);
    }
    lastWarmupS = (System.nanoTime() - start) / 1e9;
    lastWarmupCalls = calls;
    List<Double> ms = new ArrayList<>();
    long stop = System.nanoTime() + (long) (measureS * 1e9);
    while (System.nanoTime() < stop || ms.size() < minIters) {
      long a = now();
      Tensor r = call(body);
      long b = now();
      consume(r);
      ms.add((b - a) / 1e6);
    }
    return ms.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }

  private static volatile Object sink;

  private static void consume(Tensor t) {
    sink = t;
  }
}
