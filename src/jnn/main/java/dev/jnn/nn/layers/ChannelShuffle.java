package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Interleaves the channels of {@code [N, C, *]} across {@code groups} groups ({@code
 * torch.nn.ChannelShuffle}, ShuffleNet's): channel {@code g * (C / groups) + i} moves to {@code i *
 * groups + g}; {@code F.channel_shuffle}.
 *
 * <p>Shape: input {@code [N, C, *]} (at least 3 dims); output the same shape.
 *
 * <pre>{@code
 * ChannelShuffle m = new ChannelShuffle(2);   // ChannelShuffle(groups=2)
 * Tensor y = m.call(Tensor.randn(1, 4, 2, 2));   // channels 0, 2, 1, 3
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.ChannelShuffle.html">torch.nn.ChannelShuffle</a>
 */
public final class ChannelShuffle extends Module {
  private final int groups;

  /**
   * {@code nn.ChannelShuffle(groups)}.
   *
   * @param groups the number of groups the channels are divided into
   */
  public ChannelShuffle(int groups) {
    this.groups = groups;
  }

  /** {@code F.channel_shuffle(input, groups)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.channelShuffle(input, groups);
  }

  /** {@code groups=2}. */
  @Override
  protected String extraRepr() {
    return "groups=" + groups;
  }

  /** {@code groups}. */
  public int groups() {
    return groups;
  }
}
