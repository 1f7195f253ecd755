package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Hardtanh}: {@code min(max(x, min_val), max_val)}, element-wise; the gradient
 * is 1 strictly between the bounds and 0 elsewhere (on the bounds too).
 *
 * <p>Shape: any; output the same shape. With {@code inplace}, {@link #forward} overwrites its
 * input and returns it (autograd's in-place rules apply: a leaf that requires grad is refused).
 *
 * <pre>{@code
 * Hardtanh act = new Hardtanh(-2.0, 2.0);   // Hardtanh(min_val=-2.0, max_val=2.0)
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * <p>Java's {@code double} arguments are Python floats: {@code new Hardtanh(-2, 2)} prints as
 * {@code nn.Hardtanh(-2.0, 2.0)} does.
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Hardtanh.html">torch.nn.Hardtanh</a>
 */
public class Hardtanh extends Module {
  private final double minVal;
  private final double maxVal;
  private final boolean inplace;

  /** {@code nn.Hardtanh()}: bounds -1 and 1. */
  public Hardtanh() {
    this(-1.0, 1.0, false);
  }

  /** {@code nn.Hardtanh(min_val, max_val)}. */
  public Hardtanh(double minVal, double maxVal) {
    this(minVal, maxVal, false);
  }

  /**
   * {@code nn.Hardtanh(min_val, max_val, inplace)}.
   *
   * @throws IllegalArgumentException unless {@code maxVal > minVal} (PyTorch asserts it)
   */
  public Hardtanh(double minVal, double maxVal, boolean inplace) {
    if (!(maxVal > minVal)) {
      throw new IllegalArgumentException(
          "Hardtanh: max_val (" + Py.floatRepr(maxVal) + ") must be greater than min_val ("
              + Py.floatRepr(minVal) + ")");
    }
    this.minVal = minVal;
    this.maxVal = maxVal;
    this.inplace = inplace;
  }

  /** {@code F.hardtanh(input, min_val, max_val, inplace)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.hardtanh(input, minVal, maxVal, inplace);
  }

  /** {@code min_val=-1.0, max_val=1.0}, then {@code , inplace=True} if so. */
  @Override
  protected String extraRepr() {
    return "min_val=" + Py.floatRepr(minVal) + ", max_val=" + Py.floatRepr(maxVal)
        + (inplace ? ", inplace=True" : "");
  }

  /** {@code min_val}. */
  public double minVal() {
    return minVal;
  }

  /** {@code max_val}. */
  public double maxVal() {
    return maxVal;
  }

  /** {@code inplace}. */
  public boolean inplace() {
    return inplace;
  }
}
