package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ReplicationPad1d}: pads the last 1 dim with copies of the input's edge values;
 * {@code F.pad(input, padding, "replicate")}.
 *
 * <p>Shape: {@code [N, C, W] or [C, W]}; each padded dim grows by its two amounts.
 *
 * <pre>{@code
 * ReplicationPad1d m = new ReplicationPad1d(2);   // ReplicationPad1d((2, 2))
 * Tensor y = m.call(Tensor.randn(1, 2, 4));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ReplicationPad1d.html">torch.nn.ReplicationPad1d</a>
 */
public final class ReplicationPad1d extends PadNd {
  /**
   * {@code nn.ReplicationPad1d(padding)}: the same amount on every side.
   *
   * @param padding the amount on each side
   */
  public ReplicationPad1d(int padding) {
    super(1, repeat(1, padding), "replicate", 0.0);
  }

  /**
   * {@code nn.ReplicationPad1d((left, right))}.
   *
   * @param padding {@code {left, right}}
   * @throws IllegalArgumentException unless there are 2 amounts
   */
  public ReplicationPad1d(int[] padding) {
    super(1, padding, "replicate", 0.0);
  }
}
