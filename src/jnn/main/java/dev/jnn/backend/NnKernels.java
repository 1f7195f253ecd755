package dev.jnn.backend;

/**
 * Neural-network kernel family of a back end: convolution, pooling, normalisation, softmax and
 * loss kernels, forward and backward, on buffers and views (never tensors).
 *
 * <p>Conventions for every method:
 *
 * <ul>
 *   <li>Every {@link View} argument addresses a contiguous block (row-major, no gaps); its offset
 *       may be non-zero. Arguments documented as optional may be {@code null}.
 *   <li>Output {@link Buffer}s are fresh, contiguous, zero-filled buffers of the documented size
 *       allocated by the caller, with the input's floating dtype unless stated otherwise; kernels
 *       write them from element 0.
 *   <li>Images are NCHW. Floating inputs of one call share one dtype (float32 or float64); index
 *       tensors (targets, pooling indices, embedding indices) are int64.
 *   <li>Sizes have been validated by the caller ({@code dev.jnn.nn.functional.Functional}); the
 *       only errors a kernel raises are data-dependent ones (an index out of range), with
 *       PyTorch's message.
 * </ul>
 */
public interface NnKernels {

  // ------------------------------------------------------------------ convolution

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

  // ------------------------------------------------------------------ pooling

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
   * @param planes number of planes
   * @param h input height
   * @param w input width
   * @param oh output height
   * @param ow output width
   */
  void adaptiveAvgPool2d(View x, Buffer out, int planes, int h, int w, int oh, int ow);

  /**
   * Gradient of {@link #adaptiveAvgPool2d}.
   *
   * @param gradOut {@code [planes, oh, ow]}
   * @param gradIn {@code [planes, h, w]} (zero-filled on entry)
   * @param planes number of planes
   * @param h input height
   * @param w input width
   * @param oh output height
   * @param ow output width
   */
  void adaptiveAvgPool2dBackward(
      View gradOut, Buffer gradIn, int planes, int h, int w, int oh, int ow);

  // ------------------------------------------------------------------ normalisation

  /**
   * Batch normalisation with batch statistics. The input is seen as {@code [n, c, spatial]};
   * statistics are per channel over {@code n * spatial} values.
   *
   * @param x input {@code [n, c, spatial]}
   * @param weight optional {@code [c]} (scale, 1 when absent)
   * @param bias optional {@code [c]} (shift, 0 when absent)
   * @param n batch size
   * @param c channels
   * @param spatial product of the dims after the channel dim (1 for 2-D input)
   * @param eps added to the variance
   * @param out {@code [n, c, spatial]}
   * @param mean {@code [c]}: the batch mean
   * @param var {@code [c]}: the biased batch variance
   */
  void batchNormTraining(
      View x,
      View weight,
      View bias,
      int n,
      int c,
      int spatial,
      double eps,
      Buffer out,
      Buffer mean,
      Buffer var);

  /**
   * Batch normalisation with given statistics (evaluation mode): {@code out = (x - mean) /
   * sqrt(var + eps) * weight + bias}.
   *
   * @param x input {@code [n, c, spatial]}
   * @param weight optional {@code [c]}
   * @param bias optional {@code [c]}
   * @param mean {@code [c]} (the running mean)
   * @param var {@code [c]} (the running variance)
   * @param n batch size
   * @param c channels
   * @param spatial product of the dims after the channel dim
   * @param eps added to the variance
   * @param out {@code [n, c, spatial]}
   */
  void batchNormInference(
      View x,
      View weight,
      View bias,
      View mean,
      View var,
      int n,
      int c,
      int spatial,
      double eps,
      Buffer out);

  /**
   * Gradient of batch normalisation. With {@code training} the statistics are the batch's (and the
   * input gradient flows through them); otherwise they are constants.
   *
   * @param gradOut {@code [n, c, spatial]}
   * @param x the forward input {@code [n, c, spatial]}
   * @param weight optional {@code [c]}
   * @param mean {@code [c]}: the mean used in the forward
   * @param var {@code [c]}: the variance used in the forward (biased batch variance when training)
   * @param training whether the forward used batch statistics
   * @param n batch size
   * @param c channels
   * @param spatial product of the dims after the channel dim
   * @param eps as in the forward
   * @param gradIn optional {@code [n, c, spatial]}
   * @param gradWeight optional {@code [c]}
   * @param gradBias optional {@code [c]}
   */
  void batchNormBackward(
      View gradOut,
      View x,
      View weight,
      View mean,
      View var,
      boolean training,
      int n,
      int c,
      int spatial,
      double eps,
      Buffer gradIn,
      Buffer gradWeight,
      Buffer gradBias);

  /**
   * Layer normalisation over the last {@code cols} values of each row.
   *
   * @param x {@code [rows, cols]}
   * @param weight optional {@code [cols]}
   * @param bias optional {@code [cols]}
   * @param rows number of normalised groups
   * @param cols elements per group
   * @param eps added to the variance
   * @param out {@code [rows, cols]}
   * @param mean {@code [rows]}
   * @param rstd {@code [rows]}: {@code 1 / sqrt(biased var + eps)}
   */
  void layerNorm(
      View x,
      View weight,
      View bias,
      int rows,
      int cols,
      double eps,
      Buffer out,
      Buffer mean,
      Buffer rstd);

