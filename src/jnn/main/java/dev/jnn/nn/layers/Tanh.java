package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * The hyperbolic tangent ({@code torch.nn.Tanh}): {@code Tanh(x) = (exp(x) - exp(-x)) / (exp(x) +
 * exp(-x))}, element-wise.
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * Tanh act = new Tanh();   // Tanh()
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Tanh.html">torch.nn.Tanh</a>
 */
public final class Tanh extends Module {
  /** {@code nn.Tanh()}. */
  public Tanh() {}

  /** {@code tanh(x)}, element-wise. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.tanh(input);
  }
}
