package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Cosine embedding loss ({@code torch.nn.CosineEmbeddingLoss}): whether two inputs are similar
 * ({@code y = 1}) or dissimilar ({@code y = -1}), measured by their cosine,
 *
 * <pre>
 * l_n = 1 - cos(x1_n, x2_n)                 if y_n == 1
 *       max(0, cos(x1_n, x2_n) - margin)     if y_n == -1
 * </pre>
 *
 * (0 for any other label), the cosine taken over the last dim with {@code 1e-12} added to each
 * squared norm.
 *
 * <p>Shape: input1 and input2 {@code [N, D]} with target {@code [N]}, or {@code [D]} with a 0-dim
 * target; output a scalar, or {@code [N]} (or 0-dim) with {@code Reduction.NONE}. The target gets
 * no gradient. Called with three tensors: {@code loss.call(input1, input2, target)}.
 *
 * <pre>{@code
 * CosineEmbeddingLoss loss = CosineEmbeddingLoss.builder().margin(0.5).build();
 * Tensor l = loss.call(a, b, labels);                 // CosineEmbeddingLoss()
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.CosineEmbeddingLoss.html">torch.nn.CosineEmbeddingLoss</a>
 */
public final class CosineEmbeddingLoss extends ThreeInputLossBase {
  private final double margin;

  /** {@code nn.CosineEmbeddingLoss()}: PyTorch's defaults. */
  public CosineEmbeddingLoss() {
    this(builder());
  }

  private CosineEmbeddingLoss(Builder b) {
    super(b.reduction, "input1", "input2", "target");
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

  /**
   * {@code F.cosine_embedding_loss} of {@code input1}, {@code input2} and {@code target} with these
   * options.
   */
  @Override
  public Tensor forward(Tensor input1, Tensor input2, Tensor target) {
    return Functional.cosineEmbeddingLoss(input1, input2, target, margin, reduction());
  }

  /** {@code margin}. */
  public double margin() {
    return margin;
  }

  /** Options of a {@link CosineEmbeddingLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private double margin = 0.0;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /** {@code margin} (default 0): in {@code [-1, 1]}, 0 to 0.5 suggested. */
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
    public CosineEmbeddingLoss build() {
      return new CosineEmbeddingLoss(this);
    }
  }
}
