package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Reverses {@link PixelShuffle}: {@code [*, C, H * r, W * r]} into {@code [*, C * r^2, H, W]}
 * ({@code torch.nn.PixelUnshuffle}); {@code F.pixel_unshuffle}.
 *
 * <p>Shape: input {@code [*, C, H * r, W * r]} (at least 3 dims); output {@code [*, C * r^2, H,
 * W]}.
 *
 * <pre>{@code
 * PixelUnshuffle m = new PixelUnshuffle(3);   // PixelUnshuffle(downscale_factor=3)
 * Tensor y = m.call(Tensor.randn(1, 1, 12, 12));   // [1, 9, 4, 4]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.PixelUnshuffle.html">torch.nn.PixelUnshuffle</a>
 */
public final class PixelUnshuffle extends Module {
  private final int downscaleFactor;

  /**
   * {@code nn.PixelUnshuffle(downscale_factor)}.
   *
   * @param downscaleFactor the factor {@code r} by which height and width shrink
   */
  public PixelUnshuffle(int downscaleFactor) {
    this.downscaleFactor = downscaleFactor;
  }

  /** {@code F.pixel_unshuffle(input, downscale_factor)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.pixelUnshuffle(input, downscaleFactor);
  }

  /** {@code downscale_factor=3}. */
  @Override
  protected String extraRepr() {
    return "downscale_factor=" + downscaleFactor;
  }

  /** {@code downscale_factor}. */
  public int downscaleFactor() {
    return downscaleFactor;
  }
}
