package dev.jnn.backend.cuda;

import dev.jnn.core.DType;

/**
 * {@link Blas} for the emulator: {@code cublas<t>gemmStridedBatched}'s column-major semantics
 * written out naively in double. Tests the back end's row-major to column-major mapping against
 * the cuBLAS contract. Like cuBLAS, the call is queued on the handle's stream (the context's) and
 * runs when the emulated device gets to it; it reads A and B (and C when beta is not 0) and writes
 * C, which the emulator's racecheck sees. With {@code tf32} (float32 only) the operands are
 * rounded to TF32 first, as tensor cores read them; {@link #lastTf32} records the flag of the last
 * call, so a test can check that {@link Cublas#allowTf32(boolean)} reached cuBLAS.
 */
final class EmuBlas implements Blas {
  /** GEMM calls so far (tests count them as the kernel launches they are on a GPU). */
  long gemms;

  private final EmuDeviceApi api;

  /** The {@code tf32} flag of the last {@link #gemm} (null before the first, or reset by a test). */
  volatile Boolean lastTf32;

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
      ThreadContext ctx, DType dtype, boolean tf32, boolean transA, boolean transB, int m, int n,
      int k, long a, int lda, long strideA, long b, int ldb, long strideB, double beta, long c,
      int ldc, long strideC, int batch) {
    lastTf32 = tf32;
    gemms++;
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
        () -> run(dtype, tf32, transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, beta, c, ldc,
            strideC, batch, extA, extB, extC));
  }

  private static void run(
      DType dtype, boolean tf32, boolean transA, boolean transB, int m, int n, int k, long a, int lda,
      long strideA, long b, int ldb, long strideB, double beta, long c, int ldc, long strideC,
      int batch, long extA, long extB, long extC) {
    double[] A = read(dtype, a, extA);
    double[] B = read(dtype, b, extB);
    double[] C = read(dtype, c, extC);
    if (tf32 && dtype == DType.FLOAT32) {
      roundTf32(A);
      roundTf32(B);
    }
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

  /**
   * {@code v} rounded to TF32 (float32's 8 exponent bits, 10 of its 23 mantissa bits) to nearest,
   * ties to even; infinities and NaN unchanged.
   */
  static float tf32(float v) {
    int b = Float.floatToRawIntBits(v);
    if ((b & 0x7f800000) == 0x7f800000) {
      return v;
    }
    b += 0xfff + ((b >>> 13) & 1);
    return Float.intBitsToFloat(b & ~0x1fff);
  }

  /** Rounds float32 values (held as doubles) to TF32 in place. */
  static void roundTf32(double[] a) {
    for (int i = 0; i < a.length; i++) {
      a[i] = tf32((float) a[i]);
    }
  }

  @Override
  public String describe() {
    return "cuBLAS emulated (naive column-major GEMM)";
  }
}
