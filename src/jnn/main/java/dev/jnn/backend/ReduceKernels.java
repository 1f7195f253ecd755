package dev.jnn.backend;

/** The reduction family of the back-end SPI. */
public interface ReduceKernels {
  /**
   * Reduces a contiguous {@code [outer, inner]} block along {@code inner}: {@code out[i] =
   * op(x[i, :])}. For ARGMAX/ARGMIN {@code out} is int64.
   */
  void reduce(ReduceOp op, Buffer x, int xOffset, int outer, int inner, Buffer out);

  /**
   * {@code out[c] = sum over r < rows of x[offset + r * cols + c]} for {@code c < cols}: the sum
   * over the leading dims of a contiguous tensor (a bias gradient). Returns false when this back
   * end has no kernel for it (the caller then reduces a transposed copy).
   */
  default boolean sumLeading(Buffer x, int offset, int rows, int cols, Buffer out) {
    return false;
  }
}
