package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Flattens a contiguous range of dims into one ({@code torch.nn.Flatten}); by default all dims but
 * the batch dim.
 *
 * <p>Shape: input {@code [*, S_start, ..., S_end, *]}; output {@code [*, S_start * ... * S_end,
 * *]}.
 *
 * <pre>{@code
 * Flatten f = new Flatten();                   // Flatten(start_dim=1, end_dim=-1)
 * Tensor y = f.call(Tensor.randn(32, 1, 5, 5)); // [32, 25]
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Flatten.html">torch.nn.Flatten</a>
 */
public final class Flatten extends Module {
  private final int startDim;
  private final int endDim;

  /** {@code nn.Flatten()}: {@code start_dim=1, end_dim=-1}. */
  public Flatten() {
    this(1, -1);
  }

  /**
   * {@code nn.Flatten(startDim)}: {@code end_dim=-1}.
   *
   * @param startDim first dim to flatten (negative counts from the end)
   */
  public Flatten(int startDim) {
    this(startDim, -1);
  }

  /**
   * {@code nn.Flatten(startDim, endDim)}.
   *
   * @param startDim first dim to flatten
   * @param endDim last dim to flatten (inclusive; negative counts from the end)
   */
  public Flatten(int startDim, int endDim) {
    this.startDim = startDim;
    this.endDim = endDim;
  }

  /** {@code input.flatten(startDim, endDim)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.flatten(input, startDim, endDim);
  }

  /** {@code start_dim=1, end_dim=-1}. */
  @Override
  protected String extraRepr() {
    return "start_dim=" + startDim + ", end_dim=" + endDim;
  }

  /** {@code start_dim}. */
  public int startDim() {
    return startDim;
  }

  /** {@code end_dim}. */
  public int endDim() {
    return endDim;
  }
}
