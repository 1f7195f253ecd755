package dev.jnn.backend.cpu;

import dev.jnn.backend.Conv2dGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 weight gradient of a stride-1 convolution on the Vector API, as a GEMM whose vectors run
 * along the output channels:
 *
 * <pre>
 * gradW[o, p] = sum over images n and output positions s of  X_n[p, s] * G_n[s, o]
 * </pre>
 *
 * with {@code p = (c, ki, kj)} a kernel position, {@code X_n[p, s]} the input pixel under position
 * {@code p} when the kernel sits at output position {@code s}, and {@code G_n = gradOut_n^T}. Per
 * image the input is copied once into a zero-padded buffer (so {@code X_n[p, s]} is {@code
 * xp[rowOff[p] + oh * wp + ow]}, no im2col matrix) and the output gradient is transposed once into
 * {@code G[s, o]} (channels contiguous, padded with zeros to a multiple of the vector length). The
 * micro-kernel keeps an 8 x 2-vector tile of {@code C[p, o]} in registers (6 x 2 on AVX2) and,
 * per output position, broadcasts eight (six) input pixels against two vectors of {@code G}: ten
 * loads per sixteen fused multiply-adds, no packing, no horizontal reductions, and only valid
 * output positions (no padded "wide" columns). The output positions are taken in blocks whose rows
 * of {@code G} stay in the L2 cache across the tiles. Images are split over the threads, each with its own accumulator, summed at the
 * end.
 *
 * <p>It needs at least 16 output channels per group to fill a vector; {@link CpuConv} decides.
 * Only loaded when {@link CpuFeatures#vectorEnabled()}. Vector API methods are kept small (see
 * {@link VectorGemm}).
 */
final class VectorConvFilter {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int V = S.length();
  /**
   * Kernel positions per register tile: 8 x 2 vectors = 16 accumulators where the ISA has 32
   * vector registers (AVX-512); 6 x 2 = 12 on AVX2's 16, leaving room for the two vectors of
   * {@code G} and the broadcast (8 x 2 there spilled accumulators on every step: 27 GFLOP/s on
   * ResNet-50's 3x3 layers, one thread, against 60 for their forward; 6 x 2: 49). AVX2 now takes
   * 4 x 2, the GEMM's rows ({@code -Djnn.cpu.gemm.rows=6|8} selects): C2 spills the 6-row loop's
   * accumulators in some JVM processes and not others (see {@link VectorGemm#MR}).
   */
  private static final int MR = VectorGemm.MR;
  /**
   * Floats of {@code G} per block of output positions (256 KB, half of a typical L2 cache): the
   * block's rows of {@code G} stay cached while every tile of kernel positions and channels
   * passes over them (ResNet-50's 1x1 layers: {@code G} of 3136 x 256 floats, 3 MB, was read from
   * memory once per tile).
   */
  private static final int SB_FLOATS = 64 * 1024;

  private VectorConvFilter() {}

  /** Whether this kernel suits the geometry (stride 1, enough output channels per group). */
  static boolean supports(Conv2dGeometry g) {
    return g.strideH() == 1 && g.strideW() == 1 && g.ocPerGroup() >= V;
  }

  /** Per-thread, grow-only buffers. */
  private static final class Scratch {
    float[] xp = new float[0];
    float[] gt = new float[0];
    /** The calling thread's sum of the workers' accumulators. */
    float[] total = new float[0];
    final int[] rows = new int[MR];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static float[] grow(float[] a, int n) {
    return a.length >= n ? a : new float[n];
  }

  /** Geometry of the padded input of one group and the register tiling. */
  private static final class Layout {
    final int hp;
    final int wp;
    final int plane;
    /** Kernel positions rounded up to MR; positions past kdim read a zero plane. */
    final int kp;
    /** Output channels per group rounded up to the vector length. */
    final int mp;
    final int[] rowOff;
    /** Offset in a padded plane of the pixel under output position {@code s = oh * OW + ow}. */
    final int[] pos;
    /** Padded input elements, including one trailing zero plane for the padding rows. */
    final int size;

