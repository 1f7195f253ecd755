package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Hinge embedding loss ({@code torch.nn.HingeEmbeddingLoss}), for distances {@code x} between
 * pairs labelled similar ({@code y = 1}) or dissimilar ({@code y = -1}):
 *
 * <pre>
 * l_n = x_n                       if y_n == 1
 *       max(0, margin - x_n)      if y_n == -1
 * </pre>
 *
 * (their sum for any other label).
 *
 * <p>Shape: input {@code [*]}; target broadcastable to it; output a scalar, or the broadcast shape
 * with {@code Reduction.NONE}. The target gets no gradient.
 *
 * <pre>{@code
 * HingeEmbeddingLoss loss = new HingeEmbeddingLoss();   // HingeEmbeddingLoss()
 * Tensor l = loss.call(distances, labels);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.HingeEmbeddingLoss.html">torch.nn.HingeEmbeddingLoss</a>
 */
public final class HingeEmbeddingLoss extends LossBase {
  private final double margin;

  /** {@code nn.HingeEmbeddingLoss()}: PyTorch's defaults. */
  public HingeEmbeddingLoss() {
    this(builder());
  }

  private HingeEmbeddingLoss(Builder b) {
    super(b.reduction);
    this.margin = b.margin;
  }

  /**
   * A builder for the options ({@code margin}, {@code reduction}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code F.hinge_embedding_loss} of {@code input} and {@code target} with these options. */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.hingeEmbeddingLoss(input, target, margin, reduction());
  }

  /** {@code margin}. */
  public double margin() {
    return margin;
  }

  /** Options of a {@link HingeEmbeddingLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private double margin = 1.0;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /** {@code margin} (default 1). */
    public Builder margin(double margin) {
      this.margin = margin;
      return this;
    }

    /** {@code reduction} (default {@code MEAN}). */
    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /** The loss module. */
    public HingeEmbeddingLoss build() {
      return new HingeEmbeddingLoss(this);
    }
  }
}
