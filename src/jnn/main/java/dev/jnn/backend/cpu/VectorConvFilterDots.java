package dev.jnn.backend.cpu;

import static dev.jnn.backend.cpu.VectorConv.SCRATCH;
import static dev.jnn.backend.cpu.VectorConv.ceilDiv;
import static dev.jnn.backend.cpu.VectorConv.pad;
import static dev.jnn.backend.cpu.VectorConv.wideGrad;

import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.cpu.VectorConv.Layout;
import dev.jnn.backend.cpu.VectorConv.Scratch;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backward-filter pass of {@link VectorConv}'s implicit GEMM: {@code gradW[o, p] += sum_j
 * gradOutWide[o, j] * xp[off(p) + j]}, as register-blocked dot products over contiguous rows of the
 * padded input and the wide output gradient (no packing at all: a GEMM here would have to
 * transpose the im2col rows, which costs more than the arithmetic when {@code OCg} is small), four
 * images per pass so the horizontal reductions are amortised, accumulated per thread and summed at
 * the end. It shares {@link VectorConv}'s layout, padding, wide gradient and per-thread scratch.
 * Only loaded when {@link CpuFeatures#vectorEnabled()}; {@link CpuConv} decides (see also {@link
 * VectorConvFilter}).
 */
final class VectorConvFilterDots {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final VectorOperators.Associative ADD = VectorOperators.ADD;
  private static final int V = S.length();

  private VectorConvFilterDots() {}

  /** Accumulates the weight gradient {@code [oc, kdim]} into {@code gw} (zero on entry). */
  static void backwardFilter(
      float[] gout, int gOff, float[] x, int xOff, float[] gw, Conv2dGeometry g) {
    final Layout l = new Layout(g);
    final int m = g.ocPerGroup();
    final int k = g.kdim();
    final int size = g.oc() * k;
    if (l.jw == 0 || g.n() == 0) {
      return;
    }
    final int jv = ceilDiv(l.jw, V) * V;
    final int hw = g.h() * g.w();
    final int ohw = g.oh() * g.ow();
    if (Parallel.threads() > 1 && g.n() < Parallel.threads()) {
      // Few images: split each image's output channels over the threads instead.
      Scratch sc = SCRATCH.get();
      sc.xp = Scratch.grow(sc.xp, l.size);
      sc.ap = Scratch.grow(sc.ap, m * jv);
      final float[] xp = sc.xp;
      final float[] go = sc.ap;
      for (int n = 0; n < g.n(); n++) {
        for (int grp = 0; grp < g.groups(); grp++) {
          pad(x, xOff + (n * g.c() + grp * g.cPerGroup()) * hw, g, l, xp);
          wideGrad(gout, gOff + (n * g.oc() + grp * m) * ohw, g, l, go, jv);
          final int gwOff = grp * m * k;
          final int[] off = offsets(1, 0, jv);
          Parallel.parallelFor(
              ceilDiv(m, 4),
              1,
              (s, e) ->
                  filterRows(go, jv, xp, l.rowOff, k, gw, gwOff, 4 * s, Math.min(m, 4 * e), off));
        }
      }
      return;
    }
    // Up to FB images per pass: image b's padded input and wide gradient sit at b * d in xp and
    // go, and the dot products run over all their columns (offset table), so each register
    // block's horizontal reductions are paid once per FB images instead of once per image (for
    // workload a's second layer, 30 vector steps per image: the reductions cost ~25 %).
    final int d = ceilDiv(Math.max(l.size, m * jv), V) * V;
    // Images in fixed ranges handed out dynamically, one partial per range, summed in range order:
    // balanced under load and still reproducible (see Parallel.sumPartials).
    Parallel.sumPartials(
        g.n(),
        size,
        gw,
        (s, e, part) -> {
          Scratch sc = SCRATCH.get();
          int fb = Math.min(FB, e - s);
          sc.xp = Scratch.grow(sc.xp, fb * d);
          sc.ap = Scratch.grow(sc.ap, fb * d);
          for (int n0 = s; n0 < e; n0 += fb) {
            int nb = Math.min(fb, e - n0);
            int[] off = offsets(nb, d, jv);
            for (int grp = 0; grp < g.groups(); grp++) {
              for (int b = 0; b < nb; b++) {
                int n = n0 + b;
                pad(x, xOff + (n * g.c() + grp * g.cPerGroup()) * hw, g, l, sc.xp, b * d);
                wideGrad(gout, gOff + (n * g.oc() + grp * m) * ohw, g, l, sc.ap, b * d, jv, jv);
              }
              filterRows(sc.ap, jv, sc.xp, l.rowOff, k, part, grp * m * k, 0, m, off);
            }
          }
        });
  }

  /** Images per pass of the dot-product weight gradient (see {@link #backwardFilter}). */
  private static final int FB = 4;

  /** {@code b * d + j} for images {@code b < nb} and vector steps {@code j < jv} (step V). */
  private static int[] offsets(int nb, int d, int jv) {
    int steps = jv / V;
    int[] off = new int[nb * steps];
    for (int b = 0; b < nb; b++) {
      for (int t = 0; t < steps; t++) {
        off[b * steps + t] = b * d + t * V;
      }
    }
    return off;
  }