    Layout(Conv2dGeometry g) {
      hp = Math.max(g.padTop() + g.h(), g.oh() + (g.kh() - 1) * g.dilationH());
      wp = Math.max(g.padLeft() + g.w(), g.ow() + (g.kw() - 1) * g.dilationW());
      plane = hp * wp;
      int k = g.kdim();
      kp = (k + MR - 1) / MR * MR;
      mp = (g.ocPerGroup() + V - 1) / V * V;
      rowOff = new int[kp];
      int p = 0;
      for (int c = 0; c < g.cPerGroup(); c++) {
        for (int ki = 0; ki < g.kh(); ki++) {
          for (int kj = 0; kj < g.kw(); kj++) {
            rowOff[p++] = c * plane + ki * g.dilationH() * wp + kj * g.dilationW();
          }
        }
      }
      for (; p < kp; p++) {
        rowOff[p] = g.cPerGroup() * plane; // the zero plane
      }
      size = (g.cPerGroup() + 1) * plane;
      pos = new int[g.oh() * g.ow()];
      for (int y = 0; y < g.oh(); y++) {
        for (int x = 0; x < g.ow(); x++) {
          pos[y * g.ow() + x] = y * wp + x;
        }
      }
    }
  }

  /**
   * Accumulates the weight gradient {@code [oc, cg, kh, kw]} of {@code gradOut [n, oc, oh, ow]}
   * (from {@code gOff}) and {@code x [n, c, h, w]} (from {@code xOff}) into {@code gw} (from 0).
   */
  static void backwardFilter(
      float[] gout, int gOff, float[] x, int xOff, float[] gw, Conv2dGeometry g) {
    final Layout l = new Layout(g);
    final int accSize = g.groups() * l.kp * l.mp;
    if (g.n() == 0 || g.oh() == 0 || g.ow() == 0) {
      return;
    }
    final Scratch own = SCRATCH.get();
    own.total = grow(own.total, accSize);
    final float[] total = own.total;
    Arrays.fill(total, 0, accSize, 0f);
    // Images in fixed ranges handed out dynamically, one partial per range, summed in range order:
    // balanced under load and still reproducible (see Parallel.sumPartials).
    Parallel.sumPartials(
        g.n(),
        accSize,
        total,
        (s, e, acc) -> {
          Scratch sc = SCRATCH.get();
          sc.xp = grow(sc.xp, l.size);
          sc.gt = grow(sc.gt, g.oh() * g.ow() * l.mp);
          for (int n = s; n < e; n++) {
            image(gout, gOff, x, xOff, g, l, n, sc, acc);
          }
        });
    // gw[grp * ocg + o, p] += acc[grp][p][o]
    float[] acc = total;
    int k = g.kdim();
    int ocg = g.ocPerGroup();
    for (int grp = 0; grp < g.groups(); grp++) {
      int ab = grp * l.kp * l.mp;
      for (int o = 0; o < ocg; o++) {
        int wb = (grp * ocg + o) * k;
        for (int p = 0; p < k; p++) {
          gw[wb + p] += acc[ab + p * l.mp + o];
        }
      }
    }
  }

