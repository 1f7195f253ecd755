package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Triplet margin loss ({@code torch.nn.TripletMarginLoss}): an anchor should be nearer its
 * positive example than its negative one by a margin,
 *
 * <pre>
 * l_n = max(0, margin + d(a_n, p_n) - d(a_n, n_n)),   d(x, y) = ||x - y + eps||_p
 * </pre>
 *
 * the norm over the last dim ({@code F.pairwise_distance}); with {@code swap}, {@code d(a_n, n_n)}
 * becomes {@code min(d(a_n, n_n), d(p_n, n_n))}.
 *
 * <p>Shape: anchor, positive and negative {@code [N, D]} or {@code [D]} (the same number of dims,
 * broadcastable); output a scalar, or {@code [N]} with {@code Reduction.NONE}. All three get
 * gradients. Called with three tensors: {@code loss.call(anchor, positive, negative)}.
 *
 * <pre>{@code
 * TripletMarginLoss loss = TripletMarginLoss.builder().margin(0.5).swap(true).build();
 * Tensor l = loss.call(anchor, positive, negative);  // TripletMarginLoss()
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.TripletMarginLoss.html">torch.nn.TripletMarginLoss</a>
 */
public final class TripletMarginLoss extends ThreeInputLossBase {
  private final double margin;
  private final double p;
  private final double eps;
  private final boolean swap;

  /** {@code nn.TripletMarginLoss()}: PyTorch's defaults. */
  public TripletMarginLoss() {
    this(builder());
  }

  private TripletMarginLoss(Builder b) {
    super(b.reduction, "anchor", "positive", "negative");
    this.margin = b.margin;
    this.p = b.p;
    this.eps = b.eps;
    this.swap = b.swap;
  }

  /**
   * A builder for the options ({@code margin}, {@code p}, {@code eps}, {@code swap}, {@code
   * reduction}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code F.triplet_margin_loss} of {@code anchor}, {@code positive} and {@code negative} with
   * these options.
   */
  @Override
  public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
    return Functional.tripletMarginLoss(
        anchor, positive, negative, margin, p, eps, swap, reduction());
  }

  /** {@code margin}. */
  public double margin() {
    return margin;
  }

  /** {@code p}. */
  public double p() {
    return p;
  }

  /** {@code eps}. */
  public double eps() {
    return eps;
  }

  /** {@code swap}. */
  public boolean swap() {
    return swap;
  }

  /** Options of a {@link TripletMarginLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private double margin = 1.0;
    private double p = 2.0;
    private double eps = 1e-6;
    private boolean swap = false;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /** {@code margin} (default 1). */
    public Builder margin(double margin) {
      this.margin = margin;
      return this;
    }

    /** {@code p} (default 2): the order of the norm. */
    public Builder p(double p) {
      this.p = p;
      return this;
    }

    /** {@code eps} (default 1e-6): added to the differences. */
    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /** {@code swap} (default false): use the distance swap (V. Balntas et al., 2016). */
    public Builder swap(boolean swap) {
      this.swap = swap;
      return this;
    }

    /** {@code reduction} (default {@code MEAN}). */
    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /** The loss module. */
    public TripletMarginLoss build() {
      return new TripletMarginLoss(this);
    }
  }
}
