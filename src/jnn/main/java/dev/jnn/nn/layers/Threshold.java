package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Threshold}: {@code x > threshold ? x : value}, element-wise (the gradient is 0
 * where {@code x <= threshold}).
 *
 * <p>Shape: any; output the same shape. With {@code inplace}, {@link #forward} overwrites its
 * input and returns it (autograd's in-place rules apply).
 *
 * <pre>{@code
 * Threshold act = new Threshold(0.1, 20.0);   // Threshold(threshold=0.1, value=20.0)
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Threshold.html">torch.nn.Threshold</a>
 */
public final class Threshold extends Module {
  private final double threshold;
  private final double value;
  private final boolean inplace;

  /** {@code nn.Threshold(threshold, value)}. */
  public Threshold(double threshold, double value) {
    this(threshold, value, false);
  }

  /** {@code nn.Threshold(threshold, value, inplace)}. */
  public Threshold(double threshold, double value, boolean inplace) {
    this.threshold = threshold;
    this.value = value;
    this.inplace = inplace;
  }

  /** {@code F.threshold(input, threshold, value, inplace)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.threshold(input, threshold, value, inplace);
  }

  /** {@code threshold=0.1, value=20.0}, then {@code , inplace=True} if so. */
  @Override
  protected String extraRepr() {
    return "threshold=" + Py.floatRepr(threshold) + ", value=" + Py.floatRepr(value)
        + (inplace ? ", inplace=True" : "");
  }

  /** {@code threshold}. */
  public double threshold() {
    return threshold;
  }

  /** {@code value}. */
  public double value() {
    return value;
  }

  /** {@code inplace}. */
  public boolean inplace() {
    return inplace;
  }
}
