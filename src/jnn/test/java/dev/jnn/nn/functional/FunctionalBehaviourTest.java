package dev.jnn.nn.functional;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Behaviour that golden values cannot pin down: randomness, modes, in-place state, edge sizes. */
class FunctionalBehaviourTest {

  @Test
  void dropoutScalesSurvivorsAndIsSeeded() {
    Tensor x = Tensor.ones(Shape.of(100, 100), DType.FLOAT32, Device.CPU);
    Tensor a = Functional.dropout(x, 0.3, true, new Generator(5));
    Tensor b = Functional.dropout(x, 0.3, true, new Generator(5));
    assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    int zeros = 0;
    for (float v : a.toFloatArray()) {
      if (v == 0f) {
        zeros++;
      } else {
        assertEquals(1f / 0.7f, v, 1e-6f);
      }
    }
    assertTrue(Math.abs(zeros - 3000) < 300, "dropped " + zeros + " of 10000");
    assertSame(x, Functional.dropout(x, 0.3, false));
    assertSame(x, Functional.dropout(x, 0.0, true));
    assertEquals(0.0, Functional.dropout(x, 1.0, true).abs().sum().item());
  }

  @Test
  void dropoutGradientIsTheMask() {
    Tensor x = Tensor.randn(Shape.of(10, 10), DType.FLOAT64, new Generator(1)).requiresGrad(true);
    Tensor y = Functional.dropout(x, 0.5, true, new Generator(9));
    y.sum().backward();
    double[] g = x.grad().toDoubleArray();
    double[] yv = y.toDoubleArray();
    for (int i = 0; i < g.length; i++) {
      assertEquals(yv[i] == 0.0 ? 0.0 : 2.0, g[i], 0.0);
    }
  }

  @Test
  void batchNormUpdatesRunningStatsOnlyInTraining() {
    Tensor x = Tensor.randn(Shape.of(8, 2, 3), DType.FLOAT64, new Generator(3));
    Tensor rm = Tensor.zeros(Shape.of(2), DType.FLOAT64, Device.CPU);
    Tensor rv = Tensor.ones(Shape.of(2), DType.FLOAT64, Device.CPU);
    int v0 = rm.version();
    Functional.batchNorm(x, rm, rv, null, null, false, 0.1, 1e-5);
    assertArrayEquals(new double[] {0, 0}, rm.toDoubleArray());
    Functional.batchNorm(x, rm, rv, null, null, true, 1.0, 1e-5);
    assertTrue(rm.version() > v0, "in-place update bumps the version");
    Tensor mean = x.mean(new int[] {0, 2}, false);
    Tensor var = x.var(new int[] {0, 2}, 1, false);
    assertTensorClose(mean, rm, 1e-12, 1e-12, "running mean (momentum 1)");
    assertTensorClose(var, rv, 1e-12, 1e-12, "running var is unbiased");
  }

  @Test
  void batchNormRunningStatsDoNotRecordGradients() {
    Tensor x = Tensor.randn(Shape.of(4, 3), DType.FLOAT32, new Generator(3)).requiresGrad(true);
    Tensor rm = Tensor.zeros(3);
    Tensor rv = Tensor.ones(3);
    Functional.batchNorm(x, rm, rv, null, null, true, 0.1, 1e-5).sum().backward();
    assertTrue(!rm.requiresGrad() && rm.gradFn() == null);
  }

  @Test
  void fusedCrossEntropyEqualsLogSoftmaxThenNll() {
    Generator g = new Generator(11);
    Tensor x = Tensor.randn(Shape.of(7, 5), DType.FLOAT64, g).requiresGrad(true);
    Tensor x2 = x.detach().clone().requiresGrad(true);
    Tensor t = Tensor.fromArray(new long[] {0, 4, 2, 2, 1, 3, -100}, 7);
    Tensor w = Tensor.fromArray(new double[] {0.5, 1, 2, 1.5, 0.25}, 5);
    Tensor a = Functional.crossEntropy(x, t, w, -100, Reduction.MEAN, 0);
    Tensor b = Functional.nllLoss(Functional.logSoftmax(x2, 1), t, w, -100, Reduction.MEAN);
    assertTensorClose(b, a, 1e-12, 1e-12, "loss");
    a.backward();
    b.backward();
    assertTensorClose(x2.grad(), x.grad(), 1e-12, 1e-12, "grad");
  }

  @Test
  void allIgnoredMeanIsNaN() {
    Tensor x = Tensor.randn(Shape.of(2, 3), DType.FLOAT32, new Generator(2));
    Tensor t = Tensor.fromArray(new long[] {-100, -100}, 2);
    assertTrue(Double.isNaN(Functional.crossEntropy(x, t).item()));
    assertEquals(0.0, Functional.crossEntropy(x, t, Reduction.SUM).item());
  }

  @Test
  void emptyBatchConvolution() {
    Tensor x = Tensor.zeros(Shape.of(0, 3, 8, 8), DType.FLOAT32, Device.CPU).requiresGrad(true);
    Tensor w = Tensor.randn(Shape.of(4, 3, 3, 3), DType.FLOAT32, new Generator(1)).requiresGrad(true);
    Tensor y = Functional.conv2d(x, w);
    assertEquals(Shape.of(0, 4, 6, 6), y.shape());
    y.sum().backward();
    assertEquals(0.0, w.grad().abs().sum().item());
  }

  @Test
  void nonContiguousInputsAreAccepted() {
    Generator g = new Generator(4);
    Tensor x = Tensor.randn(Shape.of(2, 6, 6, 3), DType.FLOAT64, g);
    Tensor xp = x.permute(0, 3, 1, 2); // [2, 3, 6, 6], channels-last layout
    Tensor w = Tensor.randn(Shape.of(4, 3, 3, 3), DType.FLOAT64, g);
    Tensor ref = Functional.conv2d(xp.contiguous(), w, null, new int[] {1}, new int[] {1}, new int[] {1}, 1);
    Tensor got = Functional.conv2d(xp, w, null, new int[] {1}, new int[] {1}, new int[] {1}, 1);
    assertTensorClose(ref, got, "conv of a permuted view");
    assertTensorClose(Functional.softmax(xp.contiguous(), 1), Functional.softmax(xp, 1), "softmax");
    assertTensorClose(Functional.maxPool2d(xp.contiguous(), 2), Functional.maxPool2d(xp, 2), "pool");
  }

  @Test
  void softmaxOfMinusInfinityRowsAndExtremes() {
    Tensor x = Tensor.fromArray(new float[] {Float.NEGATIVE_INFINITY, 0f, 88f, 89f}, 2, 2);
    float[] s = Functional.softmax(x, 1).toFloatArray();
    assertEquals(0f, s[0]);
    assertEquals(1f, s[1]);
    assertEquals(1f, s[2] + s[3], 1e-6f);
    float[] l = Functional.logSoftmax(x, 1).toFloatArray();
    assertEquals(Float.NEGATIVE_INFINITY, l[0]);
    assertEquals(0f, l[1]);
  }

  @Test
  void scalarSoftmaxAndNoGradPaths() {
    assertEquals(1.0, Functional.softmax(Tensor.scalar(3.0), 0).item());
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor x = Tensor.randn(Shape.of(2, 3, 5, 5), DType.FLOAT32, new Generator(1)).requiresGrad(true);
      Tensor w = Tensor.randn(Shape.of(4, 3, 3, 3), DType.FLOAT32, new Generator(2)).requiresGrad(true);
      Tensor y = Functional.conv2d(x, w);
      assertTrue(!y.requiresGrad() && y.gradFn() == null);
    }
  }
}
