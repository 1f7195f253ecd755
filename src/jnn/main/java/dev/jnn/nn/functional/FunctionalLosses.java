package dev.jnn.nn.functional;

import dev.jnn.core.DType;
import dev.jnn.tensor.ActivationOps;
import dev.jnn.tensor.AlphaDropoutOps;
import dev.jnn.tensor.AttentionOps;
import dev.jnn.tensor.ConvOps;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.LossOps;
import dev.jnn.tensor.NnMiscOps;
import dev.jnn.tensor.NormOps;
import dev.jnn.tensor.PointwiseActivationOps;
import dev.jnn.tensor.PoolOps;
import dev.jnn.tensor.Tensor;

/**
 * {@link Functional}'s losses ({@code torch.nn.functional}'s "Loss functions"), a section of its facade kept in
 * its own file: call them as {@code Functional.crossEntropy(...)}. The class is sealed and abstract: it
 * exists only so that {@code Functional}, which extends it, stays readable by family, as Tensor's
 * instance ops are grouped in its {@code Tensor*} interfaces.
 */
public abstract sealed class FunctionalLosses extends FunctionalAttention permits Functional {
  /** PyTorch's default {@code ignore_index} for the classification losses. */
  public static final int DEFAULT_IGNORE_INDEX = -100;

  FunctionalLosses() {}

  // ================================================================== helpers

  /** PyTorch's reduction check ({@code None} is refused); {@link LossOps}'s code for {@code r}. */
  static int reduction(Reduction r) {
    if (r == null) {
      throw new IllegalArgumentException("None is not a valid value for reduction");
    }
    return switch (r) {
      case NONE -> LossOps.NONE;
      case MEAN -> LossOps.MEAN;
      case SUM -> LossOps.SUM;
    };
  }

  // ================================================================== classification losses

  /** {@code F.nll_loss(input, target)}: mean reduction, no weight, ignore index -100. */
  public static Tensor nllLoss(Tensor input, Tensor target) {
    return nllLoss(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
  }

  /**
   * Negative log-likelihood ({@code F.nll_loss}) of log-probabilities {@code input} ({@code [N,
   * C]}, {@code [C]} or {@code [N, C, d1, ...]}) and int64 class targets ({@code [N]}, {@code []}
   * or {@code [N, d1, ...]}): {@code loss_i = -weight[t_i] * input[i, t_i]}, 0 where {@code t_i ==
   * ignoreIndex}; the mean divides by the sum of {@code weight[t_i]} over non-ignored elements
   * (NaN when that is 0).
   *
   * @param input log-probabilities
   * @param target class indices
   * @param weight optional per-class weights {@code [C]}
   * @param ignoreIndex target value that is skipped
   * @param reduction NONE, MEAN or SUM
   * @return the loss (a scalar, or target-shaped with NONE)
   * @throws IndexOutOfBoundsException {@code "Target 10 is out of bounds."}
   */
  public static Tensor nllLoss(
      Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
    return LossOps.nllLoss(input, target, weight, ignoreIndex, reduction(reduction));
  }

  /** {@code F.cross_entropy(input, target)}: mean reduction, no weight, no smoothing. */
  public static Tensor crossEntropy(Tensor input, Tensor target) {
    return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
  }

  /** {@code F.cross_entropy(input, target, reduction=...)}. */
  public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction) {
    return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, reduction, 0.0);
  }

  /**
   * Cross-entropy of raw scores ({@code F.cross_entropy}), with PyTorch's three paths:
   *
   * <ul>
   *   <li>int64 class-index targets without smoothing: {@code nllLoss(logSoftmax(input, 1))},
   *       fused: one log-softmax kernel forward and one kernel for the whole backward ({@code
   *       (softmax - onehot) * weight[t] * grad});
   *   <li>class-index targets with {@code labelSmoothing = ls > 0}: {@code (1 - ls) * nll + ls / C
   *       * smooth}, where {@code smooth = -sum_c weight[c] * logp[c]} (0 at ignored positions)
   *       reduced like the NLL term (its mean divides by the same total target weight);
   *   <li>floating class-probability targets of the input's shape: {@code -sum_c weight[c] *
   *       target_c * logp_c} with the target smoothed to {@code target * (1 - ls) + ls / C}; the
   *       mean divides by the number of positions ({@code numel / C}); {@code ignoreIndex} must
   *       stay negative.
   * </ul>
   *
   * @param input scores {@code [N, C]}, {@code [C]} or {@code [N, C, d1, ...]}
   * @param target class indices (int64, {@code [N]} etc.) or probabilities (input's shape)
   * @param weight optional per-class weights {@code [C]}
   * @param ignoreIndex class-index target value that is skipped (PyTorch default -100)
   * @param reduction NONE, MEAN or SUM
   * @param labelSmoothing in {@code [0, 1]}
   * @return the loss
   * @throws IndexOutOfBoundsException {@code "Target 10 is out of bounds."}
   */
  public static Tensor crossEntropy(
      Tensor input,
      Tensor target,
      Tensor weight,
      int ignoreIndex,
      Reduction reduction,
      double labelSmoothing) {
    return LossOps.crossEntropy(
        input, target, weight, ignoreIndex, reduction(reduction), labelSmoothing);
  }

  // ================================================================== regression losses

  /** {@code F.mse_loss(input, target)} with mean reduction. */
  public static Tensor mseLoss(Tensor input, Tensor target) {
    return mseLoss(input, target, Reduction.MEAN);
  }

  /**
   * Mean squared error ({@code F.mse_loss}): {@code (input - target)^2}, broadcast, reduced.
   *
   * @param input predictions
   * @param target targets (broadcastable to input)
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    return LossOps.mseLoss(input, target, reduction(reduction));
  }

  /** {@code F.l1_loss(input, target)} with mean reduction. */
  public static Tensor l1Loss(Tensor input, Tensor target) {
    return l1Loss(input, target, Reduction.MEAN);
  }

  /**
   * Mean absolute error ({@code F.l1_loss}): {@code |input - target|}, broadcast, reduced; the
   * gradient at equality is 0, as in PyTorch.
   *
   * @param input predictions
   * @param target targets
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
    return LossOps.l1Loss(input, target, reduction(reduction));
  }

  /** {@code F.binary_cross_entropy_with_logits(input, target)} with mean reduction. */
  public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
    return binaryCrossEntropyWithLogits(input, target, null, Reduction.MEAN, null);
  }

  /**
   * Binary cross-entropy on logits ({@code F.binary_cross_entropy_with_logits}), computed stably
   * with PyTorch's formula: {@code loss = (1 - t) x + lw * (log(exp(-m) + exp(-x - m)) + m)}, with
   * {@code m = max(-x, 0)} and {@code lw = 1 + (posWeight - 1) t} ({@code lw = 1} without {@code
   * posWeight}), times {@code weight}. The backward is fused: {@code d/dx = (lw * sigmoid(x) -
   * posWeight * t)} (i.e. {@code sigmoid(x) - t} without it), and the target also receives a
   * gradient.
   *
   * @param input logits
   * @param target probabilities, same shape as input
   * @param weight optional element weights (broadcast to the input)
   * @param reduction NONE, MEAN or SUM
   * @param posWeight optional weight of positive examples (broadcast along the last dim)
   * @return the loss
   */
  public static Tensor binaryCrossEntropyWithLogits(
      Tensor input, Tensor target, Tensor weight, Reduction reduction, Tensor posWeight) {
    return LossOps.binaryCrossEntropyWithLogits(
        input, target, weight, reduction(reduction), posWeight);
  }

}
