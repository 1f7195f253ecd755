package dev.jnn.nn.functional;

import dev.jnn.core.DType;
import dev.jnn.tensor.ActivationOps;
import dev.jnn.tensor.AlphaDropoutOps;
import dev.jnn.tensor.AttentionOps;
import dev.jnn.tensor.ConvOps;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.LossOps;
import dev.jnn.tensor.NnMiscOps;
import dev.jnn.tensor.NormOps;
import dev.jnn.tensor.ShuffleOps;
import dev.jnn.tensor.PointwiseActivationOps;
import dev.jnn.tensor.PoolOps;
import dev.jnn.tensor.Tensor;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PyTorch's {@code torch.nn.functional}: stateless, differentiable neural-network operations.
 *
 * <p>Names are PyTorch's, camelCased ({@code F.max_pool2d} is {@link #maxPool2d}); keyword
 * arguments become overloads, an "int or tuple" argument is an {@code int[]} of length 1 or 2 (or
 * a plain {@code int} overload), and {@code None} is {@code null}. Semantics, output shapes,
 * gradients and error messages follow PyTorch 1.13; see <a
 * href="https://pytorch.org/docs/1.13/nn.functional.html">torch.nn.functional</a> for the full
 * definitions.
 *
 * <p>Every operation records an autograd node when grad mode is on and an input requires grad.
 * The heavy operations (convolution, pooling, batch and layer norm, softmax, the negative
 * log-likelihood and the fused cross-entropy) run dedicated back-end kernels forward and
 * backward; the rest are compositions of {@link Tensor} operations.
 *
 * <p>This class is PyTorch's argument handling only (overloads, defaults, {@code None}); each
 * operation is one call into its op family in the tensor layer ({@link ConvOps}, {@link PoolOps},
 * {@link ActivationOps}, {@link PointwiseActivationOps}, {@link NormOps}, {@link LossOps}, {@link
 * NnMiscOps}, {@link AlphaDropoutOps}, {@link AttentionOps}), which validates, allocates, runs the
 * kernels and records the backward.
 *
 * <p>The facade is long, so its sections by family live in the sealed superclasses {@link
 * FunctionalActivations} (activations, softmax, alpha dropout), {@link FunctionalAttention},
 * {@link FunctionalLosses}, {@link FunctionalConvolution}, {@link FunctionalPooling} and {@link
 * FunctionalSampling}; their static methods are called through this class like the rest
 * ({@code Functional.relu}, {@code Functional.crossEntropy}).
 *
 * <pre>{@code
 * Tensor h = Functional.relu(Functional.conv2d(x, w1, b1));
 * Tensor loss = Functional.crossEntropy(Functional.linear(h.flatten(1, -1), w2, b2), labels);
 * loss.backward();
 * }</pre>
 */
public final class Functional extends FunctionalSampling {
  private Functional() {}

  // ================================================================== convolution

  /** {@code F.conv2d(input, weight)}: stride 1, no padding, no bias. */
  public static Tensor conv2d(Tensor input, Tensor weight) {
    return conv2d(input, weight, null, new int[] {1}, new int[] {0}, new int[] {1}, 1);
  }

