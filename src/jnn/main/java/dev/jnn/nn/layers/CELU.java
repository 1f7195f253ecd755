package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.CELU}: {@code max(0, x) + min(0, alpha * (exp(x / alpha) - 1))}, element-wise
 * ({@code alpha} must not be 0: the forward fails).
 *
 * <p>Shape: any; output the same shape. With {@code inplace}, {@link #forward} overwrites its
 * input and returns it (autograd's in-place rules apply; the backward then works from the result,
 * as PyTorch's, and refuses a negative {@code alpha}).
 *
 * <pre>{@code
 * CELU act = new CELU(0.5);   // CELU(alpha=0.5)
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.CELU.html">torch.nn.CELU</a>
 */
public final class CELU extends Module {
  private final double alpha;
  private final boolean inplace;

  /** {@code nn.CELU()}: alpha 1. */
  public CELU() {
    this(1.0, false);
  }

  /** {@code nn.CELU(alpha)}. */
  public CELU(double alpha) {
    this(alpha, false);
  }

  /** {@code nn.CELU(alpha, inplace)}. */
  public CELU(double alpha, boolean inplace) {
    this.alpha = alpha;
    this.inplace = inplace;
  }

  /** {@code F.celu(input, alpha, inplace)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.celu(input, alpha, inplace);
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
