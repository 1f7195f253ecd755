package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Hardswish}: {@code x * relu6(x + 3) / 6}, element-wise.
 *
 * <p>Shape: any; output the same shape. With {@code inplace}, {@link #forward} overwrites its
 * input and returns it (autograd's in-place rules apply: a leaf that requires grad is refused).
 * Its repr shows no {@code inplace}, as in PyTorch 1.13.
 *
 * <pre>{@code
 * Hardswish act = new Hardswish();
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Hardswish.html">torch.nn.Hardswish</a>
 */
public final class Hardswish extends Module {
  private final boolean inplace;

  /** {@code nn.Hardswish()}. */
  public Hardswish() {
    this(false);
  }

  /** {@code nn.Hardswish(inplace=inplace)}. */
  public Hardswish(boolean inplace) {
    this.inplace = inplace;
  }

  /** {@code F.hardswish(input, inplace)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.hardswish(input, inplace);
  }

  /** {@code inplace}. */
  public boolean inplace() {
    return inplace;
  }
}
