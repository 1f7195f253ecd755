package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * The leaky rectified linear unit ({@code torch.nn.LeakyReLU}): {@code LeakyReLU(x) = x} for {@code
 * x >= 0}, {@code negative_slope * x} otherwise, element-wise.
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * LeakyReLU act = new LeakyReLU(0.2);   // LeakyReLU(negative_slope=0.2)
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.LeakyReLU.html">torch.nn.LeakyReLU</a>
 */
public final class LeakyReLU extends Module {
  private final double negativeSlope;
  private final boolean inplace;

  /** {@code nn.LeakyReLU()}: negative slope 0.01. */
  public LeakyReLU() {
    this(1e-2, false);
  }

  /**
   * {@code nn.LeakyReLU(negativeSlope)}.
   *
   * @param negativeSlope the slope for negative inputs
   */
  public LeakyReLU(double negativeSlope) {
    this(negativeSlope, false);
  }

  /**
   * {@code nn.LeakyReLU(negativeSlope, inplace)}: with {@code inplace}, {@link #forward}
   * overwrites its input and returns it (autograd's in-place rules apply; the backward then works
   * from the result, as PyTorch's, and refuses a negative slope).
   *
   * @param negativeSlope the slope for negative inputs
   * @param inplace whether to modify the input
   */
  public LeakyReLU(double negativeSlope, boolean inplace) {
    this.negativeSlope = negativeSlope;
    this.inplace = inplace;
  }

  /** {@code x >= 0 ? x : negativeSlope * x}, element-wise; in place when {@link #inplace()}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.leakyRelu(input, negativeSlope, inplace);
  }

  /** {@code negative_slope=0.01}, then {@code , inplace=True} if so. */
  @Override
  protected String extraRepr() {
    return "negative_slope=" + Py.floatRepr(negativeSlope) + (inplace ? ", inplace=True" : "");
  }

  /** {@code inplace}. */
  public boolean inplace() {
    return inplace;
  }

  /** {@code negative_slope}. */
  public double negativeSlope() {
    return negativeSlope;
  }
}
