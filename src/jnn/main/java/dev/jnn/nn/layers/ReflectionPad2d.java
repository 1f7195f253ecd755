package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ReflectionPad2d}: pads the last 2 dims with the reflection of the input at its
 * boundary (the edge value not repeated); {@code F.pad(input, padding, "reflect")}.
 *
 * <p>Shape: {@code [N, C, H, W] or [C, H, W]}; each padded dim grows by its two amounts.
 * Reflection needs each amount below the padded dim's size.
 *
 * <pre>{@code
 * ReflectionPad2d m = new ReflectionPad2d(2);   // ReflectionPad2d((2, 2, 2, 2))
 * Tensor y = m.call(Tensor.randn(1, 1, 3, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ReflectionPad2d.html">torch.nn.ReflectionPad2d</a>
 */
public final class ReflectionPad2d extends PadNd {
  /**
   * {@code nn.ReflectionPad2d(padding)}: the same amount on every side.
   *
   * @param padding the amount on each side
   */
  public ReflectionPad2d(int padding) {
    super(2, repeat(2, padding), "reflect", 0.0);
  }

  /**
   * {@code nn.ReflectionPad2d((left, right, top, bottom))}.
   *
   * @param padding {@code {left, right, top, bottom}}
   * @throws IllegalArgumentException unless there are 4 amounts
   */
  public ReflectionPad2d(int[] padding) {
    super(2, padding, "reflect", 0.0);
  }
}
