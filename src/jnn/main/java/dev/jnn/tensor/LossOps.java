package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.checkDevice;
import static dev.jnn.tensor.NnOpSupport.checkFloating;
import static dev.jnn.tensor.NnOpSupport.checkSameType;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.typeName;
import static dev.jnn.tensor.NnOpSupport.view;
import static dev.jnn.tensor.NnOpSupport.zeros;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.Backend;
import dev.jnn.backend.NllShape;
import dev.jnn.backend.SoftmaxShape;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import java.util.Arrays;

/**
 * Internal: the loss op family behind {@code nn.functional.Functional}'s losses ({@code nllLoss},
 * {@code crossEntropy}, {@code mseLoss}, {@code l1Loss}, {@code binaryCrossEntropyWithLogits});
 * use {@code Functional}. Each op validates its arguments with PyTorch's messages, allocates, runs
 * the back end's kernels ({@link dev.jnn.backend.LossKernels}) or composes {@link Tensor} ops, and records its
 * backward beside the forward. Public only because {@code Functional} lives in another package.
 *
 * <p>The reduction is an {@code int}, as in ATen ({@code at::Reduction}): {@link #NONE}, {@link
 * #MEAN}, {@link #SUM}, and {@link #BATCHMEAN} for {@code kl_div}; {@code Functional} maps its
 * {@code Reduction} to it. The helpers the other loss families ({@link PointwiseLossOps}, {@link
 * MarginLossOps}) share live here: the reduction checks and {@code apply_loss_reduction}, the
 * not-differentiable-argument check, PyTorch's warnings and a {@code ClampMinBackward0} clamp.
 */
public final class LossOps {
  /** No reduction: the per-element loss. */
  public static final int NONE = 0;

  /** The mean (the NLL family: weighted by the target weights). */
  public static final int MEAN = 1;

  /** The sum. */
  public static final int SUM = 2;

  /**
   * {@code 'batchmean'}: the sum divided by the batch size, {@code kl_div}'s alone; every other
   * loss refuses it with PyTorch's message.
   */
  public static final int BATCHMEAN = 3;

  private LossOps() {}

  /** PyTorch's string for a reduction code ({@code "mean"}), or the code itself if unknown. */
  static String reductionName(int r) {
    return switch (r) {
      case NONE -> "none";
      case MEAN -> "mean";
      case SUM -> "sum";
      case BATCHMEAN -> "batchmean";
      default -> String.valueOf(r);
    };
  }

  /**
   * {@code _Reduction.get_enum}'s check: {@code "batchmean is not a valid value for reduction"}
   * for anything but none, mean and sum.
   */
  static void checkReduction(int r) {
    if (r != NONE && r != MEAN && r != SUM) {
      throw new IllegalArgumentException(reductionName(r) + " is not a valid value for reduction");
    }
  }

  /**
   * The check of the losses written in Python in {@code torch.nn.functional} ({@code
   * poisson_nll_loss}, {@code gaussian_nll_loss}, {@code multilabel_soft_margin_loss}): {@code
   * "batchmean is not valid"}.
   */
  static void checkReductionIsValid(int r) {
    if (r != NONE && r != MEAN && r != SUM) {
      throw new IllegalArgumentException(reductionName(r) + " is not valid");
    }
  }

  /** Reduces a per-element loss tensor ({@code apply_loss_reduction}). */
  static Tensor reduce(Tensor loss, int reduction) {
    return switch (reduction) {
      case NONE -> loss;
      case SUM -> loss.sum();
      case MEAN -> loss.mean();
      default -> throw new IllegalArgumentException(
          reductionName(reduction) + " is not a valid value for reduction");
    };
  }

  /**
   * PyTorch's refusal, at the call, of an argument its op is not differentiable in (the
   * autograd kernel's {@code check_no_requires_grad}), when grad mode is on.
   */
  static void checkNoRequiresGrad(String op, String arg, Tensor t) {
    if (t != null && t.requiresGrad() && dev.jnn.autograd.GradMode.isEnabled()) {
      throw new IllegalArgumentException(
          "The function '" + op + "' is not differentiable with respect to argument '" + arg
              + "'. This input cannot have requires_grad True.");
    }
  }

