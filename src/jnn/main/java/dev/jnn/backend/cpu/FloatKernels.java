package dev.jnn.backend.cpu;


/**
 * Float32 element-wise loops over contiguous runs ({@code a[ao + i]}, {@code i < n}): the hot
 * loops of {@link CpuBackend}, the optimizers' in-place updates and the pooling/loss kernels.
 *
 * <p>Each loop is branch-free and indexes every array with the same {@code i}, the shape HotSpot's
 * C2 auto-vectorises (a ternary such as {@code v > 0 ? v : 0} is not vectorised and costs a branch
 * misprediction per random-sign element: 4.1 ms instead of 0.23 ms on 737K elements). Where
 * auto-vectorisation cannot help (reductions, selects) the Vector API version in {@link
 * VectorFloatKernels} runs when {@link CpuFeatures#vectorEnabled()}.
 *
 * <p>Semantics are the scalar definitions: {@code relu(x) = Math.max(x, 0)} (NaN stays NaN, -0
 * becomes +0); the ReLU backward passes {@code g} where the saved output is {@code > 0} and gives 0
 * elsewhere, NaN included.
 */
public final class FloatKernels {
  static final boolean VECTOR = CpuFeatures.vectorEnabled();

  private FloatKernels() {}

  /**
   * {@code o = max(x, 0)}. C2 does not vectorise {@code Math.max(x, 0f)} here (1.11 ms on 737K
   * elements, one thread); the Vector API's lanewise MAX (same semantics) takes 0.28 ms, and the
   * scalar path uses a bit mask instead (0.76 ms, bit-identical to {@code Math.max}).
   */
  public static void relu(float[] x, int xo, float[] o, int oo, int n) {
    if (VECTOR) {
      VectorFloatKernels.relu(x, xo, o, oo, n);
      return;
    }
    reluScalar(x, xo, o, oo, n);
  }

