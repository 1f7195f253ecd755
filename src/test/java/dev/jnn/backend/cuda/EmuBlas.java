package dev.jnn.backend.cuda;

import dev.jnn.core.DType;

/**
 * {@link Blas} for the emulator: {@code cublas<t>gemmStridedBatched}'s column-major semantics
 * written out naively in double. Tests the back end's row-major to column-major mapping against
 * the cuBLAS contract. Like cuBLAS, the call is queued on the handle's stream (the context's) and
 * runs when the emulated device gets to it; it reads A and B (and C when beta is not 0) and writes
 * C, which the emulator's racecheck sees.
 */
final class EmuBlas implements Blas {
  private final EmuDeviceApi api;

  EmuBlas(EmuDeviceApi api) {
    this.api = api;
  }

  private static double[] read(DType dt, long addr, long n) {
    if (dt == DType.FLOAT32) {
      float[] f = new float[(int) n];
      EmuNative.copyToHost(f, addr, 4 * n);
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    double[] d = new double[(int) n];
    EmuNative.copyToHost(d, addr, 8 * n);
    return d;
  }

  private static void write(DType dt, long addr, double[] d) {
    if (dt == DType.FLOAT32) {
      float[] f = new float[d.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) d[i];
      }
      EmuNative.copyToDevice(addr, f, 4L * f.length);
    } else {
      EmuNative.copyToDevice(addr, d, 8L * d.length);
    }
  }

  @Override
  public void gemm(
      ThreadContext ctx, DType dtype, boolean transA, boolean transB, int m, int n, int k,
      long a, int lda, long strideA, long b, int ldb, long strideB, double beta, long c, int ldc,
      long strideC, int batch) {
    int rowsA = transA ? k : m;
    int colsA = transA ? m : k;
    int rowsB = transB ? n : k;
    int colsB = transB ? k : n;
    if (lda < Math.max(1, rowsA) || ldb < Math.max(1, rowsB) || ldc < Math.max(1, m)) {
      throw new IllegalArgumentException("CUBLAS_STATUS_INVALID_VALUE: lda " + lda + " ldb " + ldb
          + " ldc " + ldc + " for m " + m + " n " + n + " k " + k);
    }
    long extA = (long) (batch - 1) * strideA + (long) (colsA - 1) * lda + rowsA;
    long extB = (long) (batch - 1) * strideB + (long) (colsB - 1) * ldb + rowsB;
    long extC = (long) (batch - 1) * strideC + (long) (n - 1) * ldc + m;
    long[] reads = beta == 0 ? new long[] {a, b} : new long[] {a, b, c};
    api.enqueueLibraryCall(ctx.stream, "cublasGemmStridedBatched", reads, new long[] {c},
        () -> run(dtype, transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, beta, c, ldc,
            strideC, batch, extA, extB, extC));
  }

  private static void run(
      DType dtype, boolean transA, boolean transB, int m, int n, int k, long a, int lda,
      long strideA, long b, int ldb, long strideB, double beta, long c, int ldc, long strideC,
      int batch, long extA, long extB, long extC) {
    double[] A = read(dtype, a, extA);
    double[] B = read(dtype, b, extB);
    double[] C = read(dtype, c, extC);
    for (int bt = 0; bt < batch; bt++) {
      long oa = bt * strideA;
      long ob = bt * strideB;
      long oc = bt * strideC;
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            double av = A[(int) (oa + (transA ? p + (long) i * lda : i + (long) p * lda))];
            double bv = B[(int) (ob + (transB ? j + (long) p * ldb : p + (long) j * ldb))];
            s += av * bv;
          }
          int ci = (int) (oc + i + (long) j * ldc);
          C[ci] = s + (beta == 0 ? 0 : beta * C[ci]);
        }
      }
    }
    write(dtype, c, C);
  }

  @Override
  public String describe() {
    return "cuBLAS emulated (naive column-major GEMM)";
  }
}
