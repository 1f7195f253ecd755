package dev.jnn.tensor;

/**
 * The matrix ops of {@link Tensor}: {@code matmul} with PyTorch's broadcasting rules, {@code mm},
 * {@code bmm}, {@code baddbmm}, {@code outer}, and the triangles {@code tril}/{@code triu};
 * PyTorch's docs list them under "BLAS and LAPACK Operations". {@code torch.einsum} is the static
 * {@link Tensor#einsum(String, Tensor...)}.
 *
 * <p>One of the facade interfaces that {@link Tensor} implements, one per family of ops, so that
 * its methods can be read by family (as PyTorch's documentation groups them) and no file of the
 * facade grows past about 1,000 lines. It is sealed to {@code Tensor}: users never implement it
 * and never need to name it, since every method is called on a {@code Tensor} ({@code
 * a.matmul(b)}, {@code Tensor::matmul}) and a subclass of {@code Tensor} may override any of
 * them. Each method is one line into the package's op family that holds the op's body (here
 * {@code LinalgOps}, {@code EinsumOps}); see "Op families" in docs/ARCHITECTURE.md.
 */
public sealed interface TensorLinalg permits Tensor {
  /** This object as the {@link Tensor} it is (the only permitted implementation). */
  private Tensor self() {
    return (Tensor) this;
  }

  // -------------------------------------------------------- matrix products (LinalgOps, EinsumOps)

  /**
   * Matrix product with PyTorch's {@code torch.matmul} rules: 1-D operands are promoted and the
   * added dim removed, batch dims broadcast.
   */
  default Tensor matmul(Tensor other) {
    return LinalgOps.matmul(self(), other);
  }

  /** 2-D matrix product ({@code torch.mm}); both operands must be 2-D. */
  default Tensor mm(Tensor other) {
    return LinalgOps.mm(self(), other);
  }

  /** Outer product of two 1-D tensors ({@code torch.outer}). */
  default Tensor outer(Tensor other) {
    return LinalgOps.outer(self(), other);
  }

  /** {@code torch.bmm}: batched matrix product, [b, n, m] x [b, m, p] -> [b, n, p]. */
  default Tensor bmm(Tensor mat2) {
    return EinsumOps.bmm(self(), mat2);
  }

  /** {@code torch.baddbmm(this, batch1, batch2)}: {@code this + batch1 @ batch2}. */
  default Tensor baddbmm(Tensor batch1, Tensor batch2) {
    return EinsumOps.baddbmm(self(), batch1, batch2, 1, 1);
  }

  /**
   * {@code torch.baddbmm(this, batch1, batch2, beta=beta, alpha=alpha)}: {@code beta * this +
   * alpha * (batch1 @ batch2)}, {@code this} broadcast to [b, n, p]; {@code beta == 0} ignores
   * {@code this} (NaN in it does not propagate).
   */
  default Tensor baddbmm(Tensor batch1, Tensor batch2, double beta, double alpha) {
    return EinsumOps.baddbmm(self(), batch1, batch2, beta, alpha);
  }

  // ------------------------------------------------------------------ triangles (LinalgOps)

  /** The lower triangle (on and below the main diagonal) ({@code torch.tril}). */
  default Tensor tril() {
    return tril(0);
  }

  /** The lower triangle: elements with {@code col - row <= diagonal} ({@code torch.tril}). */
  default Tensor tril(int diagonal) {
    return LinalgOps.tril(self(), diagonal);
  }

  /** The upper triangle (on and above the main diagonal) ({@code torch.triu}). */
  default Tensor triu() {
    return triu(0);
  }

  /** The upper triangle: elements with {@code col - row >= diagonal} ({@code torch.triu}). */
  default Tensor triu(int diagonal) {
    return LinalgOps.triu(self(), diagonal);
  }
}
