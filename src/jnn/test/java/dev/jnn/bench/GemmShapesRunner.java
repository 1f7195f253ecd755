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
 * <pre>
 * java [--add-modules jdk.incubator.vector] -cp ... dev.jnn.bench.GemmShapesRunner \
 *     --shapes NT:32x2048x512,NN:64x128x64x128 [--warmup-s 0.5] [--measure-s 0.5] [--label NAME]
 * </pre>
 */
public final class GemmShapesRunner {
  private GemmShapesRunner() {}

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
    String label = CpuFeatures.vectorEnabled() ? "jnn" : "jnn-scalar";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--shapes" -> shapes = args[i + 1];
        case "--warmup-s" -> warmupS = Double.parseDouble(args[i + 1]);
        case "--measure-s" -> measureS = Double.parseDouble(args[i + 1]);
        case "--label" -> label = args[i + 1];
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
    for (String s : shapes.split(",")) {
      Shape sh = Shape.parse(s);
      double[] ms = time(sh, blas, warmupS, measureS);
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
   * Warm-up for {@code warmupS} (at least 20 calls), then samples of several calls each (so that
   * a sample lasts about a millisecond or more) for {@code measureS}; returns ms per call.
   */
  static double[] time(Shape sh, BlasKernels blas, double warmupS, double measureS) {
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
    long start = System.nanoTime();
    int calls = 0;
    while (System.nanoTime() - start < warmupS * 1e9 || calls < 20) {
      blas.gemm(spec, ha, hb, hc);
      calls++;
    }
    double perCallNs = (System.nanoTime() - start) / (double) calls;
    int reps = (int) Math.max(1, Math.min(1000, 1e6 / perCallNs));
    List<Double> ms = new ArrayList<>();
    long stop = System.nanoTime() + (long) (measureS * 1e9);
    while (System.nanoTime() < stop || ms.size() < 5) {
      long t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        blas.gemm(spec, ha, hb, hc);
      }
      ms.add((System.nanoTime() - t0) / 1e6 / reps);
    }
    return ms.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
