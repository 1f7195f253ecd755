package dev.jnn.nn.functional;

import static dev.jnn.testing.Assertions2.assertTensorClose;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The blocked im2col + GEMM convolution against a direct (seven-loop) reference, on sizes large
 * enough that the im2col matrix is split into several column blocks, with one image (GEMMs split
 * over threads) and several (images split over threads).
 */
class ConvKernelTest {

  @ParameterizedTest(name = "[{index}] x[{0},{1},{2},{3}] oc={4} k={5}x{6} s={7},{8} p={9},{10} d={11},{12} g={13} {14}")
  @CsvSource({
    // n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups, dtype
    "3, 16, 20, 20, 8, 5, 5, 1, 1, 2, 2, 1, 1, 1, FLOAT64",
    "1, 16, 20, 20, 8, 5, 5, 1, 1, 2, 2, 1, 1, 1, FLOAT64",
    "1, 32, 30, 30, 4, 3, 3, 1, 1, 1, 1, 2, 2, 2, FLOAT64",
    "2, 12, 25, 23, 6, 4, 3, 2, 3, 1, 0, 1, 2, 3, FLOAT64",
    "2, 6, 9, 9, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2, FLOAT64",
    "3, 16, 20, 20, 8, 5, 5, 1, 1, 2, 2, 1, 1, 1, FLOAT32",
    "1, 32, 30, 30, 4, 3, 3, 1, 1, 1, 1, 2, 2, 2, FLOAT32",
    "2, 12, 25, 23, 6, 4, 3, 2, 3, 1, 0, 1, 2, 3, FLOAT32",
    "1, 8, 48, 48, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, FLOAT32",
    "2, 4, 50, 50, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, FLOAT32",
  })
  void matchesDirectConvolution(
      int n, int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh,
      int dw, int groups, DType dtype) {
    Generator gen = new Generator(n * 1000L + c * 31L + h);
    Tensor x = Tensor.randn(Shape.of(n, c, h, w), DType.FLOAT64, gen);
    Tensor wt = Tensor.randn(Shape.of(oc, c / groups, kh, kw), DType.FLOAT64, gen);
    Tensor b = Tensor.randn(Shape.of(oc), DType.FLOAT64, gen);
    int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
    int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
    Tensor gout = Tensor.randn(Shape.of(n, oc, oh, ow), DType.FLOAT64, gen);

    double[][] ref = reference(x.toDoubleArray(), wt.toDoubleArray(), b.toDoubleArray(),
        gout.toDoubleArray(), n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups, oh, ow);

    Tensor xj = x.to(dtype).requiresGrad(true);
    Tensor wj = wt.to(dtype).requiresGrad(true);
    Tensor bj = b.to(dtype).requiresGrad(true);
    Tensor out = Functional.conv2d(xj, wj, bj, new int[] {sh, sw}, new int[] {ph, pw},
        new int[] {dh, dw}, groups);
    out.backward(gout.to(dtype));
    double rtol = dtype == DType.FLOAT64 ? 1e-10 : 2e-4;
    double atol = dtype == DType.FLOAT64 ? 1e-10 : 2e-4;
    assertTensorClose(Tensor.fromArray(ref[0], n, oc, oh, ow), out, rtol, atol, "out");
    assertTensorClose(Tensor.fromArray(ref[1], n, c, h, w), xj.grad(), rtol, atol, "grad x");
    assertTensorClose(Tensor.fromArray(ref[2], oc, c / groups, kh, kw), wj.grad(), rtol, atol,
        "grad w");
    assertTensorClose(Tensor.fromArray(ref[3], oc), bj.grad(), rtol, atol, "grad b");
  }

  /** {out, grad x, grad w, grad b} by direct summation. */
  private static double[][] reference(double[] x, double[] wt, double[] b, double[] go, int n,
      int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
      int groups, int oh, int ow) {
    int cg = c / groups;
    int ocg = oc / groups;
    double[] out = new double[n * oc * oh * ow];
    double[] gx = new double[x.length];
    double[] gw = new double[wt.length];
    double[] gb = new double[oc];
    for (int bn = 0; bn < n; bn++) {
      for (int o = 0; o < oc; o++) {
        int grp = o / ocg;
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            int oi = ((bn * oc + o) * oh + i) * ow + j;
            double acc = b[o];
            double g = go[oi];
            gb[o] += g;
            for (int ci = 0; ci < cg; ci++) {
              int ch = grp * cg + ci;
              for (int a = 0; a < kh; a++) {
                int ih = i * sh - ph + a * dh;
                if (ih < 0 || ih >= h) {
                  continue;
                }
                for (int e = 0; e < kw; e++) {
                  int iw = j * sw - pw + e * dw;
                  if (iw < 0 || iw >= w) {
                    continue;
                  }
                  int xi = ((bn * c + ch) * h + ih) * w + iw;
                  int wi = ((o * cg + ci) * kh + a) * kw + e;
                  acc += x[xi] * wt[wi];
                  gx[xi] += g * wt[wi];
                  gw[wi] += g * x[xi];
                }
              }
            }
            out[oi] = acc;
          }
        }
      }
    }
    return new double[][] {out, gx, gw, gb};
  }
}
