package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Kullback-Leibler divergence ({@code torch.nn.KLDivLoss}) of a target distribution from the
 * input's, the input given as log-probabilities:
 *
 * <pre>
 * l_n = y_n * (log(y_n) - x_n)        (0 where y_n == 0)
 * l_n = exp(y_n) * (y_n - x_n)        with log_target
 * </pre>
 *
 * <p>{@code Reduction.BATCHMEAN} divides the sum by the batch size (the input's first dim), which
 * is the divergence of the math definition; {@code MEAN} (PyTorch's default) divides by the number
 * of elements, and logs PyTorch's warning saying so.
 *
 * <p>Shape: input {@code [*]}; target broadcastable to it (normally the same shape); output a
 * scalar, or the broadcast shape with {@code Reduction.NONE}. Input and target both get gradients.
 *
 * <pre>{@code
 * KLDivLoss loss = KLDivLoss.builder().reduction(Reduction.BATCHMEAN).build();  // KLDivLoss()
 * Tensor l = loss.call(Functional.logSoftmax(logits, 1), targetProbabilities);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.KLDivLoss.html">torch.nn.KLDivLoss</a>
 */
public final class KLDivLoss extends LossBase {
  private final boolean logTarget;

  /** {@code nn.KLDivLoss()}: PyTorch's defaults. */
  public KLDivLoss() {
    this(builder());
  }

  private KLDivLoss(Builder b) {
    super(b.reduction);
    this.logTarget = b.logTarget;
  }

  /**
   * A builder for the options ({@code logTarget}, {@code reduction}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code F.kl_div} of {@code input} and {@code target} with these options. */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.klDiv(input, target, reduction(), logTarget);
  }

  /** {@code log_target}. */
  public boolean logTarget() {
    return logTarget;
  }

  /** Options of a {@link KLDivLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private boolean logTarget = false;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /** {@code log_target} (default false): whether the target is given as log-probabilities. */
    public Builder logTarget(boolean logTarget) {
      this.logTarget = logTarget;
      return this;
    }

    /**
     * {@code reduction} (default {@code MEAN}, which warns): {@code NONE}, {@code BATCHMEAN},
     * {@code SUM} or {@code MEAN}.
     */
    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /** The loss module. */
    public KLDivLoss build() {
      return new KLDivLoss(this);
    }
  }
}
