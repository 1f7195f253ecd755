package dev.jnn.backend.cuda;

import dev.jnn.core.DType;

/** The cuBLAS operations the back end needs (column-major, as cuBLAS defines them). */
interface Blas {
  /**
   * {@code C_i = op(A_i) op(B_i) + beta * C_i} for {@code i < batch}, column-major, {@code
   * X_i = X + i * strideX} elements ({@code cublas<t>gemmStridedBatched} with alpha = 1). {@code
   * tf32}: TF32 tensor-core math allowed (float32 only), from {@link Cublas#allowTf32(boolean)} as
   * the caller read it; implementations use it, never the switch itself.
   */
  void gemm(
      ThreadContext ctx, DType dtype, boolean tf32, boolean transA, boolean transB, int m, int n,
      int k, long a, int lda, long strideA, long b, int ldb, long strideB, double beta, long c,
      int ldc, long strideC, int batch);

  /** Versions and settings, for {@link Cuda#describe()}. */
  String describe();
}
