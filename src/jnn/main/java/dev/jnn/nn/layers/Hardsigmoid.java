package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Hardsigmoid}: {@code relu6(x + 3) / 6}, element-wise.
 *
 * <p>Shape: any; output the same shape. With {@code inplace}, {@link #forward} overwrites its
 * input and returns it (autograd's in-place rules apply: a leaf that requires grad is refused).
 * Its repr shows no {@code inplace}, as in PyTorch 1.13.
 *
 * <pre>{@code
 * Hardsigmoid act = new Hardsigmoid();
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Hardsigmoid.html">torch.nn.Hardsigmoid</a>
 */
public final class Hardsigmoid extends Module {
  private final boolean inplace;

  /** {@code nn.Hardsigmoid()}. */
  public Hardsigmoid() {
    this(false);
  }

  /** {@code nn.Hardsigmoid(inplace=inplace)}. */
  public Hardsigmoid(boolean inplace) {
    this.inplace = inplace;
  }

  /** {@code F.hardsigmoid(input, inplace)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.hardsigmoid(input, inplace);
  }

  /** {@code inplace}. */
  public boolean inplace() {
    return inplace;
  }
}
