package dev.jnn.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
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
  /**
   * Depth of one packed block (k direction). Every k block reads and writes all of C once, and C
   * tiles miss the caches, so fewer, deeper blocks win even though a B micro-panel (KC x NR, 64 KiB)
   * then streams from L2 rather than sitting in L1.
   */
  static final int KC = 512;
  /** Rows of A packed at once (a multiple of MR); the packed A block (MC x KC) stays in L2. */
  static final int MC = Math.max(MR, 128 / MR * MR);
  /**
   * Columns of B packed at once (a multiple of NR). The packed block (KC x NC, 1 MiB) is shared by
   * the threads and stays in each core's L2; larger blocks measured slower at n = 2048.
   */
  static final int NC = (1024 / NR) * NR;

  /** Below this many multiply-adds a call runs on the calling thread only. */
  private static final long PARALLEL_MIN_MACS = 1L << 21;

  private VectorGemm() {}

  /** Lanes of the preferred float species; used by {@link CpuFeatures} to probe the API. */
  static int floatLanes() {
    return V;
  }

  /** Names the kernel, e.g. {@code vector(FloatVector 512-bit, 16 lanes) packed 8x32}. */
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
      // Split the rows (M) of C among the threads, or its columns (N) when there are too few rows.
      final boolean splitM = !parallel || mPanels >= 4 * Parallel.threads() || mPanels >= nPanels;
      for (int kb = 0; kb < kBlocks; kb++) {
        final int pc = (int) ((long) k * kb / kBlocks);
        final int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
        final float betaEff = kb == 0 ? beta : 1f;
        final int jc0 = jc;
        if (!parallel) {
          packB(transB, b, bOff, ldb, pc, kc, jc0, nc, bp, 0, nPanels);
          compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, 0, mPanels, 0, nPanels,
              betaEff, c, cOff, ldc);
          continue;
        }
        int packUnit = Math.max(1, 32768 / (kc * NR));
        dynamicFor(
            ceilDiv(nPanels, packUnit),
            u -> packB(transB, b, bOff, ldb, pc, kc, jc0, nc, bp, u * packUnit,
                Math.min(nPanels, (u + 1) * packUnit)));
        if (splitM) {
          int unit = unitSize(mPanels, MC / MR);
          dynamicFor(
              ceilDiv(mPanels, unit),
              u -> compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, u * unit,
                  Math.min(mPanels, (u + 1) * unit), 0, nPanels, betaEff, c, cOff, ldc));
        } else {
          int unit = unitSize(nPanels, Integer.MAX_VALUE);
          dynamicFor(
              ceilDiv(nPanels, unit),
              u -> compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, 0, mPanels,
                  u * unit, Math.min(nPanels, (u + 1) * unit), betaEff, c, cOff, ldc));
        }
      }
    }
  }

  /**
   * Panels per work unit: about four units per thread (so a thread slowed down by other load on
   * the machine hands its share to the others), at most {@code max}.
   */
  private static int unitSize(int panels, int max) {
    return Math.max(1, Math.min(max, ceilDiv(panels, 4 * Parallel.threads())));
  }

  /**
   * Runs {@code body} for units {@code 0 .. units-1} on all threads, each thread taking the next
   * unit as it becomes free (dynamic scheduling).
   */
  private static void dynamicFor(int units, IntConsumer body) {
    if (units <= 1) {
      if (units == 1) {
        body.accept(0);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Parallel.parallelFor(
        Math.min(units, Parallel.threads()),
        1,
        (s, e) -> {
          for (int u = next.getAndIncrement(); u < units; u = next.getAndIncrement()) {
            body.accept(u);
          }
        });
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
        FloatVector.fromArray(S, c, o)
            .fma(bv, FloatVector.fromArray(S, tile, r * NR))
            .intoArray(c, o);
        FloatVector.fromArray(S, c, o + V)
            .fma(bv, FloatVector.fromArray(S, tile, r * NR + V))
            .intoArray(c, o + V);
      }
    }
  }

  /** C[0..mr, 0..nr] = tile + beta * C (beta == 0: C not read), for edge tiles. */
  private static void mergeTile(
      float[] tile, int mr, int nr, float[] c, int ci, int ldc, float beta) {
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
    // op(A)(i, p) = a[aOff + i * rs + p * ps]
    final int rs = transA ? 1 : lda;
    final int ps = transA ? lda : 1;
    int dst = 0;
    for (int ii = 0; ii < rows; ii += MR) {
      int mr = Math.min(MR, rows - ii);
      int src = aOff + (i0 + ii) * rs + p0 * ps;
      if (mr == MR) {
        if (MR == 8) {
          packPanel8(a, src, rs, ps, kc, alpha, ap, dst);
        } else {
          packPanel6(a, src, rs, ps, kc, alpha, ap, dst);
        }
      } else {
        for (int p = 0; p < kc; p++) {
          int d = dst + p * MR;
          int r = 0;
          for (; r < mr; r++) {
            ap[d + r] = alpha * a[src + r * rs + p * ps];
          }
          for (; r < MR; r++) {
            ap[d + r] = 0f;
          }
        }
      }
      dst += MR * kc;
    }
  }

  /** Packs one full panel of 8 rows: row r starts at {@code src + r * rs}, p steps by {@code ps}. */
  private static void packPanel8(
      float[] a, int src, int rs, int ps, int kc, float alpha, float[] ap, int dst) {
    int s0 = src;
    int s1 = s0 + rs;
    int s2 = s1 + rs;
    int s3 = s2 + rs;
    int s4 = s3 + rs;
    int s5 = s4 + rs;
    int s6 = s5 + rs;
    int s7 = s6 + rs;
    for (int p = 0; p < kc; p++) {
      int o = p * ps;
      int d = dst + p * 8;
      ap[d] = alpha * a[s0 + o];
      ap[d + 1] = alpha * a[s1 + o];
      ap[d + 2] = alpha * a[s2 + o];
      ap[d + 3] = alpha * a[s3 + o];
      ap[d + 4] = alpha * a[s4 + o];
      ap[d + 5] = alpha * a[s5 + o];
      ap[d + 6] = alpha * a[s6 + o];
      ap[d + 7] = alpha * a[s7 + o];
    }
  }

  /** Packs one full panel of 6 rows: row r starts at {@code src + r * rs}, p steps by {@code ps}. */
  private static void packPanel6(
      float[] a, int src, int rs, int ps, int kc, float alpha, float[] ap, int dst) {
    int s0 = src;
    int s1 = s0 + rs;
    int s2 = s1 + rs;
    int s3 = s2 + rs;
    int s4 = s3 + rs;
    int s5 = s4 + rs;
    for (int p = 0; p < kc; p++) {
      int o = p * ps;
      int d = dst + p * 6;
      ap[d] = alpha * a[s0 + o];
      ap[d + 1] = alpha * a[s1 + o];
      ap[d + 2] = alpha * a[s2 + o];
      ap[d + 3] = alpha * a[s3 + o];
      ap[d + 4] = alpha * a[s4 + o];
      ap[d + 5] = alpha * a[s5 + o];
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
        // op(B)(p, j) = b[bOff + j * ldb + p]: read columns of op(B) contiguously, 8 at a time.
        int x = 0;
        for (; x + 8 <= nr; x += 8) {
          int s0 = bOff + (j0 + jj + x) * ldb + p0;
          int s1 = s0 + ldb;
          int s2 = s1 + ldb;
          int s3 = s2 + ldb;
          int s4 = s3 + ldb;
          int s5 = s4 + ldb;
          int s6 = s5 + ldb;
          int s7 = s6 + ldb;
          for (int p = 0; p < kc; p++) {
            int d = dst + p * NR + x;
            bp[d] = b[s0 + p];
            bp[d + 1] = b[s1 + p];
            bp[d + 2] = b[s2 + p];
            bp[d + 3] = b[s3 + p];
            bp[d + 4] = b[s4 + p];
            bp[d + 5] = b[s5 + p];
            bp[d + 6] = b[s6 + p];
            bp[d + 7] = b[s7 + p];
          }
        }
        for (; x < nr; x++) {
          int so = bOff + (j0 + jj + x) * ldb + p0;
          int d = dst + x;
          for (int p = 0; p < kc; p++) {
            bp[d + p * NR] = b[so + p];
          }
        }
        if (nr < NR) {
          for (int p = 0; p < kc; p++) {
            int d = dst + p * NR;
            for (int z = nr; z < NR; z++) {
              bp[d + z] = 0f;
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
