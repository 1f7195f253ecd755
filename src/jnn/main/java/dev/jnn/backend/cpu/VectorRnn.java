package dev.jnn.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 rows of {@link CpuRnn} on whole vectors; the units past the last whole vector use
 * {@link CpuRnn}'s scalar activations. Only loaded when {@link CpuFeatures#vectorEnabled()}.
 *
 * <p>The activations are computed here from {@link #exp}, a Cody-Waite range reduction and a
 * degree-7 Taylor polynomial with plain multiplies and adds (so the results do not depend on
 * whether the JVM intrinsifies the Vector API's transcendental operations, which JDK 17 does only
 * on x86 with its SVML stubs, or on hardware FMA): about 1 ulp off the correctly rounded {@code
 * exp}; {@code sigmoid(x) = 1 / (1 + exp(-x))}; {@code tanh} from an odd Taylor polynomial below
 * |x| = 0.5 and {@code (1 - e) / (1 + e)} with {@code e = exp(-2x)} above; both within 3 ulp of
 * the correctly rounded values ({@code VectorRnnTest}). The scalar loops compute the activations
 * in double and round once, so a unit's activations differ between the two paths by a few ulp at
 * most.
 */
final class VectorRnn {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int V = S.length();

  private static final float LOG2E = 1.44269504f;
  /** ln 2 split in two: the high part has 9 significant bits, so {@code n * LN2_HI} is exact. */
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer in the low bits. */
  private static final float ROUND = 12582912f;
  private static final int ROUND_BITS = 0x4B400000;
  /** exp's input range: below, 2^n would leave the normal range; above, exp overflows. */
  private static final float EXP_MIN = -87.5f;
  private static final float EXP_MAX = 88f;
  /** Below this |x|, tanh is the odd polynomial (no cancellation in {@code 1 - e}). */
  private static final float TANH_SMALL = 0.5f;

  private VectorRnn() {}

  /**
   * {@code exp(x)}: {@code x = n ln2 + r} with {@code n} the nearest integer to {@code x / ln2}
   * and {@code |r| <= ln2 / 2}, {@code exp(r)} from its Taylor polynomial to {@code r^7}
   * (truncation below 6e-9 relative), scaled by {@code 2^n} built in the exponent bits. Inputs are
   * clamped to [-87.5, 88] (what sigmoid and tanh need: the results saturate there); NaN stays
   * NaN.
   */
  static FloatVector exp(FloatVector x) {
    FloatVector c = x.max(EXP_MIN).min(EXP_MAX);
    FloatVector t = c.mul(LOG2E).add(ROUND);
    FloatVector n = t.sub(ROUND);
    FloatVector r = c.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
    FloatVector p = r.mul(1f / 5040f).add(1f / 720f);
    p = p.mul(r).add(1f / 120f);
    p = p.mul(r).add(1f / 24f);
    p = p.mul(r).add(1f / 6f);
    p = p.mul(r).add(0.5f);
    p = p.mul(r).add(1f);
    p = p.mul(r).add(1f);
    IntVector e = (IntVector) t.reinterpretAsInts();
    FloatVector scale =
        e.sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return p.mul(scale);
  }

  /** {@code 1 / (1 + exp(-x))}. */
  static FloatVector sigmoid(FloatVector x) {
    return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
  }

  /**
   * {@code tanh(x)}: below |x| = 0.5 the Taylor series to {@code x^15} (alternating, first
   * omitted term below 5e-9), else {@code (1 - e) / (1 + e)} with {@code e = exp(-2x)} (no
   * cancellation there: {@code e} is at most {@code exp(-1)} or at least {@code e}; for large
   * negative {@code x}, {@code e} saturates at {@code exp(88)} and the quotient at -1).
   */
  static FloatVector tanh(FloatVector x) {
    FloatVector e = exp(x.mul(-2f));
    FloatVector large = e.neg().add(1f).div(e.add(1f));
    FloatVector z = x.mul(x);
    FloatVector p = z.mul(-929569f / 638512875f).add(21844f / 6081075f);
    p = p.mul(z).add(-1382f / 155925f);
    p = p.mul(z).add(62f / 2835f);
    p = p.mul(z).add(-17f / 315f);
    p = p.mul(z).add(2f / 15f);
    p = p.mul(z).add(-1f / 3f);
    // x (1 + z p) rather than x + x z p: keeps the sign of -0
    FloatVector small = x.mul(z.mul(p).add(1f));
    return large.blend(small, z.compare(VectorOperators.LT, TANH_SMALL * TANH_SMALL));
  }

  private static FloatVector at(float[] a, int i) {
    return FloatVector.fromArray(S, a, i);
  }

  // Every vector loop below is a method of its own that applies one activation, and the row
  // methods that call them hold no vector code: a method that inlines several activations (the
  // whole LSTM step in one loop body) outgrows C2's inlining budget (NodeCountInliningCutoff), a
  // vector method is then called instead of inlined, and its vectors are boxed on the heap, many
  // times slower.

  /**
   * {@code out[k] = sigmoid(a[k] + b[k] (+ c[k] + d[k]))} for {@code k < n} (each array from its
   * offset; {@code c}, {@code d} null for no bias).
   */
  static void sigmoidSum(float[] a, int ao, float[] b, int bo, float[] c, int co, float[] d,
      int dOff, float[] out, int oo, int n) {
    int k = c == null ? sigmoid2(a, ao, b, bo, out, oo, n) : sigmoid4(a, ao, b, bo, c, co, d, dOff,
        out, oo, n);
    for (; k < n; k++) {
      float x = a[ao + k] + b[bo + k];
      out[oo + k] = CpuRnn.sigmoidF(c == null ? x : x + c[co + k] + d[dOff + k]);
    }
  }

  /** {@link #sigmoidSum} with {@code tanh}. */
  static void tanhSum(float[] a, int ao, float[] b, int bo, float[] c, int co, float[] d,
      int dOff, float[] out, int oo, int n) {
    int k = c == null ? tanh2(a, ao, b, bo, out, oo, n) : tanh4(a, ao, b, bo, c, co, d, dOff,
        out, oo, n);
    for (; k < n; k++) {
      float x = a[ao + k] + b[bo + k];
      out[oo + k] = CpuRnn.tanhF(c == null ? x : x + c[co + k] + d[dOff + k]);
    }
  }

  // the vector parts: each returns how many leading elements it did (whole vectors)

  private static int sigmoid2(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int up = S.loopBound(n);
    for (int k = 0; k < up; k += V) {
      sigmoid(at(a, ao + k).add(at(b, bo + k))).intoArray(out, oo + k);
    }
    return up;
  }

  private static int sigmoid4(float[] a, int ao, float[] b, int bo, float[] c, int co, float[] d,
      int dOff, float[] out, int oo, int n) {
    int up = S.loopBound(n);
    for (int k = 0; k < up; k += V) {
      sigmoid(at(a, ao + k).add(at(b, bo + k)).add(at(c, co + k)).add(at(d, dOff + k)))
          .intoArray(out, oo + k);
    }
    return up;
  }

  private static int tanh2(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int up = S.loopBound(n);
    for (int k = 0; k < up; k += V) {
      tanh(at(a, ao + k).add(at(b, bo + k))).intoArray(out, oo + k);
    }
    return up;
  }

  private static int tanh4(float[] a, int ao, float[] b, int bo, float[] c, int co, float[] d,
      int dOff, float[] out, int oo, int n) {
    int up = S.loopBound(n);
    for (int k = 0; k < up; k += V) {
      tanh(at(a, ao + k).add(at(b, bo + k)).add(at(c, co + k)).add(at(d, dOff + k)))
          .intoArray(out, oo + k);
    }
    return up;
  }

  /**
   * {@link CpuRnn#lstmRowF} with the activations vectorised: the gates into {@code ws} (the
   * workspace row, or scratch when no backward follows), then the state update.
   */
  static void lstmRow(float[] ig, int igo, float[] hg, int hgo, float[] bi, int bio, float[] bh,
      int bho, float[] c0, int cxo, float[] ho, float[] co, int oo, float[] ws, int wso, int h) {
    sigmoidSum(ig, igo, hg, hgo, bi, bio, bh, bho, ws, wso, 2 * h); // i, f
    tanhSum(ig, igo + 2 * h, hg, hgo + 2 * h, bi, bio + 2 * h, bh, bho + 2 * h, ws, wso + 2 * h,
        h); // g
    sigmoidSum(ig, igo + 3 * h, hg, hgo + 3 * h, bi, bio + 3 * h, bh, bho + 3 * h, ws,
        wso + 3 * h, h); // o
    lstmState(c0, cxo, ho, co, oo, ws, wso, h);
  }

  /** {@code cy = f * cx + i * g}, {@code hy = o * tanh(cy)} from the gates in {@code ws}. */
  static void lstmState(float[] c0, int cxo, float[] ho, float[] co, int oo, float[] ws, int wso,
      int h) {
    int up = S.loopBound(h);
    int j = 0;
    for (; j < up; j += V) {
      FloatVector c = at(ws, wso + h + j).mul(at(c0, cxo + j))
          .add(at(ws, wso + j).mul(at(ws, wso + 2 * h + j)));
      c.intoArray(co, oo + j);
      at(ws, wso + 3 * h + j).mul(tanh(c)).intoArray(ho, oo + j);
    }
    for (; j < h; j++) {
      float c = ws[wso + h + j] * c0[cxo + j] + ws[wso + j] * ws[wso + 2 * h + j];
      co[oo + j] = c;
      ho[oo + j] = ws[wso + 3 * h + j] * CpuRnn.tanhF(c);
    }
  }

  /**
   * {@link CpuRnn#lstmBackwardRowF} on whole vectors, then the scalar loop for the rest: {@code
   * tanh(cy)} first, staged in {@code gx} (each element is read there before its gradient
   * replaces it), then the arithmetic.
   */
  static void lstmBackwardRow(float[] gh, int gho, float[] gc, int gco, float[] c0, int cxo,
      float[] c1, int cyo, float[] ws, int wso, float[] gg, int ggo, float[] gx, int gxo, int h) {
    int up = tanhInto(c1, cyo, gx, gxo, h);
    lstmGrads(gh, gho, gc, gco, c0, cxo, ws, wso, gg, ggo, gx, gxo, h, up);
    if (up < h) {
      CpuRnn.lstmBackwardRowF(gh, gho, gc, gco, c0, cxo, c1, cyo, ws, wso, gg, ggo, gx, gxo, h, up);
    }
  }

  /** {@code out[k] = tanh(x[k])} on whole vectors; returns how many elements it did. */
  private static int tanhInto(float[] x, int xo, float[] out, int oo, int n) {
    int up = S.loopBound(n);
    for (int k = 0; k < up; k += V) {
      tanh(at(x, xo + k)).intoArray(out, oo + k);
    }
    return up;
  }

  /** The LSTM gradients of units {@code [0, up)}, with {@code tanh(cy)} in {@code gx}. */
  private static void lstmGrads(float[] gh, int gho, float[] gc, int gco, float[] c0, int cxo,
      float[] ws, int wso, float[] gg, int ggo, float[] gx, int gxo, int h, int up) {
    for (int j = 0; j < up; j += V) {
      FloatVector i = at(ws, wso + j);
      FloatVector f = at(ws, wso + h + j);
      FloatVector g = at(ws, wso + 2 * h + j);
      FloatVector o = at(ws, wso + 3 * h + j);
      FloatVector dh = at(gh, gho + j);
      FloatVector tc = at(gx, gxo + j);
      FloatVector dc = dh.mul(o).mul(tc.mul(tc).neg().add(1f)).add(at(gc, gco + j));
      dc.mul(g).mul(i.neg().add(1f).mul(i)).intoArray(gg, ggo + j);
      dc.mul(at(c0, cxo + j)).mul(f.neg().add(1f).mul(f)).intoArray(gg, ggo + h + j);
      dc.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(gg, ggo + 2 * h + j);
      dh.mul(tc).mul(o.neg().add(1f).mul(o)).intoArray(gg, ggo + 3 * h + j);
      dc.mul(f).intoArray(gx, gxo + j);
    }
  }

  /**
   * {@link CpuRnn#gruRowF} with the activations vectorised: {@code r, z} into the workspace row
   * {@code ws} (or scratch), {@code hn} beside them, then the new gate and the state update.
   */
  static void gruRow(float[] ig, int igo, float[] hg, int hgo, float[] bi, int bio, float[] bh,
      int bho, float[] h0, int hxo, float[] ho, int oo, float[] ws, int wso, int h) {
    sigmoidSum(ig, igo, hg, hgo, bi, bio, bh, bho, ws, wso, 2 * h); // r, z
    gruState(ig, igo, hg, hgo, bi, bio, bh, bho, h0, hxo, ho, oo, ws, wso, h);
  }

  /** The new gate and {@code hy}, with {@code r, z} in {@code ws}; fills the rest of {@code ws}. */
  static void gruState(float[] ig, int igo, float[] hg, int hgo, float[] bi, int bio, float[] bh,
      int bho, float[] h0, int hxo, float[] ho, int oo, float[] ws, int wso, int h) {
    int up = S.loopBound(h);
    int j = 0;
    for (; j < up; j += V) {
      FloatVector xn = at(ig, igo + 2 * h + j);
      FloatVector hn = at(hg, hgo + 2 * h + j);
      if (bi != null) {
        xn = xn.add(at(bi, bio + 2 * h + j));
        hn = hn.add(at(bh, bho + 2 * h + j));
      }
      FloatVector n = tanh(xn.add(at(ws, wso + j).mul(hn)));
      FloatVector x = at(h0, hxo + j);
      n.add(at(ws, wso + h + j).mul(x.sub(n))).intoArray(ho, oo + j);
      n.intoArray(ws, wso + 2 * h + j);
      x.intoArray(ws, wso + 3 * h + j);
      hn.intoArray(ws, wso + 4 * h + j);
    }
    for (; j < h; j++) {
      float xn = ig[igo + 2 * h + j];
      float hn = hg[hgo + 2 * h + j];
      if (bi != null) {
        xn = xn + bi[bio + 2 * h + j];
        hn = hn + bh[bho + 2 * h + j];
      }
      float n = CpuRnn.tanhF(xn + ws[wso + j] * hn);
      float x = h0[hxo + j];
      ho[oo + j] = n + ws[wso + h + j] * (x - n);
      ws[wso + 2 * h + j] = n;
      ws[wso + 3 * h + j] = x;
      ws[wso + 4 * h + j] = hn;
    }
  }

  /** {@link CpuRnn#gruBackwardRowF} on whole vectors, then the scalar loop for the rest. */
  static void gruBackwardRow(float[] gh, int gho, float[] ws, int wso, float[] gi, float[] gw,
      int go, float[] gx, int gxo, int h) {
    int up = S.loopBound(h);
    int j = 0;
    for (; j < up; j += V) {
      FloatVector r = at(ws, wso + j);
      FloatVector z = at(ws, wso + h + j);
      FloatVector n = at(ws, wso + 2 * h + j);
      FloatVector x = at(ws, wso + 3 * h + j);
      FloatVector hn = at(ws, wso + 4 * h + j);
      FloatVector dh = at(gh, gho + j);
      FloatVector dz = dh.mul(x.sub(n)).mul(z.neg().add(1f).mul(z));
      FloatVector dn = dh.mul(z.neg().add(1f)).mul(n.mul(n).neg().add(1f));
      FloatVector dr = dn.mul(hn).mul(r.neg().add(1f).mul(r));
      dr.intoArray(gi, go + j);
      dz.intoArray(gi, go + h + j);
      dn.intoArray(gi, go + 2 * h + j);
      dr.intoArray(gw, go + j);
      dz.intoArray(gw, go + h + j);
      dn.mul(r).intoArray(gw, go + 2 * h + j);
      dh.mul(z).intoArray(gx, gxo + j);
    }
    if (j < h) {
      CpuRnn.gruBackwardRowF(gh, gho, ws, wso, gi, gw, go, gx, gxo, h, j);
    }
  }
}