  /** Adds image {@code n}'s contribution to {@code acc [groups][kp][mp]}. */
  private static void image(
      float[] gout, int gOff, float[] x, int xOff, Conv2dGeometry g, Layout l, int n, Scratch sc,
      float[] acc) {
    int hw = g.h() * g.w();
    int ohw = g.oh() * g.ow();
    int cg = g.cPerGroup();
    int ocg = g.ocPerGroup();
    for (int grp = 0; grp < g.groups(); grp++) {
      pad(x, xOff + (n * g.c() + grp * cg) * hw, g, l, sc.xp);
      transpose(gout, gOff + (n * g.oc() + grp * ocg) * ohw, ocg, ohw, l.mp, sc.gt);
      int ab = grp * l.kp * l.mp;
      int sb = Math.max(64, SB_FLOATS / l.mp);
      if (V >= 16 && l.mp % (4 * V) == 0) {
        // 4 kernel positions x 4 vectors of channels: 8 loads per 16 fused multiply-adds (8 x 2
        // needs 11 and eight row pointers, more than the x86 registers; measured 20-25 % faster
        // on workload c and LeNet's second layer). AVX-512 only: its 16 accumulators would not
        // fit AVX2's 16 vector registers next to the operands.
        for (int s0 = 0; s0 < l.pos.length; s0 += sb) {
          int s1 = Math.min(l.pos.length, s0 + sb);
          for (int p0 = 0; p0 < l.kp; p0 += 4) {
            int q0 = l.rowOff[p0];
            int q1 = l.rowOff[p0 + 1];
            int q2 = l.rowOff[p0 + 2];
            int q3 = l.rowOff[p0 + 3];
            for (int o0 = 0; o0 < l.mp; o0 += 4 * V) {
              tile4(sc.xp, q0, q1, q2, q3, l.pos, s0, s1, sc.gt, o0, l.mp, acc,
                  ab + p0 * l.mp + o0);
            }
          }
        }
        continue;
      }
      for (int s0 = 0; s0 < l.pos.length; s0 += sb) {
        int s1 = Math.min(l.pos.length, s0 + sb);
        for (int p0 = 0; p0 < l.kp; p0 += MR) {
          System.arraycopy(l.rowOff, p0, sc.rows, 0, MR);
          int o0 = 0;
          for (; o0 + 2 * V <= l.mp; o0 += 2 * V) {
            int ci = ab + p0 * l.mp + o0;
            if (MR == 8) {
              tile2(sc.xp, sc.rows, l.pos, s0, s1, sc.gt, o0, l.mp, acc, ci);
            } else if (MR == 6) {
              tile2r6(sc.xp, sc.rows, l.pos, s0, s1, sc.gt, o0, l.mp, acc, ci);
            } else {
              tile2r4(sc.xp, sc.rows, l.pos, s0, s1, sc.gt, o0, l.mp, acc, ci);
            }
          }
          if (o0 < l.mp) {
            int ci = ab + p0 * l.mp + o0;
            if (MR == 8) {
              tile1(sc.xp, sc.rows, l.pos, s0, s1, sc.gt, o0, l.mp, acc, ci);
            } else if (MR == 6) {
              tile1r6(sc.xp, sc.rows, l.pos, s0, s1, sc.gt, o0, l.mp, acc, ci);
            } else {
              tile1r4(sc.xp, sc.rows, l.pos, s0, s1, sc.gt, o0, l.mp, acc, ci);
            }
          }
        }
      }
    }
  }

  /** Copies one group's input planes into the zero-padded buffer (plus a zero plane). */
  private static void pad(float[] x, int xOff, Conv2dGeometry g, Layout l, float[] xp) {
    Arrays.fill(xp, 0, l.size, 0f);
    int hw = g.h() * g.w();
    for (int c = 0; c < g.cPerGroup(); c++) {
      int src = xOff + c * hw;
      int dst = c * l.plane + g.padTop() * l.wp + g.padLeft();
      for (int ih = 0; ih < g.h(); ih++) {
        System.arraycopy(x, src + ih * g.w(), xp, dst + ih * l.wp, g.w());
      }
    }
  }

  /**
   * {@code gt[s * ld + o] = src[off + o * cols + s]} for {@code o < rows}, zero for {@code rows <=
   * o < ld}: each output row is written contiguously while the {@code rows} source rows are read
   * as that many sequential streams.
   */
  static void transpose(float[] src, int off, int rows, int cols, int ld, float[] gt) {
    for (int s = 0; s < cols; s++) {
      int d = s * ld;
      int si = off + s;
      for (int o = 0; o < rows; o++) {
        gt[d + o] = src[si + o * cols];
      }
      for (int o = rows; o < ld; o++) {
        gt[d + o] = 0f;
      }
    }
  }

