package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Multi-label one-versus-all logistic loss ({@code torch.nn.MultiLabelSoftMarginLoss}), one
 * binary decision per class:
 *
 * <pre>
 * l_n = -1/C * sum_c w_c * (y_nc * log(sigmoid(x_nc)) + (1 - y_nc) * log(sigmoid(-x_nc)))
 * </pre>
 *
 * <p>Shape: input {@code [N, C]} (or {@code [C]}); target 0/1 labels of the same shape; output a
 * scalar, or {@code [N]} with {@code Reduction.NONE}. Input, target and weight get gradients (the
 * loss is written in Python in PyTorch, so nothing refuses them).
 *
 * <pre>{@code
 * MultiLabelSoftMarginLoss loss = new MultiLabelSoftMarginLoss();  // MultiLabelSoftMarginLoss()
 * Tensor l = loss.call(scores, labels);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.MultiLabelSoftMarginLoss.html">torch.nn.MultiLabelSoftMarginLoss</a>
 */
public final class MultiLabelSoftMarginLoss extends LossBase {

  /** {@code nn.MultiLabelSoftMarginLoss()}: PyTorch's defaults. */
  public MultiLabelSoftMarginLoss() {
    this(builder());
  }

  private MultiLabelSoftMarginLoss(Builder b) {
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

  /**
   * {@code F.multilabel_soft_margin_loss} of {@code input} and {@code target} with these options.
   */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.multilabelSoftMarginLoss(input, target, weight(), reduction());
  }

  /** The class weights (the registered buffer), or null. */
  public Tensor weight() {
    return getBuffer("weight");
  }

  /** Options of a {@link MultiLabelSoftMarginLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private Tensor weight;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /**
     * {@code weight} (default null): a rescaling weight per class, {@code [C]}, stored as given.
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
    public MultiLabelSoftMarginLoss build() {
      return new MultiLabelSoftMarginLoss(this);
    }
  }
}
