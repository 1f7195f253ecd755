package dev.jnn.tensor;

import static dev.jnn.tensor.LossOps.MEAN;
import static dev.jnn.tensor.LossOps.NONE;
import static dev.jnn.tensor.LossOps.checkNoRequiresGrad;
import static dev.jnn.tensor.LossOps.checkReduction;
import static dev.jnn.tensor.LossOps.checkReductionIsValid;
import static dev.jnn.tensor.LossOps.context;
import static dev.jnn.tensor.LossOps.reduce;
import static dev.jnn.tensor.LossOps.warn;
import static dev.jnn.tensor.LossOps.warnSizeMismatch;
import static dev.jnn.tensor.NnOpSupport.checkDevice;
import static dev.jnn.tensor.NnOpSupport.typeName;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;

/**
 * Internal: the element-wise losses behind {@code nn.functional.Functional} ({@code
 * binary_cross_entropy}, {@code smooth_l1_loss}, {@code huber_loss}, {@code soft_margin_loss},
 * {@code kl_div}, {@code poisson_nll_loss}, {@code gaussian_nll_loss}, in its section {@code
 * FunctionalLosses}); use {@code Functional}. The four that are ATen kernels in PyTorch compute their forward without
 * autograd and record PyTorch's node ({@code BinaryCrossEntropyBackward0}, ...) with the formula of
 * {@code tools/autograd/derivatives.yaml} beside it; the three that PyTorch composes ({@code
 * kl_div}, {@code poisson_nll_loss}, {@code gaussian_nll_loss}) compose the same {@link Tensor}
 * ops, so their {@code grad_fn} is PyTorch's too. All run on every back end (no kernel of their
 * own). The reduction is {@link LossOps}'s {@code int}.
 */
public final class PointwiseLossOps {
  private PointwiseLossOps() {}

  /** ATen's {@code EPSILON} of the loss kernels: the float {@code 1e-12f}, widened. */
  static final double EPSILON = 1e-12f;

  /** The grad of a reduced loss, spread over the per-element shape (divided for the mean). */
  private static Tensor spread(Tensor g, int reduction, Shape shape, long numel) {
    if (reduction == NONE) {
      return g;
    }
    Tensor e = g.expand(shape.dims());
    return reduction == MEAN ? e.div((double) numel) : e;
  }

  // ---------------------------------------------------------------- binary_cross_entropy