  /**
   * {@code acc[ci + r * ld + (0 .. 2V)] += sum_s xp[rows[r] + pos[s]] * gt[s * ld + o0 ..]} over
   * output positions {@code s0 <= s < s1}, for the eight kernel positions of the tile.
   */
  private static void tile2(
      float[] xp, int[] rows, int[] pos, int s0, int s1, float[] gt, int o0, int ld, float[] acc, int ci) {
    int r0 = rows[0];
    int r1 = rows[1];
    int r2 = rows[2];
    int r3 = rows[3];
    int r4 = rows[4];
    int r5 = rows[5];
    int r6 = rows[6];
    int r7 = rows[7];
    FloatVector c00 = FloatVector.fromArray(S, acc, ci);
    FloatVector c01 = FloatVector.fromArray(S, acc, ci + V);
    FloatVector c10 = FloatVector.fromArray(S, acc, ci + ld);
    FloatVector c11 = FloatVector.fromArray(S, acc, ci + ld + V);
    FloatVector c20 = FloatVector.fromArray(S, acc, ci + 2 * ld);
    FloatVector c21 = FloatVector.fromArray(S, acc, ci + 2 * ld + V);
    FloatVector c30 = FloatVector.fromArray(S, acc, ci + 3 * ld);
    FloatVector c31 = FloatVector.fromArray(S, acc, ci + 3 * ld + V);
    FloatVector c40 = FloatVector.fromArray(S, acc, ci + 4 * ld);
    FloatVector c41 = FloatVector.fromArray(S, acc, ci + 4 * ld + V);
    FloatVector c50 = FloatVector.fromArray(S, acc, ci + 5 * ld);
    FloatVector c51 = FloatVector.fromArray(S, acc, ci + 5 * ld + V);
    FloatVector c60 = FloatVector.fromArray(S, acc, ci + 6 * ld);
    FloatVector c61 = FloatVector.fromArray(S, acc, ci + 6 * ld + V);
    FloatVector c70 = FloatVector.fromArray(S, acc, ci + 7 * ld);
    FloatVector c71 = FloatVector.fromArray(S, acc, ci + 7 * ld + V);
    int gi = s0 * ld + o0;
    // one flat loop over the output positions (vector accumulators across nested loops defeat
    // C2's box elimination)
    for (int s = s0; s < s1; s++) {
      int j = pos[s];
      {
        FloatVector b0 = FloatVector.fromArray(S, gt, gi);
        FloatVector b1 = FloatVector.fromArray(S, gt, gi + V);
        gi += ld;
        FloatVector a;
        a = FloatVector.broadcast(S, xp[r0 + j]);
        c00 = a.fma(b0, c00);
        c01 = a.fma(b1, c01);
        a = FloatVector.broadcast(S, xp[r1 + j]);
        c10 = a.fma(b0, c10);
        c11 = a.fma(b1, c11);
        a = FloatVector.broadcast(S, xp[r2 + j]);
        c20 = a.fma(b0, c20);
        c21 = a.fma(b1, c21);
        a = FloatVector.broadcast(S, xp[r3 + j]);
        c30 = a.fma(b0, c30);
        c31 = a.fma(b1, c31);
        a = FloatVector.broadcast(S, xp[r4 + j]);
        c40 = a.fma(b0, c40);
        c41 = a.fma(b1, c41);
        a = FloatVector.broadcast(S, xp[r5 + j]);
        c50 = a.fma(b0, c50);
        c51 = a.fma(b1, c51);
        a = FloatVector.broadcast(S, xp[r6 + j]);
        c60 = a.fma(b0, c60);
        c61 = a.fma(b1, c61);
        a = FloatVector.broadcast(S, xp[r7 + j]);
        c70 = a.fma(b0, c70);
        c71 = a.fma(b1, c71);
      }
    }
    c00.intoArray(acc, ci);
    c01.intoArray(acc, ci + V);
    c10.intoArray(acc, ci + ld);
    c11.intoArray(acc, ci + ld + V);
    c20.intoArray(acc, ci + 2 * ld);
    c21.intoArray(acc, ci + 2 * ld + V);
    c30.intoArray(acc, ci + 3 * ld);
    c31.intoArray(acc, ci + 3 * ld + V);
    c40.intoArray(acc, ci + 4 * ld);
    c41.intoArray(acc, ci + 4 * ld + V);
    c50.intoArray(acc, ci + 5 * ld);
    c51.intoArray(acc, ci + 5 * ld + V);
    c60.intoArray(acc, ci + 6 * ld);
    c61.intoArray(acc, ci + 6 * ld + V);
    c70.intoArray(acc, ci + 7 * ld);
    c71.intoArray(acc, ci + 7 * ld + V);
  }

