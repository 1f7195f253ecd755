package dev.jnn.backend.cpu;

import static dev.jnn.backend.cpu.VectorConv.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The in-place register-blocked micro-kernels of {@link VectorConv}'s forward (its packed tiles
 * run the GEMM's {@link VectorGemmKernels#kernel}), split from it as {@link VectorGemmKernels}
 * is from {@link VectorGemm}; each kernel is kept small for the reason given there (C1 must be
 * able to profile it for C2 to compile it).
 */
final class VectorConvKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int V = S.length();

  private VectorConvKernels() {}

  /**
   * {@code c[ci + r * ldc + (0 .. NR)] += sum_{p < kc} ap[ai + p * mr + r] * xp[rowOff[p0 + p] +
   * col + (0 .. NR)]} for the mr rows of one tile: B is read in place from the padded input.
   */
  static void kernelDirect(
      int mr, int kc, float[] ap, int ai, float[] xp, int[] rowOff, int p0, int col, float[] c,
      int ci, int ldc) {
    if (mr == 10) {
      kernel10Direct(kc, ap, ai, xp, rowOff, p0, col, c, ci, ldc);
    } else if (mr == 8) {
      kernel8Direct(kc, ap, ai, xp, rowOff, p0, col, c, ci, ldc);
    } else if (mr == 6) {
      kernel6Direct(kc, ap, ai, xp, rowOff, p0, col, c, ci, ldc);
    } else {
      kernel4Direct(kc, ap, ai, xp, rowOff, p0, col, c, ci, ldc);
    }
  }

  private static void kernel10Direct(
      int kc, float[] ap, int ai, float[] xp, int[] rowOff, int p0, int col, float[] c, int ci,
      int ldc) {
    FloatVector c00 = FloatVector.fromArray(S, c, ci);
    FloatVector c01 = FloatVector.fromArray(S, c, ci + V);
    FloatVector c10 = FloatVector.fromArray(S, c, ci + ldc);
    FloatVector c11 = FloatVector.fromArray(S, c, ci + ldc + V);
    FloatVector c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
    FloatVector c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + V);
    FloatVector c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
    FloatVector c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + V);
    FloatVector c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
    FloatVector c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + V);
    FloatVector c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
    FloatVector c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + V);
    FloatVector c60 = FloatVector.fromArray(S, c, ci + 6 * ldc);
    FloatVector c61 = FloatVector.fromArray(S, c, ci + 6 * ldc + V);
    FloatVector c70 = FloatVector.fromArray(S, c, ci + 7 * ldc);
    FloatVector c71 = FloatVector.fromArray(S, c, ci + 7 * ldc + V);
    FloatVector c80 = FloatVector.fromArray(S, c, ci + 8 * ldc);
    FloatVector c81 = FloatVector.fromArray(S, c, ci + 8 * ldc + V);
    FloatVector c90 = FloatVector.fromArray(S, c, ci + 9 * ldc);
    FloatVector c91 = FloatVector.fromArray(S, c, ci + 9 * ldc + V);
    for (int p = 0; p < kc; p++) {
      int ao = ai + p * 10;
      int bo = rowOff[p0 + p] + col;
      FloatVector b0 = FloatVector.fromArray(S, xp, bo);
      FloatVector b1 = FloatVector.fromArray(S, xp, bo + V);
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
      x = FloatVector.broadcast(S, ap[ao + 8]);
      c80 = x.fma(b0, c80);
      c81 = x.fma(b1, c81);
      x = FloatVector.broadcast(S, ap[ao + 9]);
      c90 = x.fma(b0, c90);
      c91 = x.fma(b1, c91);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + V);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + V);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + V);
    c60.intoArray(c, ci + 6 * ldc);
    c61.intoArray(c, ci + 6 * ldc + V);
    c70.intoArray(c, ci + 7 * ldc);
    c71.intoArray(c, ci + 7 * ldc + V);
    c80.intoArray(c, ci + 8 * ldc);
    c81.intoArray(c, ci + 8 * ldc + V);
    c90.intoArray(c, ci + 9 * ldc);
    c91.intoArray(c, ci + 9 * ldc + V);
  }

  private static void kernel8Direct(
      int kc, float[] ap, int ai, float[] xp, int[] rowOff, int p0, int col, float[] c, int ci,
      int ldc) {
    FloatVector c00 = FloatVector.fromArray(S, c, ci);
    FloatVector c01 = FloatVector.fromArray(S, c, ci + V);
    FloatVector c10 = FloatVector.fromArray(S, c, ci + ldc);
    FloatVector c11 = FloatVector.fromArray(S, c, ci + ldc + V);
    FloatVector c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
    FloatVector c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + V);
    FloatVector c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
    FloatVector c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + V);
    FloatVector c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
    FloatVector c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + V);
    FloatVector c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
    FloatVector c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + V);
    FloatVector c60 = FloatVector.fromArray(S, c, ci + 6 * ldc);
    FloatVector c61 = FloatVector.fromArray(S, c, ci + 6 * ldc + V);
    FloatVector c70 = FloatVector.fromArray(S, c, ci + 7 * ldc);
    FloatVector c71 = FloatVector.fromArray(S, c, ci + 7 * ldc + V);
    for (int p = 0; p < kc; p++) {
      int ao = ai + p * 8;
      int bo = rowOff[p0 + p] + col;
      FloatVector b0 = FloatVector.fromArray(S, xp, bo);
      FloatVector b1 = FloatVector.fromArray(S, xp, bo + V);
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
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + V);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + V);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + V);
    c60.intoArray(c, ci + 6 * ldc);
    c61.intoArray(c, ci + 6 * ldc + V);
    c70.intoArray(c, ci + 7 * ldc);
    c71.intoArray(c, ci + 7 * ldc + V);
  }

  private static void kernel4Direct(
      int kc, float[] ap, int ai, float[] xp, int[] rowOff, int p0, int col, float[] c, int ci,
      int ldc) {
    FloatVector c00 = FloatVector.fromArray(S, c, ci);
    FloatVector c01 = FloatVector.fromArray(S, c, ci + V);
    FloatVector c10 = FloatVector.fromArray(S, c, ci + ldc);
    FloatVector c11 = FloatVector.fromArray(S, c, ci + ldc + V);
    FloatVector c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
    FloatVector c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + V);
    FloatVector c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
    FloatVector c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + V);
    for (int p = 0; p < kc; p++) {
      int ao = ai + p * 4;
      int bo = rowOff[p0 + p] + col;
      FloatVector b0 = FloatVector.fromArray(S, xp, bo);
      FloatVector b1 = FloatVector.fromArray(S, xp, bo + V);
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
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + V);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
  }

  private static void kernel6Direct(
      int kc, float[] ap, int ai, float[] xp, int[] rowOff, int p0, int col, float[] c, int ci,
      int ldc) {
    FloatVector c00 = FloatVector.fromArray(S, c, ci);
    FloatVector c01 = FloatVector.fromArray(S, c, ci + V);
    FloatVector c10 = FloatVector.fromArray(S, c, ci + ldc);
    FloatVector c11 = FloatVector.fromArray(S, c, ci + ldc + V);
    FloatVector c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
    FloatVector c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + V);
    FloatVector c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
    FloatVector c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + V);
    FloatVector c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
    FloatVector c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + V);
    FloatVector c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
    FloatVector c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + V);
    for (int p = 0; p < kc; p++) {
      int ao = ai + p * 6;
      int bo = rowOff[p0 + p] + col;
      FloatVector b0 = FloatVector.fromArray(S, xp, bo);
      FloatVector b1 = FloatVector.fromArray(S, xp, bo + V);
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
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + V);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + V);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + V);
  }




}