  /**
   * {@code acc[gwOff + o * k + p] += sum_j go[o * jv + j] * xp[rowOff[p] + j]} for output
   * channels {@code [o0, o1)}: dot products along the wide columns, in register blocks of 4 output
   * channels x 3 kernel positions (twelve vector accumulators, seven loads per twelve fused
   * multiply-adds).
   */
  private static void filterRows(
      float[] go, int jv, float[] xp, int[] rowOff, int k, float[] acc, int gwOff, int o0,
      int o1, int[] off) {
    float[] sums = SCRATCH.get().sums;
    int o = o0;
    for (; o + 4 <= o1; o += 4) {
      int p = 0;
      for (; p + 3 <= k; p += 3) {
        dots43(go, o * jv, jv, xp, rowOff[p], rowOff[p + 1], rowOff[p + 2], sums, off);
        int c0 = gwOff + o * k + p;
        for (int r = 0; r < 4; r++) {
          acc[c0 + r * k] += sums[3 * r];
          acc[c0 + r * k + 1] += sums[3 * r + 1];
          acc[c0 + r * k + 2] += sums[3 * r + 2];
        }
      }
      for (; p < k; p++) {
        for (int r = 0; r < 4; r++) {
          acc[gwOff + (o + r) * k + p] += dot(go, (o + r) * jv, xp, rowOff[p], off);
        }
      }
    }
    for (; o < o1; o++) {
      for (int p = 0; p < k; p++) {
        acc[gwOff + o * k + p] += dot(go, o * jv, xp, rowOff[p], off);
      }
    }
  }

  /**
   * Twelve dot products of length {@code jv}: rows {@code go[g0 + r * jv ..]} (r &lt; 4) with
   * {@code xp[x0 ..]}, {@code xp[x1 ..]}, {@code xp[x2 ..]}; {@code sums[3 * r + c]}.
   */
  private static void dots43(
      float[] go, int g0, int jv, float[] xp, int x0, int x1, int x2, float[] sums, int[] off) {
    int g1 = g0 + jv;
    int g2 = g1 + jv;
    int g3 = g2 + jv;
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = FloatVector.zero(S);
    FloatVector a02 = FloatVector.zero(S);
    FloatVector a10 = FloatVector.zero(S);
    FloatVector a11 = FloatVector.zero(S);
    FloatVector a12 = FloatVector.zero(S);
    FloatVector a20 = FloatVector.zero(S);
    FloatVector a21 = FloatVector.zero(S);
    FloatVector a22 = FloatVector.zero(S);
    FloatVector a30 = FloatVector.zero(S);
    FloatVector a31 = FloatVector.zero(S);
    FloatVector a32 = FloatVector.zero(S);
    for (int t = 0; t < off.length; t++) {
      int j = off[t];
      FloatVector v0 = FloatVector.fromArray(S, xp, x0 + j);
      FloatVector v1 = FloatVector.fromArray(S, xp, x1 + j);
      FloatVector v2 = FloatVector.fromArray(S, xp, x2 + j);
      FloatVector u = FloatVector.fromArray(S, go, g0 + j);
      a00 = u.fma(v0, a00);
      a01 = u.fma(v1, a01);
      a02 = u.fma(v2, a02);
      u = FloatVector.fromArray(S, go, g1 + j);
      a10 = u.fma(v0, a10);
      a11 = u.fma(v1, a11);
      a12 = u.fma(v2, a12);
      u = FloatVector.fromArray(S, go, g2 + j);
      a20 = u.fma(v0, a20);
      a21 = u.fma(v1, a21);
      a22 = u.fma(v2, a22);
      u = FloatVector.fromArray(S, go, g3 + j);
      a30 = u.fma(v0, a30);
      a31 = u.fma(v1, a31);
      a32 = u.fma(v2, a32);
    }
    // Store the lane vectors and sum them outside, keeping this method small.
    reduce3(a00, a01, a02, sums, 0);
    reduce3(a10, a11, a12, sums, 3);
    reduce3(a20, a21, a22, sums, 6);
    reduce3(a30, a31, a32, sums, 9);
  }

  private static void reduce3(
      FloatVector a, FloatVector b, FloatVector c, float[] sums, int at) {
    sums[at] = a.reduceLanes(ADD);
    sums[at + 1] = b.reduceLanes(ADD);
    sums[at + 2] = c.reduceLanes(ADD);
  }

  /** {@code sum a[ai + j] * b[bi + j]} over the vector steps {@code j} of {@code off}. */
  private static float dot(float[] a, int ai, float[] b, int bi, int[] off) {
    FloatVector s = FloatVector.zero(S);
    for (int t = 0; t < off.length; t++) {
      int j = off[t];
      s = FloatVector.fromArray(S, a, ai + j).fma(FloatVector.fromArray(S, b, bi + j), s);
    }
    return s.reduceLanes(ADD);
  }
}
