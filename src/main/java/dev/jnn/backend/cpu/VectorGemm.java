package dev.jnn.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on the incubating Vector API: packed, cache-blocked, with a register-blocked
 * {@value #MR} x (2 vectors) micro-kernel.
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
  /** Rows of the micro-tile (broadcast direction). */
  static final int MR = 6;
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
          if (mr == MR && nr == NR) {
            kernel(kc, ap, ai, bp, bi, c, cOff + i * ldc + j, ldc, beta);
          } else {
            kernel(kc, ap, ai, bp, bi, tile, 0, NR, 0f);
            mergeTile(tile, mr, nr, c, cOff + i * ldc + j, ldc, beta);
          }
        }
      }
    }
  }

  /** C[0..mr, 0..nr] = tile + beta * C (beta == 0: C not read). */
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
          int r1 = r0 + lda;
          int r2 = r1 + lda;
          int r3 = r2 + lda;
          int r4 = r3 + lda;
          int r5 = r4 + lda;
          for (int p = 0; p < kc; p++) {
            ap[dst] = alpha * a[r0 + p];
            ap[dst + 1] = alpha * a[r1 + p];
            ap[dst + 2] = alpha * a[r2 + p];
            ap[dst + 3] = alpha * a[r3 + p];
            ap[dst + 4] = alpha * a[r4 + p];
            ap[dst + 5] = alpha * a[r5 + p];
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
   * The micro-kernel: C[MR x NR] = Ap[MR x kc] * Bp[kc x NR] + beta * C, with beta == 0 meaning C
   * is not read. Twelve accumulators live in registers for the whole k loop.
   */
  static void kernel(
      int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, float beta) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    for (int p = 0; p < kc; p++) {
      int ao = ai + p * MR;
      int bo = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x = FloatVector.broadcast(S, ap[ao]);
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
    int r0 = ci;
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    int r4 = r3 + ldc;
    int r5 = r4 + ldc;
    if (beta == 0f) {
      c00.intoArray(c, r0);
      c01.intoArray(c, r0 + V);
      c10.intoArray(c, r1);
      c11.intoArray(c, r1 + V);
      c20.intoArray(c, r2);
      c21.intoArray(c, r2 + V);
      c30.intoArray(c, r3);
      c31.intoArray(c, r3 + V);
      c40.intoArray(c, r4);
      c41.intoArray(c, r4 + V);
      c50.intoArray(c, r5);
      c51.intoArray(c, r5 + V);
    } else if (beta == 1f) {
      c00.add(FloatVector.fromArray(S, c, r0)).intoArray(c, r0);
      c01.add(FloatVector.fromArray(S, c, r0 + V)).intoArray(c, r0 + V);
      c10.add(FloatVector.fromArray(S, c, r1)).intoArray(c, r1);
      c11.add(FloatVector.fromArray(S, c, r1 + V)).intoArray(c, r1 + V);
      c20.add(FloatVector.fromArray(S, c, r2)).intoArray(c, r2);
      c21.add(FloatVector.fromArray(S, c, r2 + V)).intoArray(c, r2 + V);
      c30.add(FloatVector.fromArray(S, c, r3)).intoArray(c, r3);
      c31.add(FloatVector.fromArray(S, c, r3 + V)).intoArray(c, r3 + V);
      c40.add(FloatVector.fromArray(S, c, r4)).intoArray(c, r4);
      c41.add(FloatVector.fromArray(S, c, r4 + V)).intoArray(c, r4 + V);
      c50.add(FloatVector.fromArray(S, c, r5)).intoArray(c, r5);
      c51.add(FloatVector.fromArray(S, c, r5 + V)).intoArray(c, r5 + V);
    } else {
      FloatVector bv = FloatVector.broadcast(S, beta);
      FloatVector.fromArray(S, c, r0).fma(bv, c00).intoArray(c, r0);
      FloatVector.fromArray(S, c, r0 + V).fma(bv, c01).intoArray(c, r0 + V);
      FloatVector.fromArray(S, c, r1).fma(bv, c10).intoArray(c, r1);
      FloatVector.fromArray(S, c, r1 + V).fma(bv, c11).intoArray(c, r1 + V);
      FloatVector.fromArray(S, c, r2).fma(bv, c20).intoArray(c, r2);
      FloatVector.fromArray(S, c, r2 + V).fma(bv, c21).intoArray(c, r2 + V);
      FloatVector.fromArray(S, c, r3).fma(bv, c30).intoArray(c, r3);
      FloatVector.fromArray(S, c, r3 + V).fma(bv, c31).intoArray(c, r3 + V);
      FloatVector.fromArray(S, c, r4).fma(bv, c40).intoArray(c, r4);
      FloatVector.fromArray(S, c, r4 + V).fma(bv, c41).intoArray(c, r4 + V);
      FloatVector.fromArray(S, c, r5).fma(bv, c50).intoArray(c, r5);
      FloatVector.fromArray(S, c, r5 + V).fma(bv, c51).intoArray(c, r5 + V);
    }
  }

  private static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  private static int roundUp(int x, int y) {
    return ceilDiv(x, y) * y;
  }
}
