package dev.jnn.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.GradCheck;
import dev.jnn.backend.AllocationStats;
import dev.jnn.backend.Backend;
import dev.jnn.backend.Backends;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Functional#scaledDotProductAttention} beyond the op registry's golden samples (which run
 * at {@code dropout_p = 0}): dropout by seed and by its statistics, fully masked rows (PyTorch
 * 2.5+'s {@code _safe_softmax}), the default scale, the causal mask against its bool form, jnn's
 * shape errors, and what the op keeps allocated (the allocator's accounting, not timings).
 */
class AttentionTest {
  private static Tensor rnd(long seed, DType dt, long... shape) {
    return Tensor.randn(Shape.of(shape), dt, new Generator(seed));
  }

  private static Tensor sdpa(Tensor q, Tensor k, Tensor v, Tensor mask, double p, long seed) {
    return Functional.scaledDotProductAttention(q, k, v, mask, p, false, null, new Generator(seed));
  }

  // ---------------------------------------------------------------- dropout

  @Test
  void dropoutIsDrawnFromTheGeneratorAndAppliedWithoutATrainingFlag() {
    Tensor q = rnd(1, DType.FLOAT32, 2, 6, 4);
    Tensor k = rnd(2, DType.FLOAT32, 2, 7, 4);
    Tensor v = rnd(3, DType.FLOAT32, 2, 7, 3);
    Tensor a = sdpa(q, k, v, null, 0.4, 11);
    Tensor b = sdpa(q, k, v, null, 0.4, 11);
    Tensor c = sdpa(q, k, v, null, 0.4, 12);
    Tensor none = Functional.scaledDotProductAttention(q, k, v);
    assertArrayEquals(a.toFloatArray(), b.toFloatArray(), "same seed, same mask");
    assertFalse(java.util.Arrays.equals(a.toFloatArray(), c.toFloatArray()), "another seed");
    assertFalse(java.util.Arrays.equals(a.toFloatArray(), none.toFloatArray()), "dropped");
    assertArrayEquals(none.toFloatArray(), sdpa(q, k, v, null, 0.0, 11).toFloatArray(),
        "p = 0 is no dropout");
    Tensor all = sdpa(q, k, v, null, 1.0, 11);
    for (float x : all.toFloatArray()) {
      assertEquals(0f, x, "p = 1 drops every weight");
    }
  }

  /**
   * With equal scores the weights are {@code 1/S}, and an identity {@code value} returns the
   * dropped weights themselves: a fraction {@code p} of zeros, the rest {@code 1 / (S (1 - p))}.
   */
  @Test
  void dropoutDropsAFractionPAndRescalesTheRest() {
    int l = 400;
    int s = 250;
    double p = 0.3;
    Tensor q = Tensor.zeros(Shape.of(l, 8), DType.FLOAT64, Device.CPU);
    Tensor k = Tensor.zeros(Shape.of(s, 8), DType.FLOAT64, Device.CPU);
    Tensor v = Tensor.eye(s, DType.FLOAT64, Device.CPU);
    double[] w = sdpa(q, k, v, null, p, 2024).toDoubleArray();
    double kept = 1.0 / (s * (1 - p));
    int zeros = 0;
    for (double x : w) {
      if (x == 0) {
        zeros++;
      } else {
        assertEquals(kept, x, 1e-15, "a kept weight is scaled by 1 / (1 - p)");
      }
    }
    double frac = zeros / (double) w.length;
    // 100000 draws: the standard deviation of the fraction is 0.0014; 0.01 is 7 of them
    assertEquals(p, frac, 0.01, "fraction dropped");
  }

  @Test
  void gradientsThroughDropoutPassTheFiniteDifferenceCheck() {
    Tensor q = rnd(4, DType.FLOAT64, 2, 3, 4).requiresGrad(true);
    Tensor k = rnd(5, DType.FLOAT64, 2, 5, 4).requiresGrad(true);
    Tensor v = rnd(6, DType.FLOAT64, 2, 5, 2).requiresGrad(true);
    Tensor m = rnd(7, DType.FLOAT64, 3, 5).requiresGrad(true);
    // a fresh generator of the same seed per evaluation: the same mask every time
    GradCheck.check(in -> sdpa(in.get(0), in.get(1), in.get(2), in.get(3), 0.3, 99), q, k, v, m);
  }

  // ---------------------------------------------------------------- fully masked rows

  @Test
  void fullyMaskedRowsGiveZerosAndNoGradientAsPyTorch25() {
    for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
      boolean[] allowed = new boolean[3 * 4];
      java.util.Arrays.fill(allowed, true);
      for (int j = 0; j < 4; j++) {
        allowed[4 + j] = false; // query row 1 may attend nothing
      }
      Tensor boolMask = Tensor.fromArray(allowed, 3, 4);
      double[] add = new double[3 * 4];
      for (int j = 0; j < 4; j++) {
        add[4 + j] = Double.NEGATIVE_INFINITY;
      }
      Tensor floatMask = Tensor.fromArray(add, 3, 4).to(dt);
      for (Tensor mask : List.of(boolMask, floatMask)) {
        Tensor q = rnd(8, dt, 2, 3, 5).requiresGrad(true);
        Tensor k = rnd(9, dt, 2, 4, 5).requiresGrad(true);
        Tensor v = rnd(10, dt, 2, 4, 6).requiresGrad(true);
        Tensor out = Functional.scaledDotProductAttention(q, k, v, mask);
        double[] o = out.toDoubleArray();
        for (int b = 0; b < 2; b++) {
          for (int j = 0; j < 6; j++) {
            assertEquals(0.0, o[b * 18 + 6 + j], "row 1 of batch " + b + " is 0");
            assertNotEquals(0.0, o[b * 18 + j], "row 0 attends");
          }
        }
        out.mul(rnd(11, dt, 2, 3, 6)).sum().backward();
        for (Tensor x : List.of(q, k, v)) {
          for (double g : x.grad().toDoubleArray()) {
            assertTrue(Double.isFinite(g), "finite gradients, no NaN from the masked row");
          }
        }
        double[] gq = q.grad().toDoubleArray();
        for (int b = 0; b < 2; b++) {
          for (int j = 0; j < 5; j++) {
            assertEquals(0.0, gq[b * 15 + 5 + j], "no gradient reaches the masked query row");
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- defaults and equivalences

  @Test
  void theDefaultScaleIsOneOverSqrtE() {
    Tensor q = rnd(12, DType.FLOAT64, 2, 3, 9);
    Tensor k = rnd(13, DType.FLOAT64, 2, 4, 9);
    Tensor v = rnd(14, DType.FLOAT64, 2, 4, 2);
    assertArrayEquals(
        Functional.scaledDotProductAttention(q, k, v, null, 0, false, 1.0 / 3).toDoubleArray(),
        Functional.scaledDotProductAttention(q, k, v).toDoubleArray());
  }

  @Test
  void theCausalMaskIsTheLowerTriangleAlignedTopLeft() {
    for (long[] ls : new long[][] {{4, 4}, {3, 5}, {5, 3}}) {
      Tensor q = rnd(15, DType.FLOAT64, 2, ls[0], 4);
      Tensor k = rnd(16, DType.FLOAT64, 2, ls[1], 4);
      Tensor v = rnd(17, DType.FLOAT64, 2, ls[1], 3);
      Tensor tril = Tensor.ones(Shape.of(ls[0], ls[1]), DType.FLOAT64, Device.CPU).tril().ne(0);
      assertArrayEquals(
          Functional.scaledDotProductAttention(q, k, v, tril).toDoubleArray(),
          Functional.scaledDotProductAttention(q, k, v, null, 0, true).toDoubleArray(),
          1e-15, "L=" + ls[0] + " S=" + ls[1]);
    }
  }

  // ---------------------------------------------------------------- jnn's shape errors

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void mismatchedShapesNameTheOpAndTheShapes() {
    Tensor q = Tensor.zeros(2, 3, 4);
    assertEquals("scaled_dot_product_attention: query [2, 3, 4] and key [2, 5, 6] must have the"
            + " same embedding size E (last dim), got 4 and 6",
        message(() -> Functional.scaledDotProductAttention(q, Tensor.zeros(2, 5, 6),
            Tensor.zeros(2, 5, 2))));
    assertEquals("scaled_dot_product_attention: key [2, 5, 4] and value [2, 6, 2] must have the"
            + " same sequence length S (dim -2), got 5 and 6",
        message(() -> Functional.scaledDotProductAttention(q, Tensor.zeros(2, 5, 4),
            Tensor.zeros(2, 6, 2))));
    assertEquals("The size of tensor a (2) must match the size of tensor b (3) at non-singleton"
            + " dimension 0 (scaled_dot_product_attention: batch dims of query and key: shapes"
            + " [2] and [3])",
        message(() -> Functional.scaledDotProductAttention(q, Tensor.zeros(3, 5, 4),
            Tensor.zeros(3, 5, 2))));
    assertEquals("scaled_dot_product_attention: expected floating-point query, key and value, got"
            + " Long",
        message(() -> Functional.scaledDotProductAttention(q.toLong(),
            Tensor.zeros(2, 5, 4).toLong(), Tensor.zeros(2, 5, 2).toLong())));
    assertEquals("output with shape [2, 3, 5] doesn't match the broadcast shape [2, 2, 3, 5]"
            + " (scaled_dot_product_attention: attn_mask [2, 1, 3, 5] must broadcast to the"
            + " attention weights' shape [2, 3, 5])",
        message(() -> Functional.scaledDotProductAttention(q, Tensor.zeros(2, 5, 4),
            Tensor.zeros(2, 5, 2), Tensor.zeros(2, 1, 3, 5))));
  }

  // ---------------------------------------------------------------- memory

  /**
   * What the op allocates, from the CPU allocator's accounting: with the graph alive, the scores
   * are gone and only the weights (the softmax's output, which its backward needs) remain of the
   * {@code [B, H, L, S]} matrices; at the peak, two of them existed (scores and weights) while a
   * composition of matmul, mul, add and softmax would hold four. The causal mask is {@code [L,
   * S]}, a quarter of one here.
   */
  @Test
  void onlyTheWeightsOutliveTheForwardAndTheScoresAreFreed() {
    Backend cpu = Backends.cpu();
    long b = 2;
    long h = 2;
    long l = 96;
    long s = 96;
    long e = 4;
    long matrix = b * h * l * s * 4; // float32 bytes of one attention matrix
    Tensor q = rnd(20, DType.FLOAT32, b, h, l, e).requiresGrad(true);
    Tensor k = rnd(21, DType.FLOAT32, b, h, s, e).requiresGrad(true);
    Tensor v = rnd(22, DType.FLOAT32, b, h, s, e).requiresGrad(true);
    long small = b * h * l * e * 4; // one of q, k, v, the output
    for (boolean causal : new boolean[] {false, true}) {
      AllocationStats s0 = cpu.allocationStats(Device.CPU);
      cpu.resetPeakAllocation(Device.CPU);
      Tensor out = Functional.scaledDotProductAttention(q, k, v, null, 0, causal);
      AllocationStats s1 = cpu.allocationStats(Device.CPU);
      long live = s1.allocatedBytes() - s0.allocatedBytes();
      long peak = s1.peakAllocatedBytes() - s0.allocatedBytes();
      long mask = causal ? l * s * 4 : 0;
      assertTrue(live <= matrix + mask + 2 * small,
          "after the forward: " + live + " bytes live, one matrix is " + matrix);
      assertTrue(peak <= 2 * matrix + mask + 3 * small,
          "peak " + peak + " bytes, one matrix is " + matrix);
      out.sum().backward();
    }
  }
}
