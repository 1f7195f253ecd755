package dev.jnn.backend;

/**
 * The optional fused-optimizer family of the back-end SPI ({@link Backend#optim()}): one update of
 * a contiguous parameter in place in a single pass, each operation rounded to the parameter's
 * dtype in the same order as the unfused tensor ops, so the result is identical to them. A back
 * end may not offer the family at all, and a method returns false for views it has no kernel for;
 * in both cases the caller runs the unfused ops.
 */
public interface OptimKernels {
  /**
   * {@code torch.optim.SGD}'s single-tensor update with the hyper-parameters of {@code h}.
   * {@code buf} (the momentum buffer, same shape) is read and written when {@code h.momentum() !=
   * 0}; with {@code h.firstStep()} it is set to the (decayed) gradient instead. Returns false when
   * there is no fused kernel for these views.
   */
  boolean sgdStep(View param, View grad, View buf, SgdStep h);

  /**
   * {@code torch.optim.Adam} / {@code AdamW}'s single-tensor update (as {@code dev.jnn.optim.Adam}
   * writes it with tensor ops). Updates {@code expAvg}, {@code expAvgSq} and, with {@code
   * h.amsgrad()}, {@code maxExpAvgSq} (all of the parameter's shape and dtype). Returns false when
   * there is no fused kernel for these views.
   */
  boolean adamStep(
      View param, View grad, View expAvg, View expAvgSq, View maxExpAvgSq, AdamStep h);

  /**
   * The hyper-parameters of one SGD step.
   *
   * @param lr learning rate
   * @param momentum momentum factor (0: none, {@code buf} unused)
   * @param dampening dampening of the momentum
   * @param weightDecay L2 penalty
   * @param nesterov Nesterov momentum
   * @param maximize ascend instead of descend
   * @param firstStep the momentum buffer is initialised with this step's gradient
   */
  record SgdStep(
      double lr,
      double momentum,
      double dampening,
      double weightDecay,
      boolean nesterov,
      boolean maximize,
      boolean firstStep) {}

  /**
   * The hyper-parameters of one Adam / AdamW step.
   *
   * @param lr learning rate
   * @param beta1 first-moment decay
   * @param beta2 second-moment decay
   * @param eps added to the denominator
   * @param weightDecay decay factor
   * @param stepSize {@code lr / (1 - beta1^step)}
   * @param bc2Sqrt {@code sqrt(1 - beta2^step)}
   * @param amsgrad keep the maximum of the second moments
   * @param maximize ascend instead of descend
   * @param decoupled AdamW's decay ({@code p *= 1 - lr * weightDecay}) instead of Adam's L2 term
   */
  record AdamStep(
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      double stepSize,
      double bc2Sqrt,
      boolean amsgrad,
      boolean maximize,
      boolean decoupled) {}
}
