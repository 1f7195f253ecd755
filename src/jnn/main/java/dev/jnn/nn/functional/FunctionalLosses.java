package dev.jnn.nn.functional;

import dev.jnn.core.DType;
import dev.jnn.tensor.ActivationOps;
import dev.jnn.tensor.AlphaDropoutOps;
import dev.jnn.tensor.AttentionOps;
import dev.jnn.tensor.ConvOps;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.LossOps;
import dev.jnn.tensor.MarginLossOps;
import dev.jnn.tensor.NnMiscOps;
import dev.jnn.tensor.NormOps;
import dev.jnn.tensor.PointwiseActivationOps;
import dev.jnn.tensor.PointwiseLossOps;
import dev.jnn.tensor.PoolOps;
import dev.jnn.tensor.Tensor;

/**
 * {@link Functional}'s losses ({@code torch.nn.functional}'s "Loss functions"), a section of its facade kept in
 * its own file: call them as {@code Functional.crossEntropy(...)}. The class is sealed and abstract: it
 * exists only so that {@code Functional}, which extends it, stays readable by family, as Tensor's
 * instance ops are grouped in its {@code Tensor*} interfaces.
 *
 * <p>Besides the losses with kernels of their own ({@code nll_loss}, the fused {@code
 * cross_entropy}), each is one call into the tensor layer's loss families ({@link LossOps}, {@link
 * PointwiseLossOps}, {@link MarginLossOps}), compositions of {@link Tensor} operations that run on
 * every back end. Values, gradients (with respect to the target and weights too, where PyTorch
 * differentiates them), {@code grad_fn} names, messages and warnings follow PyTorch 1.13; the
 * short overload of each loss takes PyTorch's defaults, the long one every option in PyTorch's
 * order (the deprecated {@code size_average} and {@code reduce} left out). Warnings ({@code
 * kl_div}'s for {@code 'mean'}, the size-mismatch warning of {@code smooth_l1_loss} and {@code
 * huber_loss}) go to the {@code System.Logger} {@code dev.jnn.nn.functional} at level WARNING,
 * each text once, as Python's default filter shows them.
 */
public abstract sealed class FunctionalLosses extends FunctionalAttention permits FunctionalConvolution {
  /** PyTorch's default {@code ignore_index} for the classification losses. */
  public static final int DEFAULT_IGNORE_INDEX = -100;

  FunctionalLosses() {}

  // ================================================================== helpers

  /**
   * PyTorch's reduction check ({@code None} is refused); {@link LossOps}'s code for {@code r} (the
   * ops refuse {@code BATCHMEAN}, all but {@code kl_div}).
   */
  static int reduction(Reduction r) {
    if (r == null) {
      throw new IllegalArgumentException("None is not a valid value for reduction");
    }
    return switch (r) {
      case NONE -> LossOps.NONE;
      case MEAN -> LossOps.MEAN;
      case SUM -> LossOps.SUM;
      case BATCHMEAN -> LossOps.BATCHMEAN;
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

  // ================================================================== element-wise losses

  /** {@code F.binary_cross_entropy(input, target)}: no weight, mean. */
  public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
    return binaryCrossEntropy(input, target, null, Reduction.MEAN);
  }

  /**
   * Binary cross-entropy of probabilities ({@code F.binary_cross_entropy}): {@code l = -w * (t *
   * log(x) + (1 - t) * log(1 - x))}, each log clamped to {@code >= -100} as PyTorch does, so that
   * {@code x} of exactly 0 or 1 gives a finite loss.
   *
   * <p>The input gradient is {@code w * (x - t) / max(x (1 - x), 1e-12)}; the target gets {@code
   * -w * logit(x)}. The weight is not differentiable: one that requires grad is refused, as in
   * PyTorch.
   *
   * @param input probabilities in {@code [0, 1]}
   * @param target of the input's shape and dtype
   * @param weight optional element weights, broadcast to the input's shape (not differentiated)
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   * @throws IllegalArgumentException {@code all elements of input should be between 0 and 1}
   *     (checked on the host), {@code Using a target size (torch.Size([2])) that is different to
   *     the input size (torch.Size([3])) is deprecated. ...}
   */
  public static Tensor binaryCrossEntropy(
      Tensor input, Tensor target, Tensor weight, Reduction reduction) {
    return PointwiseLossOps.binaryCrossEntropy(input, target, weight, reduction(reduction));
  }

  /** {@code F.smooth_l1_loss(input, target)}: mean, {@code beta = 1}. */
  public static Tensor smoothL1Loss(Tensor input, Tensor target) {
    return smoothL1Loss(input, target, Reduction.MEAN, 1.0);
  }

  /**
   * Smooth L1 loss ({@code F.smooth_l1_loss}): {@code 0.5 z^2 / beta} where {@code z = |x - t| <
   * beta}, else {@code z - 0.5 beta}; {@code beta = 0} is the L1 loss. Input and target broadcast
   * (with PyTorch's warning when their shapes differ); both get gradients.
   *
   * @param input predictions
   * @param target targets
   * @param reduction NONE, MEAN or SUM
   * @param beta where the loss turns from quadratic to linear, {@code >= 0}
   * @return the loss
   * @throws IllegalArgumentException {@code smooth_l1_loss does not support negative values for
   *     beta.}
   */
  public static Tensor smoothL1Loss(
      Tensor input, Tensor target, Reduction reduction, double beta) {
    return PointwiseLossOps.smoothL1Loss(input, target, reduction(reduction), beta);
  }

  /** {@code F.huber_loss(input, target)}: mean, {@code delta = 1}. */
  public static Tensor huberLoss(Tensor input, Tensor target) {
    return huberLoss(input, target, Reduction.MEAN, 1.0);
  }

  /**
   * Huber loss ({@code F.huber_loss}): {@code 0.5 z^2} where {@code z = |x - t| < delta}, else
   * {@code delta (z - 0.5 delta)} (the smooth L1 loss times {@code delta}). Input and target
   * broadcast (with PyTorch's warning when their shapes differ); both get gradients; the result
   * has the input's dtype.
   *
   * @param input predictions
   * @param target targets
   * @param reduction NONE, MEAN or SUM
   * @param delta where the loss turns from quadratic to linear, {@code > 0}
   * @return the loss
   * @throws IllegalArgumentException {@code huber_loss does not support non-positive values for
   *     delta.}
   */
  public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
    return PointwiseLossOps.huberLoss(input, target, reduction(reduction), delta);
  }

