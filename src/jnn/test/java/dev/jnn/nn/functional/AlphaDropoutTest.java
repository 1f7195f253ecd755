package dev.jnn.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.layers.AlphaDropout;
import dev.jnn.nn.layers.FeatureAlphaDropout;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code F.alpha_dropout} / {@code F.feature_alpha_dropout} in training, tested by what they
 * promise rather than by random numbers: every output element is one of the two affine images
 * ATen's {@code _dropout_impl} gives (dropped: {@code -alpha a (1 - p)}; kept: {@code a x + alpha
 * a p}, {@code a = 1 / sqrt((alpha^2 p + 1)(1 - p))}), the dropped fraction is {@code p}, a
 * standard-normal input keeps zero mean and unit variance, whole channels drop together in the
 * feature variant, the gradient is {@code a} on kept elements and 0 on dropped ones, and the same
 * generator seed gives the same mask. The deterministic paths (evaluation, {@code p} 0 and 1,
 * empty) and the errors are the op registry's.
 */
class AlphaDropoutTest {
  private static final double ALPHA = 1.7580993408473766;
  private static final int N = 200_000;

  private static double scale(double p) {
    return 1.0 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
  }

  private static Tensor normal(long seed, long... shape) {
    return Tensor.randn(Shape.of(shape), DType.FLOAT64, new Generator(seed));
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double variance(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return s / (v.length - 1);
  }

  /** Which elements were kept, checking that each output is one of the two affine images. */
  private static boolean[] kept(double[] x, double[] y, double p) {
    double a = scale(p);
    double dropped = (0 - 1) * ALPHA * a + ALPHA * a * p;
    boolean[] k = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      double keptValue = x[i] * a + ALPHA * a * p;
      boolean isDropped = Math.abs(y[i] - dropped) <= 1e-12;
      boolean isKept = Math.abs(y[i] - keptValue) <= 1e-12 * (1 + Math.abs(keptValue));
      assertTrue(isDropped || isKept, "element " + i + ": " + y[i] + " is neither image");
      k[i] = isKept;
    }
    return k;
  }

  @Test
  void meanAndVarianceAreKeptAndTheDroppedFractionIsP() {
    for (double p : new double[] {0.1, 0.5, 0.8}) {
      Tensor x = normal(7, N);
      Tensor y = Functional.alphaDropout(x, p, true, false, new Generator(42));
      double[] xv = x.toDoubleArray();
      double[] yv = y.toDoubleArray();
      boolean[] k = kept(xv, yv, p);
      int drops = 0;
      for (boolean b : k) {
        drops += b ? 0 : 1;
      }
      // binomial: the standard deviation of the fraction is below 0.0012 at this size
      assertEquals(p, drops / (double) N, 0.01, "dropped fraction at p=" + p);
      assertEquals(0.0, mean(yv), 0.02, "mean at p=" + p);
      assertEquals(1.0, variance(yv), 0.03, "variance at p=" + p);
    }
  }

  @Test
  void theGradientIsTheScaleOnKeptElementsAndZeroOnDroppedOnes() {
    double p = 0.3;
    Tensor x = normal(8, 50, 40).requiresGrad(true);
    Tensor y = Functional.alphaDropout(x, p, true, false, new Generator(9));
    boolean[] k = kept(x.toDoubleArray(), y.toDoubleArray(), p);
    y.sum().backward();
    double[] g = x.grad().toDoubleArray();
    for (int i = 0; i < g.length; i++) {
      assertEquals(k[i] ? scale(p) : 0.0, g[i], 1e-15, "element " + i);
    }
    assertEquals("AddBackward0", y.gradFn().name());
  }

  @Test
  void featureAlphaDropoutDropsWholeChannels() {
    double p = 0.4;
    int n = 40;
    int c = 50;
    Tensor x = normal(10, n, c, 3, 4);
    Tensor y = Functional.featureAlphaDropout(x, p, true, false, new Generator(11));
    boolean[] k = kept(x.toDoubleArray(), y.toDoubleArray(), p);
    int droppedChannels = 0;
    for (int ch = 0; ch < n * c; ch++) {
      for (int j = 1; j < 12; j++) {
        assertEquals(k[ch * 12], k[ch * 12 + j], "channel " + ch + " is one draw");
      }
      droppedChannels += k[ch * 12] ? 0 : 1;
    }
    // 2000 draws: the standard deviation of the fraction is 0.011
    assertEquals(p, droppedChannels / (double) (n * c), 0.05);
  }

  @Test
  void theSameSeedGivesTheSameMaskAndInPlaceWritesTheInput() {
    Tensor x = normal(12, 30, 20);
    Tensor a = Functional.alphaDropout(x, 0.25, true, false, new Generator(5));
    Tensor b = Functional.alphaDropout(x, 0.25, true, false, new Generator(5));
    assertArrayEquals(a.toDoubleArray(), b.toDoubleArray());
    Tensor c = Functional.alphaDropout(x, 0.25, true, false, new Generator(6));
    assertTrue(!java.util.Arrays.equals(a.toDoubleArray(), c.toDoubleArray()));
    Tensor copy = x.clone();
    int v = copy.version();
    assertSame(copy, Functional.alphaDropout(copy, 0.25, true, true, new Generator(5)));
    assertArrayEquals(a.toDoubleArray(), copy.toDoubleArray(), 1e-15);
    assertTrue(copy.version() > v);
    Tensor f = Functional.featureAlphaDropout(normal(13, 4, 5, 2), 0.5, true, false,
        new Generator(1));
    Tensor g = Functional.featureAlphaDropout(normal(13, 4, 5, 2), 0.5, true, false,
        new Generator(1));
    assertArrayEquals(f.toDoubleArray(), g.toDoubleArray());
  }

  @Test
  void theModulesUseTheirModeAndIgnoreInplaceAsPyTorchDoes() {
    Tensor x = normal(14, 64, 32);
    double[] before = x.toDoubleArray();
    AlphaDropout drop = new AlphaDropout(0.3, true);
    Tensor y = drop.call(x);
    assertNotSame(x, y);
    assertArrayEquals(before, x.toDoubleArray(), "PyTorch's forward does not pass inplace on");
    kept(before, y.toDoubleArray(), 0.3);
    drop.eval();
    assertSame(x, drop.call(x));
    FeatureAlphaDropout feature = new FeatureAlphaDropout(0.3, true);
    Tensor z = normal(15, 8, 6, 5);
    Tensor fz = feature.call(z);
    assertNotSame(z, fz);
    kept(z.toDoubleArray(), fz.toDoubleArray(), 0.3);
    feature.eval();
    assertSame(z, feature.call(z));
  }
}
