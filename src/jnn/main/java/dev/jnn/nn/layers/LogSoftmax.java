package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.LogSoftmax}: {@code LogSoftmax(x_i) = log(exp(x_i) / sum_j exp(x_j))} along
 * {@code dim}, computed stably (use it with {@link dev.jnn.nn.loss.NLLLoss}).
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * LogSoftmax m = new LogSoftmax(1);                // LogSoftmax(dim=1)
 * Tensor y = m.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * <p>{@code new LogSoftmax()} is PyTorch's deprecated {@code dim=None}: the dim is then chosen from
 * the input's rank (0 for 0-, 1- and 3-dim inputs, else 1), as PyTorch does (without its warning).
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.LogSoftmax.html">torch.nn.LogSoftmax</a>
 */
public final class LogSoftmax extends Module {
  private final Integer dim;

  /**
   * {@code nn.LogSoftmax(dim)}.
   *
   * @param dim the dim along which to normalise (negative counts from the end)
   */
  public LogSoftmax(int dim) {
    this.dim = dim;
  }

  /** {@code nn.LogSoftmax()} ({@code dim=None}): the dim is implied by the input's rank. */
  public LogSoftmax() {
    this.dim = null;
  }

  /** {@code logSoftmax(input, dim)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.logSoftmax(input, dim == null ? implicitDim(input.dim()) : dim);
  }

  /** PyTorch's {@code _get_softmax_dim} for {@code dim=None}. */
  private static int implicitDim(int ndim) {
    return ndim == 0 || ndim == 1 || ndim == 3 ? 0 : 1;
  }

  /** {@code dim=1} or {@code dim=None}. */
  @Override
  protected String extraRepr() {
    return "dim=" + (dim == null ? "None" : dim.toString());
  }

  /** {@code dim}, or null for the implicit choice. */
  public Integer dim() {
    return dim;
  }
}
