package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ConstantPad2d}: pads the last 2 dims with a constant; {@code F.pad(input,
 * padding, "constant", value)}. Negative amounts crop.
 *
 * <p>Shape: {@code [N, C, H, W] or [C, H, W]} (any rank with at least 2 dims, as {@code F.pad}
 * takes); each padded dim grows by its two amounts.
 *
 * <pre>{@code
 * ConstantPad2d m =
 *     new ConstantPad2d(new int[] {3, 0, 2, 1}, 3.5);   // ConstantPad2d(padding=(3, 0, 2, 1), value=3.5)
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.ConstantPad2d.html">torch.nn.ConstantPad2d</a>
 */
public final class ConstantPad2d extends PadNd {
  /**
   * {@code nn.ConstantPad2d(padding, value)}: the same amount on every side.
   *
   * @param padding the amount on each side
   * @param value the fill value
   */
  public ConstantPad2d(int padding, double value) {
    super(2, repeat(2, padding), "constant", value);
  }

  /**
   * {@code nn.ConstantPad2d((left, right, top, bottom), value)}.
   *
   * @param padding {@code {left, right, top, bottom}}
   * @param value the fill value
   * @throws IllegalArgumentException unless there are 4 amounts
   */
  public ConstantPad2d(int[] padding, double value) {
    super(2, padding, "constant", value);
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
