package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * 1-D adaptive average pooling ({@code torch.nn.AdaptiveAvgPool1d}): averages each input row down
 * to a fixed length {@code L_out}, output cell {@code i} averaging input positions {@code floor(i
 * * L / L_out)} to {@code ceil((i + 1) * L / L_out)} (exclusive).
 *
 * <p>Shape: input {@code [N, C, L]} or {@code [C, L]}; output {@code [N, C, L_out]}.
 *
 * <pre>{@code
 * AdaptiveAvgPool1d pool = new AdaptiveAvgPool1d(5);   // AdaptiveAvgPool1d(output_size=5)
 * Tensor y = pool.call(Tensor.randn(1, 64, 8));        // [1, 64, 5]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveAvgPool1d.html">torch.nn.AdaptiveAvgPool1d</a>
 */
public final class AdaptiveAvgPool1d extends Module {
  private final int outputSize;

  /**
   * {@code nn.AdaptiveAvgPool1d(outputSize)}.
   *
   * @param outputSize {@code L_out}
   */
  public AdaptiveAvgPool1d(int outputSize) {
    this.outputSize = outputSize;
  }

  /** Pools {@code input} to the output length. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.adaptiveAvgPool1d(input, outputSize);
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
