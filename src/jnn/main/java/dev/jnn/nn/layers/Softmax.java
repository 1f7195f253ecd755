package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Softmax}: {@code Softmax(x_i) = exp(x_i) / sum_j exp(x_j)} along {@code dim}, so
 * that each slice along {@code dim} is a probability distribution.
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * Softmax m = new Softmax(1);                // Softmax(dim=1)
 * Tensor y = m.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * <p>{@code new Softmax()} is PyTorch's deprecated {@code dim=None}: the dim is then chosen from
 * the input's rank (0 for 0-, 1- and 3-dim inputs, else 1), as PyTorch does (without its warning).
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Softmax.html">torch.nn.Softmax</a>
 */
public final class Softmax extends Module {
  private final Integer dim;

  /**
   * {@code nn.Softmax(dim)}.
   *
   * @param dim the dim along which to normalise (negative counts from the end)
   */
  public Softmax(int dim) {
    this.dim = dim;
  }

  /** {@code nn.Softmax()} ({@code dim=None}): the dim is implied by the input's rank. */
  public Softmax() {
    this.dim = null;
  }

  /** {@code softmax(input, dim)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.softmax(input, dim == null ? implicitDim(input.dim()) : dim);
  }

  /** PyTorch's {@code _get_softmax_dim} for {@code dim=None}. */
  private static int implicitDim(int ndim) {
    return ndim == 0 || ndim == 1 || ndim == 3 ? 0 : 1;
  }

  /** {@code dim=1} or {@code dim=None}. */
  @Override
  protected String extraRepr() {
    return "dim=" + (dim == null ? "None" : dim.toString());
  }

  /** {@code dim}, or null for the implicit choice. */
  public Integer dim() {
    return dim;
  }
}
