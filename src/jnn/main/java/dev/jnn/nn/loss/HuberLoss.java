package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Huber loss ({@code torch.nn.HuberLoss}): quadratic below {@code delta}, linear above,
 *
 * <pre>
 * l_n = 0.5 * (x_n - y_n)^2                  if |x_n - y_n| &lt; delta
 *       delta * (|x_n - y_n| - 0.5 * delta)   otherwise
 * </pre>
 *
 * (the {@link SmoothL1Loss} with {@code beta = delta}, times {@code delta}).
 *
 * <p>Shape: input {@code [*]}; target broadcastable to it (PyTorch's warning is logged when the
 * shapes differ); output a scalar, or the broadcast shape with {@code Reduction.NONE}. Input and
 * target both get gradients.
 *
 * <pre>{@code
 * HuberLoss loss = HuberLoss.builder().delta(2.0).build();   // HuberLoss()
 * Tensor l = loss.call(prediction, target);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.HuberLoss.html">torch.nn.HuberLoss</a>
 */
public final class HuberLoss extends LossBase {
  private final double delta;

  /** {@code nn.HuberLoss()}: PyTorch's defaults. */
  public HuberLoss() {
    this(builder());
  }

  private HuberLoss(Builder b) {
    super(b.reduction);
    this.delta = b.delta;
  }

  /**
   * A builder for the options ({@code delta}, {@code reduction}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code F.huber_loss} of {@code input} and {@code target} with these options. */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.huberLoss(input, target, reduction(), delta);
  }

  /** {@code delta}. */
  public double delta() {
    return delta;
  }

  /** Options of a {@link HuberLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private double delta = 1.0;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /**
     * {@code delta} (default 1): where the loss turns from quadratic to linear; {@code <= 0} fails
     * at the call ({@code huber_loss does not support non-positive values for delta.}).
     */
    public Builder delta(double delta) {
      this.delta = delta;
      return this;
    }

    /** {@code reduction} (default {@code MEAN}). */
    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /** The loss module. */
    public HuberLoss build() {
      return new HuberLoss(this);
    }
  }
}
