package dev.jnn.tensor;

import dev.jnn.autograd.GradMode;

/**
 * Single-pass versions of multi-op updates, for the optimizers: the back end's fused kernel when it
 * has one for these tensors (the CPU back end: contiguous float32), with results identical to the
 * unfused tensor ops. Each method returns false when it did nothing, and the caller runs the
 * unfused ops instead.
 */
public final class FusedOps {
  private FusedOps() {}

  /**
   * {@code torch.optim.SGD}'s update of one parameter in place (and of its momentum buffer {@code
   * buf} when {@code momentum != 0}; with {@code firstStep} the buffer is set rather than
   * updated). Only under no-grad; all tensors on one device, same shape.
   */
  public static boolean sgdStep(
      Tensor param, Tensor grad, Tensor buf, double lr, double momentum, double dampening,
      double weightDecay, boolean nesterov, boolean maximize, boolean firstStep) {
    if (GradMode.isEnabled()
        || !grad.device().equals(param.device())
        || !grad.shape().equals(param.shape())
        || grad.dtype() != param.dtype()
        || (momentum != 0
            && (buf == null || !buf.device().equals(param.device())
                || !buf.shape().equals(param.shape()) || buf.dtype() != param.dtype()))) {
      return false;
    }
    boolean done =
        param
            .backend()
            .sgdStep(param.view(), grad.view(), momentum != 0 ? buf.view() : null, lr, momentum,
                dampening, weightDecay, nesterov, maximize, firstStep);
    if (done) {
      param.storage().bumpVersion();
      if (momentum != 0) {
        buf.storage().bumpVersion();
      }
    }
    return done;
  }
}
