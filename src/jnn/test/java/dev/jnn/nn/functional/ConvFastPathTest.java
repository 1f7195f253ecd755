package dev.jnn.nn.functional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.ChildJvm;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 convolution fast paths (Vector API when enabled: implicit-GEMM forward and
 * backward-data, channel-vectorised weight gradient) against the float64 im2col path on the same
 * data, for the shapes those paths pick: at least 16 output channels per group (the weight
 * gradient's vector width), the workloads' layers, padding, dilation, groups, one image and odd
 * sizes.
 */
class ConvFastPathTest {
  /** n, c, h, w, oc, kh, kw, pad, dilation, groups. */
  static final int[][] CASES = {
    {4, 1, 28, 28, 20, 5, 5, 0, 1, 1}, // workload a / main job conv1
    {4, 20, 24, 24, 20, 5, 5, 0, 1, 1}, // workload a conv2
    {3, 20, 12, 12, 50, 5, 5, 0, 1, 1}, // LeNet conv2
    {2, 64, 14, 14, 64, 3, 3, 1, 1, 1}, // ResNet block (smaller image)
    {1, 8, 17, 19, 16, 3, 3, 1, 1, 1}, // one image, exactly one vector of channels
    {3, 6, 11, 9, 33, 3, 2, 2, 2, 1}, // odd channels, padding, dilation
    {2, 8, 10, 10, 32, 3, 3, 1, 1, 2}, // groups of 16 channels
    {5, 3, 7, 7, 48, 1, 1, 0, 1, 1}, // pointwise
    // backward-data as GEMM + fused wide col2im (small outputs, large kernels):
    {2, 16, 9, 7, 24, 5, 3, 1, 1, 2}, // padding, groups, k not a multiple of 8
    {3, 12, 11, 10, 20, 3, 3, 1, 2, 1}, // dilation
    {1, 20, 12, 12, 50, 5, 5, 0, 1, 1}, // one image
    // weight gradient in blocks of output positions (whose rows of G fit the L2 cache):
    {1, 3, 96, 96, 8, 3, 3, 1, 1, 1}, // 9216 positions, two blocks
    {2, 7, 12, 12, 1032, 1, 1, 0, 1, 1}, // blocks of 64 positions, a one-vector channel tile
  };

  static Stream<Arguments> cases() {
    return Arrays.stream(CASES).map(c -> Arguments.of(Arrays.stream(c).boxed().toArray()));
  }

  @ParameterizedTest(name = "[{index}] x[{0},{1},{2},{3}] oc={4} k={5}x{6} p={7} d={8} g={9}")
  @MethodSource("cases")
  void float32MatchesFloat64(
      int n, int c, int h, int w, int oc, int kh, int kw, int pad, int dil, int groups) {
    Generator gen = new Generator(7);
    Tensor x64 = Tensor.randn(Shape.of(n, c, h, w), DType.FLOAT64, gen);
    Tensor w64 = Tensor.randn(Shape.of(oc, c / groups, kh, kw), DType.FLOAT64, gen).mul(0.2);
    Tensor b64 = Tensor.randn(Shape.of(oc), DType.FLOAT64, gen);
    int oh = h + 2 * pad - dil * (kh - 1);
    int ow = w + 2 * pad - dil * (kw - 1);
    Tensor g64 = Tensor.randn(Shape.of(n, oc, oh, ow), DType.FLOAT64, gen);

    Tensor[] r64 = run(x64, w64, b64, g64, pad, dil, groups);
    Tensor[] r32 =
        run(x64.toFloat(), w64.toFloat(), b64.toFloat(), g64.toFloat(), pad, dil, groups);
    String[] names = {"out", "grad x", "grad w", "grad b"};
    for (int i = 0; i < 4; i++) {
      double[] e = r64[i].toDoubleArray();
      double[] a = r32[i].toDoubleArray();
      assertEquals(e.length, a.length, names[i]);
      double scale = 0;
      for (double v : e) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int j = 0; j < e.length; j++) {
        double tol = 1e-4 * Math.max(1, scale);
        if (Math.abs(e[j] - a[j]) > tol) {
          throw new AssertionError(
              names[i] + "[" + j + "]: float64 " + e[j] + ", float32 " + a[j] + " (tol " + tol + ")");
        }
      }
    }
  }

  /**
   * The cases above with the 6-row micro-tiles ({@code -Djnn.cpu.gemm.rows=6}, AVX2's kernels
   * before 4 rows became its default) in a child JVM, so that those kernels keep running.
   */
  @Test
  void sixRowKernelsMatchFloat64() throws Exception {
    if (!CpuFeatures.vectorApiUsable()) {
      return;
    }
    String out = ChildJvm.run(180, List.of("--add-modules", "jdk.incubator.vector",
        "-Djnn.cpu.gemm.rows=6"), ConvFastPathTest.class);
    assertTrue(out.contains("OK " + CASES.length + " cases") && out.contains("packed 6x"), out);
  }


  /** Entry point of {@link #sixRowKernelsMatchFloat64}'s child JVM. */
  public static void main(String[] args) {
    ConvFastPathTest t = new ConvFastPathTest();
    for (int[] c : CASES) {
      t.float32MatchesFloat64(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]);
    }
    System.out.println("OK " + CASES.length + " cases, " + dev.jnn.backend.cpu.Gemm.kernelName());
  }

  /**
   * The multi-threaded kernels give bit-identical results run after run (training is
   * reproducible for a seed): each image's contribution to the weight gradient must land in the
   * same per-thread partial sum every time, whatever the timing.
   */
  @ParameterizedTest(name = "[{index}] x[{0},{1},{2},{3}] oc={4} k={5}")
  @CsvSource({
    "16, 20, 24, 24, 20, 5", // dot-product weight gradient (a's conv2)
    "16, 20, 12, 12, 50, 5", // channel-vectorised weight gradient, GEMM backward-data (LeNet)
    "8, 16, 14, 14, 64, 3", // channel-vectorised 4 x 4 tiles, as-forward backward-data
  })
  void float32ResultsAreReproducible(int n, int c, int h, int w, int oc, int k) {
    Generator gen = new Generator(11);
    Tensor x = Tensor.randn(Shape.of(n, c, h, w), DType.FLOAT32, gen);
    Tensor wt = Tensor.randn(Shape.of(oc, c, k, k), DType.FLOAT32, gen).mul(0.2);
    Tensor b = Tensor.randn(Shape.of(oc), DType.FLOAT32, gen);
    Tensor g = Tensor.randn(Shape.of(n, oc, h - k + 1, w - k + 1), DType.FLOAT32, gen);
    Tensor[] first = run(x, wt, b, g, 0, 1, 1);
    for (int rep = 0; rep < 20; rep++) {
      assertSameBits(first, run(x, wt, b, g, 0, 1, 1), rep);
    }
  }

  /**
   * The im2col path (float64, strided, scalar fallback) too: its weight gradient sums fixed ranges
   * of images in range order, whichever thread ran them.
   */
  @Test
  void float64ResultsAreReproducible() {
    Generator gen = new Generator(12);
    Tensor x = Tensor.randn(Shape.of(9, 6, 13, 11), DType.FLOAT64, gen);
    Tensor wt = Tensor.randn(Shape.of(10, 6, 3, 3), DType.FLOAT64, gen).mul(0.2);
    Tensor b = Tensor.randn(Shape.of(10), DType.FLOAT64, gen);
    Tensor g = Tensor.randn(Shape.of(9, 10, 11, 9), DType.FLOAT64, gen);
    Tensor[] first = run(x, wt, b, g, 0, 1, 1);
    for (int rep = 0; rep < 20; rep++) {
      assertSameBits(first, run(x, wt, b, g, 0, 1, 1), rep);
    }
  }

  private static void assertSameBits(Tensor[] first, Tensor[] again, int rep) {
    for (int i = 0; i < first.length; i++) {
      double[] e = first[i].toDoubleArray();
      double[] a = again[i].toDoubleArray();
      for (int j = 0; j < e.length; j++) {
        if (Double.doubleToRawLongBits(e[j]) != Double.doubleToRawLongBits(a[j])) {
          throw new AssertionError("result " + i + "[" + j + "] differs on run " + rep + ": "
              + e[j] + " vs " + a[j]);
        }
      }
    }
  }

  private static Tensor[] run(Tensor x, Tensor w, Tensor b, Tensor g, int pad, int dil, int groups) {
    Tensor xr = x.detach().requiresGrad(true);
    Tensor wr = w.detach().requiresGrad(true);
    Tensor br = b.detach().requiresGrad(true);
    Tensor out =
        Functional.conv2d(
            xr, wr, br, new int[] {1}, new int[] {pad}, new int[] {dil}, groups);
    out.backward(g);
    return new Tensor[] {out, xr.grad(), wr.grad(), br.grad()};
  }
}
