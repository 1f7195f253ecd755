package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.autograd.GradCheck;
import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.functional.Functional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused {@code hardtanh_backward} kernel ({@code ElementwiseKernels.hardtanhBackward}) gives
 * bit for bit what the composite it replaced gave, {@code where(x.le(min) | x.ge(max), 0, g)}: on
 * the kinks {@code x == min} and {@code x == max} (0), NaN (the gradient passes), infinities,
 * signed zeros, bounds that float32 rounds, lengths around the vector width and the parallel split,
 * strided, transposed and broadcast operands, float32 and float64; and relu6/hardtanh's gradients
 * pass float64 gradcheck.
 */
class HardtanhBackwardTest {
  private static final double[][] BOUNDS = {{0.0, 6.0}, {-1.0, 1.0}, {-0.1, 0.3}, {-0.5, 0.5}};

  private static Tensor composite(Tensor g, Tensor x, double min, double max) {
    return Tensor.where(x.le(min).logicalOr(x.ge(max)), 0.0, g);
  }

  private static double[] values(Random r, int n, double min, double max) {
    double[] special = {min, max, (float) min, (float) max, Double.NaN, -Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, Math.nextUp(min),
        Math.nextDown(max), Math.nextDown(min), Math.nextUp(max)};
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextInt(3) == 0 ? special[r.nextInt(special.length)] : r.nextGaussian() * 4;
    }
    return a;
  }

  private static Tensor tensor(double[] v, DType dt, long... dims) {
    return Tensor.fromArray(v, dims).to(dt);
  }

  private static void assertSameBits(Tensor expected, Tensor actual, String what) {
    assertEquals(expected.dtype(), actual.dtype(), what);
    assertArrayEquals(expected.shape().dims(), actual.shape().dims(), what);
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]),
          what + " at " + i + ": " + e[i] + " vs " + a[i]);
    }
  }

  @Test
  void contiguousMatchesTheCompositeBitForBit() {
    Random r = new Random(7);
    try (var ng = NoGrad.enter()) {
      for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
        for (double[] b : BOUNDS) {
          for (int n : new int[] {0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 100, 1000, 70_001}) {
            Tensor x = tensor(values(r, n, b[0], b[1]), dt, n);
            Tensor g = tensor(values(r, n, -3, 3), dt, n);
            String what = dt + " n=" + n + " [" + b[0] + ", " + b[1] + "]";
            assertSameBits(composite(g, x, b[0], b[1]),
                PointwiseActivationOps.hardtanhBackward(g, x, b[0], b[1]), what);
          }
        }
      }
    }
  }

  @Test
  void stridedAndBroadcastOperands() {
    Random r = new Random(8);
    try (var ng = NoGrad.enter()) {
      for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
        double min = 0.0;
        double max = 6.0;
        Tensor x = tensor(values(r, 37 * 19, min, max), dt, 37, 19);
        Tensor g = tensor(values(r, 37 * 19, -3, 3), dt, 37, 19);
        Tensor xt = tensor(values(r, 37 * 19, min, max), dt, 19, 37).t();
        Tensor gt = tensor(values(r, 37 * 19, -3, 3), dt, 19, 37).t();
        // the gradient of a sum: one value expanded over every element (stride 0)
        Tensor gs = tensor(new double[] {1.5}, dt, 1, 1).expand(37, 19);
        Tensor gRow = tensor(values(r, 19, -3, 3), dt, 1, 19).expand(37, 19);
        // every other column: inner stride 2
        Tensor xStep = tensor(values(r, 37 * 38, min, max), dt, 37, 38).slice(1, 0, 38, 2);
        Tensor[][] cases = {{g, xt}, {gt, x}, {gt, xt}, {gs, x}, {gRow, xt}, {g, xStep},
            {gt, xStep}};
        for (int i = 0; i < cases.length; i++) {
          Tensor gi = cases[i][0];
          Tensor xi = cases[i][1];
          assertSameBits(composite(gi, xi, min, max),
              PointwiseActivationOps.hardtanhBackward(gi, xi, min, max), dt + " case " + i);
        }
      }
    }
  }

  @Test
  void gradientsOnTheKinksAndNaN() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tensor x = tensor(new double[] {-1.0, 0.0, 3.0, 6.0, 7.0, Double.NaN, -0.0, 5.999}, dt, 8)
          .requiresGrad(true);
      Functional.relu6(x).sum().backward();
      assertArrayEquals(new double[] {0, 0, 1, 0, 0, 1, 0, 1}, x.grad().toDoubleArray(),
          dt.toString());
      Tensor y = tensor(new double[] {-0.5, 0.5, 0.0, -0.6, 0.49, Double.NaN}, dt, 6)
          .requiresGrad(true);
      Functional.hardtanh(y, -0.5, 0.5).mul(2.0).sum().backward();
      assertArrayEquals(new double[] {0, 0, 2, 0, 2, 2}, y.grad().toDoubleArray(), dt.toString());
    }
  }

  @Test
  void gradcheckFloat64() {
    GradCheck.check(in -> Functional.relu6(in.get(0)), input(11));
    GradCheck.check(in -> Functional.hardtanh(in.get(0)), input(12));
    GradCheck.check(in -> Functional.hardtanh(in.get(0), -2.0, 1.5), input(13));
    // in place, on a non-leaf; and through a transposed input
    GradCheck.check(in -> Functional.relu6(in.get(0).mul(1.0), true), input(14));
    GradCheck.check(in -> Functional.hardtanh_(in.get(0).t().mul(1.0), -1.0, 2.0), input(15));
    GradCheck.check(in -> Functional.relu6(in.get(0).t()), input(16));
  }

  /** float64 values spread over the bounds, none within 1e-3 of a kink (0, 6, -2, 1.5, ...). */
  private static Tensor input(long seed) {
    Random r = new Random(seed);
    double[] v = new double[5 * 7];
    for (int i = 0; i < v.length; i++) {
      double d;
      do {
        d = r.nextDouble() * 10 - 3;
      } while (Math.abs(d - Math.rint(d * 2) / 2) < 1e-3);
      v[i] = d;
    }
    return Tensor.fromArray(v, 5, 7).requiresGrad(true);
  }
}
