package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Negative log-likelihood of log-probabilities ({@code torch.nn.NLLLoss}), typically after a {@link
 * dev.jnn.nn.layers.LogSoftmax}:
 *
 * <pre>
 * l_n = -w[y_n] * x[n, y_n]
 * </pre>
 *
 * (0 where {@code y_n == ignore_index}); the mean divides by {@code sum_n w[y_n]} over the
 * non-ignored targets.
 *
 * <p>Shape: input {@code [N, C]}, {@code [C]} or {@code [N, C, d1, ...]}; target int64 {@code [N]},
 * {@code []} or {@code [N, d1, ...]} with values in {@code [0, C)}; output a scalar, or the
 * target's shape with {@code Reduction.NONE}.
 *
 * <pre>{@code
 * NLLLoss loss = new NLLLoss();                       // NLLLoss()
 * Tensor l = loss.call(new LogSoftmax(1).call(logits), labels);
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.NLLLoss.html">torch.nn.NLLLoss</a>
 */
public final class NLLLoss extends LossBase {
  private final int ignoreIndex;

  /** {@code nn.NLLLoss()}: no weights, ignore index -100, mean. */
  public NLLLoss() {
    this(builder());
  }

  private NLLLoss(Builder b) {
    super(b.reduction);
    this.ignoreIndex = b.ignoreIndex;
    registerBuffer("weight", b.weight);
  }

  /**
   * A builder for the options ({@code weight}, {@code ignoreIndex}, {@code reduction}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The loss of {@code input} (log-probabilities) against {@code target}.
   *
   * @throws IndexOutOfBoundsException {@code Target 10 is out of bounds.}
   */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.nllLoss(input, target, weight(), ignoreIndex, reduction());
  }

  /** The per-class weights {@code [C]} (the registered buffer), or null. */
  public Tensor weight() {
    return getBuffer("weight");
  }

  /** {@code ignore_index}. */
  public int ignoreIndex() {
    return ignoreIndex;
  }

  /** Options of an {@link NLLLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private Tensor weight;
    private int ignoreIndex = Functional.DEFAULT_IGNORE_INDEX;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /**
     * {@code weight} (default null): a rescaling weight per class, {@code [C]}, stored as given.
     */
    public Builder weight(Tensor weight) {
      this.weight = weight;
      return this;
    }

    /** {@code ignore_index} (default -100): a target value that adds nothing. */
    public Builder ignoreIndex(int ignoreIndex) {
      this.ignoreIndex = ignoreIndex;
      return this;
    }

    /** {@code reduction} (default {@code MEAN}). */
    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /** The loss module. */
    public NLLLoss build() {
      return new NLLLoss(this);
    }
  }
}
