package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Softmax2d}: softmax over the channels at every spatial location, i.e. {@code
 * softmax(input, -3)}.
 *
 * <p>Shape: {@code [N, C, H, W]} or {@code [C, H, W]}; output the same shape. Other ranks are
 * refused, as PyTorch's assertion does.
 *
 * <pre>{@code
 * Softmax2d m = new Softmax2d();   // Softmax2d()
 * Tensor y = m.call(Tensor.randn(2, 3, 4, 4));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Softmax2d.html">torch.nn.Softmax2d</a>
 */
public final class Softmax2d extends Module {
  /** {@code nn.Softmax2d()}. */
  public Softmax2d() {}

  /**
   * {@code F.softmax(input, -3)}.
   *
   * @throws IllegalArgumentException for an input of other than 3 or 4 dims
   */
  @Override
  public Tensor forward(Tensor input) {
    if (input.dim() != 3 && input.dim() != 4) {
      throw new IllegalArgumentException("Softmax2d requires a 3D or 4D tensor as input (got "
          + input.dim() + "-D input of shape " + input.shape() + ")");
    }
    return Functional.softmax(input, -3);
  }
}
