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
   * Depth of one packed block (k direction): a B micro-panel (KC x NR, 32 KiB with AVX-512) stays
   * in L1 while the A micro-panels of an MC block stream past it from L2.
   */
  static final int KC = 256;
  /** Rows per block of the packed A (a multiple of MR); an MC x KC block stays in L2. */
  static final int MC = Math.max(MR, 128 / MR * MR);
  /**
   * Most columns of B one work unit packs at once (a multiple of NR); the block (KC x NC, 512 KiB)
   * is private to the thread and stays in its core's L2.
   */
  static final int NC = (512 / NR) * NR;

  /** Below this many multiply-adds a call runs on the calling thread only. */
  private static final long PARALLEL_MIN_MACS = 1L << 21;

  /** Most floats of op(A) packed at once (16 MiB); larger A is processed in chunks of rows. */
  private static final int A_CAP = 1 << 22;

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

  /**
   * C = alpha * op(A) * op(B) + beta * C.
   *
   * <p>op(A) is packed once, alpha folded in, into MR-row panels shared by all threads (in chunks
   * of rows when it is large). The product is then cut into independent units, each a range of
   * C's columns (or, when C has too few columns, of its rows) that one thread computes from start
   * to end, packing only the B columns it needs into its own buffer: the threads never wait for
   * each other between the A packing and the end of the call, and no operand is packed twice.
   * Units are handed out dynamically, about four per thread.
   */
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
    final int threads = Parallel.threads();
    final boolean parallel = threads > 1 && (long) m * n * k >= PARALLEL_MIN_MACS;
    final int nPanels = ceilDiv(n, NR);
    final int chunkRows = Math.max(MR, Math.min(roundUp(m, MR), A_CAP / k / MR * MR));
    final float[] ap = SCRATCH.get().a(chunkRows * k);
    for (int i0 = 0; i0 < m; i0 += chunkRows) {
      final int rows = Math.min(chunkRows, m - i0);
      final int mPanels = ceilDiv(rows, MR);
      final int ci = cOff + i0 * ldc;
      final int ii = i0;
      if (!parallel) {
        packA(transA, a, aOff, lda, i0, rows, 0, k, alpha, ap);
        block(transB, ap, 0, rows, 0, n, k, b, bOff, ldb, beta, c, ci, ldc);
        continue;
      }
      final int packUnit = Math.max(1, 65536 / (MR * k));
      dynamicFor(
          ceilDiv(mPanels, packUnit),
          u -> {
            int r0 = u * packUnit * MR;
            int r1 = Math.min(rows, (u + 1) * packUnit * MR);
            packA(transA, a, aOff, lda, ii + r0, r1 - r0, 0, k, alpha, ap, r0 * k);
          });
      if (nPanels >= 2 * threads || nPanels >= mPanels) {
        // Split C's columns: each unit packs only its own columns of B.
        final int unit = Math.max(1, Math.min(NC / NR, ceilDiv(nPanels, 4 * threads)));
        dynamicFor(
            ceilDiv(nPanels, unit),
            u -> block(transB, ap, 0, rows, u * unit * NR, Math.min(n, (u + 1) * unit * NR), k,
                b, bOff, ldb, beta, c, ci, ldc));
      } else {
        // Few columns (B is small): split C's rows; each unit packs all of B.
        final int unit = Math.max(1, ceilDiv(mPanels, 4 * threads));
        dynamicFor(
            ceilDiv(mPanels, unit),
            u -> block(transB, ap, u * unit * MR, Math.min(rows, (u + 1) * unit * MR), 0, n, k,
                b, bOff, ldb, beta, c, ci, ldc));
      }
    }
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
   * Computes C[i0..i1, j0..j1] on the calling thread from the packed A ({@code ap}: the MR-row
   * panels of rows 0.., each {@code MR * k} long): for each NC block of columns and KC block of
   * depth, packs that block of B into this thread's scratch, then runs the micro-kernel over MC
   * blocks of rows, B micro-panel outer (it stays in L1) and A micro-panels inner.
   */
  private static void block(
      boolean transB,
      float[] ap,
      int i0,
      int i1,
      int j0,
      int j1,
      int k,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    Scratch s = SCRATCH.get();
    final int kBlocks = ceilDiv(k, KC);
    final int kcMax = ceilDiv(k, kBlocks);
    final float[] bp = s.b(kcMax * Math.min(NC, roundUp(j1 - j0, NR)));
    final float[] tile = s.tile;
    for (int jc = j0; jc < j1; jc += NC) {
      final int nc = Math.min(NC, j1 - jc);
      final int panels = ceilDiv(nc, NR);
      for (int kb = 0; kb < kBlocks; kb++) {
        final int pc = (int) ((long) k * kb / kBlocks);
        final int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
        final float betaEff = kb == 0 ? beta : 1f;
        packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0, panels);
        for (int ic = i0; ic < i1; ic += MC) {
          final int icEnd = Math.min(i1, ic + MC);
          for (int jp = 0; jp < panels; jp++) {
            final int j = jc + jp * NR;
            final int nr = Math.min(NR, j1 - j);
            final int bi = jp * kc * NR;
            for (int i = ic; i < icEnd; i += MR) {
              kernelStrided(kc, ap, i * k + pc * MR, MR, bp, bi, tile);
              int mr = Math.min(MR, icEnd - i);
              if (mr == MR && nr == NR) {
                storeTile(tile, c, cOff + i * ldc + j, ldc, betaEff);
              } else {
                mergeTile(tile, mr, nr, c, cOff + i * ldc + j, ldc, betaEff);
              }
            }
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
    packA(transA, a, aOff, lda, i0, rows, p0, kc, alpha, ap, 0);
  }

  /** As above, writing the panels from {@code ap[dst]} on. */
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
      float[] ap,
      int dst) {
    // op(A)(i, p) = a[aOff + i * rs + p * ps]
    final int rs = transA ? 1 : lda;
    final int ps = transA ? lda : 1;
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
   * The micro-kernel: tile[MR x NR] = A[MR x kc] * Bp[kc x NR], tile row-major with row stride NR,
   * where A's value (r, p) is {@code a[ao + p * ps + r]}: a packed panel ({@code ps == MR}) or a
   * transposed A read in place ({@code ps == lda}). All MR x 2 accumulators stay in registers for
   * the whole k loop.
   *
   * <p>It writes a small tile rather than C so that its bytecode stays small: HotSpot's C1 gives up
   * on a larger method ("out of virtual registers"), and a method C1 cannot profile may never reach
   * C2, which alone turns Vector API calls into vector instructions.
   */
  static void kernelStrided(int kc, float[] a, int ao, int ps, float[] bp, int bi, float[] tile) {
    if (MR == 8) {
      kernel8s(kc, a, ao, ps, bp, bi, tile);
    } else {
      kernel6s(kc, a, ao, ps, bp, bi, tile);
    }
  }

  /** The 8 x 2-vector micro-kernel over A values {@code a[ao + p * ps + r]}; see {@link #kernelStrided}. */
  private static void kernel8s(int kc, float[] a, int ao, int ps, float[] bp, int bi, float[] t) {
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
      int o = ao + p * ps;
      int bo = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[o + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[o + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[o + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[o + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[o + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, a[o + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, a[o + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
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

  /** The 6 x 2-vector micro-kernel over A values {@code a[ao + p * ps + r]}; see {@link #kernelStrided}. */
  private static void kernel6s(int kc, float[] a, int ao, int ps, float[] bp, int bi, float[] t) {
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
      int o = ao + p * ps;
      int bo = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[o + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[o + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[o + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[o + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[o + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
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
