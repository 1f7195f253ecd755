package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * 3-D adaptive average pooling ({@code torch.nn.AdaptiveAvgPool3d}): averages each input volume
 * down to a fixed {@code D_out x H_out x W_out}, output cell {@code (t, i, j)} averaging input
 * depths {@code floor(t * D / D_out)} to {@code ceil((t + 1) * D / D_out)} (exclusive) and the
 * matching rows and columns.
 *
 * <p>Shape: input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}; output {@code [N, C, D_out,
 * H_out, W_out]}. A null output dim ({@code None} in PyTorch) keeps the input's size.
 *
 * <pre>{@code
 * AdaptiveAvgPool3d pool = new AdaptiveAvgPool3d(5, 7, 9);       // AdaptiveAvgPool3d(output_size=(5, 7, 9))
 * Tensor y = pool.call(Tensor.randn(1, 64, 8, 9, 10));           // [1, 64, 5, 7, 9]
 * AdaptiveAvgPool3d p2 = new AdaptiveAvgPool3d(null, 7, null);   // AdaptiveAvgPool3d(output_size=(None, 7, None))
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveAvgPool3d.html">torch.nn.AdaptiveAvgPool3d</a>
 */
public final class AdaptiveAvgPool3d extends Module {
  private final AdaptiveSize outputSize;

  /**
   * {@code nn.AdaptiveAvgPool3d(outputSize)}: a cubic output.
   *
   * @param outputSize side of the output volume
   */
  public AdaptiveAvgPool3d(int outputSize) {
    this.outputSize = AdaptiveSize.of(outputSize);
  }

  /**
   * {@code nn.AdaptiveAvgPool3d((outputD, outputH, outputW))}; null keeps that dim's input size.
   *
   * @param outputD output depth, or null
   * @param outputH output height, or null
   * @param outputW output width, or null
   */
  public AdaptiveAvgPool3d(Integer outputD, Integer outputH, Integer outputW) {
    this.outputSize = AdaptiveSize.of(outputD, outputH, outputW);
  }

  /** Pools {@code input} to the output size. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.adaptiveAvgPool3d(input, outputSize.resolve(input));
  }

  /** {@code output_size=3}, {@code output_size=(5, 7, 9)} or {@code output_size=(None, 7, 9)}. */
  @Override
  protected String extraRepr() {
    return "output_size=" + outputSize;
  }

  /** {@code output_size} as given: one value, or three with null for None. */
  public Integer[] outputSize() {
    return outputSize.toArray();
  }
}
