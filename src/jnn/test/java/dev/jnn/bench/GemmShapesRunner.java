package dev.jnn.bench;

import dev.jnn.backend.Backends;
import dev.jnn.backend.BlasKernels;
import dev.jnn.backend.GemmSpec;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.backend.cpu.Gemm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Times single-precision GEMMs of given shapes through the back end's BLAS family ({@link
 * BlasKernels#gemm} with a {@link GemmSpec}: the entry every matmul, linear and bmm takes) for
 * {@code scripts/bench-gemm --shapes}. Prints one JSON line per shape with the median time per
 * call and every sample (milliseconds per call); {@code scripts/bench_gemm_torch.py} times the same
 * shapes with {@code torch.mm} / {@code torch.bmm}.
 *
 * <p>A shape is {@code OP:MxNxK} or {@code OP:BxMxNxK}: OP is {@code NN}, {@code NT} (B stored
 * {@code n x k}, as a linear layer's weight), {@code TN} (A stored {@code k x m}, as in a weight
 * gradient {@code dY^T X}) or {@code TT}; B is the batch count (batched GEMM, every operand with
 * its own matrices). C is overwritten (beta 0). Only public API is used, so this runner also times
 * an older build of jnn put before it on the class path (scripts/bench-gemm --baseline).
 *
 * <p>{@code --clock cpu} times with the calling thread's CPU time instead of the wall clock: with
 * {@code -Djnn.cpu.threads=1} (every kernel on this thread) that is much less sensitive to other
 * load on a shared machine, and it compares single-core efficiency.
 *
 * <pre>
 * java [--add-modules jdk.incubator.vector] -cp ... dev.jnn.bench.GemmShapesRunner \
 *     --shapes NT:32x2048x512,NN:64x128x64x128 [--warmup-s 0.5] [--measure-s 0.5] [--label NAME]
 *     [--clock wall|cpu] [--prewarm-s 3]
 * </pre>
 */
public final class GemmShapesRunner {
  private GemmShapesRunner() {}

