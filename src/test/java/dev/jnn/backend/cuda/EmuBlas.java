package dev.jnn.backend.cuda;

import dev.jnn.core.DType;

/**
 * {@link Blas} for the emulator: {@code cublas<t>gemmStridedBatched}'s column-major semantics
 * written out naively in double, on copies of the device memory. Tests the back end's row-major
 * to column-major mapping against the cuBLAS contract.
 */
final class EmuBlas implements Blas {
  private final DeviceApi api;

  EmuBlas(DeviceApi api) {
    this.api = api;
  }

  private double[] read(DType dt, long addr, long n) {
    if (dt == DType.FLOAT32) {
      float[] f = new float[(int) n];
      api.copyDeviceToHost(f, addr, 4 * n, 0);
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    double[] d = new double[(int) n];
    api.copyDeviceToHost(d, addr, 8 * n, 0);
    return d;
  }

  private void write(DType dt, long addr, double[] d) {
    if (dt == DType.FLOAT32) {
      float[] f = new float[d.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) d[i];
      }
      api.copyHostToDevice(addr, f, 4L * f.length, 0);
    } else {
      api.copyHostToDevice(addr, d, 8L * d.length, 0);
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
