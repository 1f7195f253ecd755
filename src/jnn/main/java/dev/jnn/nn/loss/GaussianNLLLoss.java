package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Negative log-likelihood of a Gaussian target ({@code torch.nn.GaussianNLLLoss}) with predicted
 * means and variances:
 *
 * <pre>
 * l_n = 0.5 * (log(max(var_n, eps)) + (x_n - y_n)^2 / max(var_n, eps))
 *       (+ 0.5 * log(2 * pi) with full)
 * </pre>
 *
 * <p>Shape: input {@code [N, *]} or {@code [*]}; target broadcastable to it; var the input's shape
 * (one variance per element), the input's shape without its last dim, or with 1 there (one
 * variance per row), non-negative ({@code var has negative entry/entries}, checked on the host);
 * output a scalar, or the input's shape with {@code Reduction.NONE}. The clamp to {@code eps} is
 * not differentiated (PyTorch clamps a clone in place under no-grad): the variance's gradient is
 * taken at the clamped value and passed straight through. Input, target and var all get
 * gradients. Called with three tensors: {@code loss.call(input, target, var)}.
 *
 * <pre>{@code
 * GaussianNLLLoss loss = new GaussianNLLLoss();      // GaussianNLLLoss()
 * Tensor l = loss.call(mean, target, variance);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.GaussianNLLLoss.html">torch.nn.GaussianNLLLoss</a>
 */
public final class GaussianNLLLoss extends ThreeInputLossBase {
  private final boolean full;
  private final double eps;

  /** {@code nn.GaussianNLLLoss()}: PyTorch's defaults. */
  public GaussianNLLLoss() {
    this(builder());
  }

  private GaussianNLLLoss(Builder b) {
    super(b.reduction, "input", "target", "var");
    this.full = b.full;
    this.eps = b.eps;
  }

  /**
   * A builder for the options ({@code full}, {@code eps}, {@code reduction}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code F.gaussian_nll_loss} of {@code input}, {@code target} and {@code var} with these
   * options.
   */
  @Override
  public Tensor forward(Tensor input, Tensor target, Tensor var) {
    return Functional.gaussianNllLoss(input, target, var, full, eps, reduction());
  }

  /** {@code full}. */
  public boolean full() {
    return full;
  }

  /** {@code eps}. */
  public double eps() {
    return eps;
  }

  /** Options of a {@link GaussianNLLLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private boolean full = false;
    private double eps = 1e-6;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /** {@code full} (default false): whether to add the constant {@code 0.5 log(2 pi)}. */
    public Builder full(boolean full) {
      this.full = full;
      return this;
    }

    /** {@code eps} (default 1e-6): the smallest variance used. */
    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /** {@code reduction} (default {@code MEAN}). */
    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /** The loss module. */
    public GaussianNLLLoss build() {
      return new GaussianNLLLoss(this);
    }
  }
}
