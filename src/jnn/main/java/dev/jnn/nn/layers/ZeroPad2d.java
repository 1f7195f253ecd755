package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ZeroPad2d}: pads the last 2 dims with zeros; {@code F.pad(input, padding,
 * "constant", 0.0)}. Negative amounts crop.
 *
 * <p>Shape: {@code [N, C, H, W] or [C, H, W]}; each padded dim grows by its two amounts.
 *
 * <pre>{@code
 * ZeroPad2d m = new ZeroPad2d(new int[] {1, 1, 2, 0});   // ZeroPad2d((1, 1, 2, 0))
 * Tensor y = m.call(Tensor.randn(1, 1, 3, 3));            // [1, 1, 5, 5]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.ZeroPad2d.html">torch.nn.ZeroPad2d</a>
 */
public final class ZeroPad2d extends PadNd {
  /**
   * {@code nn.ZeroPad2d(padding)}: the same amount on every side.
   *
   * @param padding the amount on each side
   */
  public ZeroPad2d(int padding) {
    super(2, repeat(2, padding), "constant", 0.0);
  }

  /**
   * {@code nn.ZeroPad2d((left, right, top, bottom))}.
   *
   * @param padding {@code {left, right, top, bottom}}
   * @throws IllegalArgumentException unless there are 4 amounts
   */
  public ZeroPad2d(int[] padding) {
    super(2, padding, "constant", 0.0);
  }
}
