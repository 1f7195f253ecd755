package dev.jnn.backend;

/**
 * One (batched) row-major GEMM, {@code C_i = op(A_i) op(B_i) (+ C_i)} for {@code i < batch}, with
 * {@code op(A_i)} of {@code m x k}, {@code op(B_i)} of {@code k x n} and {@code C_i} of {@code m x
 * n} ({@link BlasKernels#gemm}). The scalars are BLAS's {@code alpha = 1} and {@code beta = 1}
 * when accumulating, else 0 (no caller needs others).
 *
 * @param transA whether {@code op(A) = A^T} ({@code A} stored {@code k x m})
 * @param transB whether {@code op(B) = B^T} ({@code B} stored {@code n x k})
 * @param batch number of products
 * @param m rows of {@code C}
 * @param n columns of {@code C}
 * @param k the summed dimension
 * @param a where {@code A_i} lies in its buffer
 * @param b where {@code B_i} lies
 * @param c where {@code C_i} lies
 * @param accumulate add to {@code C} ({@code beta = 1}) instead of overwriting it
 */
public record GemmSpec(
    boolean transA,
    boolean transB,
    int batch,
    int m,
    int n,
    int k,
    Operand a,
    Operand b,
    Operand c,
    boolean accumulate) {

  /**
   * Where a matrix lies in its buffer: element {@code (r, c)} of the matrix of batch {@code i} is
   * at {@code offset + i * batchStride + r * ld + c}.
   *
   * @param offset element offset of batch 0's first element
   * @param batchStride elements between consecutive batches (0: shared)
   * @param ld leading dimension (elements between consecutive rows as stored)
   */
  public record Operand(int offset, int batchStride, int ld) {
    /** An unbatched matrix at {@code offset} with leading dimension {@code ld}. */
    public static Operand at(int offset, int ld) {
      return new Operand(offset, 0, ld);
    }
  }

  /** One product {@code C = op(A) op(B)} (batch 1, overwriting {@code C}). */
  public static GemmSpec of(
      boolean transA, boolean transB, int m, int n, int k, Operand a, Operand b, Operand c) {
    return new GemmSpec(transA, transB, 1, m, n, k, a, b, c, false);
  }

  /** This product, adding to {@code C} when {@code accumulate}. */
  public GemmSpec accumulating(boolean accumulate) {
    return new GemmSpec(transA, transB, batch, m, n, k, a, b, c, accumulate);
  }
}