  /** {@code F.soft_margin_loss(input, target)}: mean. */
  public static Tensor softMarginLoss(Tensor input, Tensor target) {
    return softMarginLoss(input, target, Reduction.MEAN);
  }

  /**
   * Two-class logistic loss ({@code F.soft_margin_loss}): {@code log(1 + exp(-t * x))}, {@code t}
   * in {-1, 1} broadcast to the input's shape. The target is not differentiable: one that
   * requires grad is refused, as in PyTorch.
   *
   * @param input scores
   * @param target labels, broadcastable to the input's shape
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor softMarginLoss(Tensor input, Tensor target, Reduction reduction) {
    return PointwiseLossOps.softMarginLoss(input, target, reduction(reduction));
  }

  // ================================================================== distribution losses

  /** {@code F.kl_div(input, target)}: mean (with PyTorch's warning), target as probabilities. */
  public static Tensor klDiv(Tensor input, Tensor target) {
    return klDiv(input, target, Reduction.MEAN, false);
  }

  /**
   * Kullback-Leibler divergence ({@code F.kl_div}) of log-probabilities {@code input} from {@code
   * target}: {@code t * (log t - x)} (0 where {@code t == 0}), or {@code exp(t) * (t - x)} with
   * {@code logTarget}. {@code BATCHMEAN} divides the sum by the batch size {@code input.size(0)},
   * the divergence of the math definition; {@code MEAN} divides by the number of elements and logs
   * PyTorch's warning saying so. Input and target broadcast; both get gradients.
   *
   * @param input log-probabilities
   * @param target probabilities (or log-probabilities with {@code logTarget})
   * @param reduction NONE, BATCHMEAN, SUM or MEAN
   * @param logTarget whether {@code target} is given as log-probabilities
   * @return the divergence
   * @throws IllegalArgumentException {@code kl_div: Integral inputs not supported.}
   */
  public static Tensor klDiv(
      Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
    return PointwiseLossOps.klDiv(input, target, reduction(reduction), logTarget);
  }

  /** {@code F.poisson_nll_loss(input, target)}: log input, no Stirling term, mean. */
  public static Tensor poissonNllLoss(Tensor input, Tensor target) {
    return poissonNllLoss(input, target, true, false, 1e-8, Reduction.MEAN);
  }

