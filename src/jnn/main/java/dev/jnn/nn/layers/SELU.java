package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.SELU}: {@code scale * (max(0, x) + min(0, alpha * (exp(x) - 1)))} with {@code
 * alpha = 1.6732632423543772} and {@code scale = 1.0507009873554805}, element-wise.
 *
 * <p>Shape: any; output the same shape. With {@code inplace}, {@link #forward} overwrites its
 * input and returns it (autograd's in-place rules apply: a leaf that requires grad is refused).
 *
 * <pre>{@code
 * SELU act = new SELU();
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.SELU.html">torch.nn.SELU</a>
 */
public final class SELU extends Module {
  private final boolean inplace;

  /** {@code nn.SELU()}. */
  public SELU() {
    this(false);
  }

  /** {@code nn.SELU(inplace=inplace)}. */
  public SELU(boolean inplace) {
    this.inplace = inplace;
  }

  /** {@code F.selu(input, inplace)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.selu(input, inplace);
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
