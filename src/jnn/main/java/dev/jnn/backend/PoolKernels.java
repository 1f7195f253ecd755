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

  // ---------------------------------------------------------------- 3-D and adaptive max (issue 20)

  /**
   * 3-D max pooling with padding by {@code -inf}; NaN propagates, ties keep the first maximum in
   * {@code (depth, row, column)} scan order (PyTorch's {@code max_pool3d} CPU kernel).
   *
   * @param x {@code [planes, d, h, w]}
   * @param out {@code [planes, od, oh, ow]}
   * @param indices optional int64 {@code [planes, od, oh, ow]}: flat position {@code (t * h + r) * w
   *     + c} of the maximum inside its volume
   * @param g the sizes
   */
  void maxPool3d(View x, Buffer out, Buffer indices, Pool3dGeometry g);

  /**
   * 3-D average pooling (no dilation) with PyTorch's divisor rules ({@code avg_pool3d}).
   *
   * @param x {@code [planes, d, h, w]}
   * @param out {@code [planes, od, oh, ow]}
   * @param g the sizes ({@code dilation* = 1})
   * @param countIncludePad whether padded cells count in the divisor
   * @param divisorOverride a fixed divisor, or 0 for none
   */
  void avgPool3d(
      View x, Buffer out, Pool3dGeometry g, boolean countIncludePad, int divisorOverride);

  /**
   * Gradient of {@link #avgPool3d}.
   *
   * @param gradOut {@code [planes, od, oh, ow]}
   * @param gradIn {@code [planes, d, h, w]} (zero-filled on entry)
   * @param g the sizes
   * @param countIncludePad as in the forward
   * @param divisorOverride as in the forward
   */
  void avgPool3dBackward(
      View gradOut, Buffer gradIn, Pool3dGeometry g, boolean countIncludePad, int divisorOverride);

  /**
   * Adaptive max pooling over {@link AdaptivePool3dGeometry}'s windows, NaN propagating, ties
   * keeping the first maximum in scan order; the 1-D and 2-D forms are its {@code d = 1} cases.
   *
   * @param x {@code [planes, d, h, w]}
   * @param out {@code [planes, od, oh, ow]}
   * @param indices int64 {@code [planes, od, oh, ow]}: flat position of the maximum in its volume
   * @param g the sizes
   */
  void adaptiveMaxPool3d(View x, Buffer out, Buffer indices, AdaptivePool3dGeometry g);

  /**
   * Adaptive 3-D average pooling over {@link AdaptivePool3dGeometry}'s windows.
   *
   * @param x {@code [planes, d, h, w]}
   * @param out {@code [planes, od, oh, ow]}
   * @param g the sizes
   */
  void adaptiveAvgPool3d(View x, Buffer out, AdaptivePool3dGeometry g);

  /**
   * Gradient of {@link #adaptiveAvgPool3d}.
   *
   * @param gradOut {@code [planes, od, oh, ow]}
   * @param gradIn {@code [planes, d, h, w]} (zero-filled on entry)
   * @param g the sizes
   */
  void adaptiveAvgPool3dBackward(View gradOut, Buffer gradIn, AdaptivePool3dGeometry g);

  /**
   * The gradient of every max pooling that records indices (3-D, adaptive): {@code gradIn[p,
   * indices[p, k]] += gradOut[p, k]}. It is {@link #maxPool2dBackward}, which reads only the plane
   * sizes, on planes seen as one row.
   *
   * @param gradOut {@code [planes, outPlane]}
   * @param indices int64 {@code [planes, outPlane]}: flat positions inside each input plane
   * @param gradIn {@code [planes, inPlane]} (zero-filled on entry)
   * @param planes number of planes
   * @param inPlane elements of one input plane (or volume)
   * @param outPlane elements of one output plane (or volume)
   */
  default void indexedPoolBackward(
      View gradOut, View indices, Buffer gradIn, int planes, int inPlane, int outPlane) {
    maxPool2dBackward(
        gradOut,
        indices,
        gradIn,
        new Pool2dGeometry(planes, 1, inPlane, 1, 1, 1, 1, 0, 0, 1, 1, 1, outPlane));
  }
}