  /**
   * Gradient of {@link #layerNorm}.
   *
   * @param gradOut {@code [rows, cols]}
   * @param x the forward input
   * @param weight optional {@code [cols]}
   * @param mean {@code [rows]} from the forward
   * @param rstd {@code [rows]} from the forward
   * @param rows number of groups
   * @param cols elements per group
   * @param gradIn optional {@code [rows, cols]}
   * @param gradWeight optional {@code [cols]}
   * @param gradBias optional {@code [cols]}
   */
  void layerNormBackward(
      View gradOut,
      View x,
      View weight,
      View mean,
      View rstd,
      int rows,
      int cols,
      Buffer gradIn,
      Buffer gradWeight,
      Buffer gradBias);

  // ------------------------------------------------------------------ softmax

  /**
   * Softmax (or log-softmax) along the middle dim of {@code [outer, size, inner]}, numerically
   * stable (the maximum is subtracted first).
   *
   * @param x {@code [outer, size, inner]}
   * @param outer product of the dims before the softmax dim
   * @param size length of the softmax dim
   * @param inner product of the dims after it
   * @param log log-softmax instead of softmax
   * @param out {@code [outer, size, inner]}
   */
  void softmax(View x, int outer, int size, int inner, boolean log, Buffer out);

  /**
   * Gradient of {@link #softmax}: {@code y * (g - sum(g * y))} for softmax, {@code g - exp(y) *
   * sum(g)} for log-softmax, sums along the softmax dim.
   *
   * @param gradOut {@code [outer, size, inner]}
   * @param out the forward output
   * @param outer as in the forward
   * @param size as in the forward
   * @param inner as in the forward
   * @param log as in the forward
   * @param gradIn {@code [outer, size, inner]}
   */
  void softmaxBackward(
      View gradOut, View out, int outer, int size, int inner, boolean log, Buffer gradIn);

  // ------------------------------------------------------------------ losses and lookups

  /**
   * Negative log-likelihood per element: {@code loss[n, s] = -weight[t] * input[n, t, s]} with
   * {@code t = target[n, s]}, and 0 where {@code t == ignoreIndex}.
   *
   * @param input log-probabilities {@code [n, c, spatial]}
   * @param target int64 {@code [n, spatial]}
   * @param weight optional class weights {@code [c]}
   * @param n batch size
   * @param c classes
   * @param spatial extra dims (1 for {@code [n, c]} input)
   * @param ignoreIndex target value that contributes nothing
   * @param loss {@code [n, spatial]}
   * @param weights optional {@code [n, spatial]}: {@code weight[t]} (0 where ignored), whose sum
   *     is the mean reduction's divisor
   * @throws IndexOutOfBoundsException {@code "Target 10 is out of bounds."} for a target outside
   *     {@code [0, c)} that is not {@code ignoreIndex}
   */
  void nllLoss(
      View input,
      View target,
      View weight,
      int n,
      int c,
      int spatial,
      long ignoreIndex,
      Buffer loss,
      Buffer weights);

  /**
   * Gradient of {@link #nllLoss}: {@code gradIn[n, t, s] = -weight[t] * gradLoss[n, s] * scale}.
   *
   * @param gradLoss {@code [n, spatial]}, or one element used for all positions
   * @param target int64 {@code [n, spatial]}
   * @param weight optional {@code [c]}
   * @param n batch size
   * @param c classes
   * @param spatial extra dims
   * @param ignoreIndex as in the forward
   * @param scale factor applied to {@code gradLoss} (e.g. {@code 1 / total weight} for a mean)
   * @param gradIn {@code [n, c, spatial]} (zero-filled on entry)
   */
  void nllLossBackward(
      View gradLoss,
      View target,
      View weight,
      int n,
      int c,
      int spatial,
      long ignoreIndex,
      double scale,
      Buffer gradIn);

  /**
   * Fused gradient of {@code nllLoss(logSoftmax(x, 1))} with respect to {@code x}: {@code gradIn[n,
   * k, s] = gradLoss[n, s] * scale * weight[t] * (exp(logProbs[n, k, s]) - [k == t])}, 0 where
   * ignored.
   *
   * @param gradLoss {@code [n, spatial]}, or one element used for all positions
   * @param logProbs the log-softmax output {@code [n, c, spatial]}
   * @param target int64 {@code [n, spatial]}
   * @param weight optional {@code [c]}
   * @param n batch size
   * @param c classes
   * @param spatial extra dims
   * @param ignoreIndex as in the forward
   * @param scale factor applied to {@code gradLoss}
   * @param gradIn {@code [n, c, spatial]}
   */
  void crossEntropyBackward(
      View gradLoss,
      View logProbs,
      View target,
      View weight,
      int n,
      int c,
      int spatial,
      long ignoreIndex,
      double scale,
      Buffer gradIn);

  /**
   * Embedding lookup: {@code out[i, :] = weight[indices[i], :]}.
   *
   * @param weight {@code [num, dim]}
   * @param indices int64 {@code [count]}
   * @param count number of indices
   * @param num rows of the table
   * @param dim row length
   * @param out {@code [count, dim]}
   * @throws IndexOutOfBoundsException {@code "index out of range in self"} for an index outside
   *     {@code [0, num)}
   */
  void embedding(View weight, View indices, int count, int num, int dim, Buffer out);

  /**
   * Gradient of {@link #embedding}: {@code gradWeight[indices[i], :] += gradOut[i, :]}, skipping
   * {@code paddingIdx}.
   *
   * @param gradOut {@code [count, dim]}
   * @param indices int64 {@code [count]}
   * @param count number of indices
   * @param num rows of the table
   * @param dim row length
   * @param paddingIdx row that receives no gradient, or -1 for none
   * @param gradWeight {@code [num, dim]} (zero-filled on entry)
   */
  void embeddingBackward(
      View gradOut, View indices, int count, int num, int dim, long paddingIdx, Buffer gradWeight);
}
