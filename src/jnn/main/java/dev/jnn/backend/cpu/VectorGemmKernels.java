package dev.jnn.backend.cpu;

import static dev.jnn.backend.cpu.VectorGemm.MR;
import static dev.jnn.backend.cpu.VectorGemm.NR;
import static dev.jnn.backend.cpu.VectorGemm.V;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorGemm}'s register-blocked micro-kernels, in their own file so that the blocking and
 * packing code stays readable: MR x (2 vectors) of C kept in registers over the whole k loop, with
 * B (or A) read packed or in place, and the 4-row variant for short last panels. Like {@code
 * VectorGemm}, only reached when {@link CpuFeatures#vectorModulePresent()} is true.
 */
final class VectorGemmKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorGemmKernels() {}

  /**
   * The micro-kernel: tile[MR x NR] = A[MR x kc] * B[kc x NR], tile row-major with row stride NR,
   * A a packed MR-row panel (value (r, p) at {@code a[ao + p * MR + r]}) and B a packed NR-column
   * panel (value (p, j) at {@code bp[bi + p * NR + j]}). All MR x 2 accumulators stay in registers
   * for the whole k loop. {@link #kernelY} and {@link #kernelX} are the same loop with B, or A,
   * read in place.
   *
   * <p>The loops step their offsets by addition ({@code bo += NR}) rather than computing {@code bi
   * + p * NR}: with JDK 17's C2 that ran the loop up to 1.3x faster here (packed operands; 2x with
   * A's rows in place), measured on a 2-vCPU AMD EPYC with AVX2. Where A is packed, the loop
   * counts A's offset itself ({@code for (o = ao; o < end; o += MR)}) rather than p: C2 then
   * proves the broadcasts' indices in range once, outside the loop, and the 6-row loop shrank
   * from 40 instructions (two range checks and the index arithmetic each step) to 31, the 4-row
   * one to 25 (JDK 17.0.15, read with {@code -XX:CompileCommand=print}).
   *
   * <p>It writes a small tile rather than C so that its bytecode stays small: HotSpot's C1 gives up
   * on a larger method ("out of virtual registers"), and a method C1 cannot profile may never reach
   * C2, which alone turns Vector API calls into vector instructions.
   */
  static void kernel(int kc, float[] a, int ao, float[] bp, int bi, float[] tile) {
    if (MR == 8) {
      kernel8(kc, a, ao, bp, bi, tile);
    } else if (MR == 6) {
      kernel6(kc, a, ao, bp, bi, tile);
    } else {
      kernel4(kc, a, ao, bp, bi, tile);
    }
  }

  /**
   * {@link #kernel} with B read in place: value (p, j) at {@code b[bo + p * ldb + j]}, the NR
   * columns contiguous.
   */
  static void kernelY(int kc, float[] a, int ao, float[] b, int bo, int ldb, float[] tile) {
    if (MR == 8) {
      kernel8y(kc, a, ao, b, bo, ldb, tile);
    } else if (MR == 6) {
      kernel6y(kc, a, ao, b, bo, ldb, tile);
    } else {
      kernel4y(kc, a, ao, b, bo, ldb, tile);
    }
  }

  /**
   * {@link #kernel} with A read in place: value (r, p) at {@code a[ao + r * lda + p]}, each of the
   * MR rows contiguous in p.
   */
  static void kernelX(int kc, float[] a, int ao, int lda, float[] bp, int bi, float[] tile) {
    if (MR == 8) {
      kernel8x(kc, a, ao, lda, bp, bi, tile);
    } else if (MR == 6) {
      kernel6x(kc, a, ao, lda, bp, bi, tile);
    } else {
      kernel4x(kc, a, ao, lda, bp, bi, tile);
    }
  }

  /**
   * The first 4 rows of a packed MR-row panel x 2 vectors (8 accumulators, enough to keep both
   * FMA pipes busy): AVX2's micro-kernel (MR = 4), and where MR is 6 or 8 the one for a last
   * panel of at most 4 rows; see {@link #kernel}.
   */
  static void kernel4(int kc, float[] a, int ao, float[] bp, int bi, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    int bo = bi;
    final int end = ao + MR * kc;
    for (int o = ao; o < end; o += MR, bo += NR) {
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
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
  }

  /** {@link #kernel4} with B in place; see {@link #kernelY}. */
  static void kernel4y(int kc, float[] a, int ao, float[] b, int bo, int ldb, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    int bq = bo;
    final int end = ao + MR * kc;
    for (int o = ao; o < end; o += MR, bq += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bq);
      FloatVector b1 = FloatVector.fromArray(S, b, bq + V);
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
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
  }

  /** 4 x 2 vectors, A in place; see {@link #kernelX}. */
  static void kernel4x(int kc, float[] a, int ao, int lda, float[] bp, int bi, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    int a0 = ao;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int bo = bi;
    for (int p = 0; p < kc; p++, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
  }

  /**
   * {@link #kernel} for a panel of which only the first {@code mr} rows are wanted: at most 4 run
   * the 4-row kernel instead of the full MR rows (m = 8 or 32: 17 % or 6 % less work).
   */
  static void kernelRows(int mr, int kc, float[] a, int ao, float[] bp, int bi, float[] tile) {
    if (mr <= 4) {
      kernel4(kc, a, ao, bp, bi, tile);
    } else {
      kernel(kc, a, ao, bp, bi, tile);
    }
  }

  /** {@link #kernelY} for the first {@code mr} rows of a panel; see {@link #kernelRows}. */
  static void kernelRowsY(
      int mr, int kc, float[] a, int ao, float[] b, int bo, int ldb, float[] tile) {
    if (mr <= 4) {
      kernel4y(kc, a, ao, b, bo, ldb, tile);
    } else {
      kernelY(kc, a, ao, b, bo, ldb, tile);
    }
  }

  /** 8 x 2 vectors, both operands packed; see {@link #kernel}. */
  static void kernel8(int kc, float[] a, int ao, float[] bp, int bi, float[] t) {
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
    int bo = bi;
    final int end = ao + 8 * kc;
    for (int o = ao; o < end; o += 8, bo += NR) {
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

  /** 8 x 2 vectors, B in place; see {@link #kernelY}. */
  static void kernel8y(int kc, float[] a, int ao, float[] b, int bo, int ldb, float[] t) {
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
    int bq = bo;
    final int end = ao + 8 * kc;
    for (int o = ao; o < end; o += 8, bq += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bq);
      FloatVector b1 = FloatVector.fromArray(S, b, bq + V);
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

  /** 8 x 2 vectors, A in place; see {@link #kernelX}. */
  static void kernel8x(int kc, float[] a, int ao, int lda, float[] bp, int bi, float[] t) {
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
    int a0 = ao;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int a4 = a3 + lda;
    int a5 = a4 + lda;
    int a6 = a5 + lda;
    int a7 = a6 + lda;
    int bo = bi;
    for (int p = 0; p < kc; p++, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[a5 + p]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, a[a6 + p]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, a[a7 + p]);
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

  /** 6 x 2 vectors, both operands packed; see {@link #kernel}. */
  static void kernel6(int kc, float[] a, int ao, float[] bp, int bi, float[] t) {
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
    int bo = bi;
    final int end = ao + 6 * kc;
    for (int o = ao; o < end; o += 6, bo += NR) {
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

  /** 6 x 2 vectors, B in place; see {@link #kernelY}. */
  static void kernel6y(int kc, float[] a, int ao, float[] b, int bo, int ldb, float[] t) {
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
    int bq = bo;
    final int end = ao + 6 * kc;
    for (int o = ao; o < end; o += 6, bq += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bq);
      FloatVector b1 = FloatVector.fromArray(S, b, bq + V);
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

  /** 6 x 2 vectors, A in place; see {@link #kernelX}. */
  static void kernel6x(int kc, float[] a, int ao, int lda, float[] bp, int bi, float[] t) {
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
    int a0 = ao;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int a4 = a3 + lda;
    int a5 = a4 + lda;
    int bo = bi;
    for (int p = 0; p < kc; p++, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[a5 + p]);
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
}
