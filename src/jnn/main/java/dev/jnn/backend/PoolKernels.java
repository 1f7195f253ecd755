package dev.jnn.backend;

/** The pooling family of the back-end SPI (conventions: {@link ConvKernels}). */
public interface PoolKernels {

  /**
   * Max pooling with padding by {@code -inf}; NaN propagates (a NaN in the window wins).
   *
   * @param x {@code [planes, h, w]}
   * @param out {@code [planes, oh, ow]}
   * @param indices optional int64 {@code [planes, oh, ow]}: flat position {@code row * w + col}
   *     of the maximum inside its plane (PyTorch's {@code return_indices})
   * @param g the sizes
   */
  void maxPool2d(View x, Buffer out, Buffer indices, Pool2dGeometry g);

  /**
   * Gradient of {@link #maxPool2d}: {@code gradIn[p, indices[p, i, j]] += gradOut[p, i, j]}.
   *
   * @param gradOut {@code [planes, oh, ow]}
   * @param indices int64 {@code [planes, oh, ow]} from the forward
   * @param gradIn {@code [planes, h, w]} (zero-filled on entry)
   * @param g the sizes
   */
  void maxPool2dBackward(View gradOut, View indices, Buffer gradIn, Pool2dGeometry g);

  /**
   * Average pooling (no dilation) with PyTorch's divisor rules.
   *
   * @param x {@code [planes, h, w]}
   * @param out {@code [planes, oh, ow]}
   * @param g the sizes ({@code dilationH = dilationW = 1})
   * @param countIncludePad whether padded cells count in the divisor
   * @param divisorOverride a fixed divisor, or 0 for none
   */
  void avgPool2d(
      View x, Buffer out, Pool2dGeometry g, boolean countIncludePad, int divisorOverride);

  /**
   * Gradient of {@link #avgPool2d}.
   *
   * @param gradOut {@code [planes, oh, ow]}
   * @param gradIn {@code [planes, h, w]} (zero-filled on entry)
   * @param g the sizes
   * @param countIncludePad as in the forward
   * @param divisorOverride as in the forward
   */
  void avgPool2dBackward(
      View gradOut, Buffer gradIn, Pool2dGeometry g, boolean countIncludePad, int divisorOverride);

  /**
   * Adaptive average pooling: output cell {@code i} averages input rows {@code [floor(i * h / oh),
   * ceil((i + 1) * h / oh))} (likewise for columns).
   *
   * @param x {@code [planes, h, w]}
   * @param out {@code [planes, oh, ow]}
   * @param g the sizes
   */
  void adaptiveAvgPool2d(View x, Buffer out, AdaptivePool2dGeometry g);

  /**
   * Gradient of {@link #adaptiveAvgPool2d}.
   *
   * @param gradOut {@code [planes, oh, ow]}
   * @param gradIn {@code [planes, h, w]} (zero-filled on entry)
   * @param g the sizes
   */
  void adaptiveAvgPool2dBackward(View gradOut, Buffer gradIn, AdaptivePool2dGeometry g);
}
