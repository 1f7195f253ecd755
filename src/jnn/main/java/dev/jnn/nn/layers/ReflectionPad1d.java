package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ReflectionPad1d}: pads the last 1 dim with the reflection of the input at its
 * boundary (the edge value not repeated); {@code F.pad(input, padding, "reflect")}.
 *
 * <p>Shape: {@code [N, C, W] or [C, W]}; each padded dim grows by its two amounts. Reflection
 * needs each amount below the padded dim's size.
 *
 * <pre>{@code
 * ReflectionPad1d m = new ReflectionPad1d(2);   // ReflectionPad1d((2, 2))
 * Tensor y = m.call(Tensor.randn(1, 2, 4));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ReflectionPad1d.html">torch.nn.ReflectionPad1d</a>
 */
public final class ReflectionPad1d extends PadNd {
  /**
   * {@code nn.ReflectionPad1d(padding)}: the same amount on every side.
   *
   * @param padding the amount on each side
   */
  public ReflectionPad1d(int padding) {
    super(1, repeat(1, padding), "reflect", 0.0);
  }

  /**
   * {@code nn.ReflectionPad1d((left, right))}.
   *
   * @param padding {@code {left, right}}
   * @throws IllegalArgumentException unless there are 2 amounts
   */
  public ReflectionPad1d(int[] padding) {
    super(1, padding, "reflect", 0.0);
  }
}
