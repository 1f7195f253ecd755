package dev.jnn.backend.cuda;

import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.core.DType;

/**
 * The cuDNN operations the back end needs. Geometries reaching it have symmetric padding (the
 * output size is what cuDNN computes from {@code padTop}/{@code padLeft}); all tensors are dense
 * NCHW, pointers address element 0 (only element-aligned where a contiguous view with an odd
 * offset reaches cuDNN as it is). {@code mode} carries the {@link Cudnn} switches as the caller
 * read them; implementations use it, never the switches themselves.
 */
interface Dnn {
  /** {@code y = conv(x, w)} (no bias). */
  void convForward(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long x, long w, long y);

  /** {@code dx = conv_transpose(dy, w)}. */
  void convBackwardData(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long w, long dy, long dx);

  /** {@code dw = correlation of x and dy}. */
  void convBackwardFilter(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long x, long dy, long dw);

  /** {@code db[o] = sum of dy[:, o, :, :]}. */
  void convBackwardBias(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long dy, long db);

  /** Version and settings, for {@link Cuda#describe()}. */
  String describe();
}