  /** {@code F.binary_cross_entropy}; {@code weight} may be null. */
  public static Tensor binaryCrossEntropy(
      Tensor input, Tensor target, Tensor weight, int reduction) {
    checkReduction(reduction);
    if (!target.shape().equals(input.shape())) {
      throw new ShapeMismatchException(
          "Using a target size (torch.Size(" + target.shape() + ")) that is different to the"
              + " input size (torch.Size(" + input.shape() + ")) is deprecated. Please ensure"
              + " they have the same size.");
    }
    checkDevice("binary_cross_entropy", input, target, weight);
    // F.binary_cross_entropy expands the weight to the target's size (_infer_size)
    Shape ws = weight == null
        ? null : Shape.broadcast(target.shape(), weight.shape(), "binary_cross_entropy");
    checkNoRequiresGrad("binary_cross_entropy", "weight", weight);
    if (target.dtype() != input.dtype()) {
      throw new IllegalArgumentException(
          "Found dtype " + typeName(target.dtype()) + " but expected " + typeName(input.dtype())
              + context("binary_cross_entropy", "input", input, "target", target));
    }
    NnOpSupport.checkFloating("binary_cross_entropy", input);
    final Tensor x = input.detach();
    final Tensor t = target.detach();
    final Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      if (!allTrue(x.ge(0.0).logicalAnd(x.le(1.0)))) {
        throw new IllegalArgumentException("all elements of input should be between 0 and 1"
            + context("binary_cross_entropy", "input", input));
      }
    }
    if (ws != null && !ws.equals(input.shape())) {
      // ATen multiplies the loss by the weight in place
      throw new ShapeMismatchException(
          "output with shape " + input.shape() + " doesn't match the broadcast shape " + ws
              + context("binary_cross_entropy", "input", input, "weight", weight));
    }
    final Tensor w = weight == null ? null : weight.detach();
    try (NoGrad ignored = NoGrad.enter()) {
      // (t - 1) * max(log(1 - x), -100) - t * max(log(x), -100), PyTorch's clamp of the logs
      Tensor l = t.sub(1.0).mul(x.rsub(1.0).log().clampMin(-100.0))
          .sub(t.mul(x.log().clampMin(-100.0)));
      if (w != null) {
        l = l.mul(w);
      }
      out = reduce(l, reduction);
    }
    final Tensor fw = w;
    final Shape shape = input.shape();
    final long numel = input.numel();
    return Tensor.record("BinaryCrossEntropyBackward0", out, new Tensor[] {input, target},
        new Tensor[] {input, target},
        gr -> {
          Tensor g = spread(gr[0], reduction, shape, numel);
          if (fw != null) {
            g = g.mul(fw);
          }
          Tensor gi = null;
          Tensor gt = null;
          if (input.requiresGrad()) {
            // binary_cross_entropy_backward: g * (x - t) / max((1 - x) * x, EPSILON)
            gi = g.mul(x.sub(t)).div(x.rsub(1.0).mul(x).clampMin(EPSILON));
          }
          if (target.requiresGrad()) {
            // binary_cross_entropy_target_backward: -logit(x) * g
            gt = g.mul(x.div(x.rsub(1.0)).log().neg());
          }
          return new Tensor[] {gi, gt};
        });
  }

  // ---------------------------------------------------------------- smooth_l1_loss, huber_loss

  /**
   * The shape both broadcast to ({@code torch.broadcast_tensors} in {@code F.smooth_l1_loss} and
   * {@code F.huber_loss}), after the size-mismatch warning.
   */
  private static Shape broadcastPair(String op, Tensor input, Tensor target) {
    warnSizeMismatch(input, target);
    checkDevice(op, input, target);
    return Shape.broadcast(input.shape(), target.shape(), op);
  }

  /** The floating result type of input and target, or PyTorch's CPU kernel error. */
  private static DType floatingResult(String kernel, Tensor input, Tensor target) {
    DType rt = Checks.resultType(input, target);
    if (!rt.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "\"" + kernel + "\" not implemented for '" + typeName(rt) + "'"
              + context(kernel, "input", input, "target", target));
    }
    return rt;
  }

  /** {@code F.smooth_l1_loss}: {@code beta = 0} is the L1 loss (its gradient included). */
  public static Tensor smoothL1Loss(Tensor input, Tensor target, int reduction, double beta) {
    Shape bs = broadcastPair("smooth_l1_loss", input, target);
    checkReduction(reduction);
    if (!(beta >= 0)) {
      throw new IllegalArgumentException(
          "smooth_l1_loss does not support negative values for beta.");
    }
    DType rt = floatingResult("smooth_l1_cpu", input, target);
    final Tensor x = input.detach().to(rt);
    final Tensor t = target.detach().to(rt);
    final Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor z = x.sub(t).abs();
      Tensor l = beta == 0
          ? z
          : Tensor.where(z.lt(beta), z.mul(z).mul(0.5).div(beta), z.sub(0.5 * beta));
      out = reduce(l, reduction);
    }
    final long numel = bs.numel();
    return Tensor.record("SmoothL1LossBackward0", out, new Tensor[] {input, target},
        new Tensor[] {input, target},
        gr -> {
          Tensor g = spread(gr[0], reduction, bs, numel);
          Tensor d = x.sub(t);
          // smooth_l1_loss_backward; beta 0: l1_loss_backward, sgn(x - t) * g
          Tensor gi = beta == 0
              ? d.sign().mul(g)
              : Tensor.where(d.le(-beta), g.neg(),
                  Tensor.where(d.ge(beta), g, d.mul(g).div(beta)));
          return new Tensor[] {Autograd.gradFor(gi, input), Autograd.gradFor(gi.neg(), target)};
        });
  }

  /** {@code F.huber_loss}; the result has the input's dtype, as ATen's. */
  public static Tensor huberLoss(Tensor input, Tensor target, int reduction, double delta) {
    Shape bs = broadcastPair("huber_loss", input, target);
    checkReduction(reduction);
    if (!(delta > 0)) {
      throw new IllegalArgumentException(
          "huber_loss does not support non-positive values for delta.");
    }
    DType rt = floatingResult("huber_cpu", input, target);
    final Tensor x = input.detach().to(rt);
    final Tensor t = target.detach().to(rt);
    final Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor z = x.sub(t).abs();
      Tensor l = Tensor.where(z.lt(delta), z.mul(z).mul(0.5), z.sub(0.5 * delta).mul(delta));
      out = reduce(l.to(input.isFloatingPoint() ? input.dtype() : rt), reduction);
    }
    final long numel = bs.numel();
    return Tensor.record("HuberLossBackward0", out, new Tensor[] {input, target},
        new Tensor[] {input, target},
        gr -> {
          Tensor g = spread(gr[0], reduction, bs, numel);
          Tensor d = x.sub(t);
          Tensor gi = Tensor.where(d.le(-delta), g.mul(-delta),
              Tensor.where(d.ge(delta), g.mul(delta), d.mul(g)));
          return new Tensor[] {Autograd.gradFor(gi, input), Autograd.gradFor(gi.neg(), target)};
        });
  }

  // ---------------------------------------------------------------- soft_margin_loss

  /** {@code F.soft_margin_loss}: {@code log(1 + exp(-y x))}; the target is not differentiated. */
  public static Tensor softMarginLoss(Tensor input, Tensor target, int reduction) {
    checkReduction(reduction);
    checkNoRequiresGrad("soft_margin_loss", "target", target);
    checkDevice("soft_margin_loss", input, target);
    // ATen writes -input * target into an output of the input's shape and dtype
    Shape bs = Shape.broadcast(input.shape(), target.shape(), "soft_margin_loss");
    if (!bs.equals(input.shape())) {
      throw new ShapeMismatchException(
          "output with shape " + input.shape() + " doesn't match the broadcast shape " + bs
              + context("soft_margin_loss", "input", input, "target", target));
    }
    NnOpSupport.checkFloating("soft_margin_loss", input);
    final Tensor x = input.detach();
    final Tensor t = target.detach();
    final Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor l = x.neg().mul(t).to(x.dtype()).exp().add(1.0).log();
      out = reduce(l, reduction);
    }
    final Shape shape = input.shape();
    final long numel = input.numel();
    return Tensor.record("SoftMarginLossBackward0", out, new Tensor[] {input}, new Tensor[] {input},
        gr -> {
          // soft_margin_loss_backward: -norm * t * z / (1 + z) * g, z = exp(-t x)
          Tensor g = spread(gr[0], reduction, shape, numel);
          Tensor z = x.neg().mul(t).to(x.dtype()).exp();
          Tensor gi = t.mul(z).neg().to(x.dtype()).div(z.add(1.0)).mul(g);
          return new Tensor[] {gi};
        });
  }

  // ---------------------------------------------------------------- kl_div

  /**
   * {@code torch.xlogy(t, t)}, the {@code t * log(t)} of {@code kl_div} (0 where {@code t} is 0),
   * with PyTorch's gradient {@code xlogy(t != 0, t) + t / t} (NaN at 0, as PyTorch's).
   */
  private static Tensor xlogySelf(Tensor t) {
    Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor tl = t.mul(t.log());
      out = Tensor.where(t.eq(0.0).logicalAnd(t.isnan().logicalNot()),
          Tensor.zerosLike(tl), tl);
    }
    return Tensor.record("XlogyBackward0", out, new Tensor[] {t}, new Tensor[] {t},
        g -> {
          Tensor logt = t.log();
          Tensor self = Tensor.where(t.ne(0.0), logt, Tensor.zerosLike(logt));
          return new Tensor[] {g[0].mul(self).add(g[0].mul(t).div(t))};
        });
  }

  /**
   * {@code F.kl_div}: {@code exp(t) * (t - x)} with {@code logTarget}, else {@code xlogy(t, t) - t
   * * x}; {@code 'mean'} warns as PyTorch does, {@code 'batchmean'} divides the sum by {@code
   * input.size(0)}.
   */
  public static Tensor klDiv(Tensor input, Tensor target, int reduction, boolean logTarget) {
    if (reduction == MEAN) {
      warn("reduction: 'mean' divides the total loss by both the batch size and the support"
          + " size.'batchmean' divides only by the batch size, and aligns with the KL div math"
          + " definition.'mean' will be changed to behave the same as 'batchmean' in the next"
          + " major release.");
    }
    if (reduction != LossOps.BATCHMEAN) {
      checkReduction(reduction);
    }
    checkDevice("kl_div", input, target);
    if (!input.isFloatingPoint() || !target.isFloatingPoint()) {
      throw new IllegalArgumentException("kl_div: Integral inputs not supported."
          + context("kl_div", "input", input, "target", target));
    }
    Tensor l = logTarget
        ? target.exp().mul(target.sub(input))
        : xlogySelf(target).sub(target.mul(input));
    if (reduction == LossOps.BATCHMEAN) {
      Tensor sum = l.sum();
      return input.dim() != 0 ? sum.div((double) input.size(0)) : sum;
    }
    return reduce(l, reduction);
  }

  // ---------------------------------------------------------------- poisson_nll_loss

  /**
   * {@code F.poisson_nll_loss}: {@code exp(x) - t * x} ({@code logInput}) or {@code x - t * log(x
   * + eps)}, plus, with {@code full}, Stirling's term {@code t log t - t + log(2 pi t) / 2} where
   * {@code t > 1}.
   */
  public static Tensor poissonNllLoss(
      Tensor input, Tensor target, boolean logInput, boolean full, double eps, int reduction) {
    checkReductionIsValid(reduction);
    checkDevice("poisson_nll_loss", input, target);
    Tensor loss = logInput
        ? input.exp().sub(target.mul(input))
        : input.sub(target.mul(input.add(eps).log()));
    if (full) {
      Tensor stirling = target.mul(target.log()).sub(target)
          .add(target.mul(2 * Math.PI).log().mul(0.5));
      loss = loss.add(stirling.maskedFill(target.le(1.0), 0.0));
    }
    return reduce(loss, reduction);
  }

  // ---------------------------------------------------------------- gaussian_nll_loss

  /**
   * {@code F.gaussian_nll_loss}: {@code (log(max(var, eps)) + (x - t)^2 / max(var, eps)) / 2},
   * plus {@code log(2 pi) / 2} with {@code full}. {@code var} has the input's shape, or lacks its
   * last dim, or has 1 there (one variance for the row); the clamp to {@code eps} is not
   * differentiated (PyTorch clamps a clone in place under no-grad).
   */
  public static Tensor gaussianNllLoss(
      Tensor input, Tensor target, Tensor var, boolean full, double eps, int reduction) {
    Shape is = input.shape();
    Shape vs = var.shape();
    if (!vs.equals(is)) {
      Shape lead = leading(is);
      if (lead.equals(vs)) {
        var = var.unsqueeze(-1);
      } else if (!(lead.equals(leading(vs)) && vs.get(-1) == 1)) {
        throw new ShapeMismatchException("var is of incorrect size"
            + context("gaussian_nll_loss", "input", input, "var", var));
      }
    }
    checkReductionIsValid(reduction);
    checkDevice("gaussian_nll_loss", input, target, var);
    boolean negative;
    try (NoGrad ignored = NoGrad.enter()) {
      negative = !allTrue(var.ge(0.0).logicalOr(var.isnan()));
    }
    if (negative) {
      throw new IllegalArgumentException("var has negative entry/entries"
          + context("gaussian_nll_loss", "var", var));
    }
    Tensor v = var.clone();
    try (NoGrad ignored = NoGrad.enter()) {
      v.copyFrom(v.clampMin(eps));
    }
    Tensor d = input.sub(target);
    Tensor loss = v.log().add(d.pow(2.0).div(v)).mul(0.5);
    if (full) {
      loss = loss.add(0.5 * Math.log(2 * Math.PI));
    }
    return reduce(loss, reduction);
  }

  /** Whether every element of a bool tensor is true (read on the host; true when empty). */
  static boolean allTrue(Tensor b) {
    return b.numel() == 0 || b.all().item() != 0;
  }

  /** {@code shape[:-1]} (empty for a 0-dim shape, as Python's slice). */
  private static Shape leading(Shape s) {
    long[] d = s.dims();
    return Shape.of(java.util.Arrays.copyOf(d, Math.max(0, d.length - 1)));
  }
}
