package dev.jnn.nn.layers;

/**
 * 2-d bilinear (with {@code align_corners=True}) upsampling of {@code [N, C, H, W]} input ({@code torch.nn.UpsamplingBilinear2d}):
 * {@code nn.Upsample(size, scale_factor, mode='bilinear', align_corners=True)}. PyTorch documents it as deprecated in
 * favour of {@link Upsample}.
 *
 * <pre>{@code
 * UpsamplingBilinear2d up = new UpsamplingBilinear2d(null, new double[] {2});
 * Tensor y = up.call(Tensor.randn(1, 3, 4, 4));   // [1, 3, 8, 8]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.UpsamplingBilinear2d.html">torch.nn.UpsamplingBilinear2d</a>
 */
public final class UpsamplingBilinear2d extends Upsample {
  /**
   * {@code nn.UpsamplingBilinear2d(size, scale_factor)}: exactly one non-null.
   *
   * @param size output {@code (H, W)}, or one element for both, or null
   * @param scaleFactor multiplier of {@code (H, W)}, or one element for both, or null
   */
  public UpsamplingBilinear2d(int[] size, double[] scaleFactor) {
    super(size, scaleFactor, "bilinear", true, null);
  }
}