  private static boolean cpuClock;

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private static long now() {
    return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  /** One parsed shape. */
  record Shape(String text, boolean transA, boolean transB, int batch, int m, int n, int k) {
    static Shape parse(String s) {
      String[] opDims = s.trim().split(":");
      String op = opDims[0].toUpperCase(Locale.ROOT);
      if (opDims.length != 2 || op.length() != 2 || op.replaceAll("[NT]", "").length() != 0) {
        throw new IllegalArgumentException("shape '" + s + "': expected OP:MxNxK or OP:BxMxNxK");
      }
      int[] d = Arrays.stream(opDims[1].split("x")).mapToInt(Integer::parseInt).toArray();
      if (d.length == 3) {
        return new Shape(s.trim(), op.charAt(0) == 'T', op.charAt(1) == 'T', 1, d[0], d[1], d[2]);
      }
      if (d.length == 4) {
        return new Shape(s.trim(), op.charAt(0) == 'T', op.charAt(1) == 'T', d[0], d[1], d[2], d[3]);
      }
      throw new IllegalArgumentException("shape '" + s + "': expected OP:MxNxK or OP:BxMxNxK");
    }

    double gflop() {
      return 2.0 * batch * m * n * k / 1e9;
    }
  }

  /** Entry point. */
  public static void main(String[] args) {
    String shapes = null;
    double warmupS = 0.5;
    double measureS = 0.5;
    double prewarmS = 3;
    String label = CpuFeatures.vectorEnabled() ? "jnn" : "jnn-scalar";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--shapes" -> shapes = args[i + 1];
        case "--warmup-s" -> warmupS = Double.parseDouble(args[i + 1]);
        case "--measure-s" -> measureS = Double.parseDouble(args[i + 1]);
        case "--label" -> label = args[i + 1];
        case "--clock" -> cpuClock = args[i + 1].equals("cpu");
        case "--prewarm-s" -> prewarmS = Double.parseDouble(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (shapes == null) {
      throw new IllegalArgumentException("--shapes missing");
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "{\"impl\":\"%s\",\"info\":\"%s; GEMM %s; java %s\"}",
            label,
            CpuFeatures.describe(),
            Gemm.kernelName(),
            System.getProperty("java.runtime.version")));
    BlasKernels blas = Backends.cpu();
    String[] list = shapes.split(",");
    // Every shape a few times first, for prewarmS: the JIT then compiles the kernels they share
    // before any is timed (on a loaded machine that took seconds, and the first shape timed the
    // interpreter).
    long pre = System.nanoTime();
    while (System.nanoTime() - pre < prewarmS * 1e9) {
      for (String s : list) {
        time(Shape.parse(s), blas, 0, 0, true);
      }
    }
    for (String s : list) {
      Shape sh = Shape.parse(s);
      double[] ms = time(sh, blas, warmupS, measureS, false);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < ms.length; i++) {
        sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", ms[i]));
      }
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"impl\":\"%s\",\"shape\":\"%s\",\"gflop\":%.6f,\"median_ms\":%.5f,\"samples\":[%s]}",
              label, sh.text, sh.gflop(), WorkloadRunner.median(ms), sb));
      System.out.flush();
    }
  }

  /**
   * Warm-up for {@code warmupS} (at least 20 calls) and until the speed settles, then samples of several calls each (so that
   * a sample lasts about a millisecond or more) for {@code measureS}; returns ms per call.
   */
  static double[] time(Shape sh, BlasKernels blas, double warmupS, double measureS, boolean once) {
    Random rnd = new Random(1);
    int aSize = sh.m * sh.k;
    int bSize = sh.k * sh.n;
    int cSize = sh.m * sh.n;
    float[] a = new float[sh.batch * aSize];
    float[] b = new float[sh.batch * bSize];
    float[] c = new float[sh.batch * cSize];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextFloat() - 0.5f;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = rnd.nextFloat() - 0.5f;
    }
    GemmSpec spec =
        new GemmSpec(sh.transA, sh.transB, sh.batch, sh.m, sh.n, sh.k,
            new GemmSpec.Operand(0, aSize, sh.transA ? sh.m : sh.k),
            new GemmSpec.Operand(0, bSize, sh.transB ? sh.k : sh.n),
            new GemmSpec.Operand(0, cSize, sh.n),
            false);
    HostBuffer ha = HostBuffer.wrap(a);
    HostBuffer hb = HostBuffer.wrap(b);
    HostBuffer hc = HostBuffer.wrap(c);
    if (once) {
      for (int r = 0; r < 3; r++) {
        blas.gemm(spec, ha, hb, hc);
      }
      return null;
    }
    long start = System.nanoTime();
    int calls = 0;
    while (System.nanoTime() - start < warmupS * 1e9 || calls < 20) {
      blas.gemm(spec, ha, hb, hc);
      calls++;
    }
    // then on in 0.2 s windows until two in a row are no longer 3 % faster than the best before
    // (the JIT compiles the kernels on background threads, slowly on a loaded machine), at most
    // 10 s; scripts/bench_gemm_torch.py applies the same rule
    double best = Double.MAX_VALUE;
    int stale = 0;
    while (System.nanoTime() - start < 10e9 && stale < 2) {
      long w0 = System.nanoTime();
      int n = 0;
      while (System.nanoTime() - w0 < 200_000_000L || n < 3) {
        blas.gemm(spec, ha, hb, hc);
        n++;
      }
      double per = (System.nanoTime() - w0) / (double) n;
      stale = per > 0.97 * best ? stale + 1 : 0;
      best = Math.min(best, per);
      calls += n;
    }
    double perCallNs = best;
    int reps = (int) Math.max(1, Math.min(1000, 1e6 / perCallNs));
    List<Double> ms = new ArrayList<>();
    long stop = System.nanoTime() + (long) (measureS * 1e9);
    while (System.nanoTime() < stop || ms.size() < 5) {
      long t0 = now();
      for (int r = 0; r < reps; r++) {
        blas.gemm(spec, ha, hb, hc);
      }
      ms.add((now() - t0) / 1e6 / reps);
    }
    return ms.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
