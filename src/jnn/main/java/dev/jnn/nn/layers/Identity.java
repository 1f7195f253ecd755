package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.tensor.Tensor;

/**
 * A placeholder that returns its input unchanged ({@code torch.nn.Identity}), e.g. to remove a
 * layer from a model without changing its structure.
 *
 * <p>Shape: any; output the same tensor.
 *
 * <pre>{@code
 * Module head = new Identity();   // Identity()
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Identity.html">torch.nn.Identity</a>
 */
public final class Identity extends Module {
  /** {@code nn.Identity()}. */
  public Identity() {}

  /**
   * {@code nn.Identity(*args, **kwargs)}: PyTorch's Identity takes and ignores any arguments, so
   * that it can stand in for a layer whose constructor call is kept ({@code Identity(54,
   * unused_argument1=0.1)}); the repr stays {@code Identity()}.
   *
   * @param ignored any arguments, ignored
   */
  public Identity(Object... ignored) {}

  /** Returns {@code input} itself. */
  @Override
  public Tensor forward(Tensor input) {
    return input;
  }
}
