package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * 2-D adaptive average pooling ({@code torch.nn.AdaptiveAvgPool2d}): averages each input plane down
 * to a fixed {@code H_out x W_out}, whatever the input size. Output cell {@code i} averages input
 * rows {@code floor(i * H / H_out)} to {@code ceil((i + 1) * H / H_out)} (exclusive), likewise for
 * columns.
 *
 * <p>Shape: input {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, H_out, W_out]}. A
 * null output dim ({@code None} in PyTorch) keeps the input's size.
 *
 * <pre>{@code
 * AdaptiveAvgPool2d gap = new AdaptiveAvgPool2d(1);        // AdaptiveAvgPool2d(output_size=1)
 * Tensor y = gap.call(Tensor.randn(8, 512, 7, 7));         // [8, 512, 1, 1]
 * AdaptiveAvgPool2d rows = new AdaptiveAvgPool2d(null, 7); // AdaptiveAvgPool2d(output_size=(None, 7))
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveAvgPool2d.html">torch.nn.AdaptiveAvgPool2d</a>
 */
public final class AdaptiveAvgPool2d extends Module {
  private final Integer outputH;
  private final Integer outputW;
  private final boolean single;

  /**
   * {@code nn.AdaptiveAvgPool2d(outputSize)}: a square output.
   *
   * @param outputSize side of the output plane
   */
  public AdaptiveAvgPool2d(int outputSize) {
    this.outputH = outputSize;
    this.outputW = outputSize;
    this.single = true;
  }

  /**
   * {@code nn.AdaptiveAvgPool2d((outputH, outputW))}; null keeps that dim's input size.
   *
   * @param outputH output height, or null
   * @param outputW output width, or null
   */
  public AdaptiveAvgPool2d(Integer outputH, Integer outputW) {
    this.outputH = outputH;
    this.outputW = outputW;
    this.single = false;
  }

  /**
   * Pools {@code input} to the output size.
   *
   * @throws IllegalArgumentException {@code adaptive_avg_pool2d(): Expected 3D or 4D tensor, but
   *     got [2, 3]}
   */
  @Override
  public Tensor forward(Tensor input) {
    int oh;
    int ow;
    if (outputH == null || outputW == null) {
      if (input.dim() < 2) {
        throw new IllegalArgumentException(
            "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got " + input.shape());
      }
      oh = outputH == null ? input.shape().getInt(-2) : outputH;
      ow = outputW == null ? input.shape().getInt(-1) : outputW;
    } else {
      oh = outputH;
      ow = outputW;
    }
    return Functional.adaptiveAvgPool2d(input, new int[] {oh, ow});
  }

  /** {@code output_size=1}, {@code output_size=(5, 7)} or {@code output_size=(None, 7)}. */
  @Override
  protected String extraRepr() {
    if (single) {
      return "output_size=" + outputH;
    }
    return "output_size=("
        + (outputH == null ? "None" : outputH)
        + ", "
        + (outputW == null ? "None" : outputW)
        + ")";
  }

  /** {@code output_size} as {@code {H_out, W_out}}; a null entry keeps the input's size. */
  public Integer[] outputSize() {
    return new Integer[] {outputH, outputW};
  }
}
