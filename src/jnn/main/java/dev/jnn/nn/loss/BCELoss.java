package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Binary cross-entropy of probabilities ({@code torch.nn.BCELoss}), for an input that has been
 * through a sigmoid:
 *
 * <pre>
 * l_n = -w_n * (y_n * log(x_n) + (1 - y_n) * log(1 - x_n))
 * </pre>
 *
 * with each log clamped to {@code >= -100}, as PyTorch does, so that an input of exactly 0 or 1
 * gives a finite loss and gradient. {@link BCEWithLogitsLoss} (sigmoid and loss fused) is the
 * numerically stable choice on logits.
 *
 * <p>Shape: input {@code [*]} with values in {@code [0, 1]} (checked on the host: {@code all
 * elements of input should be between 0 and 1}); target the same shape; output a scalar, or the
 * input's shape with {@code Reduction.NONE}. The target gets a gradient too; the weight is a
 * persistent buffer and is not differentiated.
 *
 * <pre>{@code
 * BCELoss loss = new BCELoss();                      // BCELoss()
 * Tensor l = loss.call(probabilities, targets);
 * BCELoss weighted = BCELoss.builder().weight(w).reduction(Reduction.SUM).build();
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.BCELoss.html">torch.nn.BCELoss</a>
 */
public final class BCELoss extends LossBase {

  /** {@code nn.BCELoss()}: PyTorch's defaults. */
  public BCELoss() {
    this(builder());
  }

  private BCELoss(Builder b) {
    super(b.reduction);
    registerBuffer("weight", b.weight);
  }

  /**
   * A builder for the options ({@code weight}, {@code reduction}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code F.binary_cross_entropy} of {@code input} and {@code target} with these options. */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.binaryCrossEntropy(input, target, weight(), reduction());
  }

  /** The element weights (the registered buffer), or null. */
  public Tensor weight() {
    return getBuffer("weight");
  }

  /** Options of a {@link BCELoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private Tensor weight;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /**
     * {@code weight} (default null): a rescaling weight of each element, broadcast to the input,
     * stored as given.
     */
    public Builder weight(Tensor weight) {
      this.weight = weight;
      return this;
    }

    /** {@code reduction} (default {@code MEAN}). */
    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /** The loss module. */
    public BCELoss build() {
      return new BCELoss(this);
    }
  }
}