  /**
   * Poisson negative log-likelihood ({@code F.poisson_nll_loss}): {@code exp(x) - t * x} with
   * {@code logInput}, else {@code x - t * log(x + eps)}; {@code full} adds Stirling's approximation
   * of {@code log(t!)}, {@code t log t - t + 0.5 log(2 pi t)}, where {@code t > 1}. Input and
   * target broadcast; both get gradients.
   *
   * @param input the rate's log ({@code logInput}) or the rate
   * @param target counts
   * @param logInput whether {@code input} is the log of the rate
   * @param full whether to add the Stirling term
   * @param eps added to the rate before its log when {@code !logInput}
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor poissonNllLoss(
      Tensor input,
      Tensor target,
      boolean logInput,
      boolean full,
      double eps,
      Reduction reduction) {
    return PointwiseLossOps.poissonNllLoss(
        input, target, logInput, full, eps, reduction(reduction));
  }

  /** {@code F.gaussian_nll_loss(input, target, var)}: no constant, {@code eps = 1e-6}, mean. */
  public static Tensor gaussianNllLoss(Tensor input, Tensor target, Tensor var) {
    return gaussianNllLoss(input, target, var, false, 1e-6, Reduction.MEAN);
  }

  /**
   * Gaussian negative log-likelihood ({@code F.gaussian_nll_loss}): {@code 0.5 * (log v + (x -
   * t)^2 / v)} with {@code v = max(var, eps)}, plus {@code 0.5 log(2 pi)} with {@code full}.
   *
   * <p>{@code var} has the input's shape (one variance per element), the input's shape without
   * its last dim, or with 1 there (one variance per row); the target broadcasts. The clamp to
   * {@code eps} is not differentiated: the variance's gradient is taken at the clamped value and
   * passed straight through, as PyTorch's in-place clamp under no-grad does. Input, target and
   * variance get gradients.
   *
   * @param input means
   * @param target samples
   * @param var variances, non-negative
   * @param full whether to add the constant
   * @param eps the smallest variance used
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   * @throws IllegalArgumentException {@code var is of incorrect size}, {@code var has negative
   *     entry/entries} (checked on the host)
   */
  public static Tensor gaussianNllLoss(
      Tensor input, Tensor target, Tensor var, boolean full, double eps, Reduction reduction) {
    return PointwiseLossOps.gaussianNllLoss(input, target, var, full, eps, reduction(reduction));
  }

  // ================================================================== margin and embedding losses

  /** {@code F.margin_ranking_loss(input1, input2, target)}: margin 0, mean. */
  public static Tensor marginRankingLoss(Tensor input1, Tensor input2, Tensor target) {
    return marginRankingLoss(input1, input2, target, 0.0, Reduction.MEAN);
  }

  /**
   * Ranking hinge loss ({@code F.margin_ranking_loss}): {@code max(0, -t * (x1 - x2) + margin)},
   * {@code t} in {-1, 1}. The three tensors must have the same number of dims and broadcast; all
   * three get gradients.
   *
   * @param input1 first scores
   * @param input2 second scores
   * @param target 1 where {@code input1} should rank higher, -1 where {@code input2} should
   * @param margin the margin
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor marginRankingLoss(
      Tensor input1, Tensor input2, Tensor target, double margin, Reduction reduction) {
    return MarginLossOps.marginRankingLoss(input1, input2, target, margin, reduction(reduction));
  }

  /** {@code F.hinge_embedding_loss(input, target)}: margin 1, mean. */
  public static Tensor hingeEmbeddingLoss(Tensor input, Tensor target) {
    return hingeEmbeddingLoss(input, target, 1.0, Reduction.MEAN);
  }

