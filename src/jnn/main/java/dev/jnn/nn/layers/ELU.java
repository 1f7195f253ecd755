package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.ELU}: {@code x > 0 ? x : alpha * (exp(x) - 1)}, element-wise.
 *
 * <p>Shape: any; output the same shape. With {@code inplace}, {@link #forward} overwrites its
 * input and returns it (autograd's in-place rules apply; the backward then works from the result,
 * as PyTorch's, and refuses a negative {@code alpha}).
 *
 * <pre>{@code
 * ELU act = new ELU(0.5);   // ELU(alpha=0.5)
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ELU.html">torch.nn.ELU</a>
 */
public final class ELU extends Module {
  private final double alpha;
  private final boolean inplace;

  /** {@code nn.ELU()}: alpha 1. */
  public ELU() {
    this(1.0, false);
  }

  /** {@code nn.ELU(alpha)}. */
  public ELU(double alpha) {
    this(alpha, false);
  }

  /** {@code nn.ELU(alpha, inplace)}. */
  public ELU(double alpha, boolean inplace) {
    this.alpha = alpha;
    this.inplace = inplace;
  }

  /** {@code F.elu(input, alpha, inplace)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.elu(input, alpha, inplace);
  }

  /** {@code alpha=1.0}, then {@code , inplace=True} if so. */
  @Override
  protected String extraRepr() {
    return "alpha=" + Py.floatRepr(alpha) + (inplace ? ", inplace=True" : "");
  }

  /** {@code alpha}. */
  public double alpha() {
    return alpha;
  }

  /** {@code inplace}. */
  public boolean inplace() {
    return inplace;
  }
}