  /** {@code F.conv2d(input, weight, bias)}; {@code bias} may be null. */
  public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
    return conv2d(input, weight, bias, new int[] {1}, new int[] {0}, new int[] {1}, 1);
  }

  /** {@code F.conv2d(input, weight, bias, stride=stride, padding=padding)}. */
  public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
    return conv2d(
        input, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {1}, 1);
  }

  /**
   * 2-D convolution ({@code F.conv2d}) with zero padding.
   *
   * <p>Shape: input {@code [N, C, H, W]} or unbatched {@code [C, H, W]}; weight {@code [OC, C /
   * groups, kH, kW]}; bias {@code [OC]} or null; output {@code [N, OC, OH, OW]} (or {@code [OC,
   * OH, OW]}) with {@code OH = (H + 2 * padH - dilationH * (kH - 1) - 1) / strideH + 1}.
   *
   * @param input the images
   * @param weight the filters
   * @param bias optional per-output-channel bias
   * @param stride one value or {@code {strideH, strideW}}
   * @param padding one value or {@code {padH, padW}} (zeros added on both sides)
   * @param dilation one value or {@code {dilationH, dilationW}}
   * @param groups channel groups
   * @return the convolution
   * @throws IllegalArgumentException with PyTorch's message for a wrong rank, channel count,
   *     bias size, dtype, or a kernel larger than the padded input
   */
  public static Tensor conv2d(
      Tensor input,
      Tensor weight,
      Tensor bias,
      int[] stride,
      int[] padding,
      int[] dilation,
      int groups) {
    return ConvOps.conv2d(input, weight, bias, stride, padding, dilation, groups);
  }

  /**
   * 2-D convolution with a padding string ({@code padding="same"} or {@code "valid"}).
   * {@code "same"} pads so that the output has the input's size (stride must be 1); when the
   * total padding {@code dilation * (k - 1)} is odd, the extra row/column goes at the bottom/right,
   * as in PyTorch.
   *
   * @param input the images ({@code [N, C, H, W]} or {@code [C, H, W]})
   * @param weight the filters
   * @param bias optional bias
   * @param stride one value or two
   * @param padding {@code "same"} or {@code "valid"}
   * @param dilation one value or two
   * @param groups channel groups
   * @return the convolution
   */
  public static Tensor conv2d(
      Tensor input,
      Tensor weight,
      Tensor bias,
      int[] stride,
      String padding,
      int[] dilation,
      int groups) {
    return ConvOps.conv2d(input, weight, bias, stride, padding, dilation, groups);
  }

  // ================================================================== linear

  /** {@code F.linear(input, weight)}: {@code input @ weight^T}. */
  public static Tensor linear(Tensor input, Tensor weight) {
    return linear(input, weight, null);
  }

  /**
   * Affine map ({@code F.linear}): {@code y = x W^T + b}.
   *
   * <p>Shape: input {@code [*, in]}, weight {@code [out, in]}, bias {@code [out]} or null, output
   * {@code [*, out]}. A contiguous input with a 2-D weight runs one GEMM with the bias written
   * into the output first; other layouts fall back to {@link Tensor#matmul}.
   *
   * @param input the input
   * @param weight the weight
   * @param bias optional bias
   * @return the affine map
   */
  public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
    return NnMiscOps.linear(input, weight, bias);
  }

  // ================================================================== pooling

  /** {@code F.max_pool2d(input, kernel_size)}: stride = kernel size, no padding. */
  public static Tensor maxPool2d(Tensor input, int kernelSize) {
    return maxPool2d(input, new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
  }

  /** {@code F.max_pool2d(input, kernel_size, stride)}. */
  public static Tensor maxPool2d(Tensor input, int kernelSize, int stride) {
    return maxPool2d(
        input, new int[] {kernelSize}, new int[] {stride}, new int[] {0}, new int[] {1}, false);
  }

  /** {@code F.max_pool2d(input, kernel_size, stride, padding)}. */
  public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
    return maxPool2d(
        input, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1},
        false);
  }

  /**
   * 2-D max pooling ({@code F.max_pool2d}).
   *
   * <p>Shape: input {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, OH, OW]} with
   * {@code OH = floor_or_ceil((H + 2 * padH - dilationH * (kH - 1) - 1) / strideH) + 1} (with
   * {@code ceilMode}, a window that would start in the right padding is dropped).
   *
   * @param input the images
   * @param kernelSize one value or {@code {kH, kW}}
   * @param stride one value, two, or null/empty for the kernel size
   * @param padding one value or two (implicit {@code -inf} padding, at most half the kernel)
   * @param dilation one value or two
   * @param ceilMode round the output size up instead of down
   * @return the pooled images
   */
  public static Tensor maxPool2d(
      Tensor input,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      int[] dilation,
      boolean ceilMode) {
    return maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).output();
  }

  /**
   * {@link #maxPool2d} that also returns where each maximum came from ({@code
   * return_indices=True}): the flat index {@code row * W + column} inside its {@code H x W}
   * plane, as PyTorch gives to {@code max_unpool2d}.
   */
  public static TensorWithIndices maxPool2dWithIndices(
      Tensor input,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      int[] dilation,
      boolean ceilMode) {
    Tensor[] r =
        PoolOps.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    return new TensorWithIndices(r[0], r[1]);
  }

  /** {@code F.avg_pool2d(input, kernel_size)}: stride = kernel size, no padding. */
  public static Tensor avgPool2d(Tensor input, int kernelSize) {
    return avgPool2d(input, new int[] {kernelSize}, null, new int[] {0}, false, true, null);
  }

  /** {@code F.avg_pool2d(input, kernel_size, stride, padding)}, padded zeros counted. */
  public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
    return avgPool2d(
        input, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true, null);
  }

  /**
   * 2-D average pooling ({@code F.avg_pool2d}).
   *
   * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
   * @param kernelSize one value or two
   * @param stride one value, two, or null/empty for the kernel size
   * @param padding one value or two (zero padding, at most half the kernel)
   * @param ceilMode round the output size up
   * @param countIncludePad whether padded zeros count in the divisor
   * @param divisorOverride a fixed divisor, or null
   * @return the pooled images
   */
  public static Tensor avgPool2d(
      Tensor input,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      boolean ceilMode,
      boolean countIncludePad,
      Integer divisorOverride) {
    return PoolOps.avgPool2d(
        input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
  }

  /** {@code F.adaptive_avg_pool2d(input, output_size)} with a square output. */
  public static Tensor adaptiveAvgPool2d(Tensor input, int outputSize) {
    return adaptiveAvgPool2d(input, new int[] {outputSize});
  }

  /**
   * Adaptive average pooling ({@code F.adaptive_avg_pool2d}): output cell {@code i} averages
   * input rows {@code floor(i * H / OH)} to {@code ceil((i + 1) * H / OH)} (exclusive), likewise
   * for columns.
   *
   * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
   * @param outputSize one value or {@code {OH, OW}}
   * @return {@code [N, C, OH, OW]} (or {@code [C, OH, OW]})
   */
  public static Tensor adaptiveAvgPool2d(Tensor input, int[] outputSize) {
    return PoolOps.adaptiveAvgPool2d(input, outputSize);
  }

  // ================================================================== normalisation

  /**
   * Batch normalisation ({@code F.batch_norm}) over dim 1 of {@code [N, C, *]}.
   *
   * <p>With {@code training}, normalises with the batch's mean and biased variance and, when the
   * running statistics are given, updates them in place (without recording autograd): {@code
   * running = (1 - momentum) * running + momentum * batchStat}, using the <em>unbiased</em>
   * variance for {@code runningVar}. Without {@code training}, normalises with the running
   * statistics, which must be given.
   *
   * <p>{@code momentum} is the effective exponential-average factor, as in PyTorch's {@code
   * F.batch_norm}: a layer with {@code momentum=None} (cumulative moving average) passes {@code
   * 1.0 / numBatchesTracked} after incrementing its counter.
   *
   * @param input {@code [N, C]} or {@code [N, C, *]}
   * @param runningMean {@code [C]} or null
   * @param runningVar {@code [C]} or null
   * @param weight optional scale {@code [C]}
   * @param bias optional shift {@code [C]}
   * @param training use batch statistics (and update the running ones)
   * @param momentum the exponential-average factor for the running statistics
   * @param eps added to the variance
   * @return the normalised input, same shape
   */
  public static Tensor batchNorm(
      Tensor input,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    return NormOps.batchNorm(
        input, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  /** {@code F.layer_norm(input, normalized_shape)} without affine parameters, eps 1e-5. */
  public static Tensor layerNorm(Tensor input, long[] normalizedShape) {
    return layerNorm(input, normalizedShape, null, null, 1e-5);
  }

  /**
   * Layer normalisation ({@code F.layer_norm}) over the trailing dims {@code normalizedShape}:
   * {@code (x - mean) / sqrt(var + eps) * weight + bias}, biased variance.
   *
   * @param input {@code [*, normalizedShape]}
   * @param normalizedShape the trailing dims to normalise over (at least one)
   * @param weight optional, of shape {@code normalizedShape}
   * @param bias optional, of shape {@code normalizedShape} (null with a weight is what {@code
   *     nn.LayerNorm(..., bias=False)} of PyTorch 2.1+ passes)
   * @param eps added to the variance
   * @return the normalised input, same shape
   */
  public static Tensor layerNorm(
      Tensor input, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    return NormOps.layerNorm(input, normalizedShape, weight, bias, eps);
  }

  /**
   * {@code F.rms_norm(input, normalized_shape)} (PyTorch 2.4+): no weight, {@code eps =
   * torch.finfo(input.dtype).eps}.
   */
  public static Tensor rmsNorm(Tensor input, long[] normalizedShape) {
    return rmsNorm(input, normalizedShape, null, null);
  }

  /**
   * Root-mean-square normalisation ({@code F.rms_norm}, PyTorch 2.4+) over the trailing dims
   * {@code normalizedShape}: {@code y = x / sqrt(mean(x^2) + eps) * weight}, computed as 2.4
   * computes it, {@code x * rsqrt(x.pow(2).mean(dims, keepdim=True) + eps) * weight}, from tensor
   * ops (so it runs on every back end, and its backward is theirs).
   *
   * @param input {@code [*, normalizedShape]}, floating
   * @param normalizedShape the trailing dims to normalise over (at least one)
   * @param weight optional scale of shape {@code normalizedShape}
   * @param eps added to the mean square; null: {@code torch.finfo(input.dtype).eps} (about 1.19e-7
   *     for float32, 2.22e-16 for float64)
   * @return the normalised input, same shape and dtype
   * @throws IllegalArgumentException with PyTorch's messages for an empty {@code normalizedShape},
   *     a weight or input of the wrong shape, or a non-floating input
   */
  public static Tensor rmsNorm(
      Tensor input, long[] normalizedShape, Tensor weight, Double eps) {
    return NormOps.rmsNorm(input, normalizedShape, weight, eps);
  }

  /** {@code F.group_norm(input, num_groups)}: no weight or bias, {@code eps=1e-5}. */
  public static Tensor groupNorm(Tensor input, int numGroups) {
    return groupNorm(input, numGroups, null, null, 1e-5);
  }

  /**
   * Group normalisation ({@code F.group_norm}): the {@code C} channels of each sample of {@code
   * [N, C, *]} split into {@code numGroups} groups, each normalised by its own mean and biased
   * variance ({@code (x - mean) / sqrt(var + eps)}), then scaled and shifted per channel.
   * Composed of tensor ops (every back end; PyTorch runs one kernel).
   *
   * @param input {@code [N, C, *]}, floating
   * @param numGroups the number of groups, dividing {@code C}
   * @param weight optional per-channel scale {@code [C]}
   * @param bias optional per-channel shift {@code [C]}
   * @param eps added to the variance
   * @return the normalised input, same shape
   * @throws IllegalArgumentException with PyTorch 1.13's messages for a group count that does not
   *     divide {@code C}, a weight or bias of the wrong size, or one value per group
   */
  public static Tensor groupNorm(
      Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
    return NormOps.groupNorm(input, numGroups, weight, bias, eps);
  }

  /**
   * {@code F.instance_norm(input)}: batch statistics, no running statistics, weight or bias,
   * {@code momentum=0.1, eps=1e-5}.
   */
  public static Tensor instanceNorm(Tensor input) {
    return instanceNorm(input, null, null, null, null, true, 0.1, 1e-5);
  }

  /**
   * Instance normalisation ({@code F.instance_norm}): each channel of each sample of {@code [N, C,
   * *]} normalised over its spatial dims. With {@code useInputStats} (PyTorch's default) the
   * statistics are the sample's, and given running statistics are updated in place: {@code
   * running = (1 - momentum) * running + momentum * mean over the batch of the per-sample
   * statistic} (the variance unbiased); without it, the running statistics are used.
   *
   * @param input {@code [N, C, *]} with more than one spatial element (when using input stats)
   * @param runningMean {@code [C]} or null
   * @param runningVar {@code [C]} or null
   * @param weight optional per-channel scale {@code [C]}
   * @param bias optional per-channel shift {@code [C]}
   * @param useInputStats normalise with each sample's statistics
   * @param momentum the exponential-average factor for the running statistics
   * @param eps added to the variance
   * @return the normalised input, same shape
   * @throws IllegalArgumentException with PyTorch 1.13's messages (one spatial element, missing
   *     running statistics without {@code useInputStats}, per-channel tensors of the wrong size)
   */
  public static Tensor instanceNorm(
      Tensor input,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean useInputStats,
      double momentum,
      double eps) {
    return NormOps.instanceNorm(
        input, runningMean, runningVar, weight, bias, useInputStats, momentum, eps);
  }

  /**
   * {@code F.local_response_norm(input, size)}: {@code alpha=1e-4, beta=0.75, k=1.0}.
   */
  public static Tensor localResponseNorm(Tensor input, int size) {
    return localResponseNorm(input, size, 1e-4, 0.75, 1.0);
  }

  /**
   * Local response normalisation ({@code F.local_response_norm}) across channels: {@code y = x /
   * (k + alpha / size * sum of x^2 over the size channels around c)^beta}, the window running
   * from {@code size / 2} channels before to {@code (size - 1) / 2} after, zeros beyond the ends.
   * Composed of padding and average pooling, as 1.13's Python function is.
   *
   * @param input {@code [N, C, *]} with at least 3 dims
   * @param size the number of neighbouring channels
   * @param alpha the multiplicative factor
   * @param beta the exponent
   * @param k the additive factor
   * @return the normalised input, same shape (an empty input is returned itself)
   * @throws IllegalArgumentException with PyTorch 1.13's messages for fewer than 3 dims or a size
   *     below 1
   */
  public static Tensor localResponseNorm(
      Tensor input, int size, double alpha, double beta, double k) {
    return NormOps.localResponseNorm(input, size, alpha, beta, k);
  }

  // ================================================================== dropout, flatten, embedding

  /** {@code F.dropout(input, p, training)} drawing from the default {@link Generator}. */
  public static Tensor dropout(Tensor input, double p, boolean training) {
    return dropout(input, p, training, Generator.defaultGenerator());
  }

  /**
   * Dropout ({@code F.dropout}): in training, zeroes each element with probability {@code p} and
   * scales the survivors by {@code 1 / (1 - p)} (inverted dropout), so evaluation needs no
   * rescaling; outside training it returns {@code input} itself. The mask takes one 64-bit seed
   * from {@code generator} and is a counter-based Philox4x32-10 stream over the element index
   * (PyTorch's CUDA dropout uses the same generator): the same mask on the CPU and on any GPU for
   * the same generator state, computed on the tensor's device. Same distribution as PyTorch,
   * different random stream.
   *
   * @param input any floating tensor
   * @param p drop probability in {@code [0, 1]}
   * @param training whether to drop
   * @param generator the random source
   * @return the input with dropped elements
   */
  public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
    return NnMiscOps.dropout(input, p, training, generator);
  }

  /** {@code F.dropout1d(input, p, training)} (not in place). */
  public static Tensor dropout1d(Tensor input, double p, boolean training) {
    return dropout1d(input, p, training, false);
  }

  /**
   * Channel-wise dropout ({@code F.dropout1d}): in training, zeroes each channel {@code input[n,
   * c]} of a {@code [N, C, L]} input (or {@code input[c]} of an unbatched {@code [C, L]} one) with
   * probability {@code p}, and scales the others by {@code 1 / (1 - p)}. Outside training, at
   * {@code p = 0} and for an empty input it returns {@code input} (a batched one itself); at
   * {@code p = 1} it multiplies by zero. The mask comes from the default {@link Generator} (same
   * distribution as PyTorch, different stream).
   *
   * @param input {@code [N, C, L]} or {@code [C, L]}, floating
   * @param p drop probability of a channel, in {@code [0, 1]}
   * @param training whether to drop
   * @param inplace multiply {@code input} itself and return it ({@code dropout1d(..., inplace=True)})
   * @return the input with dropped channels
   * @throws IllegalArgumentException {@code dropout1d: Expected 2D or 3D input, but received a 4D
   *     input. ...}, or {@code dropout probability has to be between 0 and 1, but got 1.5}
   * @throws IllegalStateException in place on a leaf that requires grad (PyTorch's message)
   */
  public static Tensor dropout1d(Tensor input, double p, boolean training, boolean inplace) {
    return NnMiscOps.dropout1d(input, p, training, inplace, Generator.defaultGenerator());
  }

  /** {@code F.dropout2d(input, p, training)} (not in place). */
  public static Tensor dropout2d(Tensor input, double p, boolean training) {
    return dropout2d(input, p, training, false);
  }

  /**
   * Channel-wise dropout ({@code F.dropout2d}) of {@code [N, C, H, W]} input: each channel {@code
   * input[n, c]} is zeroed with probability {@code p}, the others scaled by {@code 1 / (1 - p)};
   * identity outside training (see {@link #dropout1d(Tensor, double, boolean, boolean)}). As in
   * PyTorch 1.13, a 3-d input is taken as {@code [N, C, L]} (1-d channel-wise dropout, not an
   * unbatched {@code [C, H, W]}), with 1.13's warning; any rank other than 3 or 4 logs 1.13's
   * deprecation warning (once per message, logger {@code dev.jnn.nn.functional}) and is treated
   * as {@code [N, C, *]} (a rank below 2 fails when dropping: {@code Feature dropout requires at
   * least 2 dimensions in the input}).
   */
  public static Tensor dropout2d(Tensor input, double p, boolean training, boolean inplace) {
    NnMiscOps.checkDropoutProbability(p);
    int d = input.dim();
    if (d != 3 && d != 4) {
      warnOnce("dropout2d: Received a " + d + "-D input to dropout2d, which is deprecated and will"
          + " result in an error in a future release. To retain the behavior and silence this"
          + " warning, please use dropout instead. Note that dropout2d exists to provide"
          + " channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an"
          + " optional batch dimension (i.e. 3D or 4D inputs).");
    }
    if (d == 3) {
      warnOnce("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D"
          + " dropout behavior is desired - input is interpreted as shape (N, C, L), where C is"
          + " the channel dim. This behavior will change in a future release to interpret the"
          + " input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D"
          + " channel-wise dropout behavior, please switch to using dropout1d instead.");
    }
    return NnMiscOps.dropout2d(input, p, training, inplace, Generator.defaultGenerator());
  }

  /** {@code F.dropout3d(input, p, training)} (not in place). */
  public static Tensor dropout3d(Tensor input, double p, boolean training) {
    return dropout3d(input, p, training, false);
  }

  /**
   * Channel-wise dropout ({@code F.dropout3d}) of {@code [N, C, D, H, W]} or unbatched {@code [C,
   * D, H, W]} input: each channel is zeroed with probability {@code p}, the others scaled by
   * {@code 1 / (1 - p)}; identity outside training (see {@link #dropout1d(Tensor, double,
   * boolean, boolean)}). Any rank other than 4 or 5 logs PyTorch 1.13's deprecation warning and,
   * like every rank but 5, is treated as unbatched (a batch of one).
   */
  public static Tensor dropout3d(Tensor input, double p, boolean training, boolean inplace) {
    NnMiscOps.checkDropoutProbability(p);
    int d = input.dim();
    if (d != 4 && d != 5) {
      warnOnce("dropout3d: Received a " + d + "-D input to dropout3d, which is deprecated and will"
          + " result in an error in a future release. To retain the behavior and silence this"
          + " warning, please use dropout instead. Note that dropout3d exists to provide"
          + " channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an"
          + " optional batch dimension (i.e. 4D or 5D inputs).");
    }
    return NnMiscOps.dropout3d(input, p, training, inplace, Generator.defaultGenerator());
  }

  private static final System.Logger LOG = System.getLogger("dev.jnn.nn.functional");

  /** Messages already logged: Python's default warning filter shows each once per call site. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private static void warnOnce(String message) {
    if (WARNED.add(message)) {
      LOG.log(System.Logger.Level.WARNING, message);
    }
  }

  // ================================================================== pad

  /** {@code F.pad(input, pad)}: constant zero padding (see {@link #pad(Tensor, int[], String, double)}). */
  public static Tensor pad(Tensor input, int[] pad) {
    return pad(input, pad, "constant", 0.0);
  }

  /** {@code F.pad(input, pad, mode)} (value 0). */
  public static Tensor pad(Tensor input, int[] pad, String mode) {
    return pad(input, pad, mode, 0.0);
  }

  /**
   * {@code F.pad(input, pad, mode, value)}: pads the last {@code pad.length / 2} dims, {@code pad}
   * listing (before, after) pairs from the last dim backwards, as PyTorch does ({@code {left,
   * right, top, bottom, front, back}}).
   *
   * <ul>
   *   <li>{@code "constant"}: any number of dims; fills with {@code value}; negative amounts crop;
   *   <li>{@code "reflect"}, {@code "replicate"}, {@code "circular"}: the last 1, 2 or 3 dims of a
   *       2-3, 3-4 or 4-5 dimensional input; reflect amounts must be smaller than the dim,
   *       circular ones at most the dim (negative amounts crop).
   * </ul>
   *
   * Differentiable (narrow, cat and index-select underneath). Errors carry PyTorch 1.13's text.
   */
  public static Tensor pad(Tensor input, int[] pad, String mode, double value) {
    return NnMiscOps.pad(input, pad, mode, value);
  }

  /** {@code torch.flatten(input)}: all dims into one. */
  public static Tensor flatten(Tensor input) {
    return input.flatten(0, -1);
  }

  /** {@code torch.flatten(input, start_dim)}: dims {@code startDim..} to the last into one. */
  public static Tensor flatten(Tensor input, int startDim) {
    return input.flatten(startDim, -1);
  }

  /** {@code torch.flatten(input, start_dim, end_dim)}; {@code nn.Flatten} uses {@code (1, -1)}. */
  public static Tensor flatten(Tensor input, int startDim, int endDim) {
    return input.flatten(startDim, endDim);
  }

  /**
   * {@code input.unflatten(dim, sizes)} ({@code torch.Tensor.unflatten}, what {@code nn.Unflatten}
   * runs): dim {@code dim} split into {@code sizes}, one of which may be -1 (inferred).
   *
   * @param input any tensor
   * @param dim the dim to split (negative counts from the end)
   * @param sizes the new dims, multiplying up to the size of {@code dim}
   * @return a view of {@code input}
   * @throws IllegalArgumentException with PyTorch's messages for empty sizes, sizes that do not
   *     multiply up, or more than one -1
   */
  public static Tensor unflatten(Tensor input, int dim, long[] sizes) {
    return ShuffleOps.unflatten(input, dim, sizes);
  }

  /**
   * {@code F.pixel_shuffle}: {@code [*, C * r^2, H, W]} rearranged to {@code [*, C, H * r, W *
   * r]} (sub-pixel convolution's upsampling).
   *
   * @param input at least 3 dims, the channel dim ({@code -3}) divisible by {@code r^2}
   * @param upscaleFactor {@code r}, positive
   * @return the rearranged input
   * @throws IllegalArgumentException with PyTorch 1.13's messages
   */
  public static Tensor pixelShuffle(Tensor input, int upscaleFactor) {
    return ShuffleOps.pixelShuffle(input, upscaleFactor);
  }

  /**
   * {@code F.pixel_unshuffle}: the inverse of {@link #pixelShuffle}, {@code [*, C, H * r, W * r]}
   * to {@code [*, C * r^2, H, W]}.
   *
   * @param input at least 3 dims, height and width divisible by {@code r}
   * @param downscaleFactor {@code r}, positive
   * @return the rearranged input
   * @throws IllegalArgumentException with PyTorch 1.13's messages
   */
  public static Tensor pixelUnshuffle(Tensor input, int downscaleFactor) {
    return ShuffleOps.pixelUnshuffle(input, downscaleFactor);
  }

  /**
   * {@code F.channel_shuffle} (ShuffleNet): the {@code C} channels of {@code [N, C, *]} seen as
   * {@code groups} groups of {@code C / groups} and interleaved ({@code [g, C/g]} transposed).
   *
   * @param input at least 3 dims, {@code C} divisible by {@code groups}
   * @param groups positive
   * @return the shuffled input, same shape
   * @throws IllegalArgumentException with PyTorch 1.13's messages
   */
  public static Tensor channelShuffle(Tensor input, int groups) {
    return ShuffleOps.channelShuffle(input, groups);
  }

  /**
   * {@code F.embedding(input, weight)}: rows of {@code weight} picked by int64 indices, each in
   * {@code [0, numEmbeddings)} (a negative index throws "index out of range in self", as in
   * PyTorch).
   */
  public static Tensor embedding(Tensor input, Tensor weight) {
    return NnMiscOps.embedding(input, weight, -1);
  }

  /**
   * Embedding lookup ({@code F.embedding}) with a padding row: {@code out[..., :] =
   * weight[input[...], :]}; the row {@code paddingIdx} receives no gradient. A negative {@code
   * paddingIdx} counts from the end, as in PyTorch.
   *
   * @param input int64 indices of any shape
   * @param weight {@code [numEmbeddings, dim]}
   * @param paddingIdx the padding row
   * @return {@code [input.shape..., dim]}
   */
  public static Tensor embedding(Tensor input, Tensor weight, int paddingIdx) {
    long num = weight.dim() == 2 ? weight.size(0) : 0;
    if (weight.dim() == 2) {
      if (paddingIdx >= 0 && paddingIdx >= num) {
        throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
      }
      if (paddingIdx < 0) {
        if (paddingIdx < -num) {
          throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
        }
        paddingIdx += (int) num;
      }
    }
    return NnMiscOps.embedding(input, weight, paddingIdx);
  }

  /**
   * Embedding lookup with all of {@code F.embedding}'s options.
   *
   * <ul>
   *   <li>{@code paddingIdx} (null: none): row that receives no gradient; negative counts from
   *       the end ({@code Padding_idx must be within num_embeddings} otherwise);
   *   <li>{@code maxNorm} (null: none): before the lookup, every row of {@code weight} that
   *       {@code input} looks up and whose {@code normType}-norm exceeds {@code maxNorm} is scaled
   *       <em>in place</em>, without autograd, to norm {@code maxNorm} ({@code
   *       torch.embedding_renorm_}: times {@code maxNorm / (norm + 1e-7)}); so a layer's weight
   *       parameter changes, and its version counter moves on every such call, as in PyTorch;
   *   <li>{@code normType}: the p of that norm (PyTorch's default 2.0);
   *   <li>{@code scaleGradByFreq}: the gradient of weight row {@code k} is divided by the number
   *       of times {@code k} occurs in {@code input};
   *   <li>{@code sparse}: must be false: jnn has no sparse tensors, so it cannot give the sparse
   *       gradient PyTorch's {@code sparse=True} gives.
   * </ul>
   *
   * @param input int64 indices of any shape
   * @param weight {@code [numEmbeddings, dim]}
   * @return {@code [input.shape..., dim]}
   * @throws UnsupportedOperationException for {@code sparse = true}
   * @throws IndexOutOfBoundsException for an index out of range (with {@code maxNorm}, PyTorch's
   *     message of its renormalisation step: {@code select(): index 7 out of range for tensor of
   *     size [5, 3] at dimension 0}); the weight is then unchanged
   */
  public static Tensor embedding(
      Tensor input,
      Tensor weight,
      Integer paddingIdx,
      Double maxNorm,
      double normType,
      boolean scaleGradByFreq,
      boolean sparse) {
    if (sparse) {
      throw new UnsupportedOperationException(
          "embedding(): sparse=True gives a sparse gradient, and jnn has no sparse tensors; use"
              + " sparse=False (the same gradient, dense)");
    }
    long pad = -1;
    if (paddingIdx != null) {
      long num = weight.dim() >= 1 ? weight.size(0) : 0;
      pad = paddingIdx;
      if (pad > 0 && pad >= num || pad < 0 && pad < -num) {
        throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
      }
      if (pad < 0) {
        pad += num;
      }
    }
    if (maxNorm != null) {
      NnMiscOps.embeddingRenorm(weight, input, maxNorm, normType);
    }
    return NnMiscOps.embedding(input, weight, pad, scaleGradByFreq);
  }

  // ---- issue 17 item 7: one_hot

  /** One-hot int64 encoding, the class count inferred as max + 1 ({@code F.one_hot(t)}). */
  public static Tensor oneHot(Tensor tensor) {
    return oneHot(tensor, -1);
  }

  /**
   * One-hot int64 encoding of an int64 {@code tensor} with {@code numClasses} classes (-1: max + 1)
   * ({@code F.one_hot}); the output has a trailing dim of that size.
   */
  public static Tensor oneHot(Tensor tensor, int numClasses) {
    if (tensor.dtype() != DType.INT64) {
      throw new IllegalArgumentException("one_hot is only applicable to index tensor.");
    }
    long n = numClasses;
    if (tensor.numel() == 0) {
      if (numClasses == -1) {
        throw new IllegalArgumentException(
            "Can not infer total number of classes from empty tensor.");
      }
    } else {
      if (tensor.min().itemLong() < 0) {
        throw new IllegalArgumentException("Class values must be non-negative.");
      }
      long max = tensor.max().itemLong();
      if (numClasses == -1) {
        n = max + 1;
      } else if (max >= numClasses) {
        throw new IllegalArgumentException("Class values must be smaller than num_classes.");
      }
    }
    Tensor classes = Tensor.arange(0, n, 1, DType.INT64).to(tensor.device());
    return tensor.unsqueeze(-1).eq(classes).to(DType.INT64);
  }

  // ================================================================== issue 17 item 7, fifth batch
  // torch.nn.functional's Python composites over Tensor ops jnn has, written as 1.13 writes them
  // (same ops, so the same grad_fn)

  /** {@code F.softsign}: {@code x / (|x| + 1)} (1.13: {@code input / (input.abs() + 1)}). */
  public static Tensor softsign(Tensor input) {
    return input.div(input.abs().add(1));
  }

  /** {@code F.tanhshrink}: {@code x - tanh(x)} (1.13: {@code input - input.tanh()}). */
  public static Tensor tanhshrink(Tensor input) {
    return input.sub(input.tanh());
  }

  /** {@code F.normalize(input)}: the 2-norm over dim 1, {@code eps = 1e-12}. */
  public static Tensor normalize(Tensor input) {
    return normalize(input, 2.0, 1, 1e-12);
  }

  /**
   * {@code F.normalize(input, p, dim, eps)}: {@code input / max(||input||_p over dim, eps)}
   * (1.13: {@code input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)}).
   */
  public static Tensor normalize(Tensor input, double p, int dim, double eps) {
    return input.div(input.norm(p, new int[] {dim}, true).clampMin(eps).expandAs(input));
  }
}