  /**
   * The scalar {@link #relu}: keeps {@code x}'s bits where {@code x > 0} or {@code x} is NaN (of
   * either sign), else +0 - exactly {@code Math.max(x, 0f)}.
   */
  static void reluScalar(float[] x, int xo, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      int b = Float.floatToRawIntBits(x[xo + i]);
      // sign bit of (-b & ~b): b > 0; sign bit of (0x7f800000 - |b|): NaN
      int m = (((-b) & ~b) | (0x7f800000 - (b & 0x7fffffff))) >> 31;
      o[oo + i] = Float.intBitsToFloat(b & m);
    }
  }

  /** ReLU backward on the saved output {@code y}: {@code o = y > 0 ? g : 0}. */
  public static void reluBackward(float[] g, int go, float[] y, int yo, float[] o, int oo, int n) {
    if (VECTOR) {
      VectorFloatKernels.reluBackward(g, go, y, yo, o, oo, n);
      return;
    }
    reluBackwardScalar(g, go, y, yo, o, oo, n);
  }

  /** The scalar (auto-vectorised) {@link #reluBackward}. */
  static void reluBackwardScalar(float[] g, int go, float[] y, int yo, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      int b = Float.floatToRawIntBits(y[yo + i]);
      // all ones when 0 < b <= bits(+inf), i.e. y > 0 and not NaN; else 0
      int m = (-b & (b - 0x7f800001)) >> 31;
      o[oo + i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[go + i]) & m);
    }
  }

  /** {@link #reluBackward} with one gradient value for every element: {@code o = y > 0 ? g : 0}. */
  public static void reluBackwardUniform(float g, float[] y, int yo, float[] o, int oo, int n) {
    int gb = Float.floatToRawIntBits(g);
    for (int i = 0; i < n; i++) {
      int b = Float.floatToRawIntBits(y[yo + i]);
      o[oo + i] = Float.intBitsToFloat(gb & ((-b & (b - 0x7f800001)) >> 31));
    }
  }

  /**
   * ATen's {@code hardtanh_backward} on contiguous runs: {@code o = (x <= lo || x >= hi) ? 0 : g}
   * (the gradient passes strictly inside the bounds and where {@code x} is NaN); {@code o} may be
   * {@code g}.
   */
  public static void hardtanhBackward(
      float[] g, int go, float[] x, int xo, float lo, float hi, float[] o, int oo, int n) {
    if (VECTOR) {
      VectorFloatKernels.hardtanhBackward(g, go, x, xo, lo, hi, o, oo, n);
      return;
    }
    hardtanhBackwardScalar(g, go, x, xo, lo, hi, o, oo, n);
  }

  /**
   * The scalar {@link #hardtanhBackward}: {@code g}'s bits under an int mask (an integer select C2
   * compiles to a conditional move; the float select {@code outside ? 0f : g} became a branch,
   * mispredicted on activations around the bounds: 7.5 instead of about 1 ns per element).
   */
  static void hardtanhBackwardScalar(
      float[] g, int go, float[] x, int xo, float lo, float hi, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[xo + i];
      int keep = v <= lo | v >= hi ? 0 : -1;
      o[oo + i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[go + i]) & keep);
    }
  }

  /**
   * {@code o = c ? x : y} on a run: {@code c} and {@code o} contiguous, {@code x} and {@code y}
   * contiguous (step 1) or one value (step 0).
   */
  public static void where(boolean[] c, int co, float[] x, int xo, int xs, float[] y, int yo,
      int ys, float[] o, int oo, int n) {
    if (VECTOR) {
      VectorFloatKernels.where(c, co, x, xo, xs, y, yo, ys, o, oo, n);
      return;
    }
    whereScalar(c, co, x, xo, xs, y, yo, ys, o, oo, 0, n);
  }

  /** The scalar {@link #where}, elements {@code [from, n)}. */
  static void whereScalar(boolean[] c, int co, float[] x, int xo, int xs, float[] y, int yo,
      int ys, float[] o, int oo, int from, int n) {
    for (int i = from; i < n; i++) {
      o[oo + i] = c[co + i] ? x[xo + i * xs] : y[yo + i * ys];
    }
  }

  /** {@code o = x + y}. */
  public static void add(float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      o[oo + i] = x[xo + i] + y[yo + i];
    }
  }

  /** {@code o = x - y}. */
  public static void sub(float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      o[oo + i] = x[xo + i] - y[yo + i];
    }
  }

  /** {@code o = x * y}. */
  public static void mul(float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      o[oo + i] = x[xo + i] * y[yo + i];
    }
  }

  /** {@code o = x / y}. */
  public static void div(float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      o[oo + i] = x[xo + i] / y[yo + i];
    }
  }

  /** {@code o = x + s}. */
  public static void addScalar(float[] x, int xo, float s, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      o[oo + i] = x[xo + i] + s;
    }
  }

  /**
   * {@code o = clamp(x, lo, hi)} as {@code UnaryOp.CLAMP}'s double loop computes it: NaN stays
   * NaN, a NaN bound is absent ({@code clamp_min} / {@code clamp_max}), and with {@code lo > hi}
   * every element is {@code hi} (the upper bound applied last, as PyTorch's {@code min(max(x, lo),
   * hi)}). A float bound is the double one rounded, which clamps every float alike.
   */
  public static void clamp(float[] x, int xo, double lo, double hi, float[] o, int oo, int n) {
    float l = Double.isNaN(lo) ? Float.NEGATIVE_INFINITY : (float) lo;
    float h = Double.isNaN(hi) ? Float.POSITIVE_INFINITY : (float) hi;
    if (VECTOR) {
      VectorFloatKernels.clamp(x, xo, l, h, o, oo, n);
      return;
    }
    clampScalar(x, xo, l, h, o, oo, n);
  }

  /**
   * The scalar {@link #clamp} on float bounds. {@code v < l ? l : v} costs a mispredicted branch
   * per element on data around a bound (C2 has no float conditional move; ReLU6 spent 7 ns an
   * element there), while {@code Math.min(Math.max(v, l), h)} is auto-vectorised. The two differ
   * only on signed zeros: {@code Math.max(-0f, +0f)} is +0 where the definition keeps -0, and
   * {@code Math.min(+0f, -0f)} is -0 where it keeps +0. So: an upper bound of -0 takes the
   * definition's loop, and so does a lower bound of +0 (ReLU6) where the input holds a -0.0 (a
   * scan first: in place, the input is gone once written); other inputs and bounds take min/max
   * alone: 0.52 ns (ReLU6) / 0.15 ns an element against 7.2.
   */
  static void clampScalar(float[] x, int xo, float l, float h, float[] o, int oo, int n) {
    if (Float.floatToRawIntBits(h) == 0x80000000
        || Float.floatToRawIntBits(l) == 0 && hasNegativeZero(x, xo, n)) {
      for (int i = 0; i < n; i++) {
        float v = x[xo + i];
        float r = v < l ? l : v;
        o[oo + i] = r > h ? h : r;
      }
    } else {
      for (int i = 0; i < n; i++) {
        o[oo + i] = Math.min(Math.max(x[xo + i], l), h);
      }
    }
  }

  /** Whether {@code x[xo .. xo + n)} holds a -0.0 (four independent flags: no dependency chain). */
  private static boolean hasNegativeZero(float[] x, int xo, int n) {
    int m0 = 0;
    int m1 = 0;
    int m2 = 0;
    int m3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      m0 |= Float.floatToRawIntBits(x[xo + i]) == 0x80000000 ? 1 : 0;
      m1 |= Float.floatToRawIntBits(x[xo + i + 1]) == 0x80000000 ? 1 : 0;
      m2 |= Float.floatToRawIntBits(x[xo + i + 2]) == 0x80000000 ? 1 : 0;
      m3 |= Float.floatToRawIntBits(x[xo + i + 3]) == 0x80000000 ? 1 : 0;
    }
    for (; i < n; i++) {
      m0 |= Float.floatToRawIntBits(x[xo + i]) == 0x80000000 ? 1 : 0;
    }
    return (m0 | m1 | m2 | m3) != 0;
  }

  /**
   * {@code y = fma(a, x, y)} over {@code n} elements (the depthwise convolution's rows; {@link
   * #axpy}, the optimizers', keeps its separate multiply and add).
   */
  public static void fmaAxpy(float a, float[] x, int xo, float[] y, int yo, int n) {
    if (VECTOR) {
      VectorFloatKernels.fmaAxpy(a, x, xo, y, yo, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
    }
  }

  /** {@code sum of a[i] * b[i]} over {@code n} elements (fused multiply-adds, float32 lanes). */
  public static float dot(float[] a, int ao, float[] b, int bo, int n) {
    if (VECTOR) {
      return VectorFloatKernels.dot(a, ao, b, bo, n);
    }
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s = Math.fma(a[ao + i], b[bo + i], s);
    }
    return s;
  }

  /** {@code o = s - x}. */
  public static void rsubScalar(float s, float[] x, int xo, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      o[oo + i] = s - x[xo + i];
    }
  }

  /** {@code o = x * s}. */
  public static void mulScalar(float[] x, int xo, float s, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      o[oo + i] = x[xo + i] * s;
    }
  }

  /** {@code o = x / s}. */
  public static void divScalar(float[] x, int xo, float s, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      o[oo + i] = x[xo + i] / s;
    }
  }

  /** {@code o = -x}. */
  public static void neg(float[] x, int xo, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) {
      o[oo + i] = -x[xo + i];
    }
  }

  /** {@code y += a * x} in place (the optimizers' {@code add_(x, alpha=a)}). */
  public static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] += a * x[xo + i];
    }
  }

  /** {@code y = b * y + a * x} in place (momentum: {@code buf.mul_(m).add_(g, alpha=1-d)}). */
  public static void axpby(float a, float[] x, int xo, float b, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = b * y[yo + i] + a * x[xo + i];
    }
  }

  /**
   * One fused SGD update (see {@link dev.jnn.backend.OptimKernels#sgdStep}); every operation rounds to
   * float in the order of the unfused tensor ops: {@code d = g (negated if maximize); d = d + p *
   * wd; buf = first ? d : buf * m + d * (1 - dampening); d = nesterov ? d + buf * m : buf; p = p +
   * d * (-lr)}. {@code damp1} is {@code 1 - dampening}; {@code b} is null without momentum.
   */
  public static void sgd(
      float[] p, int po, float[] g, int go, float[] b, int bo, int n, float lr, float m,
      float damp1, float wd, boolean nesterov, boolean maximize, boolean first) {
    if (VECTOR) {
      int done =
          VectorFloatKernels.sgd(p, po, g, go, b, bo, n, lr, m, damp1, wd, nesterov, maximize, first);
      po += done;
      go += done;
      bo += done;
      n -= done;
    }
    sgdScalar(p, po, g, go, b, bo, n, lr, m, damp1, wd, nesterov, maximize, first);
  }

  /** The scalar {@link #sgd}; the vector version rounds every element identically. */
  static void sgdScalar(
      float[] p, int po, float[] g, int go, float[] b, int bo, int n, float lr, float m,
      float damp1, float wd, boolean nesterov, boolean maximize, boolean first) {
    float nlr = (float) -(double) lr;
    for (int i = 0; i < n; i++) {
      float d = maximize ? -g[go + i] : g[go + i];
      if (wd != 0f) {
        d = d + p[po + i] * wd;
      }
      if (b != null) {
        float v;
        if (first) {
          v = d;
        } else if (damp1 == 1f) {
          v = b[bo + i] * m + d;
        } else {
          v = b[bo + i] * m + d * damp1;
        }
        b[bo + i] = v;
        d = nesterov ? d + v * m : v;
      }
      p[po + i] = p[po + i] + d * nlr;
    }
  }

  /**
   * One fused Adam / AdamW update (see {@link dev.jnn.backend.OptimKernels#adamStep}); every operation
   * rounds to float in the order of {@code dev.jnn.optim.Adam}'s tensor ops: {@code g = grad
   * (negated if maximize); p = p * decay (AdamW) or g = g + p * wd (Adam), when wd != 0; m = m + (g
   * - m) * omb1; v = v * b2 + (g * g) * omb2; [vmax = maximum(vmax, v); v = vmax]; d = sqrt(v) /
   * bc2 + eps; p = p + (m / d) * nss}. {@code vmax} is null without amsgrad.
   */
  public static void adam(
      float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, float[] vmax,
      int xo, int n, float wd, float decay, float omb1, float b2, float omb2, float bc2, float eps,
      float nss, boolean maximize, boolean decoupled) {
    if (VECTOR && vmax == null) {
      int done =
          VectorFloatKernels.adam(p, po, g, go, m, mo, v, vo, n, wd, decay, omb1, b2, omb2, bc2,
              eps, nss, maximize, decoupled);
      po += done;
      go += done;
      mo += done;
      vo += done;
      n -= done;
    }
    adamScalar(p, po, g, go, m, mo, v, vo, vmax, xo, n, wd, decay, omb1, b2, omb2, bc2, eps, nss,
        maximize, decoupled);
  }

  /** The scalar {@link #adam}; the vector version rounds every element identically. */
  static void adamScalar(
      float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, float[] vmax,
      int xo, int n, float wd, float decay, float omb1, float b2, float omb2, float bc2, float eps,
      float nss, boolean maximize, boolean decoupled) {
    for (int i = 0; i < n; i++) {
      float gi = maximize ? -g[go + i] : g[go + i];
      float pi = p[po + i];
      if (wd != 0f) {
        if (decoupled) {
          pi = pi * decay;
        } else {
          gi = gi + pi * wd;
        }
      }
      float mi = m[mo + i];
      mi = mi + (gi - mi) * omb1;
      m[mo + i] = mi;
      float vi = v[vo + i] * b2 + (gi * gi) * omb2;
      v[vo + i] = vi;
      if (vmax != null) {
        float mx = vmax[xo + i];
        mx = (mx != mx || vi != vi) ? (mx != mx ? mx : vi) : Math.max(mx, vi);
        vmax[xo + i] = mx;
        vi = mx;
      }
      float d = (float) Math.sqrt(vi) / bc2 + eps;
      p[po + i] = pi + (mi / d) * nss;
    }
  }

  /**
   * Elements a float partial sum of the batch-norm reductions takes before it is added into the
   * double total: the float rounding error stays that of a sum of a few hundred terms per lane.
   */
  static final int NORM_BLOCK = 4096;

  /**
   * Batch norm's per-channel sums over {@code planes} runs of {@code s} floats, run {@code p} at
   * {@code x[xo + p * stride ..]}: {@code out[0] += sum (x - mu)}, {@code out[1] += sum (x -
   * mu)^2}; with {@code squares} false only the first (and {@code mu} is normally 0 then: the
   * plain sum). Float partial sums over at most {@link #NORM_BLOCK} elements, added in double.
   */
  public static void normSums(
      float[] x, int xo, int planes, int stride, int s, float mu, boolean squares, double[] out) {
    if (VECTOR) {
      VectorFloatKernels.normSums(x, xo, planes, stride, s, mu, squares, out);
      return;
    }
    normSumsScalar(x, xo, planes, stride, s, mu, squares, out);
  }

  /** The scalar {@link #normSums}. */
  static void normSumsScalar(
      float[] x, int xo, int planes, int stride, int s, float mu, boolean squares, double[] out) {
    double sum = 0;
    double sq = 0;
    for (int p = 0; p < planes; p++) {
      int base = xo + p * stride;
      for (int b = 0; b < s; b += NORM_BLOCK) {
        int e = Math.min(s, b + NORM_BLOCK);
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float q0 = 0;
        float q1 = 0;
        float q2 = 0;
        float q3 = 0;
        int i = b;
        for (; i + 4 <= e; i += 4) {
          int k = base + i;
          float v0 = x[k];
          float v1 = x[k + 1];
          float v2 = x[k + 2];
          float v3 = x[k + 3];
          float d0 = v0 - mu;
          float d1 = v1 - mu;
          float d2 = v2 - mu;
          float d3 = v3 - mu;
          s0 += d0;
          s1 += d1;
          s2 += d2;
          s3 += d3;
          if (squares) {
            q0 += d0 * d0;
            q1 += d1 * d1;
            q2 += d2 * d2;
            q3 += d3 * d3;
          }
        }
        for (; i < e; i++) {
          float d = x[base + i] - mu;
          s0 += d;
          q0 += d * d;
        }
        sum += ((double) s0 + s1) + ((double) s2 + s3);
        sq += ((double) q0 + q1) + ((double) q2 + q3);
      }
    }
    out[0] += sum;
    if (squares) {
      out[1] += sq;
    }
  }

  /**
   * Batch norm backward's per-channel sums over {@code planes} runs of {@code s} floats (run
   * {@code p} at {@code g[go + p * stride ..]} and {@code x[xo + p * stride ..]}): {@code out[0] +=
   * sum g}, {@code out[1] += sum (x - mu) * g}, in float partial sums over at most {@link
   * #NORM_BLOCK} elements added in double.
   */
  public static void normGradSums(
      float[] g, int go, float[] x, int xo, int planes, int stride, int s, float mu,
      double[] out) {
    if (VECTOR) {
      VectorFloatKernels.normGradSums(g, go, x, xo, planes, stride, s, mu, out);
      return;
    }
    normGradSumsScalar(g, go, x, xo, planes, stride, s, mu, out);
  }

  /** The scalar {@link #normGradSums}. */
  static void normGradSumsScalar(
      float[] g, int go, float[] x, int xo, int planes, int stride, int s, float mu,
      double[] out) {
    double sum = 0;
    double dot = 0;
    for (int p = 0; p < planes; p++) {
      int gb = go + p * stride;
      int xb = xo + p * stride;
      for (int b = 0; b < s; b += NORM_BLOCK) {
        int e = Math.min(s, b + NORM_BLOCK);
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float q0 = 0;
        float q1 = 0;
        float q2 = 0;
        float q3 = 0;
        int i = b;
        for (; i + 4 <= e; i += 4) {
          float g0 = g[gb + i];
          float g1 = g[gb + i + 1];
          float g2 = g[gb + i + 2];
          float g3 = g[gb + i + 3];
          s0 += g0;
          s1 += g1;
          s2 += g2;
          s3 += g3;
          q0 += (x[xb + i] - mu) * g0;
          q1 += (x[xb + i + 1] - mu) * g1;
          q2 += (x[xb + i + 2] - mu) * g2;
          q3 += (x[xb + i + 3] - mu) * g3;
        }
        for (; i < e; i++) {
          float gv = g[gb + i];
          s0 += gv;
          q0 += (x[xb + i] - mu) * gv;
        }
        sum += ((double) s0 + s1) + ((double) s2 + s3);
        dot += ((double) q0 + q1) + ((double) q2 + q3);
      }
    }
    out[0] += sum;
    out[1] += dot;
  }

  /**
   * Batch norm backward's input gradient on one run: {@code gi = (g - (x - mu) * proj + c) *
   * scale}, in float ({@code c} carries the mean of {@code g} and the rounding of {@code mu}).
   */
  public static void normGradInput(
      float[] g, int go, float[] x, int xo, float mu, float proj, float c, float scale,
      float[] gi, int io, int n) {
    if (VECTOR) {
      VectorFloatKernels.normGradInput(g, go, x, xo, mu, proj, c, scale, gi, io, n);
      return;
    }
    normGradInputScalar(g, go, x, xo, mu, proj, c, scale, gi, io, n);
  }

  /** The scalar {@link #normGradInput}. */
  static void normGradInputScalar(
      float[] g, int go, float[] x, int xo, float mu, float proj, float c, float scale,
      float[] gi, int io, int n) {
    for (int i = 0; i < n; i++) {
      gi[io + i] = (g[go + i] - (x[xo + i] - mu) * proj + c) * scale;
    }
  }

  /** {@code o = x * scale + shift} on one run (batch norm's normalisation and affine map). */
  public static void scaleShift(float[] x, int xo, float scale, float shift, float[] o, int oo,
      int n) {
    for (int i = 0; i < n; i++) {
      o[oo + i] = x[xo + i] * scale + shift;
    }
  }

  /** Sum of {@code x[xo .. xo+n)}, accumulated in blocks (vector lanes, then double). */
  public static double sum(float[] x, int xo, int n) {
    if (VECTOR) {
      return VectorFloatKernels.sum(x, xo, n);
    }
    return sumScalar(x, xo, n);
  }

  /** The scalar {@link #sum}. */
  static double sumScalar(float[] x, int xo, int n) {
    // eight independent float partial sums per 1024-element block, blocks added in double: the
    // same accuracy class as PyTorch's cascade sum, and no loop-carried double add per element
    double total = 0;
    for (int b = 0; b < n; b += 1024) {
      int e = Math.min(n, b + 1024);
      float s0 = 0;
      float s1 = 0;
      float s2 = 0;
      float s3 = 0;
      float s4 = 0;
      float s5 = 0;
      float s6 = 0;
      float s7 = 0;
      int i = b;
      for (; i + 8 <= e; i += 8) {
        int k = xo + i;
        s0 += x[k];
        s1 += x[k + 1];
        s2 += x[k + 2];
        s3 += x[k + 3];
        s4 += x[k + 4];
        s5 += x[k + 5];
        s6 += x[k + 6];
        s7 += x[k + 7];
      }
      double t = ((double) s0 + s1) + ((double) s2 + s3) + (((double) s4 + s5) + ((double) s6 + s7));
      for (; i < e; i++) {
        t += x[xo + i];
      }
      total += t;
    }
    return total;
  }

  /**
   * Column sums of the row-major {@code [rows, cols]} matrix at {@code x[xo ..]}, for columns
   * {@code [c0, c1)}: {@code o[c] = sum_r x[xo + r * cols + c]}. Rows are added into float partial
   * sums 256 at a time (one vectorised pass per row), the partials in double.
   */
  public static void sumLeading(float[] x, int xo, int rows, int cols, int c0, int c1, float[] o) {
    int n = c1 - c0;
    float[] part = new float[n];
    double[] total = rows > 256 ? new double[n] : null;
    for (int r0 = 0; r0 < rows; r0 += 256) {
      int r1 = Math.min(rows, r0 + 256);
      java.util.Arrays.fill(part, 0f);
      for (int r = r0; r < r1; r++) {
        int base = xo + r * cols + c0;
        for (int j = 0; j < n; j++) {
          part[j] += x[base + j];
        }
      }
      if (total == null) {
        break;
      }
      for (int j = 0; j < n; j++) {
        total[j] += part[j];
      }
    }
    for (int j = 0; j < n; j++) {
      o[c0 + j] = total == null ? part[j] : (float) total[j];
    }
  }

  /** {@code max(x[xo .. xo+n))} with NaN propagation ({@code n >= 1}). */
  public static float max(float[] x, int xo, int n) {
    float m = x[xo];
    for (int i = 1; i < n; i++) {
      m = Math.max(m, x[xo + i]);
    }
    return m;
  }
}
