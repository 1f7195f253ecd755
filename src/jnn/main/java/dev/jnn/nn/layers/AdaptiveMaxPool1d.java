package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.TensorWithIndices;
import dev.jnn.tensor.Tensor;

/**
 * 1-D adaptive max pooling ({@code torch.nn.AdaptiveMaxPool1d}): pools each input row to a fixed
 * length {@code L_out}, output cell {@code i} being the maximum of input positions {@code floor(i
 * * L / L_out)} to {@code ceil((i + 1) * L / L_out)} (exclusive).
 *
 * <p>Shape: input {@code [N, C, L]} or {@code [C, L]}; output {@code [N, C, L_out]}. PyTorch's
 * {@code return_indices=True} is {@link #forwardWithIndices}.
 *
 * <pre>{@code
 * AdaptiveMaxPool1d pool = new AdaptiveMaxPool1d(5);   // AdaptiveMaxPool1d(output_size=5)
 * Tensor y = pool.call(Tensor.randn(1, 64, 8));        // [1, 64, 5]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveMaxPool1d.html">torch.nn.AdaptiveMaxPool1d</a>
 */
public final class AdaptiveMaxPool1d extends Module {
  private final int outputSize;

  /**
   * {@code nn.AdaptiveMaxPool1d(outputSize)}.
   *
   * @param outputSize {@code L_out}
   */
  public AdaptiveMaxPool1d(int outputSize) {
    this.outputSize = outputSize;
  }

  /** Pools {@code input} to the output length. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.adaptiveMaxPool1d(input, outputSize);
  }

  /**
   * The output with the position along {@code L} of each maximum ({@code return_indices=True}).
   * Unlike {@link #call}, this runs no hooks.
   *
   * @param input {@code [N, C, L]} or {@code [C, L]}
   * @return the output and the int64 indices
   */
  public TensorWithIndices forwardWithIndices(Tensor input) {
    return Functional.adaptiveMaxPool1dWithIndices(input, outputSize);
  }

  /** {@code output_size=5}. */
  @Override
  protected String extraRepr() {
    return "output_size=" + outputSize;
  }

  /** {@code output_size}. */
  public int outputSize() {
    return outputSize;
  }
}
