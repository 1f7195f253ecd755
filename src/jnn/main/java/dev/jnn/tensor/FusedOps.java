package dev.jnn.tensor;

import dev.jnn.autograd.GradMode;
import dev.jnn.backend.OptimKernels;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;

/**
 * Single-pass versions of multi-op computations: the optimizers' updates (the back end's fused
 * kernel when it has one for these tensors: contiguous float32 on the CPU, contiguous float32 and
 * float64 on CUDA), with results identical to the unfused tensor ops - those methods return false
 * when they did nothing, and the caller runs the unfused ops instead - and dropout masks.
 */
public final class FusedOps {
  private FusedOps() {}

  /** True when {@code t} exists and has {@code param}'s device, shape and dtype. */
  private static boolean like(Tensor t, Tensor param) {
    return t != null && t.device().equals(param.device()) && t.shape().equals(param.shape())
        && t.dtype() == param.dtype();
  }

  /**
   * {@code torch.optim.SGD}'s update of one parameter in place (and of its momentum buffer {@code
   * buf} when {@code momentum != 0}; with {@code firstStep} the buffer is set rather than
   * updated). Only under no-grad; all tensors on one device, same shape.
   */
  public static boolean sgdStep(
      Tensor param, Tensor grad, Tensor buf, double lr, double momentum, double dampening,
      double weightDecay, boolean nesterov, boolean maximize, boolean firstStep) {
    if (GradMode.isEnabled() || !like(grad, param) || (momentum != 0 && !like(buf, param))) {
      return false;
    }
    OptimKernels.SgdStep h = new OptimKernels.SgdStep(
        lr, momentum, dampening, weightDecay, nesterov, maximize, firstStep);
    boolean done = param.backend().optim()
        .map(k -> k.sgdStep(param.view(), grad.view(), momentum != 0 ? buf.view() : null, h))
        .orElse(false);
    if (done) {
      param.storage().bumpVersion();
      if (momentum != 0) {
        buf.storage().bumpVersion();
      }
    }
    return done;
  }

  /**
   * {@code torch.optim.Adam}'s (with {@code decoupled}: AdamW's) update of one parameter in place,
   * and of its state {@code expAvg}, {@code expAvgSq} and, with {@code amsgrad}, {@code
   * maxExpAvgSq}; {@code stepSize = lr / (1 - beta1^step)}, {@code bc2Sqrt = sqrt(1 -
   * beta2^step)}. Only under no-grad; all tensors on one device, same shape and dtype.
   */
  public static boolean adamStep(
      Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, double lr,
      double beta1, double beta2, double eps, double weightDecay, double stepSize, double bc2Sqrt,
      boolean amsgrad, boolean maximize, boolean decoupled) {
    if (GradMode.isEnabled() || !like(grad, param) || !like(expAvg, param)
        || !like(expAvgSq, param) || (amsgrad && !like(maxExpAvgSq, param))) {
      return false;
    }
    OptimKernels.AdamStep h = new OptimKernels.AdamStep(
        lr, beta1, beta2, eps, weightDecay, stepSize, bc2Sqrt, amsgrad, maximize, decoupled);
    boolean done = param.backend().optim()
        .map(k -> k.adamStep(param.view(), grad.view(), expAvg.view(), expAvgSq.view(),
            amsgrad ? maxExpAvgSq.view() : null, h))
        .orElse(false);
    if (done) {
      param.storage().bumpVersion();
      expAvg.storage().bumpVersion();
      expAvgSq.storage().bumpVersion();
      if (amsgrad) {
        maxExpAvgSq.storage().bumpVersion();
      }
    }
    return done;
  }

  /**
   * A new dropout mask of {@code shape} on {@code device}: each element is {@code scale} (kept,
   * probability {@code 1 - p}) or 0, decided by {@link dev.jnn.backend.Philox} from {@code seed}
   * and the element's index - the same mask on every device. Not recorded by autograd.
   */
  public static Tensor dropoutMask(Shape shape, DType dtype, Device device, double p, double scale, long seed) {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException("dropoutMask: a floating dtype expected, got " + dtype);
    }
    Tensor mask = Tensor.uninitialized(shape, dtype, device);
    if (mask.numel() > 0) {
      mask.backend().dropoutMask(mask.view(), p, scale, seed);
    }
    return mask;
  }
}
