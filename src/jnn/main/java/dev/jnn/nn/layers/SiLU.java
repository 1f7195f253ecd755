package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.SiLU}: the sigmoid linear unit (swish), {@code x * sigmoid(x)}, element-wise.
 *
 * <p>Shape: any; output the same shape. With {@code inplace}, {@link #forward} overwrites its
 * input and returns it (autograd's in-place rules apply: a leaf that requires grad is refused).
 *
 * <pre>{@code
 * SiLU act = new SiLU();
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.SiLU.html">torch.nn.SiLU</a>
 */
public final class SiLU extends Module {
  private final boolean inplace;

  /** {@code nn.SiLU()}. */
  public SiLU() {
    this(false);
  }

  /** {@code nn.SiLU(inplace=inplace)}. */
  public SiLU(boolean inplace) {
    this.inplace = inplace;
  }

  /** {@code F.silu(input, inplace)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.silu(input, inplace);
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
