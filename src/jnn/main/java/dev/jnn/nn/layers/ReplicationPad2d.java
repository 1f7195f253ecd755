package dev.jnn.nn.layers;

/**
 * {@code torch.nn.ReplicationPad2d}: pads the last 2 dims with copies of the input's edge
 * values; {@code F.pad(input, padding, "replicate")}.
 *
 * <p>Shape: {@code [N, C, H, W] or [C, H, W]}; each padded dim grows by its two amounts.
 *
 * <pre>{@code
 * ReplicationPad2d m = new ReplicationPad2d(2);   // ReplicationPad2d((2, 2, 2, 2))
 * Tensor y = m.call(Tensor.randn(1, 1, 3, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ReplicationPad2d.html">torch.nn.ReplicationPad2d</a>
 */
public final class ReplicationPad2d extends PadNd {
  /**
   * {@code nn.ReplicationPad2d(padding)}: the same amount on every side.
   *
   * @param padding the amount on each side
   */
  public ReplicationPad2d(int padding) {
    super(2, repeat(2, padding), "replicate", 0.0);
  }

  /**
   * {@code nn.ReplicationPad2d((left, right, top, bottom))}.
   *
   * @param padding {@code {left, right, top, bottom}}
   * @throws IllegalArgumentException unless there are 4 amounts
   */
  public ReplicationPad2d(int[] padding) {
    super(2, padding, "replicate", 0.0);
  }
}
