package dev.jnn.backend.cpu;

import dev.jnn.backend.Conv2dGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseConv} on the Vector API: the forward, one output plane at a time, each output
 * vector accumulated in a register over every kernel position and written once; the input
 * gradient of stride-1 layers with one output channel per input channel, as the forward of the
 * output gradient with the flipped kernel; and the weight gradient, per kernel position a dot
 * product of the output gradient plane with the input window under it.
 *
 * <p>The input plane is first copied, zero-padded, into {@code sw} column phases ({@code phase q}
 * holds the padded columns {@code c} with {@code c % sw == q}, at {@code c / sw}), so that the
 * input under output columns {@code j .. j + V} for kernel column offset {@code d} is the
 * contiguous run {@code phase[d % sw][row][j + d / sw ..]} for any stride: a stride-2 layer reads
 * as densely as a stride-1 one, and no tap needs bounds tests. Each output value is {@code bias}
 * followed by one fused multiply-add per kernel position in the order (kh, kw), the same operations
 * in the same order as {@link DepthwiseConv}'s scalar rows, so both give the same bits.
 *
 * <p>Only loaded when {@link CpuFeatures#vectorEnabled()}. Vector API methods are kept small (see
 * {@link VectorGemm}).
 */
final class VectorDepthwise {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int V = S.length();

  private VectorDepthwise() {}

  /** Per-thread, grow-only phase buffer. */
  private static final ThreadLocal<float[][]> BUF = ThreadLocal.withInitial(() -> new float[1][0]);

  /** Padded, phase-split geometry of one input plane, and each kernel position's offset in it. */
  static final class Layout {
    final int hp;
    final int wq;
    final int phase;
    final int[] tapOff;

    Layout(Conv2dGeometry g) {
      int sw = g.strideW();
      hp = Math.max(g.padTop() + g.h(),
          (g.oh() - 1) * g.strideH() + (g.kh() - 1) * g.dilationH() + 1);
      int wp = Math.max(g.padLeft() + g.w(), (g.ow() - 1) * sw + (g.kw() - 1) * g.dilationW() + 1);
      wq = (wp + sw - 1) / sw;
      phase = hp * wq;
      tapOff = new int[g.kh() * g.kw()];
      for (int a = 0; a < g.kh(); a++) {
        for (int b = 0; b < g.kw(); b++) {
          int d = b * g.dilationW();
          tapOff[a * g.kw() + b] = (d % sw) * phase + a * g.dilationH() * wq + d / sw;
        }
      }
    }
  }

