package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Softsign}: {@code x / (1 + |x|)}, element-wise.
 *
 * <p>Shape: any; output the same shape.
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Softsign.html">torch.nn.Softsign</a>
 */
public final class Softsign extends Module {
  /** {@code nn.Softsign()}. */
  public Softsign() {}

  /** {@code F.softsign(input)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.softsign(input);
  }
}
