package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Local response normalisation across channels ({@code torch.nn.LocalResponseNorm}), as in AlexNet:
 * {@code y = x / (k + alpha / size * sum of x^2 over the size neighbouring channels)^beta}.
 *
 * <p>Shape: input {@code [N, C, *]} (at least 3 dims); output the same shape.
 *
 * <pre>{@code
 * LocalResponseNorm lrn = new LocalResponseNorm(2);   // LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)
 * Tensor y = lrn.call(Tensor.randn(32, 5, 24, 24));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.LocalResponseNorm.html">torch.nn.LocalResponseNorm</a>
 */
public final class LocalResponseNorm extends Module {
  private final int size;
  private final double alpha;
  private final double beta;
  private final double k;

  /**
   * {@code nn.LocalResponseNorm(size)}: {@code alpha=1e-4, beta=0.75, k=1.0}.
   *
   * @param size the number of neighbouring channels
   */
  public LocalResponseNorm(int size) {
    this(size, 1e-4, 0.75, 1.0);
  }

  /**
   * {@code nn.LocalResponseNorm(size, alpha, beta, k)}.
   *
   * @param size the number of neighbouring channels
   * @param alpha the multiplicative factor
   * @param beta the exponent
   * @param k the additive factor
   */
  public LocalResponseNorm(int size, double alpha, double beta, double k) {
    this.size = size;
    this.alpha = alpha;
    this.beta = beta;
    this.k = k;
  }

  /** {@code F.local_response_norm(input, size, alpha, beta, k)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.localResponseNorm(input, size, alpha, beta, k);
  }

  /** {@code 2, alpha=0.0001, beta=0.75, k=1.0}. */
  @Override
  protected String extraRepr() {
    return size + ", alpha=" + Py.floatRepr(alpha) + ", beta=" + Py.floatRepr(beta) + ", k="
        + Py.floatRepr(k);
  }

  /** {@code size}. */
  public int size() {
    return size;
  }

  /** {@code alpha}. */
  public double alpha() {
    return alpha;
  }

  /** {@code beta}. */
  public double beta() {
    return beta;
  }

  /** {@code k}. */
  public double k() {
    return k;
  }
}
