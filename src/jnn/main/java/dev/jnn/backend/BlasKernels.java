package dev.jnn.backend;

/** The BLAS family of the back-end SPI: (batched) matrix products. */
public interface BlasKernels {
  /**
   * Batched row-major GEMM as {@code spec} describes it: for each batch {@code i < spec.batch()},
   * {@code C_i = op(A_i) op(B_i)} (plus {@code C_i} when {@code spec.accumulate()}), operand
   * {@code X_i} starting at element {@code spec.x().offset() + i * spec.x().batchStride()} of its
   * buffer (batch stride 0: one matrix shared by every batch).
   */
  void gemm(GemmSpec spec, Buffer a, Buffer b, Buffer c);
}
