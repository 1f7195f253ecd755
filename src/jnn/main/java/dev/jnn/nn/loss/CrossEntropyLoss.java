package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Cross-entropy between raw scores and targets ({@code torch.nn.CrossEntropyLoss}). With class
 * index targets:
 *
 * <pre>
 * l_n = -w[y_n] * log(exp(x[n, y_n]) / sum_c exp(x[n, c]))
 * </pre>
 *
 * (0 where {@code y_n == ignore_index}); the mean divides by {@code sum_n w[y_n]} over the
 * non-ignored targets. With class-probability targets (same shape as the input), {@code l_n =
 * -sum_c w[c] * y[n, c] * log_softmax(x)[n, c]}. {@code label_smoothing = e} mixes the target with
 * the uniform distribution: {@code (1 - e) * target + e / C}.
 *
 * <p>Shape: input {@code [N, C]}, {@code [C]} or {@code [N, C, d1, ...]}; target int64 {@code [N]},
 * {@code []} or {@code [N, d1, ...]} with values in {@code [0, C)}, or probabilities of the input's
 * shape; output a scalar, or the target's shape ({@code [N, d1, ...]}) with {@code Reduction.NONE}.
 *
 * <p>The optional class weights are a persistent buffer {@code weight} (in the state dict, moved by
 * {@code to(device)}).
 *
 * <pre>{@code
 * CrossEntropyLoss loss = new CrossEntropyLoss();    // CrossEntropyLoss()
 * Tensor l = loss.call(logits, labels);               // logits [N, 10], labels int64 [N]
 * CrossEntropyLoss smooth = CrossEntropyLoss.builder().labelSmoothing(0.1).ignoreIndex(0).build();
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.CrossEntropyLoss.html">torch.nn.CrossEntropyLoss</a>
 */
public final class CrossEntropyLoss extends LossBase {
  private final int ignoreIndex;
  private final double labelSmoothing;

  /** {@code nn.CrossEntropyLoss()}: no weights, ignore index -100, mean, no smoothing. */
  public CrossEntropyLoss() {
    this(builder());
  }

  private CrossEntropyLoss(Builder b) {
    super(b.reduction);
    if (!(b.labelSmoothing >= 0.0 && b.labelSmoothing <= 1.0)) {
      throw new IllegalArgumentException(
          "label_smoothing must be between 0.0 and 1.0. Got: " + b.labelSmoothing);
    }
    this.ignoreIndex = b.ignoreIndex;
    this.labelSmoothing = b.labelSmoothing;
    registerBuffer("weight", b.weight);
  }

  /**
   * A builder for the options ({@code weight}, {@code ignoreIndex}, {@code reduction}, {@code
   * labelSmoothing}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The loss of {@code input} (raw scores) against {@code target}.
   *
   * @throws IndexOutOfBoundsException {@code Target 10 is out of bounds.}
   */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.crossEntropy(
        input, target, weight(), ignoreIndex, reduction(), labelSmoothing);
  }

  /** The per-class weights {@code [C]} (the registered buffer), or null. */
  public Tensor weight() {
    return getBuffer("weight");
  }

  /** {@code ignore_index}. */
  public int ignoreIndex() {
    return ignoreIndex;
  }

  /** {@code label_smoothing}. */
  public double labelSmoothing() {
    return labelSmoothing;
  }

  /** Options of a {@link CrossEntropyLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private Tensor weight;
    private int ignoreIndex = Functional.DEFAULT_IGNORE_INDEX;
    private Reduction reduction = Reduction.MEAN;
    private double labelSmoothing;

    private Builder() {}

    /**
     * {@code weight} (default null): a rescaling weight per class, {@code [C]}, stored as given.
     */
    public Builder weight(Tensor weight) {
      this.weight = weight;
      return this;
    }

    /** {@code ignore_index} (default -100): a class-index target value that adds nothing. */
    public Builder ignoreIndex(int ignoreIndex) {
      this.ignoreIndex = ignoreIndex;
      return this;
    }

    /** {@code reduction} (default {@code MEAN}). */
    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /** {@code label_smoothing} (default 0), in {@code [0, 1]}. */
    public Builder labelSmoothing(double labelSmoothing) {
      this.labelSmoothing = labelSmoothing;
      return this;
    }

    /**
     * The loss module.
     *
     * @throws IllegalArgumentException {@code label_smoothing must be between 0.0 and 1.0. Got:
     *     1.5}
     */
    public CrossEntropyLoss build() {
      return new CrossEntropyLoss(this);
    }
  }
}
