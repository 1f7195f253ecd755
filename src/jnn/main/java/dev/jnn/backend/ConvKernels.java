package dev.jnn.backend;

/**
 * The convolution family of the back-end SPI (NCHW, cross-correlation, zero padding), forward and
 * backward. Conventions shared by the neural-network families ({@link ConvKernels}, {@link
 * PoolKernels}, {@link NormKernels}, {@link SoftmaxKernels}, {@link LossKernels} and {@link
 * IndexKernels#embedding}):
 *
 * <ul>
 *   <li>Every {@link View} argument addresses a contiguous block (row-major, no gaps); its offset
 *       may be non-zero. Arguments documented as optional may be {@code null}.
 *   <li>Output {@link Buffer}s are fresh, contiguous, zero-filled buffers of the documented size
 *       allocated by the caller, with the input's floating dtype unless stated otherwise; kernels
 *       write them from element 0.
 *   <li>Images are NCHW. Floating inputs of one call share one dtype (float32 or float64); index
 *       tensors (targets, pooling indices, embedding indices) are int64.
 *   <li>Sizes have been validated by the caller and arrive as small records ({@link
 *       Conv2dGeometry}, {@link Pool2dGeometry}, {@link BatchNormShape}, ...); the only errors a
 *       kernel raises are data-dependent ones (an index out of range), with PyTorch's message.
 * </ul>
 */
public interface ConvKernels {

  /**
   * 2-D convolution (cross-correlation, zero padding): {@code out[n, o, i, j] = bias[o] + sum over
   * the group's channels and the kernel window of x * weight}.
   *
   * @param x input {@code [n, c, h, w]}
   * @param weight {@code [oc, c / groups, kh, kw]}
   * @param bias optional {@code [oc]}
   * @param out {@code [n, oc, oh, ow]}
   * @param g the sizes
   */
  void conv2d(View x, View weight, View bias, Buffer out, Conv2dGeometry g);

  /**
   * Gradient of {@link #conv2d} with respect to its input (a transposed convolution).
   *
   * @param gradOut {@code [n, oc, oh, ow]}
   * @param weight {@code [oc, c / groups, kh, kw]}
   * @param gradIn {@code [n, c, h, w]} (zero-filled on entry)
   * @param g the sizes
   */
  void conv2dBackwardData(View gradOut, View weight, Buffer gradIn, Conv2dGeometry g);

  /**
   * Gradient of {@link #conv2d} with respect to its weight.
   *
   * @param gradOut {@code [n, oc, oh, ow]}
   * @param x the forward input {@code [n, c, h, w]}
   * @param gradWeight {@code [oc, c / groups, kh, kw]} (zero-filled on entry)
   * @param g the sizes
   */
  void conv2dBackwardFilter(View gradOut, View x, Buffer gradWeight, Conv2dGeometry g);

  /**
   * Gradient of {@link #conv2d} with respect to its bias: {@code gradBias[o] = sum over n, i, j
   * of gradOut[n, o, i, j]}.
   *
   * @param gradOut {@code [n, oc, oh, ow]}
   * @param gradBias {@code [oc]}
   * @param g the sizes
   */
  void conv2dBackwardBias(View gradOut, Buffer gradBias, Conv2dGeometry g);
}