  private static final System.Logger LOG = System.getLogger("dev.jnn.nn.functional");
  /** The texts already logged ({@link #warn}); tests clear it. */
  static final java.util.Set<String> WARNED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A {@code UserWarning} of {@code torch.nn.functional}, logged at WARNING on the logger {@code
   * dev.jnn.nn.functional}; like Python's default filter, each text is reported once.
   */
  static void warn(String message) {
    if (WARNED.add(message)) {
      LOG.log(System.Logger.Level.WARNING, message);
    }
  }

  /**
   * {@code F.mse_loss}'s (and the other element-wise losses') warning when the target's shape is
   * not the input's: the loss broadcasts them anyway.
   */
  static void warnSizeMismatch(Tensor input, Tensor target) {
    if (!target.shape().equals(input.shape())) {
      warn("Using a target size (torch.Size(" + target.shape() + ")) that is different to the"
          + " input size (torch.Size(" + input.shape() + ")). This will likely lead to incorrect"
          + " results due to broadcasting. Please ensure they have the same size.");
    }
  }

  /**
   * The context jnn appends to a PyTorch message that names neither the op nor the shapes: {@code
   * " (gaussian_nll_loss: input [3, 4], var [4])"}, from name/tensor pairs (null tensors skipped).
   */
  static String context(String op, Object... namesAndTensors) {
    StringBuilder b = new StringBuilder(" (").append(op);
    String sep = ": ";
    for (int i = 0; i + 1 < namesAndTensors.length; i += 2) {
      Object v = namesAndTensors[i + 1];
      if (v == null) {
        continue;
      }
      b.append(sep).append(namesAndTensors[i]).append(' ');
      b.append(v instanceof Tensor t ? t.shape() + " " + t.dtype().torchName() : String.valueOf(v));
      sep = ", ";
    }
    return b.append(')').toString();
  }

