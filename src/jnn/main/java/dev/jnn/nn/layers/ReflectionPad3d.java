package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ReflectionPad3d}: pads the last 3 dims with the reflection of the input at its
 * boundary (the edge value not repeated); {@code F.pad(input, padding, "reflect")}.
 *
 * <p>Shape: {@code [N, C, D, H, W] or [C, D, H, W]}; each padded dim grows by its two amounts.
 * Reflection needs each amount below the padded dim's size.
 *
 * <pre>{@code
 * ReflectionPad3d m = new ReflectionPad3d(1);   // ReflectionPad3d((1, 1, 1, 1, 1, 1))
 * Tensor y = m.call(Tensor.randn(1, 1, 2, 2, 2));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ReflectionPad3d.html">torch.nn.ReflectionPad3d</a>
 */
public final class ReflectionPad3d extends PadNd {
  /**
   * {@code nn.ReflectionPad3d(padding)}: the same amount on every side.
   *
   * @param padding the amount on each side
   */
  public ReflectionPad3d(int padding) {
    super(3, repeat(3, padding), "reflect", 0.0);
  }

  /**
   * {@code nn.ReflectionPad3d((left, right, top, bottom, front, back))}.
   *
   * @param padding {@code {left, right, top, bottom, front, back}}
   * @throws IllegalArgumentException unless there are 6 amounts
   */
  public ReflectionPad3d(int[] padding) {
    super(3, padding, "reflect", 0.0);
  }
}