  /** {@link #tile2} with four kernel positions (AVX2: 8 accumulators of the 16 registers). */
  private static void tile2r4(
      float[] xp, int[] rows, int[] pos, int s0, int s1, float[] gt, int o0, int ld, float[] acc,
      int ci) {
    int r0 = rows[0];
    int r1 = rows[1];
    int r2 = rows[2];
    int r3 = rows[3];
    FloatVector c00 = FloatVector.fromArray(S, acc, ci);
    FloatVector c01 = FloatVector.fromArray(S, acc, ci + V);
    FloatVector c10 = FloatVector.fromArray(S, acc, ci + ld);
    FloatVector c11 = FloatVector.fromArray(S, acc, ci + ld + V);
    FloatVector c20 = FloatVector.fromArray(S, acc, ci + 2 * ld);
    FloatVector c21 = FloatVector.fromArray(S, acc, ci + 2 * ld + V);
    FloatVector c30 = FloatVector.fromArray(S, acc, ci + 3 * ld);
    FloatVector c31 = FloatVector.fromArray(S, acc, ci + 3 * ld + V);
    int gi = s0 * ld + o0;
    for (int s = s0; s < s1; s++) {
      int j = pos[s];
      FloatVector b0 = FloatVector.fromArray(S, gt, gi);
      FloatVector b1 = FloatVector.fromArray(S, gt, gi + V);
      gi += ld;
      FloatVector a;
      a = FloatVector.broadcast(S, xp[r0 + j]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, xp[r1 + j]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(S, xp[r2 + j]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, xp[r3 + j]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
    }
    c00.intoArray(acc, ci);
    c01.intoArray(acc, ci + V);
    c10.intoArray(acc, ci + ld);
    c11.intoArray(acc, ci + ld + V);
    c20.intoArray(acc, ci + 2 * ld);
    c21.intoArray(acc, ci + 2 * ld + V);
    c30.intoArray(acc, ci + 3 * ld);
    c31.intoArray(acc, ci + 3 * ld + V);
  }

  /** {@link #tile2} with six kernel positions (12 accumulators, {@code jnn.cpu.gemm.rows=6}). */
  private static void tile2r6(
      float[] xp, int[] rows, int[] pos, int s0, int s1, float[] gt, int o0, int ld, float[] acc,
      int ci) {
    int r0 = rows[0];
    int r1 = rows[1];
    int r2 = rows[2];
    int r3 = rows[3];
    int r4 = rows[4];
    int r5 = rows[5];
    FloatVector c00 = FloatVector.fromArray(S, acc, ci);
    FloatVector c01 = FloatVector.fromArray(S, acc, ci + V);
    FloatVector c10 = FloatVector.fromArray(S, acc, ci + ld);
    FloatVector c11 = FloatVector.fromArray(S, acc, ci + ld + V);
    FloatVector c20 = FloatVector.fromArray(S, acc, ci + 2 * ld);
    FloatVector c21 = FloatVector.fromArray(S, acc, ci + 2 * ld + V);
    FloatVector c30 = FloatVector.fromArray(S, acc, ci + 3 * ld);
    FloatVector c31 = FloatVector.fromArray(S, acc, ci + 3 * ld + V);
    FloatVector c40 = FloatVector.fromArray(S, acc, ci + 4 * ld);
    FloatVector c41 = FloatVector.fromArray(S, acc, ci + 4 * ld + V);
    FloatVector c50 = FloatVector.fromArray(S, acc, ci + 5 * ld);
    FloatVector c51 = FloatVector.fromArray(S, acc, ci + 5 * ld + V);
    int gi = s0 * ld + o0;
    for (int s = s0; s < s1; s++) {
      int j = pos[s];
      FloatVector b0 = FloatVector.fromArray(S, gt, gi);
      FloatVector b1 = FloatVector.fromArray(S, gt, gi + V);
      gi += ld;
      FloatVector a;
      a = FloatVector.broadcast(S, xp[r0 + j]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, xp[r1 + j]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(S, xp[r2 + j]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, xp[r3 + j]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(S, xp[r4 + j]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, xp[r5 + j]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
    }
    c00.intoArray(acc, ci);
    c01.intoArray(acc, ci + V);
    c10.intoArray(acc, ci + ld);
    c11.intoArray(acc, ci + ld + V);
    c20.intoArray(acc, ci + 2 * ld);
    c21.intoArray(acc, ci + 2 * ld + V);
    c30.intoArray(acc, ci + 3 * ld);
    c31.intoArray(acc, ci + 3 * ld + V);
    c40.intoArray(acc, ci + 4 * ld);
    c41.intoArray(acc, ci + 4 * ld + V);
    c50.intoArray(acc, ci + 5 * ld);
    c51.intoArray(acc, ci + 5 * ld + V);
  }

  /** {@link #tile1} with four kernel positions. */
  private static void tile1r4(
      float[] xp, int[] rows, int[] pos, int s0, int s1, float[] gt, int o0, int ld, float[] acc,
      int ci) {
    int r0 = rows[0];
    int r1 = rows[1];
    int r2 = rows[2];
    int r3 = rows[3];
    FloatVector c0 = FloatVector.fromArray(S, acc, ci);
    FloatVector c1 = FloatVector.fromArray(S, acc, ci + ld);
    FloatVector c2 = FloatVector.fromArray(S, acc, ci + 2 * ld);
    FloatVector c3 = FloatVector.fromArray(S, acc, ci + 3 * ld);
    int gi = s0 * ld + o0;
    for (int s = s0; s < s1; s++) {
      int j = pos[s];
      FloatVector b = FloatVector.fromArray(S, gt, gi);
      gi += ld;
      c0 = FloatVector.broadcast(S, xp[r0 + j]).fma(b, c0);
      c1 = FloatVector.broadcast(S, xp[r1 + j]).fma(b, c1);
      c2 = FloatVector.broadcast(S, xp[r2 + j]).fma(b, c2);
      c3 = FloatVector.broadcast(S, xp[r3 + j]).fma(b, c3);
    }
    c0.intoArray(acc, ci);
    c1.intoArray(acc, ci + ld);
    c2.intoArray(acc, ci + 2 * ld);
    c3.intoArray(acc, ci + 3 * ld);
  }

  /** {@link #tile1} with six kernel positions. */
  private static void tile1r6(
      float[] xp, int[] rows, int[] pos, int s0, int s1, float[] gt, int o0, int ld, float[] acc,
      int ci) {
    int r0 = rows[0];
    int r1 = rows[1];
    int r2 = rows[2];
    int r3 = rows[3];
    int r4 = rows[4];
    int r5 = rows[5];
    FloatVector c0 = FloatVector.fromArray(S, acc, ci);
    FloatVector c1 = FloatVector.fromArray(S, acc, ci + ld);
    FloatVector c2 = FloatVector.fromArray(S, acc, ci + 2 * ld);
    FloatVector c3 = FloatVector.fromArray(S, acc, ci + 3 * ld);
    FloatVector c4 = FloatVector.fromArray(S, acc, ci + 4 * ld);
    FloatVector c5 = FloatVector.fromArray(S, acc, ci + 5 * ld);
    int gi = s0 * ld + o0;
    for (int s = s0; s < s1; s++) {
      int j = pos[s];
      FloatVector b = FloatVector.fromArray(S, gt, gi);
      gi += ld;
      c0 = FloatVector.broadcast(S, xp[r0 + j]).fma(b, c0);
      c1 = FloatVector.broadcast(S, xp[r1 + j]).fma(b, c1);
      c2 = FloatVector.broadcast(S, xp[r2 + j]).fma(b, c2);
      c3 = FloatVector.broadcast(S, xp[r3 + j]).fma(b, c3);
      c4 = FloatVector.broadcast(S, xp[r4 + j]).fma(b, c4);
      c5 = FloatVector.broadcast(S, xp[r5 + j]).fma(b, c5);
    }
    c0.intoArray(acc, ci);
    c1.intoArray(acc, ci + ld);
    c2.intoArray(acc, ci + 2 * ld);
    c3.intoArray(acc, ci + 3 * ld);
    c4.intoArray(acc, ci + 4 * ld);
    c5.intoArray(acc, ci + 5 * ld);
  }

  /**
   * {@link #tile2} with 4 kernel positions x 4 vectors of output channels (needs 4V channels per
   * row): half the row pointers, 8 loads per 16 fused multiply-adds instead of 11.
   */
  private static void tile4(
      float[] xp, int r0, int r1, int r2, int r3, int[] pos, int s0, int s1, float[] gt, int o0,
      int ld, float[] acc, int ci) {
    FloatVector c00 = FloatVector.fromArray(S, acc, ci);
    FloatVector c01 = FloatVector.fromArray(S, acc, ci + 1 * V);
    FloatVector c02 = FloatVector.fromArray(S, acc, ci + 2 * V);
    FloatVector c03 = FloatVector.fromArray(S, acc, ci + 3 * V);
    FloatVector c10 = FloatVector.fromArray(S, acc, ci + 1 * ld);
    FloatVector c11 = FloatVector.fromArray(S, acc, ci + 1 * ld + 1 * V);
    FloatVector c12 = FloatVector.fromArray(S, acc, ci + 1 * ld + 2 * V);
    FloatVector c13 = FloatVector.fromArray(S, acc, ci + 1 * ld + 3 * V);
    FloatVector c20 = FloatVector.fromArray(S, acc, ci + 2 * ld);
    FloatVector c21 = FloatVector.fromArray(S, acc, ci + 2 * ld + 1 * V);
    FloatVector c22 = FloatVector.fromArray(S, acc, ci + 2 * ld + 2 * V);
    FloatVector c23 = FloatVector.fromArray(S, acc, ci + 2 * ld + 3 * V);
    FloatVector c30 = FloatVector.fromArray(S, acc, ci + 3 * ld);
    FloatVector c31 = FloatVector.fromArray(S, acc, ci + 3 * ld + 1 * V);
    FloatVector c32 = FloatVector.fromArray(S, acc, ci + 3 * ld + 2 * V);
    FloatVector c33 = FloatVector.fromArray(S, acc, ci + 3 * ld + 3 * V);
    int gi = s0 * ld + o0;
    for (int s = s0; s < s1; s++) {
      int j = pos[s];
      FloatVector b0 = FloatVector.fromArray(S, gt, gi);
      FloatVector b1 = FloatVector.fromArray(S, gt, gi + 1 * V);
      FloatVector b2 = FloatVector.fromArray(S, gt, gi + 2 * V);
      FloatVector b3 = FloatVector.fromArray(S, gt, gi + 3 * V);
      gi += ld;
      FloatVector a;
      a = FloatVector.broadcast(S, xp[r0 + j]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      c02 = a.fma(b2, c02);
      c03 = a.fma(b3, c03);
      a = FloatVector.broadcast(S, xp[r1 + j]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      c12 = a.fma(b2, c12);
      c13 = a.fma(b3, c13);
      a = FloatVector.broadcast(S, xp[r2 + j]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      c22 = a.fma(b2, c22);
      c23 = a.fma(b3, c23);
      a = FloatVector.broadcast(S, xp[r3 + j]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      c32 = a.fma(b2, c32);
      c33 = a.fma(b3, c33);
    }
    c00.intoArray(acc, ci);
    c01.intoArray(acc, ci + 1 * V);
    c02.intoArray(acc, ci + 2 * V);
    c03.intoArray(acc, ci + 3 * V);
    c10.intoArray(acc, ci + 1 * ld);
    c11.intoArray(acc, ci + 1 * ld + 1 * V);
    c12.intoArray(acc, ci + 1 * ld + 2 * V);
    c13.intoArray(acc, ci + 1 * ld + 3 * V);
    c20.intoArray(acc, ci + 2 * ld);
    c21.intoArray(acc, ci + 2 * ld + 1 * V);
    c22.intoArray(acc, ci + 2 * ld + 2 * V);
    c23.intoArray(acc, ci + 2 * ld + 3 * V);
    c30.intoArray(acc, ci + 3 * ld);
    c31.intoArray(acc, ci + 3 * ld + 1 * V);
    c32.intoArray(acc, ci + 3 * ld + 2 * V);
    c33.intoArray(acc, ci + 3 * ld + 3 * V);
  }

  /** {@link #tile2} for a single vector of output channels. */
  private static void tile1(
      float[] xp, int[] rows, int[] pos, int s0, int s1, float[] gt, int o0, int ld, float[] acc, int ci) {
    int r0 = rows[0];
    int r1 = rows[1];
    int r2 = rows[2];
    int r3 = rows[3];
    int r4 = rows[4];
    int r5 = rows[5];
    int r6 = rows[6];
    int r7 = rows[7];
    FloatVector c0 = FloatVector.fromArray(S, acc, ci);
    FloatVector c1 = FloatVector.fromArray(S, acc, ci + ld);
    FloatVector c2 = FloatVector.fromArray(S, acc, ci + 2 * ld);
    FloatVector c3 = FloatVector.fromArray(S, acc, ci + 3 * ld);
    FloatVector c4 = FloatVector.fromArray(S, acc, ci + 4 * ld);
    FloatVector c5 = FloatVector.fromArray(S, acc, ci + 5 * ld);
    FloatVector c6 = FloatVector.fromArray(S, acc, ci + 6 * ld);
    FloatVector c7 = FloatVector.fromArray(S, acc, ci + 7 * ld);
    int gi = s0 * ld + o0;
    for (int s = s0; s < s1; s++) {
      int j = pos[s];
      {
        FloatVector b = FloatVector.fromArray(S, gt, gi);
        gi += ld;
        c0 = FloatVector.broadcast(S, xp[r0 + j]).fma(b, c0);
        c1 = FloatVector.broadcast(S, xp[r1 + j]).fma(b, c1);
        c2 = FloatVector.broadcast(S, xp[r2 + j]).fma(b, c2);
        c3 = FloatVector.broadcast(S, xp[r3 + j]).fma(b, c3);
        c4 = FloatVector.broadcast(S, xp[r4 + j]).fma(b, c4);
        c5 = FloatVector.broadcast(S, xp[r5 + j]).fma(b, c5);
        c6 = FloatVector.broadcast(S, xp[r6 + j]).fma(b, c6);
        c7 = FloatVector.broadcast(S, xp[r7 + j]).fma(b, c7);
      }
    }
    c0.intoArray(acc, ci);
    c1.intoArray(acc, ci + ld);
    c2.intoArray(acc, ci + 2 * ld);
    c3.intoArray(acc, ci + 3 * ld);
    c4.intoArray(acc, ci + 4 * ld);
    c5.intoArray(acc, ci + 5 * ld);
    c6.intoArray(acc, ci + 6 * ld);
    c7.intoArray(acc, ci + 7 * ld);
  }
}