  /** {@code clamp_min(x, min)} recorded as PyTorch's {@code ClampMinBackward0}. */
  static Tensor clampMin(Tensor x, double min) {
    Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      out = x.clampMin(min);
    }
    return Tensor.record("ClampMinBackward0", out, new Tensor[] {x}, new Tensor[] {x},
        g -> new Tensor[] {Tensor.where(x.ge(min), g[0], Tensor.zerosLike(g[0]))});
  }

  /** Validated layout of an NLL problem: input {@code [n, c, s]}, target {@code [n, s]}. */
  private record NllLayout(int n, int c, int s, Shape noneShape) {}

  /**
   * PyTorch's {@code nll_loss_nd} argument checks, in its order: the batch sizes; then {@code
   * nll_loss}'s (input of 1 or 2 dims), {@code nll_loss2d}'s (4 dims: the target's rank, the
   * weight, the sizes) or, for 3 or 5+ dims, the target size before {@code nll_loss2d}'s weight
   * check; the target's dtype last (the kernel's).
   */
  private static NllLayout nllLayout(Tensor input, Tensor target, Tensor weight) {
    if (input.dim() < 1) {
      throw new IllegalArgumentException(
          "Expected 1 or more dimensions (got " + input.dim() + ")");
    }
    if (input.dim() != 1 && (target.dim() == 0 || input.size(0) != target.size(0))) {
      throw new ShapeMismatchException(
          "Expected input batch_size (" + input.size(0) + ") to match target batch_size ("
              + (target.dim() == 0 ? 1 : target.size(0)) + ").");
    }
    checkFloating("nll_loss", input);
    checkDevice("nll_loss", input, target, weight);
    int n;
    int c;
    int s;
    if (input.dim() <= 2) {
      if (target.dim() > 1) {
        throw new ShapeMismatchException(
            "0D or 1D target tensor expected, multi-target not supported");
      }
      boolean noBatch = input.dim() == 1 && target.dim() == 0;
      if (!noBatch && (input.dim() == 1 || input.size(0) != target.size(0))) {
        throw new ShapeMismatchException(
            "size mismatch (got input: " + input.shape() + ", target: " + target.shape() + ")");
      }
      n = noBatch ? 1 : input.shape().getInt(0);
      c = input.shape().getInt(-1);
      s = 1;
      if (weight != null) {
        if (weight.dim() != 1 || weight.numel() != c) {
          throw new ShapeMismatchException(
              "weight tensor should be defined either for all " + c
                  + " classes or no classes but got weight tensor of shape: " + weight.shape());
        }
      }
    } else {
      long[] want = new long[input.dim() - 1];
      want[0] = input.size(0);
      for (int i = 2; i < input.dim(); i++) {
        want[i - 1] = input.size(i);
      }
      boolean sizesMatch = target.shape().equals(Shape.of(want));
      if (input.dim() == 4) {
        // nll_loss2d's own checks
        if (target.dim() != 3) {
          throw new ShapeMismatchException(
              "only batches of spatial targets supported (3D tensors) but got targets of"
                  + " dimension: " + target.dim());
        }
        checkSpatialWeight(weight, input.size(1));
        if (!sizesMatch) {
          throw new ShapeMismatchException(
              "size mismatch (got input: " + input.shape() + " , target: " + target.shape());
        }
      } else {
        if (!sizesMatch) {
          throw new ShapeMismatchException(
              "Expected target size " + Shape.of(want) + ", got " + target.shape());
        }
        checkSpatialWeight(weight, input.size(1));
      }
      n = input.shape().getInt(0);
      c = input.shape().getInt(1);
      long sp = 1;
      for (int i = 2; i < input.dim(); i++) {
        sp *= input.size(i);
      }
      s = Math.toIntExact(sp);
    }
    if (target.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          "expected scalar type Long but found " + typeName(target.dtype()));
    }
    if (weight != null) {
      checkSameType(input, weight);
    }
    return new NllLayout(n, c, s, target.shape());
  }

  /** {@code nll_loss2d}'s weight check (any shape of {@code c} elements). */
  private static void checkSpatialWeight(Tensor weight, long c) {
    if (weight != null && weight.numel() != c) {
      throw new ShapeMismatchException(
          "weight tensor should be defined either for all or no classes");
    }
  }

  /** {@code F.nll_loss}; {@code weight} may be null. */
  public static Tensor nllLoss(
      Tensor input, Tensor target, Tensor weight, int ignoreIndex, int reduction) {
    checkReduction(reduction);
    NllLayout lay = nllLayout(input, target, weight);
    return nllOp(input, target, weight, ignoreIndex, reduction, lay, false);
  }

  /**
   * The NLL forward on {@code logp} with a recorded backward. With {@code fused}, {@code input}
   * holds raw scores: the log-softmax is taken here and the backward goes straight to the scores.
   */
  private static Tensor nllOp(
      Tensor input,
      Tensor target,
      Tensor weight,
      long ignoreIndex,
      int reduction,
      NllLayout lay,
      boolean fused) {
    final Backend k = backend(input);
    final Tensor tc = contig(target);
    final Tensor wc = contig(weight);
    final int n = lay.n();
    final int c = lay.c();
    final int s = lay.s();
    final NllShape sh = new NllShape(n, c, s, ignoreIndex);
    final Tensor logp;
    if (fused) {
      Tensor xc = contig(input);
      logp = Tensor.empty(input.shape(), input.dtype(), input.device());
      if (input.numel() > 0) {
        k.softmax().softmax(xc.view(), new SoftmaxShape(n, c, s, true), buf(logp));
      }
    } else {
      logp = contig(input);
    }
    Shape perElem = Shape.of((long) n * s);
    Tensor loss = Tensor.zeros(perElem, input.dtype(), input.device());
    Tensor wts =
        reduction == MEAN ? Tensor.zeros(perElem, input.dtype(), input.device()) : null;
    if ((long) n * s > 0) {
      k.loss().nllLoss(logp.view(), tc.view(), view(wc), sh, buf(loss),
          wts == null ? null : buf(wts));
    }
    // PyTorch's nll_loss_nd runs nll_loss2d on a view [n, c, 1, s] of a 3- or 5+-dim input and
    // views the unreduced loss [n, 1, s] back to the target's shape (ViewBackward0)
    final boolean viewed = !fused && input.dim() >= 3 && input.dim() != 4 && reduction == NONE;
    final Tensor out;
    final double totalWeight;
    try (NoGrad ignored = NoGrad.enter()) {
      switch (reduction) {
        case NONE -> {
          out = viewed ? loss.reshape(n, 1, s) : loss.reshape(lay.noneShape().dims());
          totalWeight = 1.0;
        }
        case SUM -> {
          out = loss.sum();
          totalWeight = 1.0;
        }
        default -> {
          Tensor tw = wts.sum();
          totalWeight = tw.item();
          out = loss.sum().div(tw);
        }
      }
    }
    final double scale = reduction == MEAN ? 1.0 / totalWeight : 1.0;
    Tensor r = Tensor.record(
        fused ? "LogSoftmaxNllLossBackward0"
            : input.dim() >= 3 ? "NllLoss2DBackward0" : "NllLossBackward0",
        out,
        new Tensor[] {input},
        new Tensor[] {target},
        gr -> {
          Tensor g = contig(gr[0]);
          Tensor gi = zeros(input.shape(), input);
          if ((long) n * s > 0) {
            if (fused) {
              k.loss().crossEntropyBackward(g.view(), logp.view(), tc.view(), view(wc), sh,
                  scale, buf(gi));
            } else {
              k.loss().nllLossBackward(g.view(), tc.view(), view(wc), sh, scale, buf(gi));
            }
          }
          return new Tensor[] {gi};
        });
    return viewed ? r.view(lay.noneShape().dims()) : r;
  }

  /** {@code F.cross_entropy} (class indices, with or without smoothing, or probabilities). */
  public static Tensor crossEntropy(
      Tensor input,
      Tensor target,
      Tensor weight,
      int ignoreIndex,
      int reduction,
      double labelSmoothing) {
    checkReduction(reduction);
    if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0)) {
      throw new IllegalArgumentException(
          "label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
    }
    int classDim = input.dim() == 1 ? 0 : 1;
    if (input.dim() >= 1 && input.shape().equals(target.shape())) {
      if (!target.isFloatingPoint()) {
        throw new IllegalArgumentException(
            "Expected floating point type for target with class probabilities, got "
                + typeName(target.dtype()));
      }
      if (ignoreIndex >= 0) {
        throw new IllegalArgumentException(
            "ignore_index is not supported for floating point target");
      }
      return crossEntropyProbs(input, target, weight, reduction, labelSmoothing, classDim);
    }
    NllLayout lay = nllLayout(input, target, weight);
    if (labelSmoothing > 0.0) {
      return crossEntropySmoothed(
          input, target, weight, ignoreIndex, reduction, labelSmoothing, classDim, lay);
    }
    return nllOp(input, target, weight, ignoreIndex, reduction, lay, true);
  }

  /** Broadcasts a {@code [C]} weight along {@code classDim} of a {@code rank}-dim tensor. */
  private static Tensor classWeight(Tensor weight, int rank, int classDim) {
    long[] dims = new long[rank];
    Arrays.fill(dims, 1);
    dims[classDim] = weight.numel();
    return weight.reshape(dims);
  }

  private static Tensor crossEntropyProbs(
      Tensor input,
      Tensor target,
      Tensor weight,
      int reduction,
      double ls,
      int classDim) {
    long c = input.size(classDim);
    if (weight != null && (weight.dim() != 1 || weight.numel() != c)) {
      throw new ShapeMismatchException(
          "cross_entropy: weight tensor should be defined either for all " + c
              + " classes or no classes but got weight tensor of shape: " + weight.shape());
    }
    checkSameType(input, target);
    Tensor logp = ActivationOps.logSoftmax(input, classDim);
    Tensor t = ls > 0 ? target.mul(1.0 - ls).add(ls / c) : target;
    Tensor prod = logp.mul(t);
    if (weight != null) {
      prod = prod.mul(input.dim() > 1 ? classWeight(weight, input.dim(), classDim) : weight);
    }
    return switch (reduction) {
      case NONE -> prod.sum(classDim, false).neg();
      case SUM -> prod.sum().neg();
      case MEAN ->
          input.numel() == 0
              ? prod.sum().mul(Double.NaN)
              : prod.sum().neg().div((double) (input.numel() / c));
      default -> throw new IllegalArgumentException(
          reduction + " is not a valid value for reduction");
    };
  }

  private static Tensor crossEntropySmoothed(
      Tensor input,
      Tensor target,
      Tensor weight,
      int ignoreIndex,
      int reduction,
      double ls,
      int classDim,
      NllLayout lay) {
    Tensor logp = ActivationOps.logSoftmax(input, classDim);
    Tensor nll = nllOp(logp, target, weight, ignoreIndex, reduction, lay, false);
    long c = lay.c();
    Tensor smooth =
        weight != null
            ? logp.mul(input.dim() > 1 ? classWeight(weight, input.dim(), classDim) : weight)
                .sum(classDim, false)
                .neg()
            : logp.sum(classDim, false).neg();
    Tensor ignoreMask = target.eq((double) ignoreIndex);
    smooth = Tensor.where(ignoreMask, Tensor.zerosLike(smooth).detach(), smooth);
    Tensor ret;
    switch (reduction) {
      case NONE -> ret = smooth;
      case SUM -> ret = smooth.sum();
      default -> {
        double denom;
        try (NoGrad ignored = NoGrad.enter()) {
          Tensor keep = ignoreMask.logicalNot();
          if (weight != null) {
            Tensor safeTarget = Tensor.where(ignoreMask, Tensor.zerosLike(target), target);
            Tensor tw = weight.detach().reshape(-1).indexSelect(0, safeTarget.reshape(-1));
            denom = tw.mul(keep.reshape(-1).to(tw.dtype())).sum().item();
          } else {
            denom = keep.to(DType.FLOAT64).sum().item();
          }
        }
        ret = smooth.sum().div(denom);
      }
    }
    return nll.mul(1.0 - ls).add(ret.mul(ls / c));
  }

  /** {@code F.mse_loss}: {@code (input - target)^2}, broadcast, reduced. */
  public static Tensor mseLoss(Tensor input, Tensor target, int reduction) {
    checkReduction(reduction);
    Tensor d = input.sub(target);
    return reduce(d.mul(d), reduction);
  }

  /** {@code F.l1_loss}: {@code |input - target|}, broadcast, reduced. */
  public static Tensor l1Loss(Tensor input, Tensor target, int reduction) {
    checkReduction(reduction);
    return reduce(input.sub(target).abs(), reduction);
  }

  /**
   * {@code F.binary_cross_entropy_with_logits}; {@code weight} and {@code posWeight} may be
   * null.
   */
  public static Tensor binaryCrossEntropyWithLogits(
      Tensor input, Tensor target, Tensor weight, int reduction, Tensor posWeight) {
    checkReduction(reduction);
    if (!target.shape().equals(input.shape())) {
      throw new ShapeMismatchException(
          "Target size (torch.Size(" + target.shape() + ")) must be the same as input size"
              + " (torch.Size(" + input.shape() + "))");
    }
    checkFloating("binary_cross_entropy_with_logits", input);
    checkDevice("binary_cross_entropy_with_logits", input, target, weight, posWeight);
    final Tensor x = input.detach();
    final Tensor t = target.detach();
    final Tensor w = weight == null ? null : weight.detach();
    final Tensor pw = posWeight == null ? null : posWeight.detach();
    final Tensor lossElem;
    final Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor maxVal = x.neg().clampMin(0.0);
      Tensor softTerm = maxVal.neg().exp().add(x.neg().sub(maxVal).exp()).log().add(maxVal);
      Tensor l;
      if (pw != null) {
        Tensor logWeight = pw.sub(1.0).mul(t).add(1.0);
        l = t.rsub(1.0).mul(x).add(logWeight.mul(softTerm));
      } else {
        l = t.rsub(1.0).mul(x).add(softTerm);
      }
      if (w != null) {
        l = l.mul(w);
      }
      lossElem = l;
      out = reduce(l, reduction);
    }
    final Shape lossShape = lossElem.shape();
    final double scale = reduction == MEAN ? 1.0 / Math.max(1, lossElem.numel()) : 1.0;
    final boolean empty = lossElem.numel() == 0;
    return Tensor.record(
        "BinaryCrossEntropyWithLogitsBackward0",
        out,
        new Tensor[] {input, target},
        new Tensor[] {input, target},
        gr -> {
          Tensor g = gr[0];
          if (reduction != NONE) {
            g = g.mul(empty ? Double.NaN : scale).expand(lossShape.dims());
          }
          if (w != null) {
            g = g.mul(w);
          }
          Tensor gi = null;
          Tensor gt = null;
          if (input.requiresGrad()) {
            Tensor sig = x.sigmoid();
            Tensor d;
            if (pw != null) {
              Tensor pt = pw.mul(t);
              d = pt.add(1.0).sub(t).mul(sig).sub(pt);
            } else {
              d = sig.sub(t);
            }
            gi = Tensor.sumToShape(d.mul(g), input.shape());
          }
          if (target.requiresGrad()) {
            Tensor d;
            if (pw != null) {
              // d/dt = log(1 - sigmoid(x)) - posWeight * log(sigmoid(x)), written stably.
              Tensor logSig = x.neg().clampMin(0.0).neg()
                  .sub(x.abs().neg().exp().add(1.0).log());
              Tensor log1mSig = logSig.sub(x);
              d = log1mSig.sub(pw.mul(logSig));
            } else {
              d = x.neg();
            }
            gt = Tensor.sumToShape(d.mul(g), target.shape());
          }
          return new Tensor[] {gi, gt};
        });
  }
}
