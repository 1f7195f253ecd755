package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ReplicationPad3d}: pads the last 3 dims with copies of the input's edge
 * values; {@code F.pad(input, padding, "replicate")}.
 *
 * <p>Shape: {@code [N, C, D, H, W] or [C, D, H, W]}; each padded dim grows by its two amounts.
 *
 * <pre>{@code
 * ReplicationPad3d m = new ReplicationPad3d(1);   // ReplicationPad3d((1, 1, 1, 1, 1, 1))
 * Tensor y = m.call(Tensor.randn(1, 1, 2, 2, 2));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ReplicationPad3d.html">torch.nn.ReplicationPad3d</a>
 */
public final class ReplicationPad3d extends PadNd {
  /**
   * {@code nn.ReplicationPad3d(padding)}: the same amount on every side.
   *
   * @param padding the amount on each side
   */
  public ReplicationPad3d(int padding) {
    super(3, repeat(3, padding), "replicate", 0.0);
  }

  /**
   * {@code nn.ReplicationPad3d((left, right, top, bottom, front, back))}.
   *
   * @param padding {@code {left, right, top, bottom, front, back}}
   * @throws IllegalArgumentException unless there are 6 amounts
   */
  public ReplicationPad3d(int[] padding) {
    super(3, padding, "replicate", 0.0);
  }
}
