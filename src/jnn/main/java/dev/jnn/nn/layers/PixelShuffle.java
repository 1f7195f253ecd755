package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Rearranges {@code [*, C * r^2, H, W]} into {@code [*, C, H * r, W * r]} ({@code
 * torch.nn.PixelShuffle}), the upsampling of sub-pixel convolution; {@code F.pixel_shuffle}.
 *
 * <p>Shape: input {@code [*, C * r^2, H, W]} (at least 3 dims); output {@code [*, C, H * r, W *
 * r]}.
 *
 * <pre>{@code
 * PixelShuffle m = new PixelShuffle(3);   // PixelShuffle(upscale_factor=3)
 * Tensor y = m.call(Tensor.randn(1, 9, 4, 4));   // [1, 1, 12, 12]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.PixelShuffle.html">torch.nn.PixelShuffle</a>
 */
public final class PixelShuffle extends Module {
  private final int upscaleFactor;

  /**
   * {@code nn.PixelShuffle(upscale_factor)}.
   *
   * @param upscaleFactor the factor {@code r} by which height and width grow
   */
  public PixelShuffle(int upscaleFactor) {
    this.upscaleFactor = upscaleFactor;
  }

  /** {@code F.pixel_shuffle(input, upscale_factor)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.pixelShuffle(input, upscaleFactor);
  }

  /** {@code upscale_factor=3}. */
  @Override
  protected String extraRepr() {
    return "upscale_factor=" + upscaleFactor;
  }

  /** {@code upscale_factor}. */
  public int upscaleFactor() {
    return upscaleFactor;
  }
}
