package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * The logistic sigmoid ({@code torch.nn.Sigmoid}): {@code Sigmoid(x) = 1 / (1 + exp(-x))},
 * element-wise.
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * Sigmoid act = new Sigmoid();   // Sigmoid()
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Sigmoid.html">torch.nn.Sigmoid</a>
 */
public final class Sigmoid extends Module {
  /** {@code nn.Sigmoid()}. */
  public Sigmoid() {}

  /** {@code 1 / (1 + exp(-x))}, element-wise. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.sigmoid(input);
  }
}
