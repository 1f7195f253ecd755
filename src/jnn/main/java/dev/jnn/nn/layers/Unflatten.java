package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Splits one dim into several ({@code torch.nn.Unflatten}), the inverse of {@link Flatten}: {@code
 * input.unflatten(dim, unflattened_size)}. One size may be -1 (inferred). PyTorch's named-tensor
 * form ({@code dim} a name) has no counterpart: jnn has no named tensors.
 *
 * <p>Shape: input {@code [*, S_dim, *]}; output {@code [*, U_1, ..., U_n, *]} with {@code U_1 * ...
 * * U_n = S_dim}.
 *
 * <pre>{@code
 * Unflatten m = new Unflatten(1, new long[] {2, 5, 5});   // Unflatten(dim=1, unflattened_size=(2, 5, 5))
 * Tensor y = m.call(Tensor.randn(2, 50));                   // [2, 2, 5, 5]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Unflatten.html">torch.nn.Unflatten</a>
 */
public final class Unflatten extends Module {
  private final int dim;
  private final long[] unflattenedSize;

  /**
   * {@code nn.Unflatten(dim, unflattened_size)} with the sizes as a tuple.
   *
   * @param dim the dim to split (negative counts from the end)
   * @param unflattenedSize the new dims (copied)
   */
  public Unflatten(int dim, long[] unflattenedSize) {
    this.dim = dim;
    this.unflattenedSize = unflattenedSize.clone();
  }

  /** {@code input.unflatten(dim, unflattened_size)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.unflatten(input, dim, unflattenedSize);
  }

  /** {@code dim=1, unflattened_size=(2, 5, 5)}. */
  @Override
  protected String extraRepr() {
    return "dim=" + dim + ", unflattened_size=" + Py.tuple(unflattenedSize);
  }

  /** {@code dim}. */
  public int dim() {
    return dim;
  }

  /** {@code unflattened_size} (a copy). */
  public long[] unflattenedSize() {
    return unflattenedSize.clone();
  }
}
