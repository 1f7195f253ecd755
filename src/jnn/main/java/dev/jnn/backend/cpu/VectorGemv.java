package dev.jnn.backend.cpu;

import static dev.jnn.backend.cpu.VectorGemm.SCRATCH;
import static dev.jnn.backend.cpu.VectorGemm.V;
import static dev.jnn.backend.cpu.VectorGemm.ceilDiv;
import static dev.jnn.backend.cpu.VectorGemm.roundUp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorGemm}'s matrix-vector path (m or n is 1): dot products, or scaled row sums, over
 * the matrix where it lies, with the vector packed once (alpha folded in). In its own file so that
 * the blocked GEMM stays readable; like {@code VectorGemm}, only reached when {@link
 * CpuFeatures#vectorModulePresent()} is true.
 */
final class VectorGemv {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorGemv() {}

  /** {@code v[p] = alpha * src[off + p * stride]} for p < k. */
  static void packVector(float[] src, int off, int stride, int k, float alpha, float[] v) {
    for (int p = 0; p < k; p++) {
      v[p] = alpha * src[off + p * stride];
    }
  }

  /**
   * {@code out[r * cs] = X[r, :] . v + beta * out[r * cs]} for rows r < rows of X read in place
   * ({@code x[xOff + r * ldx + p]}), out at {@code c[cOff + r * cs]}: dot products, four rows at a
   * time. Units are ranges of rows.
   */
  static void gemvDots(
      float[] x,
      int xOff,
      int ldx,
      int rows,
      int k,
      float[] v,
      float beta,
      float[] c,
      int cOff,
      int cs,
      boolean parallel) {
    final int groups = ceilDiv(rows, 4);
    if (!parallel) {
      gemvDotsUnit(x, xOff, ldx, rows, k, v, beta, c, cOff, cs, 0, groups);
      return;
    }
    final int unit = Math.max(1, ceilDiv(groups, 4 * Parallel.threads()));
    Parallel.forEach(
        ceilDiv(groups, unit),
        u -> gemvDotsUnit(x, xOff, ldx, rows, k, v, beta, c, cOff, cs, u * unit,
            Math.min(groups, (u + 1) * unit)));
  }

  static void gemvDotsUnit(
      float[] x,
      int xOff,
      int ldx,
      int rows,
      int k,
      float[] v,
      float beta,
      float[] c,
      int cOff,
      int cs,
      int g0,
      int g1) {
    final float[] sums = SCRATCH.get().tile;
    for (int g = g0; g < g1; g++) {
      int r0 = g * 4;
      int nr = Math.min(4, rows - r0);
      if (nr == 4) {
        dot4(k, x, xOff + r0 * ldx, ldx, v, sums);
      } else {
        for (int r = 0; r < nr; r++) {
          sums[r] = dot1(k, x, xOff + (r0 + r) * ldx, v);
        }
      }
      for (int r = 0; r < nr; r++) {
        int o = cOff + (r0 + r) * cs;
        c[o] = beta == 0f ? sums[r] : sums[r] + beta * c[o];
      }
    }
  }

  /** sums[r] = x[xo + r * ldx + p] . v[p] over p < k, for r < 4. */
  static void dot4(int k, float[] x, int xo, int ldx, float[] v, float[] sums) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = FloatVector.zero(S);
    FloatVector s2 = FloatVector.zero(S);
    FloatVector s3 = FloatVector.zero(S);
    FloatVector t0 = FloatVector.zero(S);
    FloatVector t1 = FloatVector.zero(S);
    FloatVector t2 = FloatVector.zero(S);
    FloatVector t3 = FloatVector.zero(S);
    int x0 = xo;
    int x1 = x0 + ldx;
    int x2 = x1 + ldx;
    int x3 = x2 + ldx;
    int p = 0;
    for (; p + 2 * V <= k; p += 2 * V) {
      FloatVector v0 = FloatVector.fromArray(S, v, p);
      FloatVector v1 = FloatVector.fromArray(S, v, p + V);
      s0 = FloatVector.fromArray(S, x, x0 + p).fma(v0, s0);
      t0 = FloatVector.fromArray(S, x, x0 + p + V).fma(v1, t0);
      s1 = FloatVector.fromArray(S, x, x1 + p).fma(v0, s1);
      t1 = FloatVector.fromArray(S, x, x1 + p + V).fma(v1, t1);
      s2 = FloatVector.fromArray(S, x, x2 + p).fma(v0, s2);
      t2 = FloatVector.fromArray(S, x, x2 + p + V).fma(v1, t2);
      s3 = FloatVector.fromArray(S, x, x3 + p).fma(v0, s3);
      t3 = FloatVector.fromArray(S, x, x3 + p + V).fma(v1, t3);
    }
    if (p + V <= k) {
      FloatVector v0 = FloatVector.fromArray(S, v, p);
      s0 = FloatVector.fromArray(S, x, x0 + p).fma(v0, s0);
      s1 = FloatVector.fromArray(S, x, x1 + p).fma(v0, s1);
      s2 = FloatVector.fromArray(S, x, x2 + p).fma(v0, s2);
      s3 = FloatVector.fromArray(S, x, x3 + p).fma(v0, s3);
      p += V;
    }
    float e0 = s0.add(t0).reduceLanes(VectorOperators.ADD);
    float e1 = s1.add(t1).reduceLanes(VectorOperators.ADD);
    float e2 = s2.add(t2).reduceLanes(VectorOperators.ADD);
    float e3 = s3.add(t3).reduceLanes(VectorOperators.ADD);
    for (; p < k; p++) {
      float w = v[p];
      e0 += x[x0 + p] * w;
      e1 += x[x1 + p] * w;
      e2 += x[x2 + p] * w;
      e3 += x[x3 + p] * w;
    }
    sums[0] = e0;
    sums[1] = e1;
    sums[2] = e2;
    sums[3] = e3;
  }

  /** x[xo + p] . v[p] over p < k. */
  static float dot1(int k, float[] x, int xo, float[] v) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = FloatVector.zero(S);
    int p = 0;
    for (; p + 2 * V <= k; p += 2 * V) {
      s0 = FloatVector.fromArray(S, x, xo + p).fma(FloatVector.fromArray(S, v, p), s0);
      s1 = FloatVector.fromArray(S, x, xo + p + V).fma(FloatVector.fromArray(S, v, p + V), s1);
    }
    if (p + V <= k) {
      s0 = FloatVector.fromArray(S, x, xo + p).fma(FloatVector.fromArray(S, v, p), s0);
      p += V;
    }
    float e = s0.add(s1).reduceLanes(VectorOperators.ADD);
    for (; p < k; p++) {
      e += x[xo + p] * v[p];
    }
    return e;
  }

  /** Columns of one chunk of {@link #gemvRows}: its sums (4 KiB) stay in L1. */
  private static final int GEMV_COLS = 1024;

  /**
   * {@code out[j * cs] = v . Y[:, j] + beta * out[j * cs]} for columns j < cols of Y read in place
   * ({@code y[yOff + p * ldy + j]}), out at {@code c[cOff + j * cs]}: Y's rows, each read
   * contiguously, scaled and added into a chunk of sums four rows at a time. Units are chunks of
   * columns.
   */
  static void gemvRows(
      float[] v,
      int k,
      float[] y,
      int yOff,
      int ldy,
      int cols,
      float beta,
      float[] c,
      int cOff,
      int cs,
      boolean parallel) {
    final int chunk =
        parallel
            ? Math.min(GEMV_COLS, roundUp(ceilDiv(cols, 2 * Parallel.threads()), V))
            : GEMV_COLS;
    final int chunks = ceilDiv(cols, chunk);
    if (!parallel) {
      for (int q = 0; q < chunks; q++) {
        gemvRowsChunk(v, k, y, yOff, ldy, cols, beta, c, cOff, cs, q * chunk, chunk);
      }
      return;
    }
    Parallel.forEach(
        chunks, q -> gemvRowsChunk(v, k, y, yOff, ldy, cols, beta, c, cOff, cs, q * chunk, chunk));
  }

  static void gemvRowsChunk(
      float[] v,
      int k,
      float[] y,
      int yOff,
      int ldy,
      int cols,
      float beta,
      float[] c,
      int cOff,
      int cs,
      int j0,
      int chunk) {
    final int nc = Math.min(chunk, cols - j0);
    final float[] acc = SCRATCH.get().rem(nc);
    java.util.Arrays.fill(acc, 0, nc, 0f);
    int p = 0;
    int o = yOff + j0;
    for (; p + 4 <= k; p += 4, o += 4 * ldy) {
      axpy4(nc, acc, v[p], v[p + 1], v[p + 2], v[p + 3], y, o, ldy);
    }
    for (; p < k; p++, o += ldy) {
      axpy1(nc, acc, v[p], y, o);
    }
    for (int x = 0; x < nc; x++) {
      int co = cOff + (j0 + x) * cs;
      c[co] = beta == 0f ? acc[x] : acc[x] + beta * c[co];
    }
  }

  /** {@code acc[j] += w0 * y[o + j]} for j < n. */
  static void axpy1(int n, float[] acc, float w0, float[] y, int o) {
    FloatVector v0 = FloatVector.broadcast(S, w0);
    int j = 0;
    for (; j + V <= n; j += V) {
      FloatVector.fromArray(S, y, o + j).fma(v0, FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
    }
    for (; j < n; j++) {
      acc[j] = Math.fma(y[o + j], w0, acc[j]);
    }
  }

  /**
   * {@code acc[j] += w0 * y[o + j] + w1 * y[o + ldy + j] + w2 * y[o + 2 ldy + j] + w3 * y[o + 3
   * ldy + j]} for j < n, summed in that order.
   */
  static void axpy4(
      int n, float[] acc, float w0, float w1, float w2, float w3, float[] y, int o, int ldy) {
    int o1 = o + ldy;
    int o2 = o1 + ldy;
    int o3 = o2 + ldy;
    FloatVector v0 = FloatVector.broadcast(S, w0);
    FloatVector v1 = FloatVector.broadcast(S, w1);
    FloatVector v2 = FloatVector.broadcast(S, w2);
    FloatVector v3 = FloatVector.broadcast(S, w3);
    int j = 0;
    for (; j + V <= n; j += V) {
      FloatVector a = FloatVector.fromArray(S, acc, j);
      a = FloatVector.fromArray(S, y, o + j).fma(v0, a);
      a = FloatVector.fromArray(S, y, o1 + j).fma(v1, a);
      a = FloatVector.fromArray(S, y, o2 + j).fma(v2, a);
      a = FloatVector.fromArray(S, y, o3 + j).fma(v3, a);
      a.intoArray(acc, j);
    }
    for (; j < n; j++) {
      // as one vector lane computes it, so that a column's result does not depend on the chunks
      float a = Math.fma(y[o + j], w0, acc[j]);
      a = Math.fma(y[o1 + j], w1, a);
      a = Math.fma(y[o2 + j], w2, a);
      acc[j] = Math.fma(y[o3 + j], w3, a);
    }
  }
}
