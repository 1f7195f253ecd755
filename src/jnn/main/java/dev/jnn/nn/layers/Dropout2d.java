package dev.jnn.nn.layers;

import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Channel-wise dropout ({@code torch.nn.Dropout2d}): in training mode, zeroes each channel (a
 * 2-d feature map, {@code input[n, c]}) independently with probability {@code p} and scales the
 * other channels by {@code 1 / (1 - p)}; in evaluation mode it is the identity. The mask is drawn
 * from the default {@link dev.jnn.tensor.Generator} (same distribution as PyTorch, different
 * stream).
 *
 * <p>Shape: input {@code [N, C, H, W]}; output the same shape.
 *
 * <p>As in PyTorch 1.13, a 3-d input is taken as {@code [N, C, L]} (1-d channel-wise dropout, with
 * 1.13's warning), not as an unbatched {@code [C, H, W]}; see {@link
 * Functional#dropout2d(Tensor, double, boolean, boolean)}.
 *
 * <pre>{@code
 * Dropout2d drop = new Dropout2d(0.2);   // Dropout2d(p=0.2, inplace=False)
 * Tensor y = drop.call(Tensor.randn(20, 16, 32, 32));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Dropout2d.html">torch.nn.Dropout2d</a>
 */
public final class Dropout2d extends DropoutNd {
  /** {@code nn.Dropout2d()}: {@code p = 0.5}, not in place. */
  public Dropout2d() {
    this(0.5, false);
  }

  /**
   * {@code nn.Dropout2d(p)}.
   *
   * @param p probability of a channel being zeroed, in {@code [0, 1]}
   * @throws IllegalArgumentException {@code dropout probability has to be between 0 and 1, but got
   *     1.5}
   */
  public Dropout2d(double p) {
    this(p, false);
  }

  /**
   * {@code nn.Dropout2d(p, inplace)}.
   *
   * @param p probability of a channel being zeroed, in {@code [0, 1]}
   * @param inplace multiply the input in place and return it
   * @throws IllegalArgumentException {@code dropout probability has to be between 0 and 1, but got
   *     1.5}
   */
  public Dropout2d(double p, boolean inplace) {
    super(p, inplace);
  }

  /** Drops channels in training mode; returns {@code input} in evaluation mode. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.dropout2d(input, p(), isTraining(), inplace());
  }
}
