package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Multi-class hinge loss ({@code torch.nn.MultiMarginLoss}): the score of the target class should
 * exceed every other by a margin,
 *
 * <pre>
 * l_n = 1/C * sum_{j != y_n} w[y_n] * max(0, margin - x[n, y_n] + x[n, j])^p
 * </pre>
 *
 * <p>Shape: input {@code [N, C]} or {@code [C]}; target int64 {@code [N]} (or one index) with
 * values in {@code [0, C)} ({@code target out of range} otherwise, checked on the host); output a
 * scalar, or {@code [N]} with {@code Reduction.NONE}. The weight is a persistent buffer and is not
 * differentiated.
 *
 * <pre>{@code
 * MultiMarginLoss loss = MultiMarginLoss.builder().p(2).margin(0.5).build();  // MultiMarginLoss()
 * Tensor l = loss.call(scores, labels);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.MultiMarginLoss.html">torch.nn.MultiMarginLoss</a>
 */
public final class MultiMarginLoss extends LossBase {
  private final int p;
  private final double margin;

  /** {@code nn.MultiMarginLoss()}: PyTorch's defaults. */
  public MultiMarginLoss() {
    this(builder());
  }

  private MultiMarginLoss(Builder b) {
    super(b.reduction);
    if (b.p != 1 && b.p != 2) {
      throw new IllegalArgumentException("only p == 1 and p == 2 supported");
    }
    if (b.weight != null && b.weight.dim() != 1) {
      // PyTorch asserts this (an AssertionError without a message)
      throw new IllegalArgumentException(
          "MultiMarginLoss: weight must be one-dimensional, got shape " + b.weight.shape());
    }
    this.p = b.p;
    this.margin = b.margin;
    registerBuffer("weight", b.weight);
  }

  /**
   * A builder for the options ({@code weight}, {@code p}, {@code margin}, {@code reduction}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code F.multi_margin_loss} of {@code input} and {@code target} with these options. */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.multiMarginLoss(input, target, p, margin, weight(), reduction());
  }

  /** The class weights {@code [C]} (the registered buffer), or null. */
  public Tensor weight() {
    return getBuffer("weight");
  }

  /** {@code p}. */
  public int p() {
    return p;
  }

  /** {@code margin}. */
  public double margin() {
    return margin;
  }

  /** Options of a {@link MultiMarginLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private Tensor weight;
    private int p = 1;
    private double margin = 1.0;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /**
     * {@code weight} (default null): a rescaling weight per class, {@code [C]}, stored as given.
     */
    public Builder weight(Tensor weight) {
      this.weight = weight;
      return this;
    }

    /** {@code p} (default 1): 1 or 2. */
    public Builder p(int p) {
      this.p = p;
      return this;
    }

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

    /**
     * The loss module.
     *
     * @throws IllegalArgumentException {@code only p == 1 and p == 2 supported}, or a weight that
     *     is not one-dimensional
     */
    public MultiMarginLoss build() {
      return new MultiMarginLoss(this);
    }
  }
}
