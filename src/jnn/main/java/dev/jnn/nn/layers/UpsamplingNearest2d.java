package dev.jnn.nn.layers;

/**
 * 2-d nearest-neighbour upsampling of {@code [N, C, H, W]} input ({@code torch.nn.UpsamplingNearest2d}):
 * {@code nn.Upsample(size, scale_factor, mode='nearest')}. PyTorch documents it as deprecated in
 * favour of {@link Upsample}.
 *
 * <pre>{@code
 * UpsamplingNearest2d up = new UpsamplingNearest2d(null, new double[] {2});
 * Tensor y = up.call(Tensor.randn(1, 3, 4, 4));   // [1, 3, 8, 8]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.UpsamplingNearest2d.html">torch.nn.UpsamplingNearest2d</a>
 */
public final class UpsamplingNearest2d extends Upsample {
  /**
   * {@code nn.UpsamplingNearest2d(size, scale_factor)}: exactly one non-null.
   *
   * @param size output {@code (H, W)}, or one element for both, or null
   * @param scaleFactor multiplier of {@code (H, W)}, or one element for both, or null
   */
  public UpsamplingNearest2d(int[] size, double[] scaleFactor) {
    super(size, scaleFactor, "nearest", null, null);
  }
}
