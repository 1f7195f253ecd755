package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Softmin}: {@code Softmin(x) = Softmax(-x)} along {@code dim}, so that each slice
 * along {@code dim} is a probability distribution giving the smallest entry the largest weight.
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * Softmin m = new Softmin(1);                // Softmin(dim=1)
 * Tensor y = m.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * <p>{@code new Softmin()} is PyTorch's deprecated {@code dim=None}: the dim is then chosen from
 * the input's rank (0 for 0-, 1- and 3-dim inputs, else 1), as PyTorch does (without its warning).
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Softmin.html">torch.nn.Softmin</a>
 */
public final class Softmin extends Module {
  private final Integer dim;

  /** {@code nn.Softmin(dim)}. */
  public Softmin(int dim) {
    this.dim = dim;
  }

  /** {@code nn.Softmin()} ({@code dim=None}): the dim is implied by the input's rank. */
  public Softmin() {
    this.dim = null;
  }

  /** {@code F.softmin(input, dim)}. */
  @Override
  public Tensor forward(Tensor input) {
    int ndim = input.dim();
    int d = dim != null ? dim : ndim == 0 || ndim == 1 || ndim == 3 ? 0 : 1;
    return Functional.softmin(input, d);
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
