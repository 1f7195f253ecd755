package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;

/**
 * Mean absolute error ({@code torch.nn.L1Loss}): {@code l_n = |x_n - y_n|}, then the mean (the
 * default), the sum, or no reduction.
 *
 * <p>The gradient at {@code x_n == y_n} is 0.
 *
 * <p>Shape: input {@code [*]}; target broadcastable to the input (normally the same shape); output
 * a scalar, or the broadcast shape with {@code Reduction.NONE}.
 *
 * <pre>{@code
 * L1Loss loss = new L1Loss();              // L1Loss()
 * Tensor l = loss.call(prediction, target);
 * l.backward();
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.L1Loss.html">torch.nn.L1Loss</a>
 */
public final class L1Loss extends LossBase {
  /** {@code nn.L1Loss()}: mean reduction. */
  public L1Loss() {
    this(Reduction.MEAN);
  }

  /**
   * {@code nn.L1Loss(reduction=reduction)}.
   *
   * @param reduction {@code NONE}, {@code MEAN} or {@code SUM}
   */
  public L1Loss(Reduction reduction) {
    super(reduction);
  }

  /** {@code l1_loss(input, target, reduction)}. */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.l1Loss(input, target, reduction());
  }
}
