package dev.jnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The branch-free element-wise loops, scalar and (when the Vector API is enabled) vector, against
 * their plain definitions on awkward values: signed zeros, infinities, NaNs (both signs),
 * subnormals, at lengths that exercise the vector tails.
 */
class FloatKernelsTest {
  private static final float[] SPECIAL = {
    0f, -0f, 1f, -1f, Float.NaN, Float.intBitsToFloat(0xffc00000), Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE
  };

  private static float[] data(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextInt(4) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian();
    }
    return a;
  }

  @Test
  void reluIsMathMax() {
    Random r = new Random(1);
    for (int n : new int[] {0, 1, 15, 16, 17, 100, 1000}) {
      float[] x = data(r, n + 3);
      float[] o = new float[n + 5];
      FloatKernels.relu(x, 3, o, 2, n);
      float[] os = new float[n + 5];
      FloatKernels.reluScalar(x, 3, os, 2, n);
      for (int i = 0; i < n; i++) {
        float e = Math.max(x[3 + i], 0f);
        assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(o[2 + i]), "n=" + n + " i=" + i);
        assertEquals(
            Float.floatToRawIntBits(e), Float.floatToRawIntBits(os[2 + i]), "scalar n=" + n + " i=" + i);
      }
    }
  }

  @Test
  void reluBackwardPassesWhereOutputPositive() {
    Random r = new Random(2);
    for (int n : new int[] {0, 1, 15, 16, 33, 1000}) {
      float[] g = data(r, n + 1);
      float[] y = data(r, n + 2);
      float[] scalar = new float[n];
      float[] dispatched = new float[n];
      FloatKernels.reluBackwardScalar(g, 1, y, 2, scalar, 0, n);
      FloatKernels.reluBackward(g, 1, y, 2, dispatched, 0, n);
      for (int i = 0; i < n; i++) {
        float e = y[2 + i] > 0f ? g[1 + i] : 0f;
        assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(scalar[i]), "scalar i=" + i);
        assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(dispatched[i]), "i=" + i);
      }
    }
  }

  @Test
  void reluBackwardWithOneGradientValue() {
    Random r = new Random(5);
    float[] y = data(r, 300);
    for (float g : new float[] {1f, -2.5f, Float.NaN, -0f}) {
      float[] o = new float[300];
      FloatKernels.reluBackwardUniform(g, y, 0, o, 0, 300);
      for (int i = 0; i < 300; i++) {
        float e = y[i] > 0f ? g : 0f;
        assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(o[i]), "g=" + g + " i=" + i);
      }
    }
  }

  @Test
  void sumIsAccurate() {
    Random r = new Random(3);
    for (int n : new int[] {0, 1, 7, 8, 9, 100, 4095, 4096, 4097, 100_000}) {
      float[] x = new float[n + 1];
      double exact = 0;
      for (int i = 0; i < n; i++) {
        x[1 + i] = (float) r.nextGaussian();
        exact += x[1 + i];
      }
      double tol = 1e-6 * Math.max(1, Math.sqrt(n)) * 4;
      assertEquals(exact, FloatKernels.sumScalar(x, 1, n), tol, "scalar n=" + n);
      assertEquals(exact, FloatKernels.sum(x, 1, n), tol, "n=" + n);
    }
    float[] nan = {1f, Float.NaN, 2f};
    assertEquals(Double.NaN, FloatKernels.sum(nan, 0, 3));
    assertEquals(Double.NaN, FloatKernels.sumScalar(nan, 0, 3));
  }

  @Test
  void sgdMatchesTheUnfusedArithmetic() {
    Random r = new Random(4);
    int n = 37;
    for (int variant = 0; variant < 16; variant++) {
      boolean momentum = (variant & 1) != 0;
      boolean wd = (variant & 2) != 0;
      boolean nesterov = momentum && (variant & 4) != 0;
      boolean first = (variant & 8) != 0;
      float[] p = data(r, n);
      float[] g = data(r, n);
      float[] b = data(r, n);
      float[] p2 = p.clone();
      float[] b2 = b.clone();
      float lr = 0.05f;
      float m = 0.9f;
      float damp1 = nesterov ? 1f : 0.75f;
      float w = wd ? 0.01f : 0f;
      FloatKernels.sgd(p, 0, g, 0, momentum ? b : null, 0, n, lr, m, damp1, w, nesterov, false, first);
      for (int i = 0; i < n; i++) {
        float d = g[i];
        if (wd) {
          d = d + p2[i] * w;
        }
        if (momentum) {
          b2[i] = first ? d : (damp1 == 1f ? b2[i] * m + d : b2[i] * m + d * damp1);
          d = nesterov ? d + b2[i] * m : b2[i];
        }
        p2[i] = p2[i] + d * -lr;
        assertEquals(Float.floatToIntBits(p2[i]), Float.floatToIntBits(p[i]), "variant " + variant);
        if (momentum) {
          assertEquals(Float.floatToIntBits(b2[i]), Float.floatToIntBits(b[i]), "buf " + variant);
        }
      }
    }
  }
}
