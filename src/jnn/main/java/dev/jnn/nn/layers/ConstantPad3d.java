package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ConstantPad3d}: pads the last 3 dims with a constant; {@code F.pad(input,
 * padding, "constant", value)}. Negative amounts crop.
 *
 * <p>Shape: {@code [N, C, D, H, W] or [C, D, H, W]} (any rank with at least 3 dims, as {@code
 * F.pad} takes); each padded dim grows by its two amounts.
 *
 * <pre>{@code
 * ConstantPad3d m =
 *     new ConstantPad3d(1, 0.0);   // ConstantPad3d(padding=(1, 1, 1, 1, 1, 1), value=0.0)
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.ConstantPad3d.html">torch.nn.ConstantPad3d</a>
 */
public final class ConstantPad3d extends PadNd {
  /**
   * {@code nn.ConstantPad3d(padding, value)}: the same amount on every side.
   *
   * @param padding the amount on each side
   * @param value the fill value
   */
  public ConstantPad3d(int padding, double value) {
    super(3, repeat(3, padding), "constant", value);
  }

  /**
   * {@code nn.ConstantPad3d((left, right, top, bottom, front, back), value)}.
   *
   * @param padding {@code {left, right, top, bottom, front, back}}
   * @param value the fill value
   * @throws IllegalArgumentException unless there are 6 amounts
   */
  public ConstantPad3d(int[] padding, double value) {
    super(3, padding, "constant", value);
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
