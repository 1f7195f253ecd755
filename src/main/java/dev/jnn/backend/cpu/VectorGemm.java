package dev.jnn.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on the incubating Vector API: packed, cache-blocked, with a register-blocked
 * MR x (2 vectors) micro-kernel (8 x 32 floats with AVX-512).
 *
 * <p>This is the only class of the library that links against {@code jdk.incubator.vector}. It must
 * not be touched unless {@link CpuFeatures#vectorModulePresent()} is true; {@link Gemm} and {@link
 * CpuFeatures} guarantee that.
 *
 * <p>Arguments are assumed validated by {@link Gemm}: {@code m, n, k > 0} and {@code alpha != 0}.
 */
final class VectorGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Float lanes per vector. */
  static final int V = S.length();
  /**
   * Rows of the micro-tile (broadcast direction): 8 x 2 vectors = 16 accumulators where the ISA
   * has 32 vector registers (AVX-512), else 6 x 2 = 12 (AVX2 has 16 registers).
   */
  static final int MR = V >= 16 ? 8 : 6;
  /** Columns of the micro-tile: two vectors. */
  static final int NR = 2 * V;
  /** Depth of one packed block (k direction). */
  static final int KC = Integer.getInteger("kc", 256);
  /** Rows of A packed at once per thread (a multiple of MR; the packed block stays in L2). */
  static final int MC = Integer.getInteger("mcp", 32) * MR;
  /** Columns of B packed at once (a multiple of NR). */
  static final int NC = (Integer.getInteger("nc", 4096) / NR) * NR;

  /** Below this many multiply-adds a call runs on the calling thread only. */
  private static final long PARALLEL_MIN_MACS = 1L << 21;

  private VectorGemm() {}

  /** Lanes of the preferred float species; used by {@link CpuFeatures} to probe the API. */
  static int floatLanes() {
    return V;
  }

  /** Names the kernel, e.g. {@code vector(FloatVector 512-bit, 16 lanes) packed 6x32}. */
  static String describe() {
    return "vector(FloatVector " + S.vectorBitSize() + "-bit, " + V + " lanes) packed " + MR + "x" + NR;
  }

  /** Per-thread, grow-only packing buffers. */
  private static final class Scratch {
    float[] a = new float[0];
    float[] b = new float[0];
    final float[] tile = new float[MR * NR];

    float[] a(int size) {
      if (a.length < size) {
        a = new float[size];
      }
      return a;
    }

    float[] b(int size) {
      if (b.length < size) {
        b = new float[size];
      }
      return b;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  static void sgemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    final boolean parallel = Parallel.threads() > 1 && (long) m * n * k >= PARALLEL_MIN_MACS;
    final int kBlocks = ceilDiv(k, KC);
    final int kcMax = ceilDiv(k, kBlocks);
    final int ncMax = Math.min(NC, roundUp(n, NR));
    final float[] bp = SCRATCH.get().b(kcMax * ncMax);
    final int mPanels = ceilDiv(m, MR);

    for (int jc = 0; jc < n; jc += NC) {
      final int nc = Math.min(NC, n - jc);
      final int nPanels = ceilDiv(nc, NR);
      // Choose the split that balances the threads best: rows (M) or columns (N) of C.
      final boolean splitM = !parallel || balance(mPanels) >= balance(nPanels);
      for (int kb = 0; kb < kBlocks; kb++) {
        final int pc = (int) ((long) k * kb / kBlocks);
        final int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
        final float betaEff = kb == 0 ? beta : 1f;
        final int jc0 = jc;
        if (parallel) {
          Parallel.parallelFor(
              nPanels,
              Math.max(1, 16384 / (kc * NR)),
              (s, e) -> packB(transB, b, bOff, ldb, pc, kc, jc0, nc, bp, s, e));
          if (splitM) {
            Parallel.parallelFor(
                mPanels,
                1,
                (s, e) ->
                    compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, s, e, 0, nPanels,
                        betaEff, c, cOff, ldc));
          } else {
            Parallel.parallelFor(
                nPanels,
                1,
                (s, e) ->
                    compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, 0, mPanels, s, e,
                        betaEff, c, cOff, ldc));
          }
        } else {
          packB(transB, b, bOff, ldb, pc, kc, jc0, nc, bp, 0, nPanels);
          compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, 0, mPanels, 0, nPanels,
              betaEff, c, cOff, ldc);
        }
      }
    }
  }

  /** Fraction of the threads kept busy when {@code units} equal units are split among them. */
  private static double balance(int units) {
    int t = Parallel.threads();
    return (double) units / ((long) t * ceilDiv(units, t));
  }

  /**
   * Computes C[rows of panels mp0..mp1, cols of panels np0..np1 of this NC block] for one k block:
   * packs the A rows it needs (chunks of MC rows) into this thread's scratch and runs the
   * micro-kernel over the packed B panels.
   */
  private static void compute(
      boolean transA,
      int m,
      int n,
      float alpha,
      float[] a,
      int aOff,
      int lda,
      int pc,
      int kc,
      int jc,
      float[] bp,
      int mp0,
      int mp1,
      int np0,
      int np1,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    Scratch s = SCRATCH.get();
    final int mcPanels = MC / MR;
    float[] ap = s.a(Math.min(mcPanels, mp1 - mp0) * MR * kc);
    float[] tile = s.tile;
    for (int ip = mp0; ip < mp1; ip += mcPanels) {
      int ipEnd = Math.min(mp1, ip + mcPanels);
      int i0 = ip * MR;
      int rows = Math.min(m, ipEnd * MR) - i0;
      packA(transA, a, aOff, lda, i0, rows, pc, kc, alpha, ap);
      for (int jp = np0; jp < np1; jp++) {
        int j = jc + jp * NR;
        int nr = Math.min(NR, n - j);
        int bi = jp * kc * NR;
        for (int q = ip; q < ipEnd; q++) {
          int i = q * MR;
          int mr = Math.min(MR, m - i);
          int ai = (q - ip) * MR * kc;
          kernel(kc, ap, ai, bp, bi, tile);
          if (mr == MR && nr == NR) {
            storeTile(tile, c, cOff + i * ldc + j, ldc, beta);
          } else {
            mergeTile(tile, mr, nr, c, cOff + i * ldc + j, ldc, beta);
          }
        }
      }
    }
  }

  /** C[MR x NR] = tile + beta * C (beta == 0: C not read), with vectors. */
  private static void storeTile(float[] tile, float[] c, int ci, int ldc, float beta) {
    if (beta == 0f) {
      for (int r = 0; r < MR; r++) {
        int o = ci + r * ldc;
        FloatVector.fromArray(S, tile, r * NR).intoArray(c, o);
        FloatVector.fromArray(S, tile, r * NR + V).intoArray(c, o + V);
      }
    } else if (beta == 1f) {
      for (int r = 0; r < MR; r++) {
        int o = ci + r * ldc;
        FloatVector.fromArray(S, tile, r * NR).add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
        FloatVector.fromArray(S, tile, r * NR + V)
            .add(FloatVector.fromArray(S, c, o + V))
            .intoArray(c, o + V);
      }
    } else {
      FloatVector bv = FloatVector.broadcast(S, beta);
      for (int r = 0; r < MR; r++) {
        int o = ci + r * ldc;
        FloatVector.fromArray(S, c, o).fma(bv, FloatVector.fromArray(S, tile, r * NR)).intoArray(c, o);
        FloatVector.fromArray(S, c, o + V)
            .fma(bv, FloatVector.fromArray(S, tile, r * NR + V))
            .intoArray(c, o + V);
      }
    }
  }

  /** C[0..mr, 0..nr] = tile + beta * C (beta == 0: C not read), for edge tiles. */
  private static void mergeTile(float[] tile, int mr, int nr, float[] c, int ci, int ldc, float beta) {
    for (int r = 0; r < mr; r++) {
      int t = r * NR;
      int o = ci + r * ldc;
      if (beta == 0f) {
        for (int j = 0; j < nr; j++) {
          c[o + j] = tile[t + j];
        }
      } else {
        for (int j = 0; j < nr; j++) {
          c[o + j] = tile[t + j] + beta * c[o + j];
        }
      }
    }
  }

  /**
   * Packs rows {@code [i0, i0 + rows)} x cols {@code [p0, p0 + kc)} of alpha * op(A) into MR-row
   * panels: panel q holds, for each p, the MR values of column p contiguously. Rows past {@code
   * rows} are zero.
   */
  static void packA(
      boolean transA,
      float[] a,
      int aOff,
      int lda,
      int i0,
      int rows,
      int p0,
      int kc,
      float alpha,
      float[] ap) {
    int dst = 0;
    for (int ii = 0; ii < rows; ii += MR) {
      int mr = Math.min(MR, rows - ii);
      if (!transA) {
        int r0 = aOff + (i0 + ii) * lda + p0;
        if (mr == MR) {
          for (int p = 0; p < kc; p++) {
            int src = r0 + p;
            for (int r = 0; r < MR; r++) {
              ap[dst + r] = alpha * a[src + r * lda];
            }
            dst += MR;
          }
        } else {
          for (int p = 0; p < kc; p++) {
            int r = 0;
            for (; r < mr; r++) {
              ap[dst + r] = alpha * a[r0 + r * lda + p];
            }
            for (; r < MR; r++) {
              ap[dst + r] = 0f;
            }
            dst += MR;
          }
        }
      } else {
        int base = aOff + p0 * lda + i0 + ii;
        for (int p = 0; p < kc; p++) {
          int src = base + p * lda;
          int r = 0;
          for (; r < mr; r++) {
            ap[dst + r] = alpha * a[src + r];
          }
          for (; r < MR; r++) {
            ap[dst + r] = 0f;
          }
          dst += MR;
        }
      }
    }
  }

  /**
   * Packs panels {@code [q0, q1)} of rows {@code [p0, p0 + kc)} x cols {@code [j0, j0 + cols)} of
   * op(B): panel q, at {@code q * kc * NR}, holds for each p the NR values of row p contiguously.
   * Columns past {@code cols} are zero.
   */
  static void packB(
      boolean transB,
      float[] b,
      int bOff,
      int ldb,
      int p0,
      int kc,
      int j0,
      int cols,
      float[] bp,
      int q0,
      int q1) {
    for (int q = q0; q < q1; q++) {
      int jj = q * NR;
      int nr = Math.min(NR, cols - jj);
      int dst = q * kc * NR;
      if (!transB) {
        int src = bOff + p0 * ldb + j0 + jj;
        if (nr == NR) {
          for (int p = 0; p < kc; p++) {
            int so = src + p * ldb;
            int d = dst + p * NR;
            FloatVector.fromArray(S, b, so).intoArray(bp, d);
            FloatVector.fromArray(S, b, so + V).intoArray(bp, d + V);
          }
        } else {
          for (int p = 0; p < kc; p++) {
            int so = src + p * ldb;
            int d = dst + p * NR;
            int x = 0;
            for (; x < nr; x++) {
              bp[d + x] = b[so + x];
            }
            for (; x < NR; x++) {
              bp[d + x] = 0f;
            }
          }
        }
      } else {
        // op(B)(p, j) = b[bOff + j * ldb + p]: read columns of op(B) contiguously.
        for (int x = 0; x < nr; x++) {
          int so = bOff + (j0 + jj + x) * ldb + p0;
          int d = dst + x;
          for (int p = 0; p < kc; p++) {
            bp[d + p * NR] = b[so + p];
          }
        }
        if (nr < NR) {
          for (int p = 0; p < kc; p++) {
            int d = dst + p * NR;
            for (int x = nr; x < NR; x++) {
              bp[d + x] = 0f;
            }
          }
        }
      }
    }
  }

  /**
   * The micro-kernel: tile[MR x NR] = Ap[MR x kc] * Bp[kc x NR], tile row-major with row stride NR.
   * All MR x 2 accumulators stay in registers for the whole k loop.
   *
   * <p>It writes a small tile rather than C so that its bytecode stays small: HotSpot's C1 gives up
   * on a larger method ("out of virtual registers"), and a method C1 cannot profile may never reach
   * C2, which alone turns Vector API calls into vector instructions.
   */
  static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
    if (MR == 8) {
      kernel8(kc, ap, ai, bp, bi, tile);
    } else {
      kernel6(kc, ap, ai, bp, bi, tile);
    }
  }

  /** The 8 x 2-vector micro-kernel; see {@link #kernel}. */
  private static void kernel8(int kc, float[] ap, int ai, float[] bp, int bi, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S);
    FloatVector c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S);
    FloatVector c71 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ao = ai + p * 8;
      int bo = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, ap[ao]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[ao + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[ao + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[ao + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[ao + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[ao + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, ap[ao + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, ap[ao + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(t, 0);
    c01.intoArray(t, V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
    c40.intoArray(t, 8 * V);
    c41.intoArray(t, 9 * V);
    c50.intoArray(t, 10 * V);
    c51.intoArray(t, 11 * V);
    c60.intoArray(t, 12 * V);
    c61.intoArray(t, 13 * V);
    c70.intoArray(t, 14 * V);
    c71.intoArray(t, 15 * V);
  }

  /** The 6 x 2-vector micro-kernel; see {@link #kernel}. */
  private static void kernel6(int kc, float[] ap, int ai, float[] bp, int bi, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ao = ai + p * 6;
      int bo = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, ap[ao]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[ao + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[ao + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[ao + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[ao + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[ao + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    c00.intoArray(t, 0);
    c01.intoArray(t, V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
    c40.intoArray(t, 8 * V);
    c41.intoArray(t, 9 * V);
    c50.intoArray(t, 10 * V);
    c51.intoArray(t, 11 * V);
  }

  private static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  private static int roundUp(int x, int y) {
    return ceilDiv(x, y) * y;
  }
}
