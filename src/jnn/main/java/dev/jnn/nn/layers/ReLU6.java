package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ReLU6}: {@code min(max(0, x), 6)}, element-wise; a {@link Hardtanh} with bounds
 * 0 and 6, as in PyTorch (the gradient is 0 at 0 and at 6).
 *
 * <p>Shape: any; output the same shape.
 *
 * <p>{@link #forward} is Hardtanh's, {@code F.hardtanh(input, 0, 6, inplace)}, as PyTorch's
 * ReLU6 inherits it.
 *
 * <pre>{@code
 * ReLU6 act = new ReLU6();   // ReLU6()
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ReLU6.html">torch.nn.ReLU6</a>
 */
public final class ReLU6 extends Hardtanh {
  /** {@code nn.ReLU6()}. */
  public ReLU6() {
    this(false);
  }

  /** {@code nn.ReLU6(inplace=inplace)}: with {@code inplace}, the forward overwrites its input. */
  public ReLU6(boolean inplace) {
    super(0.0, 6.0, inplace);
  }

  /** {@code inplace=True}, or nothing. */
  @Override
  protected String extraRepr() {
    return inplace() ? "inplace=True" : "";
  }
}
