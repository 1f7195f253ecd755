package dev.jnn.nn.loss;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Negative log-likelihood of a Poisson-distributed target ({@code torch.nn.PoissonNLLLoss}):
 *
 * <pre>
 * l_n = exp(x_n) - y_n * x_n                 with log_input (the input is the rate's log)
 * l_n = x_n - y_n * log(x_n + eps)           otherwise
 * </pre>
 *
 * plus, with {@code full}, Stirling's approximation of {@code log(y_n!)}, {@code y_n log y_n - y_n
 * + 0.5 log(2 pi y_n)}, where {@code y_n > 1}.
 *
 * <p>Shape: input {@code [*]}; target broadcastable to it; output a scalar, or the broadcast shape
 * with {@code Reduction.NONE}. Input and target both get gradients.
 *
 * <pre>{@code
 * PoissonNLLLoss loss = new PoissonNLLLoss();        // PoissonNLLLoss()
 * Tensor l = loss.call(logRate, counts);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.PoissonNLLLoss.html">torch.nn.PoissonNLLLoss</a>
 */
public final class PoissonNLLLoss extends LossBase {
  private final boolean logInput;
  private final boolean full;
  private final double eps;

  /** {@code nn.PoissonNLLLoss()}: PyTorch's defaults. */
  public PoissonNLLLoss() {
    this(builder());
  }

  private PoissonNLLLoss(Builder b) {
    super(b.reduction);
    this.logInput = b.logInput;
    this.full = b.full;
    this.eps = b.eps;
  }

  /**
   * A builder for the options ({@code logInput}, {@code full}, {@code eps}, {@code reduction}).
   *
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code F.poisson_nll_loss} of {@code input} and {@code target} with these options. */
  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.poissonNllLoss(input, target, logInput, full, eps, reduction());
  }

  /** {@code log_input}. */
  public boolean logInput() {
    return logInput;
  }

  /** {@code full}. */
  public boolean full() {
    return full;
  }

  /** {@code eps}. */
  public double eps() {
    return eps;
  }

  /** Options of a {@link PoissonNLLLoss}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private boolean logInput = true;
    private boolean full = false;
    private double eps = 1e-8;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /** {@code log_input} (default true): whether the input is the log of the rate. */
    public Builder logInput(boolean logInput) {
      this.logInput = logInput;
      return this;
    }

    /** {@code full} (default false): whether to add the Stirling term. */
    public Builder full(boolean full) {
      this.full = full;
      return this;
    }

    /**
     * {@code eps} (default 1e-8): added to the rate before its log when {@code logInput} is false.
     */
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
    public PoissonNLLLoss build() {
      return new PoissonNLLLoss(this);
    }
  }
}