  /**
   * Hinge embedding loss ({@code F.hinge_embedding_loss}): {@code x} where {@code t == 1}, {@code
   * max(0, margin - x)} where {@code t == -1} (and their sum for any other label). Input and target
   * broadcast; the target gets no gradient.
   *
   * @param input distances
   * @param target labels in {-1, 1}
   * @param margin the margin
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor hingeEmbeddingLoss(
      Tensor input, Tensor target, double margin, Reduction reduction) {
    return MarginLossOps.hingeEmbeddingLoss(input, target, margin, reduction(reduction));
  }

  /** {@code F.cosine_embedding_loss(input1, input2, target)}: margin 0, mean. */
  public static Tensor cosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target) {
    return cosineEmbeddingLoss(input1, input2, target, 0.0, Reduction.MEAN);
  }

  /**
   * Cosine embedding loss ({@code F.cosine_embedding_loss}): {@code 1 - cos(x1, x2)} where {@code
   * t == 1}, {@code max(0, cos(x1, x2) - margin)} where {@code t == -1}, 0 for any other label;
   * the cosine is taken over the last dim with {@code 1e-12} added to each squared norm.
   *
   * @param input1 {@code [N, D]} (with target {@code [N]}) or {@code [D]} (with a 0-dim target)
   * @param input2 the same shape
   * @param target labels in {-1, 1}; gets no gradient
   * @param margin in {@code [-1, 1]}, 0 to 0.5 suggested
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   * @throws IllegalArgumentException {@code 1D target tensor expects 2D input tensors, but found
   *     inputs with sizes [3, 4, 2] and [3, 4, 2].}
   */
  public static Tensor cosineEmbeddingLoss(
      Tensor input1, Tensor input2, Tensor target, double margin, Reduction reduction) {
    return MarginLossOps.cosineEmbeddingLoss(
        input1, input2, target, margin, reduction(reduction));
  }

  /** {@code F.triplet_margin_loss(anchor, positive, negative)}: margin 1, the 2-norm, mean. */
  public static Tensor tripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative) {
    return tripletMarginLoss(anchor, positive, negative, 1.0, 2.0, 1e-6, false, Reduction.MEAN);
  }

  /**
   * Triplet margin loss ({@code F.triplet_margin_loss}): {@code max(0, margin + d(a, p) - d(a,
   * n))} with {@code d(x, y) = ||x - y + eps||_p} over the last dim ({@code F.pairwise_distance});
   * with {@code swap}, {@code d(a, n)} becomes {@code min(d(a, n), d(p, n))}. The three inputs
   * have the same number of dims and broadcast; all get gradients.
   *
   * @param anchor anchors {@code [N, D]} (or {@code [D]})
   * @param positive positive examples
   * @param negative negative examples
   * @param margin the margin
   * @param p the norm's order
   * @param eps added to the differences
   * @param swap whether to use the distance swap
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor tripletMarginLoss(
      Tensor anchor,
      Tensor positive,
      Tensor negative,
      double margin,
      double p,
      double eps,
      boolean swap,
      Reduction reduction) {
    return MarginLossOps.tripletMarginLoss(
        anchor, positive, negative, margin, p, eps, swap, reduction(reduction));
  }

  /** {@code F.multilabel_soft_margin_loss(input, target)}: no weight, mean. */
  public static Tensor multilabelSoftMarginLoss(Tensor input, Tensor target) {
    return multilabelSoftMarginLoss(input, target, null, Reduction.MEAN);
  }

  /**
   * Multi-label one-versus-all logistic loss ({@code F.multilabel_soft_margin_loss}): {@code
   * -mean_c w[c] * (t[c] log sigmoid(x[c]) + (1 - t[c]) log sigmoid(-x[c]))} over the last
   * (class) dim, one value per sample. Input, target and weight get gradients.
   *
   * @param input scores {@code [N, C]} (or {@code [C]})
   * @param target 0/1 labels of the input's shape
   * @param weight optional class weights, broadcast to the input
   * @param reduction NONE, MEAN or SUM
   * @return the loss ({@code [N]} with NONE)
   */
  public static Tensor multilabelSoftMarginLoss(
      Tensor input, Tensor target, Tensor weight, Reduction reduction) {
    return MarginLossOps.multilabelSoftMarginLoss(input, target, weight, reduction(reduction));
  }

  /** {@code F.multi_margin_loss(input, target)}: {@code p = 1}, margin 1, no weight, mean. */
  public static Tensor multiMarginLoss(Tensor input, Tensor target) {
    return multiMarginLoss(input, target, 1, 1.0, null, Reduction.MEAN);
  }

  /**
   * Multi-class hinge loss ({@code F.multi_margin_loss}): per sample, {@code sum_{j != y} w[y] *
   * max(0, margin - x[y] + x[j])^p / C}. The weight is not differentiable: one that requires grad
   * is refused, as in PyTorch. Unlike PyTorch 1.13 (which reads past its end), a weight that is not
   * of {@code C} elements is refused, as in PyTorch 2.x.
   *
   * @param input scores {@code [N, C]}, {@code [C]} or a 0-dim score ({@code C = 1})
   * @param target int64 class indices {@code [N]} ({@code [1]} or 0-dim for an unbatched input)
   * @param p 1 or 2
   * @param margin the margin
   * @param weight optional class weights {@code [C]}
   * @param reduction NONE, MEAN or SUM
   * @return the loss ({@code [N]} with NONE and a 1-dim target)
   * @throws IllegalArgumentException {@code target out of range} (checked on the host), {@code
   *     only p == 1 and p == 2 supported}
   */
  public static Tensor multiMarginLoss(
      Tensor input, Tensor target, int p, double margin, Tensor weight, Reduction reduction) {
    return MarginLossOps.multiMarginLoss(input, target, p, margin, weight, reduction(reduction));
  }
}
