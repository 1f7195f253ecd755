package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Margin ranking loss ({@code torch.nn.MarginRankingLoss}): whether {@code input1} should rank
 * above {@code input2} ({@code y = 1}) or below ({@code y = -1}),
 *
 * <pre>
 * l_n = max(0, -y_n * (x1_n - x2_n) + margin)
 * </pre>
 *
 * <p>Shape: input1, input2 and target with the same number of dims, broadcastable (normally {@code
 * [N]} or 0-dim); output a scalar, or the broadcast shape with {@code Reduction.NONE}. All three
 * get gradients. Called with three tensors: {@code loss.call(input1, input2, target)}.
 *
 * <pre>{@code
 * MarginRankingLoss loss = MarginRankingLoss.builder().margin(0.1).build();  // MarginRankingLoss()
 * Tensor l = loss.call(scoresA, scoresB, order);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.MarginRankingLoss.html">torch.nn.MarginRankingLoss</a>
 */
public final class MarginRankingLoss extends ThreeInputLossBase {
  private final double margin;

  /** {@code nn.MarginRankingLoss()}: PyTorch's defaults. */
  public MarginRankingLoss() {
    this(builder());
  }

  private MarginRankingLoss(Builder b) {
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
   * {@code F.margin_ranking_loss} of {@code input1}, {@code input2} and {@code target} with these
   * options.
   */
  @Override
  public Tensor forward(Tensor input1, Tensor input2, Tensor target) {
    return Functional.marginRankingLoss(input1, input2, target, margin, reduction());
  }

  /** {@code margin}. */
  public double margin() {
    return margin;
  }

  /** Options of a {@link MarginRankingLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private double margin = 0.0;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /** {@code margin} (default 0). */
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
    public MarginRankingLoss build() {
      return new MarginRankingLoss(this);
    }
  }
}
