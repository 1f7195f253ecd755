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
 * ReLU inplace = new ReLU(true);   // ReLU(inplace=True): overwrites its input
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ReLU.html">torch.nn.ReLU</a>
 */
public final class ReLU extends Module {
  private final boolean inplace;

  /** {@code nn.ReLU()}. */
  public ReLU() {
    this(false);
  }

  /**
   * {@code nn.ReLU(inplace=inplace)}: with {@code inplace}, {@link #forward} overwrites its input
   * with the result and returns it ({@link Tensor#reluInPlace()}: autograd's in-place checks
   * apply, e.g. a leaf that requires grad is refused).
   *
   * @param inplace whether to modify the input
   */
  public ReLU(boolean inplace) {
    this.inplace = inplace;
  }

  /** {@code max(0, x)}, element-wise; in place when {@link #inplace()}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.relu(input, inplace);
  }

  /** {@code inplace}. */
  public boolean inplace() {
    return inplace;
  }

  /** {@code inplace=True}, or nothing (PyTorch's repr). */
  @Override
  protected String extraRepr() {
    return inplace ? "inplace=True" : "";
  }
}
