package dev.jnn.tensor;

import static dev.jnn.tensor.LossOps.MEAN;
import static dev.jnn.tensor.LossOps.NONE;
import static dev.jnn.tensor.LossOps.checkNoRequiresGrad;
import static dev.jnn.tensor.LossOps.checkReduction;
import static dev.jnn.tensor.LossOps.checkReductionIsValid;
import static dev.jnn.tensor.LossOps.clampMin;
import static dev.jnn.tensor.LossOps.context;
import static dev.jnn.tensor.LossOps.reduce;
import static dev.jnn.tensor.NnOpSupport.checkDevice;
import static dev.jnn.tensor.NnOpSupport.typeName;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.ShapeMismatchException;

/**
 * Internal: the margin and embedding losses behind {@code nn.functional.Functional} ({@code
 * margin_ranking_loss}, {@code hinge_embedding_loss}, {@code cosine_embedding_loss}, {@code
 * triplet_margin_loss}, {@code multilabel_soft_margin_loss}, {@code multi_margin_loss}, in its
 * section {@code FunctionalLosses}); use {@code Functional}. All but {@code multi_margin_loss} are compositions in PyTorch too
 * (ATen's {@code CompositeImplicitAutograd} or Python), written here with the same ops in the same
 * order so that values, gradients and {@code grad_fn} match; {@code multi_margin_loss} is an ATen
 * kernel, computed here without autograd and recorded as {@code MultiMarginLossBackward0} with its
 * backward formula. The reduction is {@link LossOps}'s {@code int}.
 */
public final class MarginLossOps {
  private MarginLossOps() {}

  // ---------------------------------------------------------------- margin_ranking_loss

  /** {@code F.margin_ranking_loss}: {@code max(0, -y * (x1 - x2) + margin)}. */
  public static Tensor marginRankingLoss(
      Tensor input1, Tensor input2, Tensor target, double margin, int reduction) {
    checkReduction(reduction);
    if (input1.dim() != input2.dim() || input1.dim() != target.dim()) {
      throw new ShapeMismatchException(
          "margin_ranking_loss : All input tensors should have same dimension but got sizes:"
              + " input1: torch.Size(" + input1.shape() + "), input2: torch.Size("
              + input2.shape() + "), target: torch.Size(" + target.shape() + ") ");
    }
    checkDevice("margin_ranking_loss", input1, input2, target);
    Tensor out = clampMin(target.neg().mul(input1.sub(input2)).add(margin), 0.0);
    return reduce(out, reduction);
  }

  // ---------------------------------------------------------------- hinge_embedding_loss

  /**
   * {@code F.hinge_embedding_loss}: {@code x} where {@code y == 1}, {@code max(0, margin - x)}
   * where {@code y == -1} (both where {@code y} is neither); the target is not differentiated.
   */
  public static Tensor hingeEmbeddingLoss(
      Tensor input, Tensor target, double margin, int reduction) {
    checkReduction(reduction);
    checkDevice("hinge_embedding_loss", input, target);
    Tensor zeros = Tensor.zerosLike(input);
    Tensor marginClamp = clampMin(input.rsub(margin), 0.0);
    Tensor outputMargin = Tensor.where(target.ne(1.0), marginClamp, zeros);
    Tensor outputSelf = Tensor.where(target.ne(-1.0), input, zeros);
    return reduce(outputMargin.add(outputSelf), reduction);
  }

  // ---------------------------------------------------------------- cosine_embedding_loss

  /**
   * {@code F.cosine_embedding_loss}: {@code 1 - cos(x1, x2)} where {@code y == 1}, {@code max(0,
   * cos(x1, x2) - margin)} where {@code y == -1}, 0 elsewhere; {@code cos} sums over the last dim
   * with ATen's {@code EPSILON} added to each squared norm.
   */
  public static Tensor cosineEmbeddingLoss(
      Tensor input1, Tensor input2, Tensor target, double margin, int reduction) {
    checkReduction(reduction);
    int targDim = target.dim();
    if (targDim != 1 && targDim != 0) {
      throw new ShapeMismatchException(
          "0D or 1D target tensor expected, multi-target not supported"
              + context("cosine_embedding_loss", "target", target));
    }
    if (targDim == 1 && input1.dim() != 2) {
      throw new ShapeMismatchException(
          "1D target tensor expects 2D input tensors, but found inputs with sizes "
              + input1.shape() + " and " + input2.shape() + ".");
    }
    if (targDim == 0 && input1.dim() != 1) {
      throw new ShapeMismatchException(
          "0D target tensor expects 1D input tensors, but found inputs with sizes "
              + input1.shape() + " and " + input2.shape() + ".");
    }
    checkDevice("cosine_embedding_loss", input1, input2, target);
    Tensor prodSum = input1.mul(input2).sum(targDim, false);
    Tensor magSquare1 = input1.mul(input1).sum(targDim, false).add(PointwiseLossOps.EPSILON);
    Tensor magSquare2 = input2.mul(input2).sum(targDim, false).add(PointwiseLossOps.EPSILON);
    Tensor denom = magSquare1.mul(magSquare2).sqrt();
    Tensor cos = prodSum.div(denom);
    Tensor zeros = Tensor.zerosLike(cos);
    Tensor pos = cos.rsub(1.0);
    Tensor neg = clampMin(cos.sub(margin), 0.0);
    Tensor outputPos = Tensor.where(target.eq(1.0), pos, zeros);
    Tensor outputNeg = Tensor.where(target.eq(-1.0), neg, zeros);
    return reduce(outputPos.add(outputNeg), reduction);
  }

