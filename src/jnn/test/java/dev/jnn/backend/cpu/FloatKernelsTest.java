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
  void hardtanhBackwardPassesStrictlyInsideAndOnNaN() {
    Random r = new Random(21);
    float[][] bounds = {{0f, 6f}, {-1f, 1f}, {0f, 0f}, {-0f, 1f}, {Float.NEGATIVE_INFINITY, 0f}};
    for (float[] b : bounds) {
      for (int n : new int[] {0, 1, 7, 15, 16, 17, 33, 1000}) {
        float[] g = data(r, n + 1);
        float[] x = data(r, n + 2);
        for (int i = 0; i < n; i += 5) {
          x[2 + i] = r.nextBoolean() ? b[0] : b[1];  // the kinks
        }
        float[] scalar = new float[n];
        float[] dispatched = new float[n + 3];
        FloatKernels.hardtanhBackwardScalar(g, 1, x, 2, b[0], b[1], scalar, 0, n);
        FloatKernels.hardtanhBackward(g, 1, x, 2, b[0], b[1], dispatched, 3, n);
        for (int i = 0; i < n; i++) {
          float v = x[2 + i];
          float e = v <= b[0] || v >= b[1] ? 0f : g[1 + i];
          String what = "[" + b[0] + ", " + b[1] + "] n=" + n + " i=" + i + " x=" + v;
          assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(scalar[i]), what);
          assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(dispatched[3 + i]),
              "dispatched " + what);
        }
      }
    }
    // in place: the output is the gradient's array
    float[] g = data(r, 40);
    float[] x = data(r, 40);
    float[] expected = new float[40];
    FloatKernels.hardtanhBackwardScalar(g, 0, x, 0, -1f, 1f, expected, 0, 40);
    FloatKernels.hardtanhBackward(g, 0, x, 0, -1f, 1f, g, 0, 40);
    for (int i = 0; i < 40; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(g[i]), "i=" + i);
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

  /** Every SGD option, at lengths around the vector width and from offsets, with NaN and infinity. */
  @Test
  void sgdMatchesTheUnfusedArithmetic() {
    Random r = new Random(4);
    for (int n : new int[] {1, 15, 16, 37, 100}) {
      for (int variant = 0; variant < 32; variant++) {
        boolean momentum = (variant & 1) != 0;
        boolean wd = (variant & 2) != 0;
        boolean nesterov = momentum && (variant & 4) != 0;
        boolean first = (variant & 8) != 0;
        boolean maximize = (variant & 16) != 0;
        float[] p = data(r, n + 2);
        float[] g = data(r, n + 1);
        float[] b = data(r, n + 3);
        float[] p2 = p.clone();
        float[] b2 = b.clone();
        float[] p3 = p.clone();
        float[] b3 = b.clone();
        float lr = 0.05f;
        float m = 0.9f;
        float damp1 = nesterov ? 1f : 0.75f;
        float w = wd ? 0.01f : 0f;
        FloatKernels.sgd(p, 2, g, 1, momentum ? b : null, 3, n, lr, m, damp1, w, nesterov,
            maximize, first);
        FloatKernels.sgdScalar(p3, 2, g, 1, momentum ? b3 : null, 3, n, lr, m, damp1, w,
            nesterov, maximize, first);
        String what = "n " + n + " variant " + variant;
        for (int i = 0; i < n; i++) {
          float d = maximize ? -g[1 + i] : g[1 + i];
          if (wd) {
            d = d + p2[2 + i] * w;
          }
          if (momentum) {
            float v = b2[3 + i];
            v = first ? d : (damp1 == 1f ? v * m + d : v * m + d * damp1);
            b2[3 + i] = v;
            d = nesterov ? d + v * m : v;
          }
          p2[2 + i] = p2[2 + i] + d * -lr;
        }
        assertBits(p2, p, what);
        assertBits(p2, p3, what + " scalar");
        if (momentum) {
          assertBits(b2, b, what + " buf");
          assertBits(b2, b3, what + " buf scalar");
        }
      }
    }
  }

  /** Adam and AdamW with every option, dispatched (vector body + scalar tail) and scalar. */
  @Test
  void adamMatchesTheUnfusedArithmetic() {
    Random r = new Random(5);
    for (int n : new int[] {1, 15, 16, 37, 100}) {
      for (int variant = 0; variant < 16; variant++) {
        boolean wd = (variant & 1) != 0;
        boolean decoupled = (variant & 2) != 0;
        boolean amsgrad = (variant & 4) != 0;
        boolean maximize = (variant & 8) != 0;
        float[] p = data(r, n + 1);
        float[] g = data(r, n + 2);
        float[] m = data(r, n + 3);
        float[] v = abs(data(r, n + 1));
        float[] vmax = abs(data(r, n + 2));
        float[][] expect = {p.clone(), m.clone(), v.clone(), vmax.clone()};
        float[][] scalar = {p.clone(), m.clone(), v.clone(), vmax.clone()};
        float w = wd ? 0.01f : 0f;
        float decay = decoupled ? 1f - 1e-3f * w : 1f;
        float omb1 = 0.1f;
        float b2 = 0.999f;
        float omb2 = 1e-3f;
        float bc2 = 0.0316f;
        float eps = 1e-8f;
        float nss = -1e-3f;
        FloatKernels.adam(p, 1, g, 2, m, 3, v, 1, amsgrad ? vmax : null, 2, n, w, decay, omb1, b2,
            omb2, bc2, eps, nss, maximize, decoupled);
        FloatKernels.adamScalar(scalar[0], 1, g, 2, scalar[1], 3, scalar[2], 1,
            amsgrad ? scalar[3] : null, 2, n, w, decay, omb1, b2, omb2, bc2, eps, nss, maximize,
            decoupled);
        float[] pe = expect[0];
        float[] me = expect[1];
        float[] ve = expect[2];
        float[] xe = expect[3];
        for (int i = 0; i < n; i++) {
          float gi = maximize ? -g[2 + i] : g[2 + i];
          float pi = pe[1 + i];
          if (wd) {
            if (decoupled) {
              pi = pi * decay;
            } else {
              gi = gi + pi * w;
            }
          }
          float mi = me[3 + i] + (gi - me[3 + i]) * omb1;
          me[3 + i] = mi;
          float vi = ve[1 + i] * b2 + (gi * gi) * omb2;
          ve[1 + i] = vi;
          if (amsgrad) {
            float mx = xe[2 + i];
            mx = Float.isNaN(mx) ? mx : Float.isNaN(vi) ? vi : Math.max(mx, vi);
            xe[2 + i] = mx;
            vi = mx;
          }
          float d = (float) Math.sqrt(vi) / bc2 + eps;
          pe[1 + i] = pi + (mi / d) * nss;
        }
        String what = "n " + n + " variant " + variant;
        assertBits(pe, p, what + " param");
        assertBits(me, m, what + " exp_avg");
        assertBits(ve, v, what + " exp_avg_sq");
        assertBits(xe, vmax, what + " max_exp_avg_sq");
        for (int k = 0; k < 4; k++) {
          assertBits(expect[k], scalar[k], what + " scalar, array " + k);
        }
      }
    }
  }

  private static float[] abs(float[] a) {
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.abs(a[i]);
    }
    return a;
  }

  /** Equal bit patterns, NaNs of any payload counting as equal. */
  private static void assertBits(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
          what + ", element " + i + ": expected " + expected[i] + ", got " + actual[i]);
    }
  }

  /**
   * The float clamp loop (ReLU6, hardtanh) equals UnaryOp.CLAMP's double definition bit for bit:
   * NaNs kept, absent (NaN) bounds, bounds not representable in float, and lo > hi.
   */
  @Test
  void scalarClampKeepsSignedZerosAndNaNAsTheDoubleDefinition() {
    float[] special = {0f, -0f, 1f, -1f, 6f, 7f, -7f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, 0.5f, -0.5f};
    double[] bounds = {0.0, -0.0, 6, -1, 0.5, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Float.MIN_VALUE};
    float[] o = new float[special.length + 2];
    for (double lo : bounds) {
      for (double hi : bounds) {
        var f = CpuBackend.unaryFn(dev.jnn.backend.UnaryOp.CLAMP, lo, hi);
        float l = Double.isNaN(lo) ? Float.NEGATIVE_INFINITY : (float) lo;
        float h = Double.isNaN(hi) ? Float.POSITIVE_INFINITY : (float) hi;
        FloatKernels.clampScalar(special, 0, l, h, o, 1, special.length);
        for (int i = 0; i < special.length; i++) {
          float e = (float) f.applyAsDouble(special[i]);
          assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(o[1 + i]),
              "bounds " + lo + ", " + hi + " x=" + special[i]);
        }
        // in place
        float[] y = special.clone();
        FloatKernels.clampScalar(y, 0, l, h, y, 0, y.length);
        for (int i = 0; i < special.length; i++) {
          assertEquals(Float.floatToIntBits(o[1 + i]), Float.floatToIntBits(y[i]));
        }
      }
    }
  }

  @Test
  void clampMatchesTheDoubleDefinition() {
    Random r = new Random(7);
    double[][] bounds = {{0, 6}, {-1, 1}, {0.1, 0.7}, {Double.NaN, 0.5}, {-0.3, Double.NaN},
        {Double.NaN, Double.NaN}, {2, -2}, {-1e300, 1e300}};
    for (double[] b : bounds) {
      var f = CpuBackend.unaryFn(dev.jnn.backend.UnaryOp.CLAMP, b[0], b[1]);
      for (int n : new int[] {0, 1, 17, 1000}) {
        float[] x = data(r, n + 3);
        float[] o = new float[n + 5];
        FloatKernels.clamp(x, 3, b[0], b[1], o, 2, n);
        for (int i = 0; i < n; i++) {
          float e = (float) f.applyAsDouble(x[3 + i]);
          assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(o[2 + i]),
              "bounds " + b[0] + ", " + b[1] + " x=" + x[3 + i]);
        }
      }
    }
  }
}
