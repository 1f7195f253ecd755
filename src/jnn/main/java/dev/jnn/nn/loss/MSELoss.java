package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;

/**
 * Mean squared error ({@code torch.nn.MSELoss}): {@code l_n = (x_n - y_n)^2}, then the mean (the
 * default), the sum, or no reduction.
 *
 * <p>Shape: input {@code [*]}; target broadcastable to the input (normally the same shape); output
 * a scalar, or the broadcast shape with {@code Reduction.NONE}.
 *
 * <pre>{@code
 * MSELoss loss = new MSELoss();              // MSELoss()
 * Tensor l = loss.call(prediction, target);
 * l.backward();
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.MSELoss.html">torch.nn.MSELoss</a>
 */
public final class MSELoss extends LossBase {
  /** {@code nn.MSELoss()}: mean reduction. */
  public MSELoss() {
    this(Reduction.MEAN);
  }

  /**
   * {@code nn.MSELoss(reduction=reduction)}.
   *
   * @param reduction {@code NONE}, {@code MEAN} or {@code SUM}
   */
  public MSELoss(Reduction reduction) {
    super(reduction);
  }

  /** {@code mse_loss(input, target, reduction)}. */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.mseLoss(input, target, reduction());
  }
}
