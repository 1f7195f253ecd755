package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.TensorWithIndices;
import dev.jnn.tensor.Tensor;

/**
 * 3-D adaptive max pooling ({@code torch.nn.AdaptiveMaxPool3d}): pools each input volume to a
 * fixed {@code D_out x H_out x W_out}, output cell {@code (t, i, j)} being the maximum of input
 * depths {@code floor(t * D / D_out)} to {@code ceil((t + 1) * D / D_out)} (exclusive) and the
 * matching rows and columns.
 *
 * <p>Shape: input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}; output {@code [N, C, D_out,
 * H_out, W_out]}. A null output dim ({@code None} in PyTorch) keeps the input's size. PyTorch's
 * {@code return_indices=True} is {@link #forwardWithIndices}.
 *
 * <pre>{@code
 * AdaptiveMaxPool3d pool = new AdaptiveMaxPool3d(5, 7, 9);       // AdaptiveMaxPool3d(output_size=(5, 7, 9))
 * Tensor y = pool.call(Tensor.randn(1, 64, 8, 9, 10));           // [1, 64, 5, 7, 9]
 * AdaptiveMaxPool3d p2 = new AdaptiveMaxPool3d(null, 7, null);   // AdaptiveMaxPool3d(output_size=(None, 7, None))
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveMaxPool3d.html">torch.nn.AdaptiveMaxPool3d</a>
 */
public final class AdaptiveMaxPool3d extends Module {
  private final AdaptiveSize outputSize;

  /**
   * {@code nn.AdaptiveMaxPool3d(outputSize)}: a cubic output.
   *
   * @param outputSize side of the output volume
   */
  public AdaptiveMaxPool3d(int outputSize) {
    this.outputSize = AdaptiveSize.of(outputSize);
  }

  /**
   * {@code nn.AdaptiveMaxPool3d((outputD, outputH, outputW))}; null keeps that dim's input size.
   *
   * @param outputD output depth, or null
   * @param outputH output height, or null
   * @param outputW output width, or null
   */
  public AdaptiveMaxPool3d(Integer outputD, Integer outputH, Integer outputW) {
    this.outputSize = AdaptiveSize.of(outputD, outputH, outputW);
  }

  /** Pools {@code input} to the output size. */
  @Override
  public Tensor forward(Tensor input) {
    return forwardWithIndices(input).output();
  }

  /**
   * The output with the flat index {@code (d * H + h) * W + w} of each maximum inside its volume
   * ({@code return_indices=True}). Unlike {@link #call}, this runs no hooks.
   *
   * @param input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}
   * @return the output and the int64 indices
   */
  public TensorWithIndices forwardWithIndices(Tensor input) {
    return Functional.adaptiveMaxPool3dWithIndices(input, outputSize.resolve(input));
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
