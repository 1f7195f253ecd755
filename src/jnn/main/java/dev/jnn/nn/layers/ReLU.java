package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * The rectified linear unit ({@code torch.nn.ReLU}): {@code ReLU(x) = max(0, x)}, element-wise (the
 * gradient at 0 is 0).
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * ReLU act = new ReLU();   // ReLU()
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ReLU.html">torch.nn.ReLU</a>
 */
public final class ReLU extends Module {
  /** {@code nn.ReLU()}. */
  public ReLU() {}

  /** {@code max(0, x)}, element-wise. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.relu(input);
  }
}
