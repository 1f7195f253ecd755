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

  /** {@code nn.LeakyReLU()}: negative slope 0.01. */
  public LeakyReLU() {
    this(1e-2);
  }

  /**
   * {@code nn.LeakyReLU(negativeSlope)}.
   *
   * @param negativeSlope the slope for negative inputs
   */
  public LeakyReLU(double negativeSlope) {
    this.negativeSlope = negativeSlope;
  }

  /** {@code x >= 0 ? x : negativeSlope * x}, element-wise. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.leakyRelu(input, negativeSlope);
  }

  /** {@code negative_slope=0.01}. */
  @Override
  protected String extraRepr() {
    return "negative_slope=" + Py.floatRepr(negativeSlope);
  }

  /** {@code negative_slope}. */
  public double negativeSlope() {
    return negativeSlope;
  }
}