  // ---------------------------------------------------------------- triplet_margin_loss

  /** {@code F.pairwise_distance(x1, x2, p, eps)}: {@code ||x1 - x2 + eps||_p} over the last dim. */
  private static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps) {
    int outputDim = Math.max(x1.dim(), x2.dim());
    return x1.sub(x2).add(eps).norm(p, new int[] {outputDim - 1}, false);
  }

  /**
   * {@code F.triplet_margin_loss}: {@code max(0, margin + d(a, p) - d(a, n))} with {@code d} the
   * {@code p}-norm distance over the last dim; with {@code swap}, {@code d(a, n)} is replaced by
   * {@code min(d(a, n), d(p, n))}.
   */
  public static Tensor tripletMarginLoss(
      Tensor anchor,
      Tensor positive,
      Tensor negative,
      double margin,
      double p,
      double eps,
      boolean swap,
      int reduction) {
    checkReduction(reduction);
    int a = anchor.dim();
    int pd = positive.dim();
    int n = negative.dim();
    if (a != pd || pd != n) {
      throw new ShapeMismatchException(
          "All inputs should have same dimension but got " + a + "D, " + pd + "D and " + n
              + "D inputs." + context("triplet_margin_loss", "anchor", anchor, "positive", positive,
                  "negative", negative));
    }
    checkDevice("triplet_margin_loss", anchor, positive, negative);
    Tensor distPos = pairwiseDistance(anchor, positive, p, eps);
    Tensor distNeg = pairwiseDistance(anchor, negative, p, eps);
    if (swap) {
      distNeg = distNeg.minimum(pairwiseDistance(positive, negative, p, eps));
    }
    return reduce(clampMin(distPos.add(margin).sub(distNeg), 0.0), reduction);
  }

  // ---------------------------------------------------------------- multilabel_soft_margin_loss

  /** {@code F.logsigmoid}: {@code -(m + log(exp(-m) + exp(-x - m)))}, {@code m = max(-x, 0)}. */
  private static Tensor logSigmoid(Tensor x) {
    Tensor m = x.neg().clampMin(0.0);
    return m.add(m.neg().exp().add(x.neg().sub(m).exp()).log()).neg();
  }

  /**
   * {@code F.multilabel_soft_margin_loss}: {@code -(y log sigmoid(x) + (1 - y) log sigmoid(-x))},
   * times {@code weight}, averaged over the last (class) dim.
   */
  public static Tensor multilabelSoftMarginLoss(
      Tensor input, Tensor target, Tensor weight, int reduction) {
    checkDevice("multilabel_soft_margin_loss", input, target, weight);
    Tensor loss = target.mul(logSigmoid(input))
        .add(target.rsub(1.0).mul(logSigmoid(input.neg()))).neg();
    if (weight != null) {
      loss = loss.mul(weight);
    }
    if (input.dim() == 0) {
      throw new IndexOutOfBoundsException(
          "Dimension specified as -1 but tensor has no dimensions"
              + context("multilabel_soft_margin_loss", "input", input));
    }
    int classDim = input.dim() - 1;
    long c = input.size(classDim);
    loss = loss.sum(classDim, false).div((double) c);
    checkReductionIsValid(reduction);
    return reduce(loss, reduction);
  }

  // ---------------------------------------------------------------- multi_margin_loss

  /**
   * {@code F.multi_margin_loss}: per row, {@code sum_{j != y} w[y] * max(0, margin - x[y] +
   * x[j])^p / C}; {@code p} is 1 or 2, {@code weight} (may be null) is not differentiated.
   */
  public static Tensor multiMarginLoss(
      Tensor input, Tensor target, int p, double margin, Tensor weight, int reduction) {
    checkReduction(reduction);
    if (p != 1 && p != 2) {
      throw new IllegalArgumentException("only p == 1 and p == 2 supported"
          + context("multi_margin_loss", "p", p));
    }
    if (weight != null && weight.dim() != 1) {
      throw new IllegalArgumentException("weight must be one-dimensional"
          + context("multi_margin_loss", "weight", weight));
    }
    checkNoRequiresGrad("multi_margin_loss", "weight", weight);
    checkDevice("multi_margin_loss", input, target, weight);
    int ndims = input.dim();
    if (!((ndims == 2 && input.size(1) != 0) || (ndims == 1 && input.size(0) != 0)
        || ndims == 0)) {
      throw new ShapeMismatchException(
          "Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
              + input.shape());
    }
    final long nframe = ndims <= 1 ? 1 : input.size(0);
    final long dim = ndims == 0 ? 1 : input.size(ndims - 1);
    if (!(target.dim() <= 1 && target.numel() == nframe)) {
      throw new ShapeMismatchException("inconsistent target size, got: " + target.shape()
          + context("multi_margin_loss", "input", input, "target", target));
    }
    if (target.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          "expected scalar type Long but found " + typeName(target.dtype())
              + context("multi_margin_loss", "target", target));
    }
    NnOpSupport.checkFloating("multi_margin_loss_cpu_kernel", input);
    if (weight != null) {
      if (weight.dtype() != input.dtype()) {
        throw new IllegalArgumentException("expected scalar type " + typeName(input.dtype())
            + " but found " + typeName(weight.dtype())
            + context("multi_margin_loss", "input", input, "weight", weight));
      }
      if (weight.numel() != dim) {
        // PyTorch 1.13 reads past such a weight; 2.x raises this
        throw new ShapeMismatchException(
            "inconsistent weight size, expected " + dim + " but got " + weight.shape());
      }
    }
    final Tensor x = input.detach().reshape(nframe, dim);
    final Tensor y = target.reshape(nframe, 1);
    try (NoGrad ignored = NoGrad.enter()) {
      if (!PointwiseLossOps.allTrue(y.ge(0.0).logicalAnd(y.lt((double) dim)))) {
        throw new IllegalArgumentException("target out of range"
            + context("multi_margin_loss", "input", input, "target", target));
      }
    }
    final boolean rowShape = reduction == NONE && target.dim() > 0;
    final Tensor out;
    final Tensor z;
    final Tensor wy;
    final Tensor others;
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor xy = x.gather(1, y);
      // margin - x[y] + x[j], over the classes j != y where it is positive
      others = Tensor.arange(0, dim).to(y.device()).reshape(1, dim).ne(y);
      z = xy.rsub(margin).add(x);
      Tensor h = Tensor.where(z.gt(0.0).logicalAnd(others), z, Tensor.zerosLike(z));
      if (p == 2) {
        h = h.mul(h);
      }
      wy = weight == null
          ? null : weight.detach().indexSelect(0, y.reshape(nframe)).reshape(nframe, 1);
      if (wy != null) {
        h = h.mul(wy);
      }
      Tensor perRow = h.sum(1, false).div((double) dim);
      out = switch (reduction) {
        case NONE -> rowShape ? perRow : perRow.reshape();
        case MEAN -> nframe == 0 ? perRow.sum().mul(Double.NaN) : perRow.sum().div((double) nframe);
        default -> perRow.sum();
      };
    }
    final Tensor xin = input;
    return Tensor.record("MultiMarginLossBackward0", out, new Tensor[] {input},
        new Tensor[] {input},
        gr -> {
          // multi_margin_loss_backward: h = (p == 1 ? 1 : 2 z) / C where z > 0 (j != y), times
          // w[y]; grad[j] = h, grad[y] = -sum_j h; times the row's grad_output
          double scale = reduction == MEAN ? 1.0 / ((double) nframe * dim) : 1.0 / dim;
          Tensor active = z.gt(0.0).logicalAnd(others).to(x.dtype());
          Tensor h = p == 1 ? active.mul(scale) : z.mul(active).mul(2 * scale);
          if (wy != null) {
            h = h.mul(wy);
          }
          Tensor g = gr[0].reshape(reduction == NONE ? nframe : 1, 1);
          h = h.mul(g);
          Tensor gi = h.sub(h.sum(1, true).mul(others.logicalNot().to(x.dtype())));
          return new Tensor[] {gi.reshape(xin.shape().dims())};
        });
  }
}
