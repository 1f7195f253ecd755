package dev.jnn.backend.cpu;

import dev.jnn.backend.Conv2dGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward of {@link DepthwiseConv} on the Vector API: one output plane at a time, each output
 * vector accumulated in a register over every kernel position and written once.
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
      hp = Math.max(g.padTop() + g.h(), (g.oh() - 1) * g.strideH() + (g.kh() - 1) * g.dilationH() + 1);
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
      Conv2dGeometry g, Layout l, int p) {
    int oc = g.oc();
    int n = p / oc;
    int o = p % oc;
    int c = o / g.ocPerGroup();
    int sw = g.strideW();
    float[][] holder = BUF.get();
    int size = sw * l.phase;
    if (holder[0].length < size) {
      holder[0] = new float[size];
    }
    float[] buf = holder[0];
    Arrays.fill(buf, 0, size, 0f);
    int hgt = g.h();
    int wid = g.w();
    int xp = xo + (n * g.c() + c) * hgt * wid;
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

  /** Four output vectors {@code out[o ..  o + 4V)} from the phase buffer at {@code s + tapOff[t]}. */
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
      a0 = FloatVector.broadcast(S, w[wt + t]).fma(FloatVector.fromArray(S, buf, s + tapOff[t]), a0);
    }
    a0.intoArray(out, o);
  }
}
