package dev.jnn.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API versions of the {@link FloatKernels} loops that HotSpot does not auto-vectorise
 * (a select and a reduction). Only loaded when {@link CpuFeatures#vectorEnabled()}. Methods are
 * small so that C2 compiles them early (see {@link VectorGemm}).
 */
final class VectorFloatKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int V = S.length();

  private VectorFloatKernels() {}

  /** {@code o = max(x, 0)} with {@code Math.max} semantics (lanewise MAX). */
  static void relu(float[] x, int xo, float[] o, int oo, int n) {
    int i = 0;
    int up = S.loopBound(n);
    for (; i < up; i += V) {
      FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.MAX, 0f).intoArray(o, oo + i);
    }
    for (; i < n; i++) {
      o[oo + i] = Math.max(x[xo + i], 0f);
    }
  }

  /**
   * {@link FloatKernels#clamp} on whole vectors: the same two comparisons and selections (NaN
   * compares false and is kept; a signed zero is kept as the scalar loop keeps it), bounds already
   * rounded to float (infinite where absent).
   */
  static void clamp(float[] x, int xo, float l, float h, float[] o, int oo, int n) {
    int i = 0;
    int up = S.loopBound(n);
    FloatVector lv = FloatVector.broadcast(S, l);
    FloatVector hv = FloatVector.broadcast(S, h);
    for (; i < up; i += V) {
      FloatVector v = FloatVector.fromArray(S, x, xo + i);
      FloatVector r = v.blend(lv, v.compare(VectorOperators.LT, lv));
      r.blend(hv, r.compare(VectorOperators.GT, hv)).intoArray(o, oo + i);
    }
    for (; i < n; i++) {
      float v = x[xo + i];
      float r = v < l ? l : v;
      o[oo + i] = r > h ? h : r;
    }
  }

  /** {@link FloatKernels#fmaAxpy} on whole vectors. */
  static void fmaAxpy(float a, float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    int up = S.loopBound(n);
    FloatVector av = FloatVector.broadcast(S, a);
    for (; i < up; i += V) {
      FloatVector.fromArray(S, x, xo + i).fma(av, FloatVector.fromArray(S, y, yo + i))
          .intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
    }
  }

  /** {@link FloatKernels#dot} on whole vectors (lane sums reduced at the end). */
  static float dot(float[] a, int ao, float[] b, int bo, int n) {
    int i = 0;
    int up = S.loopBound(n);
    FloatVector acc = FloatVector.zero(S);
    for (; i < up; i += V) {
      acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s = Math.fma(a[ao + i], b[bo + i], s);
    }
    return s;
  }

  static void reluBackward(float[] g, int go, float[] y, int yo, float[] o, int oo, int n) {
    int i = 0;
    int up = S.loopBound(n);
    FloatVector zero = FloatVector.zero(S);
    for (; i < up; i += V) {
      VectorMask<Float> pos = FloatVector.fromArray(S, y, yo + i).compare(VectorOperators.GT, 0f);
      zero.blend(FloatVector.fromArray(S, g, go + i), pos).intoArray(o, oo + i);
    }
    for (; i < n; i++) {
      o[oo + i] = y[yo + i] > 0f ? g[go + i] : 0f;
    }
  }

  /** {@link FloatKernels#hardtanhBackward} on whole vectors (NaN compares false: g passes). */
  static void hardtanhBackward(
      float[] g, int go, float[] x, int xo, float lo, float hi, float[] o, int oo, int n) {
    int i = 0;
    int up = S.loopBound(n);
    FloatVector lv = FloatVector.broadcast(S, lo);
    FloatVector hv = FloatVector.broadcast(S, hi);
    FloatVector zero = FloatVector.zero(S);
    for (; i < up; i += V) {
      FloatVector v = FloatVector.fromArray(S, x, xo + i);
      VectorMask<Float> outside =
          v.compare(VectorOperators.LE, lv).or(v.compare(VectorOperators.GE, hv));
      FloatVector.fromArray(S, g, go + i).blend(zero, outside).intoArray(o, oo + i);
    }
    for (; i < n; i++) {
      float v = x[xo + i];
      o[oo + i] = v <= lo | v >= hi ? 0f : g[go + i];
    }
  }

  /** {@link FloatKernels#where} on whole vectors (the bools loaded as a mask). */
  static void where(boolean[] c, int co, float[] x, int xo, int xs, float[] y, int yo, int ys,
      float[] o, int oo, int n) {
    if (n <= 0) {
      return;
    }
    int i = 0;
    int up = S.loopBound(n);
    if (xs == 1 && ys == 1) {
      for (; i < up; i += V) {
        VectorMask<Float> m = VectorMask.fromArray(S, c, co + i);
        FloatVector.fromArray(S, y, yo + i).blend(FloatVector.fromArray(S, x, xo + i), m)
            .intoArray(o, oo + i);
      }
    } else if (xs == 0 && ys == 1) {
      FloatVector a = FloatVector.broadcast(S, x[xo]);
      for (; i < up; i += V) {
        VectorMask<Float> m = VectorMask.fromArray(S, c, co + i);
        FloatVector.fromArray(S, y, yo + i).blend(a, m).intoArray(o, oo + i);
      }
    } else if (xs == 1 && ys == 0) {
      FloatVector b = FloatVector.broadcast(S, y[yo]);
      for (; i < up; i += V) {
        VectorMask<Float> m = VectorMask.fromArray(S, c, co + i);
        b.blend(FloatVector.fromArray(S, x, xo + i), m).intoArray(o, oo + i);
      }
    } else {
      FloatVector a = FloatVector.broadcast(S, x[xo]);
      FloatVector b = FloatVector.broadcast(S, y[yo]);
      for (; i < up; i += V) {
        b.blend(a, VectorMask.fromArray(S, c, co + i)).intoArray(o, oo + i);
      }
    }
    FloatKernels.whereScalar(c, co, x, xo, xs, y, yo, ys, o, oo, i, n);
  }

  /**
   * {@link FloatKernels#sgd} on whole vectors, the same float operations in the same order (no
   * fused multiply-add), so every element rounds as in the scalar loop. Returns how many leading
   * elements it updated (a multiple of the vector length); the caller does the rest.
   */
  static int sgd(
      float[] p, int po, float[] g, int go, float[] b, int bo, int n, float lr, float m,
      float damp1, float wd, boolean nesterov, boolean maximize, boolean first) {
    float nlr = (float) -(double) lr;
    int up = S.loopBound(n);
    for (int i = 0; i < up; i += V) {
      FloatVector d = FloatVector.fromArray(S, g, go + i);
      if (maximize) {
        d = d.neg();
      }
      FloatVector pv = FloatVector.fromArray(S, p, po + i);
      if (wd != 0f) {
        d = d.add(pv.mul(wd));
      }
      if (b != null) {
        FloatVector v;
        if (first) {
          v = d;
        } else if (damp1 == 1f) {
          v = FloatVector.fromArray(S, b, bo + i).mul(m).add(d);
        } else {
          v = FloatVector.fromArray(S, b, bo + i).mul(m).add(d.mul(damp1));
        }
        v.intoArray(b, bo + i);
        d = nesterov ? d.add(v.mul(m)) : v;
      }
      pv.add(d.mul(nlr)).intoArray(p, po + i);
    }
    return up;
  }

  /**
   * {@link FloatKernels#adam} without amsgrad on whole vectors, the same float operations in the
   * same order (lanewise square root and division are correctly rounded, as {@code Math.sqrt} and
   * {@code /}). Returns how many leading elements it updated; the caller does the rest.
   */
  static int adam(
      float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n, float wd,
      float decay, float omb1, float b2, float omb2, float bc2, float eps, float nss,
      boolean maximize, boolean decoupled) {
    int up = S.loopBound(n);
    for (int i = 0; i < up; i += V) {
      FloatVector gi = FloatVector.fromArray(S, g, go + i);
      if (maximize) {
        gi = gi.neg();
      }
      FloatVector pi = FloatVector.fromArray(S, p, po + i);
      if (wd != 0f) {
        if (decoupled) {
          pi = pi.mul(decay);
        } else {
          gi = gi.add(pi.mul(wd));
        }
      }
      FloatVector mi = FloatVector.fromArray(S, m, mo + i);
      mi = mi.add(gi.sub(mi).mul(omb1));
      mi.intoArray(m, mo + i);
      FloatVector vi = FloatVector.fromArray(S, v, vo + i).mul(b2).add(gi.mul(gi).mul(omb2));
      vi.intoArray(v, vo + i);
      FloatVector d = vi.lanewise(VectorOperators.SQRT).div(bc2).add(eps);
      pi.add(mi.div(d).mul(nss)).intoArray(p, po + i);
    }
    return up;
  }

  /**
   * {@link FloatKernels#normSums} on whole vectors: each run of at most {@link
   * FloatKernels#NORM_BLOCK} elements is summed in its own vector accumulators (small loops C2
   * keeps in registers; accumulators carried across runs and flushed conditionally were not, and
   * ran ten times slower), reduced to a float and added into the double total.
   */
  static void normSums(
      float[] x, int xo, int planes, int stride, int s, float mu, boolean squares, double[] out) {
    for (int p = 0; p < planes; p++) {
      int base = xo + p * stride;
      for (int b = 0; b < s; b += FloatKernels.NORM_BLOCK) {
        int len = Math.min(FloatKernels.NORM_BLOCK, s - b);
        if (squares) {
          deviationRun(x, base + b, len, mu, out);
        } else {
          out[0] += deviationSumRun(x, base + b, len, mu);
        }
      }
    }
  }

  /** The sum of {@code x - mu} over one run, in float. */
  private static float deviationSumRun(float[] x, int o, int len, float mu) {
    FloatVector m = FloatVector.broadcast(S, mu);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    int i = 0;
    for (; i + 2 * V <= len; i += 2 * V) {
      a0 = a0.add(FloatVector.fromArray(S, x, o + i).sub(m));
      a1 = a1.add(FloatVector.fromArray(S, x, o + i + V).sub(m));
    }
    if (i + V <= len) {
      a0 = a0.add(FloatVector.fromArray(S, x, o + i).sub(m));
      i += V;
    }
    float t = a0.add(a1).reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) {
      t += x[o + i] - mu;
    }
    return t;
  }

  /** {@code out[0] += sum d}, {@code out[1] += sum d^2}, {@code d = x - mu}, over one run. */
  private static void deviationRun(float[] x, int o, int len, float mu, double[] out) {
    FloatVector m = FloatVector.broadcast(S, mu);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector q0 = a0;
    FloatVector q1 = a0;
    int i = 0;
    for (; i + 2 * V <= len; i += 2 * V) {
      FloatVector d0 = FloatVector.fromArray(S, x, o + i).sub(m);
      FloatVector d1 = FloatVector.fromArray(S, x, o + i + V).sub(m);
      a0 = a0.add(d0);
      a1 = a1.add(d1);
      q0 = d0.fma(d0, q0);
      q1 = d1.fma(d1, q1);
    }
    if (i + V <= len) {
      FloatVector d0 = FloatVector.fromArray(S, x, o + i).sub(m);
      a0 = a0.add(d0);
      q0 = d0.fma(d0, q0);
      i += V;
    }
    float ta = a0.add(a1).reduceLanes(VectorOperators.ADD);
    float tq = q0.add(q1).reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) {
      float d = x[o + i] - mu;
      ta += d;
      tq += d * d;
    }
    out[0] += ta;
    out[1] += tq;
  }

  /** {@link FloatKernels#normGradSums} on whole vectors, run by run as {@link #normSums}. */
  static void normGradSums(
      float[] g, int go, float[] x, int xo, int planes, int stride, int s, float mu,
      double[] out) {
    for (int p = 0; p < planes; p++) {
      int gBase = go + p * stride;
      int xBase = xo + p * stride;
      for (int b = 0; b < s; b += FloatKernels.NORM_BLOCK) {
        gradRun(g, gBase + b, x, xBase + b, Math.min(FloatKernels.NORM_BLOCK, s - b), mu, out);
      }
    }
  }

  /** {@code out[0] += sum g}, {@code out[1] += sum (x - mu) g}, over one run. */
  private static void gradRun(
      float[] g, int go, float[] x, int xo, int len, float mu, double[] out) {
    FloatVector m = FloatVector.broadcast(S, mu);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector q0 = a0;
    FloatVector q1 = a0;
    int i = 0;
    for (; i + 2 * V <= len; i += 2 * V) {
      FloatVector g0 = FloatVector.fromArray(S, g, go + i);
      FloatVector g1 = FloatVector.fromArray(S, g, go + i + V);
      a0 = a0.add(g0);
      a1 = a1.add(g1);
      q0 = FloatVector.fromArray(S, x, xo + i).sub(m).fma(g0, q0);
      q1 = FloatVector.fromArray(S, x, xo + i + V).sub(m).fma(g1, q1);
    }
    if (i + V <= len) {
      FloatVector g0 = FloatVector.fromArray(S, g, go + i);
      a0 = a0.add(g0);
      q0 = FloatVector.fromArray(S, x, xo + i).sub(m).fma(g0, q0);
      i += V;
    }
    float ta = a0.add(a1).reduceLanes(VectorOperators.ADD);
    float tq = q0.add(q1).reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) {
      float gv = g[go + i];
      ta += gv;
      tq += (x[xo + i] - mu) * gv;
    }
    out[0] += ta;
    out[1] += tq;
  }

  /** {@link FloatKernels#normGradInput} on whole vectors, the same float operations. */
  static void normGradInput(
      float[] g, int go, float[] x, int xo, float mu, float proj, float c, float scale,
      float[] gi, int io, int n) {
    int i = 0;
    int up = S.loopBound(n);
    FloatVector m = FloatVector.broadcast(S, mu);
    FloatVector pv = FloatVector.broadcast(S, proj);
    FloatVector cv = FloatVector.broadcast(S, c);
    FloatVector sv = FloatVector.broadcast(S, scale);
    for (; i < up; i += V) {
      FloatVector xm = FloatVector.fromArray(S, x, xo + i).sub(m).mul(pv);
      FloatVector.fromArray(S, g, go + i).sub(xm).add(cv).mul(sv).intoArray(gi, io + i);
    }
    for (; i < n; i++) {
      gi[io + i] = (g[go + i] - (x[xo + i] - mu) * proj + c) * scale;
    }
  }

  /** Sum in blocks of 4096: four vector accumulators per block, blocks added in double. */
  static double sum(float[] x, int xo, int n) {
    double total = 0;
    for (int b = 0; b < n; b += 4096) {
      total += blockSum(x, xo + b, Math.min(4096, n - b));
    }
    return total;
  }

  private static double blockSum(float[] x, int xo, int n) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int i = 0;
    for (; i + 4 * V <= n; i += 4 * V) {
      s0 = s0.add(FloatVector.fromArray(S, x, xo + i));
      s1 = s1.add(FloatVector.fromArray(S, x, xo + i + V));
      s2 = s2.add(FloatVector.fromArray(S, x, xo + i + 2 * V));
      s3 = s3.add(FloatVector.fromArray(S, x, xo + i + 3 * V));
    }
    for (; i + V <= n; i += V) {
      s0 = s0.add(FloatVector.fromArray(S, x, xo + i));
    }
    double t = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      t += x[xo + i];
    }
    return t;
  }
}
