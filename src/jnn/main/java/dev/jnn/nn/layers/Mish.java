package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Mish}: {@code x * tanh(softplus(x))}, element-wise.
 *
 * <p>Shape: any; output the same shape. With {@code inplace}, {@link #forward} overwrites its
 * input and returns it (autograd's in-place rules apply: a leaf that requires grad is refused).
 *
 * <pre>{@code
 * Mish act = new Mish();
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Mish.html">torch.nn.Mish</a>
 */
public final class Mish extends Module {
  private final boolean inplace;

  /** {@code nn.Mish()}. */
  public Mish() {
    this(false);
  }

  /** {@code nn.Mish(inplace=inplace)}. */
  public Mish(boolean inplace) {
    this.inplace = inplace;
  }

  /** {@code F.mish(input, inplace)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.mish(input, inplace);
  }

  /** {@code inplace}. */
  public boolean inplace() {
    return inplace;
  }

  /** {@code inplace=True}, or nothing (PyTorch's repr). */
  @Override
  protected String extraRepr() {
    return inplace ? "inplace=True" : "";
  }
}