  /** Output plane {@code p = n * oc + o} of the depthwise convolution into {@code out}. */
  static void plane(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] out,
      Conv2dGeometry g, Layout l, int p, float[] buf) {
    int oc = g.oc();
    int n = p / oc;
    int o = p % oc;
    int c = o / g.ocPerGroup();
    phases(x, xo + (n * g.c() + c) * g.h() * g.w(), g, l, buf);
    float bias = b == null ? 0f : b[bo + o];
    int taps = g.kh() * g.kw();
    int wt = wo + o * taps;
    int ow = g.ow();
    int op = p * g.oh() * ow;
    int[] tapOff = l.tapOff;
    for (int r = 0; r < g.oh(); r++) {
      int base = r * g.strideH() * l.wq;
      int orow = op + r * ow;
      int j = 0;
      for (; j + 4 * V <= ow; j += 4 * V) {
        quad(buf, base + j, tapOff, taps, w, wt, bias, out, orow + j);
      }
      for (; j + V <= ow; j += V) {
        single(buf, base + j, tapOff, taps, w, wt, bias, out, orow + j);
      }
      for (; j < ow; j++) {
        float acc = bias;
        for (int t = 0; t < taps; t++) {
          acc = Math.fma(w[wt + t], buf[base + j + tapOff[t]], acc);
        }
        out[orow + j] = acc;
      }
    }
  }

  /**
   * The calling thread's phase buffer for {@code l}, zeroed: taken once per range of planes, whose
   * {@link #phases} all write the same positions (the padding stays zero).
   */
  static float[] buffer(Conv2dGeometry g, Layout l) {
    float[][] holder = BUF.get();
    int size = g.strideW() * l.phase;
    if (holder[0].length < size) {
      holder[0] = new float[size];
    }
    Arrays.fill(holder[0], 0, size, 0f);
    return holder[0];
  }

  /**
   * Fills {@code buf} (from {@link #buffer}) with the input plane at {@code x[xp ..]}, zero-padded
   * and split into {@code sw} column phases (see the class comment).
   */
  static void phases(float[] x, int xp, Conv2dGeometry g, Layout l, float[] buf) {
    int sw = g.strideW();
    int hgt = g.h();
    int wid = g.w();
    for (int ih = 0; ih < hgt; ih++) {
      int row = (ih + g.padTop()) * l.wq;
      int src = xp + ih * wid;
      if (sw == 1) {
        System.arraycopy(x, src, buf, row + g.padLeft(), wid);
      } else {
        // phase q takes the padded columns i * sw + q that hold input (pl <= col < pl + wid)
        int pl = g.padLeft();
        for (int q = 0; q < sw; q++) {
          int i0 = Math.max(0, Math.floorDiv(pl - q + sw - 1, sw));
          int i1 = Math.min(l.wq, Math.floorDiv(pl + wid - q + sw - 1, sw));
          int dst = q * l.phase + row;
          int si = src + i0 * sw + q - pl;
          for (int i = i0; i < i1; i++, si += sw) {
            buf[dst + i] = x[si];
          }
        }
      }
    }
  }

  /**
   * Adds the weight gradient of output channel {@code o} ({@code [KH, KW]} at {@code gw[o * taps
   * ..]}): for each kernel position, the sum over the batch of the output gradient plane times the
   * input window under it, read from the phase buffer (so strided layers read contiguous runs),
   * accumulated per plane in float vectors and across planes in float64.
   */
  static void filterChannel(float[] go, int goo, float[] x, int xo, float[] gw, Conv2dGeometry g,
      Layout l, int o, double[] sums, float[] scratch) {
    int taps = g.kh() * g.kw();
    int c = o / g.ocPerGroup();
    int ohw = g.oh() * g.ow();
    Arrays.fill(sums, 0, taps, 0.0);
    float[] acc = new float[2 * V];
    for (int n = 0; n < g.n(); n++) {
      phases(x, xo + (n * g.c() + c) * g.h() * g.w(), g, l, scratch);
      int gop = goo + (n * g.oc() + o) * ohw;
      for (int t = 0; t < taps; t++) {
        sums[t] += dotPlane(go, gop, g.oh(), g.ow(), scratch, l.tapOff[t], g.strideH() * l.wq,
            acc);
      }
    }
    for (int t = 0; t < taps; t++) {
      gw[o * taps + t] += (float) sums[t];
    }
  }

  /** {@code sum over r < oh, j < ow of go[gop + r * ow + j] * buf[off + r * rs + j]}. */
  private static double dotPlane(float[] go, int gop, int oh, int ow, float[] buf, int off,
      int rs, float[] acc) {
    Arrays.fill(acc, 0, 2 * V, 0f);
    float tail = 0f;
    for (int r = 0; r < oh; r++) {
      tail += dotRow(go, gop + r * ow, buf, off + r * rs, ow, acc);
    }
    double sum = tail;
    for (int i = 0; i < 2 * V; i++) {
      sum += acc[i];
    }
    return sum;
  }

  /**
   * Accumulates {@code go[gi + j] * buf[bi + j]} over the whole vectors of one row into the two
   * vectors at {@code acc} and returns the scalar tail's sum. One loop per method, the
   * accumulators kept in memory between rows: vector accumulators live across nested loops defeat
   * C2's box elimination (they then cost an allocation per step).
   */
  private static float dotRow(float[] go, int gi, float[] buf, int bi, int n, float[] acc) {
    FloatVector a0 = FloatVector.fromArray(S, acc, 0);
    FloatVector a1 = FloatVector.fromArray(S, acc, V);
    int j = 0;
    for (; j + 2 * V <= n; j += 2 * V) {
      a0 = FloatVector.fromArray(S, go, gi + j).fma(FloatVector.fromArray(S, buf, bi + j), a0);
      a1 = FloatVector.fromArray(S, go, gi + j + V)
          .fma(FloatVector.fromArray(S, buf, bi + j + V), a1);
    }
    if (j + V <= n) {
      a0 = FloatVector.fromArray(S, go, gi + j).fma(FloatVector.fromArray(S, buf, bi + j), a0);
      j += V;
    }
    a0.intoArray(acc, 0);
    a1.intoArray(acc, V);
    float tail = 0f;
    for (; j < n; j++) {
      tail = Math.fma(go[gi + j], buf[bi + j], tail);
    }
    return tail;
  }

  /** Four output vectors {@code out[o .. o + 4V)}, from the phase buffer at {@code s + tapOff}. */
  private static void quad(float[] buf, int s, int[] tapOff, int taps, float[] w, int wt,
      float bias, float[] out, int o) {
    FloatVector a0 = FloatVector.broadcast(S, bias);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    for (int t = 0; t < taps; t++) {
      FloatVector wv = FloatVector.broadcast(S, w[wt + t]);
      int i = s + tapOff[t];
      a0 = wv.fma(FloatVector.fromArray(S, buf, i), a0);
      a1 = wv.fma(FloatVector.fromArray(S, buf, i + V), a1);
      a2 = wv.fma(FloatVector.fromArray(S, buf, i + 2 * V), a2);
      a3 = wv.fma(FloatVector.fromArray(S, buf, i + 3 * V), a3);
    }
    a0.intoArray(out, o);
    a1.intoArray(out, o + V);
    a2.intoArray(out, o + 2 * V);
    a3.intoArray(out, o + 3 * V);
  }

  /** One output vector, as {@link #quad}. */
  private static void single(float[] buf, int s, int[] tapOff, int taps, float[] w, int wt,
      float bias, float[] out, int o) {
    FloatVector a0 = FloatVector.broadcast(S, bias);
    for (int t = 0; t < taps; t++) {
      a0 = FloatVector.broadcast(S, w[wt + t])
          .fma(FloatVector.fromArray(S, buf, s + tapOff[t]), a0);
    }
    a0.intoArray(out, o);
  }
}
