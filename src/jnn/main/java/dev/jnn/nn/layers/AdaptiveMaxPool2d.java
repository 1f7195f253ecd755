package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.TensorWithIndices;
import dev.jnn.tensor.Tensor;

/**
 * 2-D adaptive max pooling ({@code torch.nn.AdaptiveMaxPool2d}): pools each input plane to a
 * fixed {@code H_out x W_out}, output cell {@code (i, j)} being the maximum of input rows {@code
 * floor(i * H / H_out)} to {@code ceil((i + 1) * H / H_out)} (exclusive) and the matching columns.
 *
 * <p>Shape: input {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, H_out, W_out]}.
 * A null output dim ({@code None} in PyTorch) keeps the input's size. PyTorch's {@code
 * return_indices=True} is {@link #forwardWithIndices}.
 *
 * <pre>{@code
 * AdaptiveMaxPool2d pool = new AdaptiveMaxPool2d(5, 7);     // AdaptiveMaxPool2d(output_size=(5, 7))
 * Tensor y = pool.call(Tensor.randn(1, 64, 8, 9));          // [1, 64, 5, 7]
 * AdaptiveMaxPool2d rows = new AdaptiveMaxPool2d(null, 7);  // AdaptiveMaxPool2d(output_size=(None, 7))
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveMaxPool2d.html">torch.nn.AdaptiveMaxPool2d</a>
 */
public final class AdaptiveMaxPool2d extends Module {
  private final AdaptiveSize outputSize;

  /**
   * {@code nn.AdaptiveMaxPool2d(outputSize)}: a square output.
   *
   * @param outputSize side of the output plane
   */
  public AdaptiveMaxPool2d(int outputSize) {
    this.outputSize = AdaptiveSize.of(outputSize);
  }

  /**
   * {@code nn.AdaptiveMaxPool2d((outputH, outputW))}; null keeps that dim's input size.
   *
   * @param outputH output height, or null
   * @param outputW output width, or null
   */
  public AdaptiveMaxPool2d(Integer outputH, Integer outputW) {
    this.outputSize = AdaptiveSize.of(outputH, outputW);
  }

  /** Pools {@code input} to the output size. */
  @Override
  public Tensor forward(Tensor input) {
    return forwardWithIndices(input).output();
  }

  /**
   * The output with the flat index {@code row * W + column} of each maximum inside its plane
   * ({@code return_indices=True}). Unlike {@link #call}, this runs no hooks.
   *
   * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
   * @return the output and the int64 indices
   */
  public TensorWithIndices forwardWithIndices(Tensor input) {
    return Functional.adaptiveMaxPool2dWithIndices(input, outputSize.resolve(input));
  }

  /** {@code output_size=3}, {@code output_size=(5, 7)} or {@code output_size=(None, 7)}. */
  @Override
  protected String extraRepr() {
    return "output_size=" + outputSize;
  }

  /** {@code output_size} as given: one value, or {@code {H_out, W_out}} with null for None. */
  public Integer[] outputSize() {
    return outputSize.toArray();
  }
}
