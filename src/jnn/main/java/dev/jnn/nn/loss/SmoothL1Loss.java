package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Smooth L1 loss ({@code torch.nn.SmoothL1Loss}): quadratic below {@code beta}, linear above,
 *
 * <pre>
 * l_n = 0.5 * (x_n - y_n)^2 / beta   if |x_n - y_n| &lt; beta
 *       |x_n - y_n| - 0.5 * beta      otherwise
 * </pre>
 *
 * ({@code beta = 0} is {@link L1Loss}). {@link HuberLoss} is this loss times {@code beta}.
 *
 * <p>Shape: input {@code [*]}; target broadcastable to it (normally the same shape; PyTorch's
 * warning is logged when it is not); output a scalar, or the broadcast shape with {@code
 * Reduction.NONE}. Input and target both get gradients.
 *
 * <pre>{@code
 * SmoothL1Loss loss = SmoothL1Loss.builder().beta(0.5).build();   // SmoothL1Loss()
 * Tensor l = loss.call(prediction, target);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.SmoothL1Loss.html">torch.nn.SmoothL1Loss</a>
 */
public final class SmoothL1Loss extends LossBase {
  private final double beta;

  /** {@code nn.SmoothL1Loss()}: PyTorch's defaults. */
  public SmoothL1Loss() {
    this(builder());
  }

  private SmoothL1Loss(Builder b) {
    super(b.reduction);
    this.beta = b.beta;
  }

  /**
   * A builder for the options ({@code beta}, {@code reduction}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code F.smooth_l1_loss} of {@code input} and {@code target} with these options. */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.smoothL1Loss(input, target, reduction(), beta);
  }

  /** {@code beta}. */
  public double beta() {
    return beta;
  }

  /** Options of a {@link SmoothL1Loss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private double beta = 1.0;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /**
     * {@code beta} (default 1): where the loss turns from quadratic to linear; a negative value
     * fails at the call ({@code smooth_l1_loss does not support negative values for beta.}).
     */
    public Builder beta(double beta) {
      this.beta = beta;
      return this;
    }

    /** {@code reduction} (default {@code MEAN}). */
    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /** The loss module. */
    public SmoothL1Loss build() {
      return new SmoothL1Loss(this);
    }
  }
}
