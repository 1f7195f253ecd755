package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Softplus}: {@code log(1 + exp(beta * x)) / beta}, element-wise, reverting to
 * {@code x} where {@code beta * x > threshold} for numerical stability.
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * Softplus act = new Softplus();   // Softplus(beta=1, threshold=20)
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * <p>The repr follows Python's: PyTorch's defaults are the ints {@code 1} and {@code 20}, and a
 * value given here is a Python float ({@code new Softplus(2.0)} prints as {@code
 * nn.Softplus(beta=2.0)}: {@code beta=2.0, threshold=20}).
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Softplus.html">torch.nn.Softplus</a>
 */
public final class Softplus extends Module {
  private final double beta;
  private final double threshold;
  private final String betaRepr;
  private final String thresholdRepr;

  /** {@code nn.Softplus()}: beta 1, threshold 20. */
  public Softplus() {
    this(1.0, 20.0, "1", "20");
  }

  /** {@code nn.Softplus(beta)}. */
  public Softplus(double beta) {
    this(beta, 20.0, Py.floatRepr(beta), "20");
  }

  /** {@code nn.Softplus(beta, threshold)}. */
  public Softplus(double beta, double threshold) {
    this(beta, threshold, Py.floatRepr(beta), Py.floatRepr(threshold));
  }

  private Softplus(double beta, double threshold, String betaRepr, String thresholdRepr) {
    this.beta = beta;
    this.threshold = threshold;
    this.betaRepr = betaRepr;
    this.thresholdRepr = thresholdRepr;
  }

  /** {@code F.softplus(input, beta, threshold)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.softplus(input, beta, threshold);
  }

  /** {@code beta=1, threshold=20}. */
  @Override
  protected String extraRepr() {
    return "beta=" + betaRepr + ", threshold=" + thresholdRepr;
  }

  /** {@code beta}. */
  public double beta() {
    return beta;
  }

  /** {@code threshold}. */
  public double threshold() {
    return threshold;
  }
}
