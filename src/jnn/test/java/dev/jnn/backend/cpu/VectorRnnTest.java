package dev.jnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The float32 activations of the fused recurrent cells' vector path ({@link VectorRnn}) against
 * {@code Math.exp}/{@code Math.tanh} in double: a dense sweep of [-20, 20], the branch points of
 * {@code tanh}, the clamping edges of {@code exp}, extreme values, infinities and NaN; and the
 * vector rows against the scalar rows of {@link CpuRnn} at widths with and without a tail.
 */
class VectorRnnTest {
  private static int lanes() {
    return FloatVector.SPECIES_PREFERRED.length();
  }

  /** Applies {@code f} lane by lane to {@code xs} (padded to whole vectors). */
  private static float[] apply(java.util.function.UnaryOperator<FloatVector> f, float[] xs) {
    int v = lanes();
    int n = (xs.length + v - 1) / v * v;
    float[] in = java.util.Arrays.copyOf(xs, n);
    float[] out = new float[n];
    for (int i = 0; i < n; i += v) {
      f.apply(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, in, i)).intoArray(out, i);
    }
    return out;
  }

  private static float ulps(float got, double exact) {
    float e = (float) exact;
    if (Float.isNaN(e) || Float.isNaN(got)) {
      return Float.isNaN(e) == Float.isNaN(got) ? 0 : Float.POSITIVE_INFINITY;
    }
    return (float) (Math.abs(got - exact) / Math.ulp(Math.max(Math.abs(e), Float.MIN_NORMAL)));
  }

  private static float[] sweep() {
    java.util.List<Float> v = new java.util.ArrayList<>();
    for (int i = -20000; i <= 20000; i++) {
      v.add(i / 1000f);
    }
    float[] special = {
      0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, 1e-7f, -1e-7f, 0.49999997f, 0.5f, -0.5f,
      0.50000006f, 87.5f, -87.5f, 88f, -88f, 100f, -100f, 1e30f, -1e30f, Float.MAX_VALUE,
      -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN
    };
    for (float s : special) {
      v.add(s);
    }
    float[] a = new float[v.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = v.get(i);
    }
    return a;
  }

  @Test
  void sigmoidAndTanhAreWithinAFewUlps() {
    assumeTrue(CpuFeatures.vectorEnabled(), "the Vector API is not enabled in this JVM");
    float[] xs = sweep();
    float[] sig = apply(VectorRnn::sigmoid, xs);
    float[] th = apply(VectorRnn::tanh, xs);
    float worstSig = 0;
    float worstTanh = 0;
    for (int i = 0; i < xs.length; i++) {
      double x = xs[i];
      double es = 1.0 / (1.0 + Math.exp(-x));
      double et = Math.tanh(x);
      // below 2^-126 (sigmoid of x < -87) the vector path gives 0 or a subnormal: absolute error
      float us = Math.abs(es) < Float.MIN_NORMAL ? (Math.abs(sig[i] - es) < 1e-37 ? 0 : 99)
          : ulps(sig[i], es);
      float ut = ulps(th[i], et);
      assertTrue(us <= 3, "sigmoid(" + xs[i] + ") = " + sig[i] + ", expected " + es);
      assertTrue(ut <= 3, "tanh(" + xs[i] + ") = " + th[i] + ", expected " + et);
      worstSig = Math.max(worstSig, us);
      worstTanh = Math.max(worstTanh, ut);
    }
    // odd symmetry and the signed zero
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(apply(VectorRnn::tanh, new float[] {-0f})[0]));
    System.out.println("VectorRnn: worst sigmoid " + worstSig + " ulp, tanh " + worstTanh + " ulp");
  }

  @Test
  void vectorRowsMatchScalarRows() {
    assumeTrue(CpuFeatures.vectorEnabled(), "the Vector API is not enabled in this JVM");
    Random r = new Random(7);
    for (int h : new int[] {1, lanes() - 1, lanes(), 2 * lanes() + 3}) {
      for (boolean bias : new boolean[] {false, true}) {
        float[] ig = gauss(r, 2 + 4 * h);
        float[] hg = gauss(r, 1 + 4 * h);
        float[] bi = bias ? gauss(r, 4 * h) : null;
        float[] bh = bias ? gauss(r, 3 + 4 * h) : null;
        float[] cx = gauss(r, 5 + h);
        float[][] v = {new float[h], new float[h], new float[4 * h]};
        float[][] s = {new float[h], new float[h], new float[4 * h]};
        VectorRnn.lstmRow(ig, 2, hg, 1, bi, 0, bh, 3, cx, 5, v[0], v[1], 0, v[2], 0, h);
        CpuRnn.lstmRowF(ig, 2, hg, 1, bi, 0, bh, 3, cx, 5, s[0], s[1], 0, s[2], 0, h, 0);
        close("lstm h=" + h, s, v);
        float[] gh = gauss(r, h);
        float[] gc = gauss(r, h);
        float[][] vb = {new float[4 * h], new float[h]};
        float[][] sb = {new float[4 * h], new float[h]};
        VectorRnn.lstmBackwardRow(gh, 0, gc, 0, cx, 5, s[1], 0, s[2], 0, vb[0], 0, vb[1], 0, h);
        CpuRnn.lstmBackwardRowF(gh, 0, gc, 0, cx, 5, s[1], 0, s[2], 0, sb[0], 0, sb[1], 0, h, 0);
        close("lstm backward h=" + h, sb, vb);
        float[][] gv = {new float[h], new float[5 * h]};
        float[][] gs = {new float[h], new float[5 * h]};
        float[] ig3 = gauss(r, 3 * h);
        float[] hg3 = gauss(r, 3 * h);
        float[] bi3 = bias ? gauss(r, 3 * h) : null;
        float[] bh3 = bias ? gauss(r, 3 * h) : null;
        VectorRnn.gruRow(ig3, 0, hg3, 0, bi3, 0, bh3, 0, cx, 5, gv[0], 0, gv[1], 0, h);
        CpuRnn.gruRowF(ig3, 0, hg3, 0, bi3, 0, bh3, 0, cx, 5, gs[0], 0, gs[1], 0, h, 0);
        close("gru h=" + h, gs, gv);
        float[][] gvb = {new float[3 * h], new float[3 * h], new float[h]};
        float[][] gsb = {new float[3 * h], new float[3 * h], new float[h]};
        VectorRnn.gruBackwardRow(gh, 0, gs[1], 0, gvb[0], gvb[1], 0, gvb[2], 0, h);
        CpuRnn.gruBackwardRowF(gh, 0, gs[1], 0, gsb[0], gsb[1], 0, gsb[2], 0, h, 0);
        close("gru backward h=" + h, gsb, gvb);
      }
    }
  }

  private static float[] gauss(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (2 * r.nextGaussian());
    }
    return a;
  }

  private static void close(String what, float[][] expected, float[][] got) {
    for (int k = 0; k < expected.length; k++) {
      for (int i = 0; i < expected[k].length; i++) {
        float e = expected[k][i];
        assertEquals(e, got[k][i], 1e-6f * Math.max(1f, Math.abs(e)),
            what + ": output " + k + " element " + i);
      }
    }
  }
}
