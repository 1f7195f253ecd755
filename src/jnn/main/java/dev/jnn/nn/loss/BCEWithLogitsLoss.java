package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Binary cross-entropy on logits ({@code torch.nn.BCEWithLogitsLoss}), a sigmoid and a binary
 * cross-entropy fused for numerical stability:
 *
 * <pre>
 * l_n = -w_n * (p * y_n * log(sigmoid(x_n)) + (1 - y_n) * log(1 - sigmoid(x_n)))
 * </pre>
 *
 * where {@code p} is the positive-class weight {@code pos_weight} (1 when absent, broadcast along
 * the last dim) and {@code w_n} the element weight {@code weight} (broadcast to the input).
 *
 * <p>Shape: input {@code [*]}; target the same shape (probabilities); output a scalar, or the
 * input's shape with {@code Reduction.NONE}.
 *
 * <p>{@code weight} and {@code pos_weight} are persistent buffers, in that order.
 *
 * <pre>{@code
 * BCEWithLogitsLoss loss = new BCEWithLogitsLoss();   // BCEWithLogitsLoss()
 * Tensor l = loss.call(logits, targets);
 * BCEWithLogitsLoss rare = BCEWithLogitsLoss.builder().posWeight(Tensor.full(...)).build();
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.BCEWithLogitsLoss.html">torch.nn.BCEWithLogitsLoss</a>
 */
public final class BCEWithLogitsLoss extends LossBase {
  /** {@code nn.BCEWithLogitsLoss()}: no weights, mean. */
  public BCEWithLogitsLoss() {
    this(builder());
  }

  private BCEWithLogitsLoss(Builder b) {
    super(b.reduction);
    registerBuffer("weight", b.weight);
    registerBuffer("pos_weight", b.posWeight);
  }

  /**
   * A builder for the options ({@code weight}, {@code reduction}, {@code posWeight}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The loss of {@code input} (logits) against {@code target} (probabilities).
   *
   * @throws IllegalArgumentException {@code Target size (torch.Size([2])) must be the same as input
   *     size (torch.Size([3]))}
   */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.binaryCrossEntropyWithLogits(
        input, target, weight(), reduction(), posWeight());
  }

  /** The element weights (the registered buffer), or null. */
  public Tensor weight() {
    return getBuffer("weight");
  }

  /** The positive-class weights (the registered buffer), or null. */
  public Tensor posWeight() {
    return getBuffer("pos_weight");
  }

  /** Options of a {@link BCEWithLogitsLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private Tensor weight;
    private Reduction reduction = Reduction.MEAN;
    private Tensor posWeight;

    private Builder() {}

    /** {@code weight} (default null): element weights broadcast to the input, stored as given. */
    public Builder weight(Tensor weight) {
      this.weight = weight;
      return this;
    }

    /** {@code reduction} (default {@code MEAN}). */
    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /**
     * {@code pos_weight} (default null): the weight of positive examples per class, broadcast along
     * the last dim ({@code > 1} raises recall, {@code < 1} precision).
     */
    public Builder posWeight(Tensor posWeight) {
      this.posWeight = posWeight;
      return this;
    }

    /** The loss module. */
    public BCEWithLogitsLoss build() {
      return new BCEWithLogitsLoss(this);
    }
  }
}
