package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * The Gaussian error linear unit ({@code torch.nn.GELU}): {@code GELU(x) = x * Phi(x)}, with {@code
 * Phi} the standard normal CDF; with {@code approximate = "tanh"}, {@code GELU(x) = 0.5 * x * (1 +
 * tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))}. Element-wise.
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * GELU act = new GELU();              // GELU(approximate='none')
 * GELU fast = new GELU("tanh");       // GELU(approximate='tanh')
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.GELU.html">torch.nn.GELU</a>
 */
public final class GELU extends Module {
  private final String approximate;

  /** {@code nn.GELU()}: the exact (erf) form. */
  public GELU() {
    this("none");
  }

  /**
   * {@code nn.GELU(approximate=approximate)}.
   *
   * @param approximate {@code "none"} (exact) or {@code "tanh"}
   * @throws IllegalArgumentException {@code approximate argument must be either none or tanh.}
   */
  public GELU(String approximate) {
    Objects.requireNonNull(approximate, "approximate");
    if (!approximate.equals("none") && !approximate.equals("tanh")) {
      throw new IllegalArgumentException("approximate argument must be either none or tanh.");
    }
    this.approximate = approximate;
  }

  /** GELU of {@code input}, element-wise. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.gelu(input, approximate);
  }

  /** {@code approximate='none'}. */
  @Override
  protected String extraRepr() {
    return "approximate=" + Py.str(approximate);
  }

  /** {@code approximate}: {@code "none"} or {@code "tanh"}. */
  public String approximate() {
    return approximate;
  }
}
