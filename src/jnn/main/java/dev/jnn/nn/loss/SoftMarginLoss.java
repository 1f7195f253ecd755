package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;

/**
 * Two-class logistic loss ({@code torch.nn.SoftMarginLoss}) for labels {@code y} in {-1, 1}:
 *
 * <pre>
 * l_n = log(1 + exp(-y_n * x_n))
 * </pre>
 *
 * <p>Shape: input {@code [*]}; target broadcastable to the input's shape; output a scalar, or the
 * input's shape with {@code Reduction.NONE}. The target is not differentiated: one that requires
 * grad is refused, as in PyTorch.
 *
 * <pre>{@code
 * SoftMarginLoss loss = new SoftMarginLoss();        // SoftMarginLoss()
 * Tensor l = loss.call(scores, labels);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.SoftMarginLoss.html">torch.nn.SoftMarginLoss</a>
 */
public final class SoftMarginLoss extends LossBase {
  /** {@code nn.SoftMarginLoss()}: mean reduction. */
  public SoftMarginLoss() {
    this(Reduction.MEAN);
  }

  /**
   * {@code nn.SoftMarginLoss(reduction=reduction)}.
   *
   * @param reduction {@code NONE}, {@code MEAN} or {@code SUM}
   */
  public SoftMarginLoss(Reduction reduction) {
    super(reduction);
  }

  /** {@code F.soft_margin_loss(input, target, reduction)}. */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.softMarginLoss(input, target, reduction());
  }
}
