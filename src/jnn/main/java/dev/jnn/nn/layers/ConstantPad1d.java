package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ConstantPad1d}: pads the last 1 dim with a constant; {@code F.pad(input, padding,
 * "constant", value)}. Negative amounts crop.
 *
 * <p>Shape: {@code [N, C, W] or [C, W]} (any rank with at least 1 dim, as {@code F.pad} takes);
 * each padded dim grows by its two amounts.
 *
 * <pre>{@code
 * ConstantPad1d m =
 *     new ConstantPad1d(2, 3.5);   // ConstantPad1d(padding=(2, 2), value=3.5)
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.ConstantPad1d.html">torch.nn.ConstantPad1d</a>
 */
public final class ConstantPad1d extends PadNd {
  /**
   * {@code nn.ConstantPad1d(padding, value)}: the same amount on every side.
   *
   * @param padding the amount on each side
   * @param value the fill value
   */
  public ConstantPad1d(int padding, double value) {
    super(1, repeat(1, padding), "constant", value);
  }

  /**
   * {@code nn.ConstantPad1d((left, right), value)}.
   *
   * @param padding {@code {left, right}}
   * @param value the fill value
   * @throws IllegalArgumentException unless there are 2 amounts
   */
  public ConstantPad1d(int[] padding, double value) {
    super(1, padding, "constant", value);
  }

  /** {@code padding=(2, 2), value=3.5}. */
  @Override
  protected String extraRepr() {
    return constantRepr();
  }

  /** {@code value}: the fill value. */
  public double value() {
    return fillValue();
  }
}
