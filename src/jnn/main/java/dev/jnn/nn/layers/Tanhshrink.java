package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Tanhshrink}: {@code x - tanh(x)}, element-wise.
 *
 * <p>Shape: any; output the same shape.
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Tanhshrink.html">torch.nn.Tanhshrink</a>
 */
public final class Tanhshrink extends Module {
  /** {@code nn.Tanhshrink()}. */
  public Tanhshrink() {}

  /** {@code F.tanhshrink(input)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.tanhshrink(input);
  }
}
