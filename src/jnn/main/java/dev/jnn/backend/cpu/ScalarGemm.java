package dev.jnn.backend.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * GEMM without the Vector API: packed and cache-blocked like {@link VectorGemm}, with a micro-kernel
 * written so that HotSpot C2 auto-vectorises it. Also the double-precision GEMM.
 *
 * <p>C2's SuperWord pass vectorises a loop only when every array in it is indexed with the same
 * index ({@code acc[j] += a * b[j]}, not {@code c[co + j] += a * b[bo + j]}). So the packed B block
 * is an array of rows, each a separate array indexed from 0, and the kernel accumulates a tile of
 * {@value #MR} rows x {@value #NB} columns of C in {@value #MR} separate accumulator arrays, with
 * the k loop unrolled by four so that each accumulator load/store carries four multiply-adds.
 *
 * <p>The double-precision half of this file is the single-precision half with {@code float}
 * replaced by {@code double}; keep the two in step when editing.
 *
 * <p>Arguments are assumed validated by {@link Gemm}: {@code m, n, k > 0} and {@code alpha != 0}.
 */
final class ScalarGemm {
  /** Rows of C per micro-tile. */
  static final int MR = 2;
  /**
   * Columns of C per micro-tile (the longest auto-vectorised loop): C2's loop overhead weighs less
   * on long loops (AutoVectorBench: 44 GFLOP/s at 256 columns, 59 at 1024); 512 was 5-30 % faster
   * than 256 on workloads c's and d's GEMM shapes, 1024 less so.
   */
  static final int NB = 512;
  /** Depth of one packed block. */
  static final int KC = 256;
  /** Rows of A packed at once per thread (a multiple of MR). */
  static final int MC = 64 * MR;
  /** Columns of B packed at once (a multiple of NB). */
  static final int NC = (2048 / NB) * NB;

  /** Whether Math.fma is a hardware instruction; without it Math.fma is very slow. */
  private static final boolean FMA = CpuFeatures.hardwareFma();

  /** Below this many multiply-adds a call runs on the calling thread only. */
  private static final long PARALLEL_MIN_MACS = 1L << 20;

  private ScalarGemm() {}

  /** Names the kernel. */
  static String describe() {
    return "scalar packed " + MR + "x" + NB + (FMA ? " (auto-vectorised, fma)" : " (auto-vectorised)");
  }

  private static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  /** Units of {@code max} or fewer groups, about four per thread (for dynamic scheduling). */
  private static int unitSize(int groups, int max) {
    return Math.max(1, Math.min(max, ceilDiv(groups, 4 * Parallel.threads())));
  }

  /**
   * Runs {@code body} for units {@code 0 .. units-1} on all threads, each thread taking the next
   * unit as it becomes free, so a thread slowed down by other load hands its share to the others.
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

  // ------------------------------------------------------------------------------------------
  // float

  /** Per-thread, grow-only buffers. */
  private static final class FScratch {
    float[] a = new float[0];
    float[][] b = new float[0][];
    final float[] acc0 = new float[NB];
    final float[] acc1 = new float[NB];

    float[] a(int size) {
      if (a.length < size) {
        a = new float[size];
      }
      return a;
    }

    float[][] b(int rows) {
      if (b.length < rows) {
        float[][] grown = Arrays.copyOf(b, rows);
        for (int i = b.length; i < rows; i++) {
          grown[i] = new float[NB];
        }
        b = grown;
      }
      return b;
    }
  }

  private static final ThreadLocal<FScratch> F_SCRATCH = ThreadLocal.withInitial(FScratch::new);

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
    final int ncMax = Math.min(NC, ceilDiv(n, NB) * NB);
    final float[][] bp = F_SCRATCH.get().b(kcMax * (ncMax / NB));
    final int mGroups = ceilDiv(m, MR);
    for (int jc = 0; jc < n; jc += NC) {
      final int nc = Math.min(NC, n - jc);
      final int nChunks = ceilDiv(nc, NB);
      // Split the rows (M) of C among the threads, or its columns (N) when there are too few rows.
      final boolean splitM = !parallel || mGroups >= 8 * Parallel.threads() || mGroups >= nChunks;
      for (int kb = 0; kb < kBlocks; kb++) {
        final int pc = (int) ((long) k * kb / kBlocks);
        final int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
        final float betaEff = kb == 0 ? beta : 1f;
        final int jc0 = jc;
        if (!parallel) {
          packB(transB, b, bOff, ldb, pc, kc, jc0, nc, bp, 0, nChunks);
          compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, 0, mGroups, 0, nChunks,
              betaEff, c, cOff, ldc);
          continue;
        }
        dynamicFor(nChunks, q -> packB(transB, b, bOff, ldb, pc, kc, jc0, nc, bp, q, q + 1));
        if (splitM) {
          int unit = unitSize(mGroups, MC / MR);
          dynamicFor(
              ceilDiv(mGroups, unit),
              u -> compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, u * unit,
                  Math.min(mGroups, (u + 1) * unit), 0, nChunks, betaEff, c, cOff, ldc));
        } else {
          dynamicFor(
              nChunks,
              q -> compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, 0, mGroups, q,
                  q + 1, betaEff, c, cOff, ldc));
        }
      }
    }
  }

  /**
   * Computes the C rows of groups [g0, g1) x the columns of chunks [q0, q1) of this NC block for
   * one k block, packing the A rows it needs into this thread's scratch.
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
      float[][] bp,
      int g0,
      int g1,
      int q0,
      int q1,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    FScratch s = F_SCRATCH.get();
    final int mcGroups = MC / MR;
    float[] ap = s.a(Math.min(mcGroups, g1 - g0) * MR * kc);
    float[] acc0 = s.acc0;
    float[] acc1 = s.acc1;
    for (int g = g0; g < g1; g += mcGroups) {
      int gEnd = Math.min(g1, g + mcGroups);
      int i0 = g * MR;
      int rows = Math.min(m, gEnd * MR) - i0;
      packA(transA, a, aOff, lda, i0, rows, pc, kc, alpha, ap);
      for (int q = q0; q < q1; q++) {
        int j = jc + q * NB;
        int nb = Math.min(NB, n - j);
        for (int gg = g; gg < gEnd; gg++) {
          int i = gg * MR;
          kernel(kc, ap, (gg - g) * MR * kc, bp, q * kc, acc0, acc1, nb);
          int o = cOff + i * ldc + j;
          merge(acc0, c, o, nb, beta);
          if (i + 1 < m) {
            merge(acc1, c, o + ldc, nb, beta);
          }
        }
      }
    }
  }

  /** c[o .. o+nb) = t[0 .. nb) + beta * c[o ..], with beta == 0 meaning c is not read. */
  private static void merge(float[] t, float[] c, int o, int nb, float beta) {
    if (beta == 0f) {
      System.arraycopy(t, 0, c, o, nb);
    } else if (beta == 1f) {
      for (int x = 0; x < nb; x++) {
        c[o + x] += t[x];
      }
    } else {
      for (int x = 0; x < nb; x++) {
        c[o + x] = t[x] + beta * c[o + x];
      }
    }
  }

  /**
   * Packs alpha * op(A) rows [i0, i0+rows) x cols [p0, p0+kc) into groups of MR rows: group g
   * holds, for each p, its MR values contiguously. Rows past {@code rows} are zero.
   */
  private static void packA(
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
      if (rows - ii >= 2) {
        if (!transA) {
          int r0 = aOff + (i0 + ii) * lda + p0;
          int r1 = r0 + lda;
          for (int p = 0; p < kc; p++) {
            ap[dst] = alpha * a[r0 + p];
            ap[dst + 1] = alpha * a[r1 + p];
            dst += MR;
          }
        } else {
          int src = aOff + p0 * lda + i0 + ii;
          for (int p = 0; p < kc; p++) {
            ap[dst] = alpha * a[src];
            ap[dst + 1] = alpha * a[src + 1];
            src += lda;
            dst += MR;
          }
        }
      } else {
        int src = !transA ? aOff + (i0 + ii) * lda + p0 : aOff + p0 * lda + i0 + ii;
        int step = !transA ? 1 : lda;
        for (int p = 0; p < kc; p++) {
          ap[dst] = alpha * a[src];
          ap[dst + 1] = 0f;
          src += step;
          dst += MR;
        }
      }
    }
  }

  /**
   * Packs chunks [q0, q1) of op(B) rows [p0, p0+kc) x cols [j0, j0+cols): row p of chunk q is the
   * array {@code bp[q * kc + p]}; a chunk's row is written only up to its width (the kernel
   * loops stop there).
   */
  private static void packB(
      boolean transB,
      float[] b,
      int bOff,
      int ldb,
      int p0,
      int kc,
      int j0,
      int cols,
      float[][] bp,
      int q0,
      int q1) {
    for (int q = q0; q < q1; q++) {
      int jj = q * NB;
      int nb = Math.min(NB, cols - jj);
      if (!transB) {
        for (int p = 0; p < kc; p++) {
          float[] row = bp[q * kc + p];
          System.arraycopy(b, bOff + (p0 + p) * ldb + j0 + jj, row, 0, nb);
        }
      } else {
        // op(B)(p, j) = b[bOff + j * ldb + p]: read 4 stored rows (columns of op(B)) as
        // sequential streams and write 4 adjacent values of each packed row: a quarter of the
        // visits to the kc row arrays of one element at a time.
        int x = 0;
        for (; x + 4 <= nb; x += 4) {
          int s0 = bOff + (j0 + jj + x) * ldb + p0;
          int s1 = s0 + ldb;
          int s2 = s1 + ldb;
          int s3 = s2 + ldb;
          for (int p = 0; p < kc; p++) {
            float[] row = bp[q * kc + p];
            row[x] = b[s0 + p];
            row[x + 1] = b[s1 + p];
            row[x + 2] = b[s2 + p];
            row[x + 3] = b[s3 + p];
          }
        }
        for (; x < nb; x++) {
          int src = bOff + (j0 + jj + x) * ldb + p0;
          for (int p = 0; p < kc; p++) {
            bp[q * kc + p][x] = b[src + p];
          }
        }
      }
    }
  }

  /**
   * acc0/acc1[0..len) = sum over p of ap[ai + p*MR + r] * bp[bi + p][0..len), for rows r = 0, 1:
   * only the columns the chunk has ({@code len <= NB}; an im2col block of 112 columns computed all
   * 256 before).
   */
  private static void kernel(
      int kc, float[] ap, int ai, float[][] bp, int bi, float[] c0, float[] c1, int len) {
    Arrays.fill(c0, 0, len, 0f);
    Arrays.fill(c1, 0, len, 0f);
    int p = 0;
    if (FMA) {
      for (; p + 4 <= kc; p += 4) {
        int o = ai + p * MR;
        fma2x4(len, c0, c1, bp[bi + p], bp[bi + p + 1], bp[bi + p + 2], bp[bi + p + 3],
            ap[o], ap[o + 2], ap[o + 4], ap[o + 6], ap[o + 1], ap[o + 3], ap[o + 5], ap[o + 7]);
      }
      for (; p < kc; p++) {
        int o = ai + p * MR;
        fma2x1(len, c0, c1, bp[bi + p], ap[o], ap[o + 1]);
      }
    } else {
      for (; p < kc; p++) {
        int o = ai + p * MR;
        mulAdd2x1(len, c0, c1, bp[bi + p], ap[o], ap[o + 1]);
      }
    }
  }

  // The loops below are the auto-vectorised hot spots: every array is indexed by j alone.

  private static void fma2x4(
      int len, float[] c0, float[] c1, float[] b0, float[] b1, float[] b2, float[] b3,
      float a0, float a1, float a2, float a3, float e0, float e1, float e2, float e3) {
    for (int j = 0; j < len; j++) {
      c0[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c0[j]))));
      c1[j] = Math.fma(e3, b3[j], Math.fma(e2, b2[j], Math.fma(e1, b1[j], Math.fma(e0, b0[j], c1[j]))));
    }
  }

  private static void fma2x1(
      int len, float[] c0, float[] c1, float[] b0, float a0, float e0) {
    for (int j = 0; j < len; j++) {
      c0[j] = Math.fma(a0, b0[j], c0[j]);
      c1[j] = Math.fma(e0, b0[j], c1[j]);
    }
  }

  private static void mulAdd2x1(
      int len, float[] c0, float[] c1, float[] b0, float a0, float e0) {
    for (int j = 0; j < len; j++) {
      c0[j] += a0 * b0[j];
      c1[j] += e0 * b0[j];
    }
  }

  // ------------------------------------------------------------------------------------------
  // double (generated from the double half)

  /** Per-thread, grow-only buffers. */
  private static final class DScratch {
    double[] a = new double[0];
    double[][] b = new double[0][];
    final double[] acc0 = new double[NB];
    final double[] acc1 = new double[NB];

    double[] a(int size) {
      if (a.length < size) {
        a = new double[size];
      }
      return a;
    }

    double[][] b(int rows) {
      if (b.length < rows) {
        double[][] grown = Arrays.copyOf(b, rows);
        for (int i = b.length; i < rows; i++) {
          grown[i] = new double[NB];
        }
        b = grown;
      }
      return b;
    }
  }

  private static final ThreadLocal<DScratch> D_SCRATCH = ThreadLocal.withInitial(DScratch::new);

  static void dgemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      double[] a,
      int aOff,
      int lda,
      double[] b,
      int bOff,
      int ldb,
      double beta,
      double[] c,
      int cOff,
      int ldc) {
    final boolean parallel = Parallel.threads() > 1 && (long) m * n * k >= PARALLEL_MIN_MACS;
    final int kBlocks = ceilDiv(k, KC);
    final int kcMax = ceilDiv(k, kBlocks);
    final int ncMax = Math.min(NC, ceilDiv(n, NB) * NB);
    final double[][] bp = D_SCRATCH.get().b(kcMax * (ncMax / NB));
    final int mGroups = ceilDiv(m, MR);
    for (int jc = 0; jc < n; jc += NC) {
      final int nc = Math.min(NC, n - jc);
      final int nChunks = ceilDiv(nc, NB);
      // Split the rows (M) of C among the threads, or its columns (N) when there are too few rows.
      final boolean splitM = !parallel || mGroups >= 8 * Parallel.threads() || mGroups >= nChunks;
      for (int kb = 0; kb < kBlocks; kb++) {
        final int pc = (int) ((long) k * kb / kBlocks);
        final int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
        final double betaEff = kb == 0 ? beta : 1.0;
        final int jc0 = jc;
        if (!parallel) {
          packB(transB, b, bOff, ldb, pc, kc, jc0, nc, bp, 0, nChunks);
          compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, 0, mGroups, 0, nChunks,
              betaEff, c, cOff, ldc);
          continue;
        }
        dynamicFor(nChunks, q -> packB(transB, b, bOff, ldb, pc, kc, jc0, nc, bp, q, q + 1));
        if (splitM) {
          int unit = unitSize(mGroups, MC / MR);
          dynamicFor(
              ceilDiv(mGroups, unit),
              u -> compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, u * unit,
                  Math.min(mGroups, (u + 1) * unit), 0, nChunks, betaEff, c, cOff, ldc));
        } else {
          dynamicFor(
              nChunks,
              q -> compute(transA, m, n, alpha, a, aOff, lda, pc, kc, jc0, bp, 0, mGroups, q,
                  q + 1, betaEff, c, cOff, ldc));
        }
      }
    }
  }

  /**
   * Computes the C rows of groups [g0, g1) x the columns of chunks [q0, q1) of this NC block for
   * one k block, packing the A rows it needs into this thread's scratch.
   */
  private static void compute(
      boolean transA,
      int m,
      int n,
      double alpha,
      double[] a,
      int aOff,
      int lda,
      int pc,
      int kc,
      int jc,
      double[][] bp,
      int g0,
      int g1,
      int q0,
      int q1,
      double beta,
      double[] c,
      int cOff,
      int ldc) {
    DScratch s = D_SCRATCH.get();
    final int mcGroups = MC / MR;
    double[] ap = s.a(Math.min(mcGroups, g1 - g0) * MR * kc);
    double[] acc0 = s.acc0;
    double[] acc1 = s.acc1;
    for (int g = g0; g < g1; g += mcGroups) {
      int gEnd = Math.min(g1, g + mcGroups);
      int i0 = g * MR;
      int rows = Math.min(m, gEnd * MR) - i0;
      packA(transA, a, aOff, lda, i0, rows, pc, kc, alpha, ap);
      for (int q = q0; q < q1; q++) {
        int j = jc + q * NB;
        int nb = Math.min(NB, n - j);
        for (int gg = g; gg < gEnd; gg++) {
          int i = gg * MR;
          kernel(kc, ap, (gg - g) * MR * kc, bp, q * kc, acc0, acc1, nb);
          int o = cOff + i * ldc + j;
          merge(acc0, c, o, nb, beta);
          if (i + 1 < m) {
            merge(acc1, c, o + ldc, nb, beta);
          }
        }
      }
    }
  }

  /** c[o .. o+nb) = t[0 .. nb) + beta * c[o ..], with beta == 0 meaning c is not read. */
  private static void merge(double[] t, double[] c, int o, int nb, double beta) {
    if (beta == 0.0) {
      System.arraycopy(t, 0, c, o, nb);
    } else if (beta == 1.0) {
      for (int x = 0; x < nb; x++) {
        c[o + x] += t[x];
      }
    } else {
      for (int x = 0; x < nb; x++) {
        c[o + x] = t[x] + beta * c[o + x];
      }
    }
  }

  /**
   * Packs alpha * op(A) rows [i0, i0+rows) x cols [p0, p0+kc) into groups of MR rows: group g
   * holds, for each p, its MR values contiguously. Rows past {@code rows} are zero.
   */
  private static void packA(
      boolean transA,
      double[] a,
      int aOff,
      int lda,
      int i0,
      int rows,
      int p0,
      int kc,
      double alpha,
      double[] ap) {
    int dst = 0;
    for (int ii = 0; ii < rows; ii += MR) {
      if (rows - ii >= 2) {
        if (!transA) {
          int r0 = aOff + (i0 + ii) * lda + p0;
          int r1 = r0 + lda;
          for (int p = 0; p < kc; p++) {
            ap[dst] = alpha * a[r0 + p];
            ap[dst + 1] = alpha * a[r1 + p];
            dst += MR;
          }
        } else {
          int src = aOff + p0 * lda + i0 + ii;
          for (int p = 0; p < kc; p++) {
            ap[dst] = alpha * a[src];
            ap[dst + 1] = alpha * a[src + 1];
            src += lda;
            dst += MR;
          }
        }
      } else {
        int src = !transA ? aOff + (i0 + ii) * lda + p0 : aOff + p0 * lda + i0 + ii;
        int step = !transA ? 1 : lda;
        for (int p = 0; p < kc; p++) {
          ap[dst] = alpha * a[src];
          ap[dst + 1] = 0.0;
          src += step;
          dst += MR;
        }
      }
    }
  }

  /**
   * Packs chunks [q0, q1) of op(B) rows [p0, p0+kc) x cols [j0, j0+cols): row p of chunk q is the
   * array {@code bp[q * kc + p]}; a chunk's row is written only up to its width (the kernel
   * loops stop there).
   */
  private static void packB(
      boolean transB,
      double[] b,
      int bOff,
      int ldb,
      int p0,
      int kc,
      int j0,
      int cols,
      double[][] bp,
      int q0,
      int q1) {
    for (int q = q0; q < q1; q++) {
      int jj = q * NB;
      int nb = Math.min(NB, cols - jj);
      if (!transB) {
        for (int p = 0; p < kc; p++) {
          double[] row = bp[q * kc + p];
          System.arraycopy(b, bOff + (p0 + p) * ldb + j0 + jj, row, 0, nb);
        }
      } else {
        // op(B)(p, j) = b[bOff + j * ldb + p]: read 4 stored rows (columns of op(B)) as
        // sequential streams and write 4 adjacent values of each packed row: a quarter of the
        // visits to the kc row arrays of one element at a time.
        int x = 0;
        for (; x + 4 <= nb; x += 4) {
          int s0 = bOff + (j0 + jj + x) * ldb + p0;
          int s1 = s0 + ldb;
          int s2 = s1 + ldb;
          int s3 = s2 + ldb;
          for (int p = 0; p < kc; p++) {
            double[] row = bp[q * kc + p];
            row[x] = b[s0 + p];
            row[x + 1] = b[s1 + p];
            row[x + 2] = b[s2 + p];
            row[x + 3] = b[s3 + p];
          }
        }
        for (; x < nb; x++) {
          int src = bOff + (j0 + jj + x) * ldb + p0;
          for (int p = 0; p < kc; p++) {
            bp[q * kc + p][x] = b[src + p];
          }
        }
      }
    }
  }

  /**
   * acc0/acc1[0..len) = sum over p of ap[ai + p*MR + r] * bp[bi + p][0..len), for rows r = 0, 1:
   * only the columns the chunk has ({@code len <= NB}; an im2col block of 112 columns computed all
   * 256 before).
   */
  private static void kernel(
      int kc, double[] ap, int ai, double[][] bp, int bi, double[] c0, double[] c1, int len) {
    Arrays.fill(c0, 0, len, 0.0);
    Arrays.fill(c1, 0, len, 0.0);
    int p = 0;
    if (FMA) {
      for (; p + 4 <= kc; p += 4) {
        int o = ai + p * MR;
        fma2x4(len, c0, c1, bp[bi + p], bp[bi + p + 1], bp[bi + p + 2], bp[bi + p + 3],
            ap[o], ap[o + 2], ap[o + 4], ap[o + 6], ap[o + 1], ap[o + 3], ap[o + 5], ap[o + 7]);
      }
      for (; p < kc; p++) {
        int o = ai + p * MR;
        fma2x1(len, c0, c1, bp[bi + p], ap[o], ap[o + 1]);
      }
    } else {
      for (; p < kc; p++) {
        int o = ai + p * MR;
        mulAdd2x1(len, c0, c1, bp[bi + p], ap[o], ap[o + 1]);
      }
    }
  }

  // The loops below are the auto-vectorised hot spots: every array is indexed by j alone.

  private static void fma2x4(
      int len, double[] c0, double[] c1, double[] b0, double[] b1, double[] b2, double[] b3,
      double a0, double a1, double a2, double a3, double e0, double e1, double e2, double e3) {
    for (int j = 0; j < len; j++) {
      c0[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c0[j]))));
      c1[j] = Math.fma(e3, b3[j], Math.fma(e2, b2[j], Math.fma(e1, b1[j], Math.fma(e0, b0[j], c1[j]))));
    }
  }

  private static void fma2x1(
      int len, double[] c0, double[] c1, double[] b0, double a0, double e0) {
    for (int j = 0; j < len; j++) {
      c0[j] = Math.fma(a0, b0[j], c0[j]);
      c1[j] = Math.fma(e0, b0[j], c1[j]);
    }
  }

  private static void mulAdd2x1(
      int len, double[] c0, double[] c1, double[] b0, double a0, double e0) {
    for (int j = 0; j < len; j++) {
      c0[j] += a0 * b0[j];
      c1[j] += e0 * b0[j];
    }
  }
}
