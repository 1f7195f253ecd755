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
import dev.jnn.tensor.PointwiseActivationOps;
import dev.jnn.tensor.PoolOps;
import dev.jnn.tensor.Tensor;

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
 * <pre>{@code
 * Tensor h = Functional.relu(Functional.conv2d(x, w1, b1));
 * Tensor loss = Functional.crossEntropy(Functional.linear(h.flatten(1, -1), w2, b2), labels);
 * loss.backward();
 * }</pre>
 */
public final class Functional {
  /** PyTorch's default {@code ignore_index} for the classification losses. */
  public static final int DEFAULT_IGNORE_INDEX = -100;

  private Functional() {}

  // ================================================================== helpers

  /** PyTorch's reduction check ({@code None} is refused); {@link LossOps}'s code for {@code r}. */
  private static int reduction(Reduction r) {
    if (r == null) {
      throw new IllegalArgumentException("None is not a valid value for reduction");
    }
    return switch (r) {
      case NONE -> LossOps.NONE;
      case MEAN -> LossOps.MEAN;
      case SUM -> LossOps.SUM;
    };
  }

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

  // ================================================================== activations

  /** {@code F.relu}: {@code max(x, 0)}. */
  public static Tensor relu(Tensor input) {
    return input.relu();
  }

  /**
   * {@code F.relu(input, inplace)}: with {@code inplace}, {@link #relu_} (the input is modified
   * and returned), else {@link #relu(Tensor)}.
   */
  public static Tensor relu(Tensor input, boolean inplace) {
    return inplace ? relu_(input) : input.relu();
  }

  /** {@code F.relu_}: {@code max(x, 0)} in place ({@link Tensor#reluInPlace()}). */
  public static Tensor relu_(Tensor input) {
    return input.reluInPlace();
  }

  /** {@code F.leaky_relu} with PyTorch's default slope 0.01. */
  public static Tensor leakyRelu(Tensor input) {
    return input.leakyRelu(0.01);
  }

  /** {@code F.leaky_relu(input, negative_slope)}: {@code x > 0 ? x : slope * x}. */
  public static Tensor leakyRelu(Tensor input, double negativeSlope) {
    return input.leakyRelu(negativeSlope);
  }

  /** {@code F.gelu}, exact (erf) form. */
  public static Tensor gelu(Tensor input) {
    return input.gelu();
  }

  /** {@code F.gelu(input, approximate)} with {@code approximate} = {@code "none"} or {@code "tanh"}. */
  public static Tensor gelu(Tensor input, String approximate) {
    return input.gelu(approximate);
  }

  /** {@code F.sigmoid} / {@code torch.sigmoid}. */
  public static Tensor sigmoid(Tensor input) {
    return input.sigmoid();
  }

  /** {@code F.tanh} / {@code torch.tanh}. */
  public static Tensor tanh(Tensor input) {
    return input.tanh();
  }

  // ---- issue 20: the other activations (PointwiseActivationOps, ActivationOps) and alpha dropout.
  // An `inplace` flag or a trailing underscore writes into the input and returns it, with
  // autograd's in-place rules (no leaf that requires grad, version counter, PyTorch's grad_fn).

  /** {@code F.relu6}: {@code min(max(x, 0), 6)}, i.e. {@code hardtanh(x, 0, 6)}. */
  public static Tensor relu6(Tensor input) {
    return relu6(input, false);
  }

  /** {@code F.relu6(input, inplace)}. */
  public static Tensor relu6(Tensor input, boolean inplace) {
    return inplace ? PointwiseActivationOps.hardtanhInPlace(input, 0.0, 6.0, "relu6_")
        : PointwiseActivationOps.hardtanh(input, 0.0, 6.0);
  }

  /** {@code F.elu} with {@code alpha = 1}. */
  public static Tensor elu(Tensor input) {
    return elu(input, 1.0, false);
  }

  /** {@code F.elu(input, alpha)}: {@code x > 0 ? x : alpha * (exp(x) - 1)}. */
  public static Tensor elu(Tensor input, double alpha) {
    return elu(input, alpha, false);
  }

  /** {@code F.elu(input, alpha, inplace)}. */
  public static Tensor elu(Tensor input, double alpha, boolean inplace) {
    return inplace ? elu_(input, alpha) : PointwiseActivationOps.elu(input, alpha);
  }

  /** {@code F.elu_}: backward needs {@code alpha >= 0} (it uses the result, as PyTorch). */
  public static Tensor elu_(Tensor input, double alpha) {
    return PointwiseActivationOps.eluInPlace(input, alpha);
  }

  /** {@code F.selu}: {@code scale * elu(x, alpha)} with SELU's fixed alpha and scale. */
  public static Tensor selu(Tensor input) {
    return selu(input, false);
  }

  /** {@code F.selu(input, inplace)}. */
  public static Tensor selu(Tensor input, boolean inplace) {
    return inplace ? selu_(input) : PointwiseActivationOps.selu(input);
  }

  /** {@code F.selu_}. */
  public static Tensor selu_(Tensor input) {
    return PointwiseActivationOps.seluInPlace(input);
  }

  /** {@code F.celu} with {@code alpha = 1}. */
  public static Tensor celu(Tensor input) {
    return celu(input, 1.0, false);
  }

  /** {@code F.celu(input, alpha)}: {@code max(0, x) + min(0, alpha * (exp(x / alpha) - 1))}. */
  public static Tensor celu(Tensor input, double alpha) {
    return celu(input, alpha, false);
  }

  /** {@code F.celu(input, alpha, inplace)}; {@code alpha} must not be 0. */
  public static Tensor celu(Tensor input, double alpha, boolean inplace) {
    return inplace ? celu_(input, alpha) : PointwiseActivationOps.celu(input, alpha);
  }

  /** {@code F.celu_}: backward needs {@code alpha >= 0} (it uses the result). */
  public static Tensor celu_(Tensor input, double alpha) {
    return PointwiseActivationOps.celuInPlace(input, alpha);
  }

  /** {@code F.leaky_relu(input, negative_slope, inplace)}. */
  public static Tensor leakyRelu(Tensor input, double negativeSlope, boolean inplace) {
    return inplace ? leakyRelu_(input, negativeSlope) : input.leakyRelu(negativeSlope);
  }

  /** {@code F.leaky_relu_}: backward needs {@code negativeSlope >= 0} (it uses the result). */
  public static Tensor leakyRelu_(Tensor input, double negativeSlope) {
    return PointwiseActivationOps.leakyReluInPlace(input, negativeSlope);
  }

  /** {@code F.silu} (swish): {@code x * sigmoid(x)}. */
  public static Tensor silu(Tensor input) {
    return silu(input, false);
  }

  /** {@code F.silu(input, inplace)}. */
  public static Tensor silu(Tensor input, boolean inplace) {
    return inplace ? PointwiseActivationOps.siluInPlace(input)
        : PointwiseActivationOps.silu(input);
  }

  /** {@code F.mish}: {@code x * tanh(softplus(x))}. */
  public static Tensor mish(Tensor input) {
    return mish(input, false);
  }

  /** {@code F.mish(input, inplace)}. */
  public static Tensor mish(Tensor input, boolean inplace) {
    return inplace ? PointwiseActivationOps.mishInPlace(input)
        : PointwiseActivationOps.mish(input);
  }

  /** {@code F.hardswish}: {@code x * relu6(x + 3) / 6}. */
  public static Tensor hardswish(Tensor input) {
    return hardswish(input, false);
  }

  /** {@code F.hardswish(input, inplace)}. */
  public static Tensor hardswish(Tensor input, boolean inplace) {
    return inplace ? PointwiseActivationOps.hardswishInPlace(input)
        : PointwiseActivationOps.hardswish(input);
  }

  /** {@code F.hardsigmoid}: {@code relu6(x + 3) / 6}. */
  public static Tensor hardsigmoid(Tensor input) {
    return hardsigmoid(input, false);
  }

  /** {@code F.hardsigmoid(input, inplace)}. */
  public static Tensor hardsigmoid(Tensor input, boolean inplace) {
    return inplace ? PointwiseActivationOps.hardsigmoidInPlace(input)
        : PointwiseActivationOps.hardsigmoid(input);
  }

  /** {@code F.hardtanh} with {@code min_val = -1}, {@code max_val = 1}. */
  public static Tensor hardtanh(Tensor input) {
    return hardtanh(input, -1.0, 1.0, false);
  }

  /** {@code F.hardtanh(input, min_val, max_val)}: {@code min(max(x, minVal), maxVal)}. */
  public static Tensor hardtanh(Tensor input, double minVal, double maxVal) {
    return hardtanh(input, minVal, maxVal, false);
  }

  /** {@code F.hardtanh(input, min_val, max_val, inplace)}. */
  public static Tensor hardtanh(Tensor input, double minVal, double maxVal, boolean inplace) {
    return inplace ? hardtanh_(input, minVal, maxVal)
        : PointwiseActivationOps.hardtanh(input, minVal, maxVal);
  }

  /** {@code F.hardtanh_}. */
  public static Tensor hardtanh_(Tensor input, double minVal, double maxVal) {
    return PointwiseActivationOps.hardtanhInPlace(input, minVal, maxVal, "hardtanh_");
  }

  /** {@code F.softplus} with {@code beta = 1}, {@code threshold = 20}. */
  public static Tensor softplus(Tensor input) {
    return softplus(input, 1.0, 20.0);
  }

  /** {@code F.softplus}: {@code log(1 + exp(beta * x)) / beta}; {@code x} past the threshold. */
  public static Tensor softplus(Tensor input, double beta, double threshold) {
    return PointwiseActivationOps.softplus(input, beta, threshold);
  }

  /** {@code F.logsigmoid}: {@code log(sigmoid(x))}, computed stably. */
  public static Tensor logsigmoid(Tensor input) {
    return PointwiseActivationOps.logsigmoid(input);
  }

  /** {@code F.threshold(input, threshold, value)}: {@code x > threshold ? x : value}. */
  public static Tensor threshold(Tensor input, double threshold, double value) {
    return threshold(input, threshold, value, false);
  }

  /** {@code F.threshold(input, threshold, value, inplace)}. */
  public static Tensor threshold(Tensor input, double threshold, double value, boolean inplace) {
    return inplace ? threshold_(input, threshold, value)
        : PointwiseActivationOps.threshold(input, threshold, value);
  }

  /** {@code F.threshold_}. */
  public static Tensor threshold_(Tensor input, double threshold, double value) {
    return PointwiseActivationOps.thresholdInPlace(input, threshold, value);
  }

  /** {@code F.hardshrink} with {@code lambd = 0.5}. */
  public static Tensor hardshrink(Tensor input) {
    return hardshrink(input, 0.5);
  }

  /** {@code F.hardshrink(input, lambd)}: 0 where {@code |x| <= lambd}, else {@code x}. */
  public static Tensor hardshrink(Tensor input, double lambd) {
    return PointwiseActivationOps.hardshrink(input, lambd);
  }

  /** {@code F.softshrink} with {@code lambd = 0.5}. */
  public static Tensor softshrink(Tensor input) {
    return softshrink(input, 0.5);
  }

  /** {@code F.softshrink}: {@code x} moved {@code lambd >= 0} towards 0, 0 if {@code |x| <= lambd}. */
  public static Tensor softshrink(Tensor input, double lambd) {
    return PointwiseActivationOps.softshrink(input, lambd);
  }

  /** {@code F.prelu}: {@code x > 0 ? x : weight * x}; one weight, or one per channel (dim 1). */
  public static Tensor prelu(Tensor input, Tensor weight) {
    return ActivationOps.prelu(input, weight);
  }

  /** {@code F.softmin(input, dim)}: {@code softmax(-input, dim)}. */
  public static Tensor softmin(Tensor input, int dim) {
    return ActivationOps.softmin(input, dim);
  }

  /** {@code F.glu} over the last dim. */
  public static Tensor glu(Tensor input) {
    return glu(input, -1);
  }

  /** {@code F.glu(input, dim)}: {@code a * sigmoid(b)} for the halves {@code a, b} of {@code dim}. */
  public static Tensor glu(Tensor input, int dim) {
    return ActivationOps.glu(input, dim);
  }

  /** {@code F.alpha_dropout(input, p, training)} from the default {@link Generator}. */
  public static Tensor alphaDropout(Tensor input, double p, boolean training) {
    return alphaDropout(input, p, training, false, Generator.defaultGenerator());
  }

  /** {@code F.alpha_dropout(input, p, training, inplace)} from the default {@link Generator}. */
  public static Tensor alphaDropout(Tensor input, double p, boolean training, boolean inplace) {
    return alphaDropout(input, p, training, inplace, Generator.defaultGenerator());
  }

  /**
   * Alpha dropout ({@code F.alpha_dropout}, for SELU networks): in training, each element is
   * dropped with probability {@code p} to SELU's negative saturation and the result is scaled and
   * shifted so that zero mean and unit variance are kept; outside training (or {@code p = 0})
   * {@code input} itself is returned. The mask is drawn as {@link #dropout}'s.
   */
  public static Tensor alphaDropout(
      Tensor input, double p, boolean training, boolean inplace, Generator generator) {
    return AlphaDropoutOps.alphaDropout(input, p, training, inplace, false, generator);
  }

  /** {@code F.feature_alpha_dropout(input, p, training)} from the default {@link Generator}. */
  public static Tensor featureAlphaDropout(Tensor input, double p, boolean training) {
    return featureAlphaDropout(input, p, training, false, Generator.defaultGenerator());
  }

  /** {@code F.feature_alpha_dropout(input, p, training, inplace)}. */
  public static Tensor featureAlphaDropout(
      Tensor input, double p, boolean training, boolean inplace) {
    return featureAlphaDropout(input, p, training, inplace, Generator.defaultGenerator());
  }

  /** {@link #alphaDropout} of whole channels: one draw per {@code [N, C]} (2 or more dims). */
  public static Tensor featureAlphaDropout(
      Tensor input, double p, boolean training, boolean inplace, Generator generator) {
    return AlphaDropoutOps.alphaDropout(input, p, training, inplace, true, generator);
  }

  // ================================================================== softmax

  /**
   * {@code F.softmax(input, dim)}: {@code exp(x) / sum(exp(x))} along {@code dim}, computed with
   * the maximum subtracted first.
   */
  public static Tensor softmax(Tensor input, int dim) {
    return ActivationOps.softmax(input, dim);
  }

  /**
   * {@code F.log_softmax(input, dim)}: {@code x - max - log(sum(exp(x - max)))} along {@code
   * dim}, numerically stable.
   */
  public static Tensor logSoftmax(Tensor input, int dim) {
    return ActivationOps.logSoftmax(input, dim);
  }

  // ================================================================== attention

  /** {@code F.scaled_dot_product_attention(query, key, value)}: no mask, no dropout. */
  public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value) {
    return scaledDotProductAttention(query, key, value, null, 0.0, false, null);
  }

  /**
   * {@code F.scaled_dot_product_attention(query, key, value, attn_mask)}: a bool mask (true takes
   * part) or an additive float mask, or null.
   */
  public static Tensor scaledDotProductAttention(
      Tensor query, Tensor key, Tensor value, Tensor attnMask) {
    return scaledDotProductAttention(query, key, value, attnMask, 0.0, false, null);
  }

  /**
   * {@code F.scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, is_causal)}
   * with the default scale {@code 1 / sqrt(E)}.
   */
  public static Tensor scaledDotProductAttention(
      Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP,
      boolean isCausal) {
    return scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal, null);
  }

  /**
   * {@code F.scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, is_causal,
   * scale)} drawing its dropout mask from the default {@link Generator}; see {@link
   * #scaledDotProductAttention(Tensor, Tensor, Tensor, Tensor, double, boolean, Double,
   * Generator)}.
   */
  public static Tensor scaledDotProductAttention(
      Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP, boolean isCausal,
      Double scale) {
    return scaledDotProductAttention(
        query, key, value, attnMask, dropoutP, isCausal, scale, Generator.defaultGenerator());
  }

  /**
   * Scaled dot-product attention ({@code F.scaled_dot_product_attention}, PyTorch 2.x; PyTorch
   * 1.13 has no such function): {@code softmax(query @ key^T * scale + mask) @ value}, with
   * dropout on the attention weights.
   *
   * <p>Semantics are those of PyTorch 2.5+'s math path ({@code _scaled_dot_product_attention_math}
   * in {@code aten/src/ATen/native/transformers/attention.cpp}) and the reference implementation in
   * the function's docstring; the golden values are computed with PyTorch 1.13 from that reference
   * math ({@code scripts/golden/attention_ref.py}).
   *
   * <ul>
   *   <li>Shapes: query {@code [..., L, E]}, key {@code [..., S, E]}, value {@code [..., S, Ev]}
   *       (any number of leading batch dims, at least two dims each; the batch dims broadcast as
   *       in {@link Tensor#matmul}); output {@code [..., L, Ev]}.
   *   <li>{@code attnMask}: null; bool, {@code true} where the position <em>takes part</em>; or
   *       floating (float32 or the query's dtype), added to the scores. It must broadcast to the
   *       weights' shape {@code [..., L, S]} (PyTorch adds it in place).
   *   <li>{@code isCausal}: the lower-triangular mask {@code ones(L, S).tril()} (aligned top
   *       left); PyTorch's error when {@code attnMask} is given as well.
   *   <li>{@code dropoutP}: applied to the weights whenever it is greater than 0, regardless of
   *       any training mode (pass 0 in evaluation, as PyTorch's layers do).
   *   <li>{@code scale}: null for {@code 1 / sqrt(E)}.
   *   <li>Fully masked rows (a query row whose mask is -inf, or false, everywhere) give weights 0,
   *       hence output 0 and no gradient, as PyTorch 2.5+'s {@code _safe_softmax} does (PyTorch
   *       2.0 to 2.4 gave NaN there).
   * </ul>
   *
   * <p>A composite of differentiable ops: one batched GEMM for the scores (scale folded into the
   * query, mask added in place), softmax, dropout, one batched GEMM; the scores are freed as soon
   * as the softmax has read them, and a causal or bool mask is built once at its own shape
   * ({@code [L, S]} for the causal one) and broadcast.
   *
   * @param query {@code [..., L, E]}
   * @param key {@code [..., S, E]}
   * @param value {@code [..., S, Ev]}
   * @param attnMask null, a bool mask or an additive float mask, broadcastable to {@code [..., L,
   *     S]}
   * @param dropoutP drop probability of the attention weights
   * @param isCausal apply the causal mask (then {@code attnMask} must be null)
   * @param scale the scale of the scores, null for {@code 1 / sqrt(E)}
   * @param generator the random source of the dropout mask (null: the default generator)
   * @return {@code [..., L, Ev]}
   * @throws IllegalArgumentException with PyTorch's messages for mismatched dtypes or devices,
   *     fewer than 2 dims, a mask dtype other than bool, float32 or the query's, a mask together
   *     with {@code isCausal}, a mask that does not broadcast to the weights; with jnn's message
   *     naming the shapes for mismatched {@code E}, {@code S} or batch dims
   */
  public static Tensor scaledDotProductAttention(
      Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP, boolean isCausal,
      Double scale, Generator generator) {
    return AttentionOps.scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal,
        scale, generator != null ? generator : Generator.defaultGenerator());
  }

  /**
   * Multi-head attention ({@code F.multi_head_attention_forward}), PyTorch 1.13's computation with
   * PyTorch 2.x's {@code is_causal} hint; {@code nn.layers.MultiheadAttention} calls it. Sequence
   * first: query {@code [L, N, E]}, key {@code [S, N, Ek]}, value {@code [S, N, Ev]} ({@code Ek}
   * and {@code Ev} differ from {@code E} only with separate projection weights), or unbatched
   * {@code [L, E]}, {@code [S, Ek]}, {@code [S, Ev]}.
   *
   * <ul>
   *   <li>In-projection: {@code inProjWeight} {@code [3E, E]} (one GEMM when query, key and value
   *       are the same tensor, two when key and value are) and {@code inProjBias} {@code [3E]}; or,
   *       with {@code useSeparateProjWeight}, {@code qProjWeight} {@code [E, E]}, {@code
   *       kProjWeight} {@code [E, Ek]}, {@code vProjWeight} {@code [E, Ev]}.
   *   <li>{@code biasK}/{@code biasV} {@code [1, 1, E]}: appended to the projected keys and values
   *       (one more source position; the masks get an unmasked column); {@code addZeroAttn}
   *       appends a zero key and value after the heads are split.
   *   <li>Masks: {@code keyPaddingMask} {@code [N, S]} ({@code [S]} unbatched), bool with {@code
   *       true} = ignore, or floating (added); {@code attnMask} {@code [L, S]} or {@code [N *
   *       num_heads, L, S]} ({@code [num_heads, L, S]} unbatched), bool with {@code true} = not
   *       allowed, or floating (added). They merge as in 1.13: a bool attention mask is or-ed with
   *       the key padding mask (a float one read as nonzero), a float one is filled with -inf where
   *       a bool key padding mask is true; two float masks, which 1.13 rejects, are added (2.x).
   *       The merged mask is built once at the broadcast shape {@code [N or 1, num_heads or 1, L,
   *       S]}.
   *   <li>{@code isCausal} (2.x): a hint that {@code attnMask} is causal, which must then be
   *       given; without a key padding mask and with {@code needWeights} false the causal mask is
   *       used in its place, as PyTorch 2.x does.
   *   <li>Weights: {@code softmax(q k^T / sqrt(head_dim) + mask)} per head, dropout applied only
   *       with {@code training}; rows masked everywhere are NaN, as in PyTorch 1.13 (2.5+'s {@code
   *       need_weights=False} path, through {@code scaled_dot_product_attention}, gives 0 there).
   *       Returned after dropout, averaged over the heads with {@code averageAttnWeights}.
   * </ul>
   *
   * @param generator the random source of the dropout mask (null: the default generator)
   * @return {@code (attn_output [L, N, E], attn_output_weights or null)}
   * @throws IllegalArgumentException with PyTorch 1.13's messages for bad shapes and mask types
   */
  public static AttentionOutput multiHeadAttentionForward(
      Tensor query,
      Tensor key,
      Tensor value,
      int embedDimToCheck,
      int numHeads,
      Tensor inProjWeight,
      Tensor inProjBias,
      Tensor biasK,
      Tensor biasV,
      boolean addZeroAttn,
      double dropoutP,
      Tensor outProjWeight,
      Tensor outProjBias,
      boolean training,
      Tensor keyPaddingMask,
      boolean needWeights,
      Tensor attnMask,
      boolean useSeparateProjWeight,
      Tensor qProjWeight,
      Tensor kProjWeight,
      Tensor vProjWeight,
      Tensor staticK,
      Tensor staticV,
      boolean averageAttnWeights,
      boolean isCausal,
      Generator generator) {
    Tensor[] r = AttentionOps.multiHeadAttentionForward(query, key, value, embedDimToCheck,
        numHeads, inProjWeight, inProjBias, biasK, biasV, addZeroAttn, dropoutP, outProjWeight,
        outProjBias, training, keyPaddingMask, needWeights, attnMask, useSeparateProjWeight,
        qProjWeight, kProjWeight, vProjWeight, staticK, staticV, averageAttnWeights, isCausal,
        generator != null ? generator : Generator.defaultGenerator());
    return new AttentionOutput(r[0], r[1]);
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
   * @param bias optional, of shape {@code normalizedShape}
   * @param eps added to the variance
   * @return the normalised input, same shape
   */
  public static Tensor layerNorm(
      Tensor input, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    return NormOps.layerNorm(input, normalizedShape, weight, bias, eps);
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

  // ================================================================== classification losses

  /** {@code F.nll_loss(input, target)}: mean reduction, no weight, ignore index -100. */
  public static Tensor nllLoss(Tensor input, Tensor target) {
    return nllLoss(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
  }

  /**
   * Negative log-likelihood ({@code F.nll_loss}) of log-probabilities {@code input} ({@code [N,
   * C]}, {@code [C]} or {@code [N, C, d1, ...]}) and int64 class targets ({@code [N]}, {@code []}
   * or {@code [N, d1, ...]}): {@code loss_i = -weight[t_i] * input[i, t_i]}, 0 where {@code t_i ==
   * ignoreIndex}; the mean divides by the sum of {@code weight[t_i]} over non-ignored elements
   * (NaN when that is 0).
   *
   * @param input log-probabilities
   * @param target class indices
   * @param weight optional per-class weights {@code [C]}
   * @param ignoreIndex target value that is skipped
   * @param reduction NONE, MEAN or SUM
   * @return the loss (a scalar, or target-shaped with NONE)
   * @throws IndexOutOfBoundsException {@code "Target 10 is out of bounds."}
   */
  public static Tensor nllLoss(
      Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
    return LossOps.nllLoss(input, target, weight, ignoreIndex, reduction(reduction));
  }

  /** {@code F.cross_entropy(input, target)}: mean reduction, no weight, no smoothing. */
  public static Tensor crossEntropy(Tensor input, Tensor target) {
    return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
  }

  /** {@code F.cross_entropy(input, target, reduction=...)}. */
  public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction) {
    return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, reduction, 0.0);
  }

  /**
   * Cross-entropy of raw scores ({@code F.cross_entropy}), with PyTorch's three paths:
   *
   * <ul>
   *   <li>int64 class-index targets without smoothing: {@code nllLoss(logSoftmax(input, 1))},
   *       fused: one log-softmax kernel forward and one kernel for the whole backward ({@code
   *       (softmax - onehot) * weight[t] * grad});
   *   <li>class-index targets with {@code labelSmoothing = ls > 0}: {@code (1 - ls) * nll + ls / C
   *       * smooth}, where {@code smooth = -sum_c weight[c] * logp[c]} (0 at ignored positions)
   *       reduced like the NLL term (its mean divides by the same total target weight);
   *   <li>floating class-probability targets of the input's shape: {@code -sum_c weight[c] *
   *       target_c * logp_c} with the target smoothed to {@code target * (1 - ls) + ls / C}; the
   *       mean divides by the number of positions ({@code numel / C}); {@code ignoreIndex} must
   *       stay negative.
   * </ul>
   *
   * @param input scores {@code [N, C]}, {@code [C]} or {@code [N, C, d1, ...]}
   * @param target class indices (int64, {@code [N]} etc.) or probabilities (input's shape)
   * @param weight optional per-class weights {@code [C]}
   * @param ignoreIndex class-index target value that is skipped (PyTorch default -100)
   * @param reduction NONE, MEAN or SUM
   * @param labelSmoothing in {@code [0, 1]}
   * @return the loss
   * @throws IndexOutOfBoundsException {@code "Target 10 is out of bounds."}
   */
  public static Tensor crossEntropy(
      Tensor input,
      Tensor target,
      Tensor weight,
      int ignoreIndex,
      Reduction reduction,
      double labelSmoothing) {
    return LossOps.crossEntropy(
        input, target, weight, ignoreIndex, reduction(reduction), labelSmoothing);
  }

  // ================================================================== regression losses

  /** {@code F.mse_loss(input, target)} with mean reduction. */
  public static Tensor mseLoss(Tensor input, Tensor target) {
    return mseLoss(input, target, Reduction.MEAN);
  }

  /**
   * Mean squared error ({@code F.mse_loss}): {@code (input - target)^2}, broadcast, reduced.
   *
   * @param input predictions
   * @param target targets (broadcastable to input)
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    return LossOps.mseLoss(input, target, reduction(reduction));
  }

  /** {@code F.l1_loss(input, target)} with mean reduction. */
  public static Tensor l1Loss(Tensor input, Tensor target) {
    return l1Loss(input, target, Reduction.MEAN);
  }

  /**
   * Mean absolute error ({@code F.l1_loss}): {@code |input - target|}, broadcast, reduced; the
   * gradient at equality is 0, as in PyTorch.
   *
   * @param input predictions
   * @param target targets
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
    return LossOps.l1Loss(input, target, reduction(reduction));
  }

  /** {@code F.binary_cross_entropy_with_logits(input, target)} with mean reduction. */
  public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
    return binaryCrossEntropyWithLogits(input, target, null, Reduction.MEAN, null);
  }

  /**
   * Binary cross-entropy on logits ({@code F.binary_cross_entropy_with_logits}), computed stably
   * with PyTorch's formula: {@code loss = (1 - t) x + lw * (log(exp(-m) + exp(-x - m)) + m)}, with
   * {@code m = max(-x, 0)} and {@code lw = 1 + (posWeight - 1) t} ({@code lw = 1} without {@code
   * posWeight}), times {@code weight}. The backward is fused: {@code d/dx = (lw * sigmoid(x) -
   * posWeight * t)} (i.e. {@code sigmoid(x) - t} without it), and the target also receives a
   * gradient.
   *
   * @param input logits
   * @param target probabilities, same shape as input
   * @param weight optional element weights (broadcast to the input)
   * @param reduction NONE, MEAN or SUM
   * @param posWeight optional weight of positive examples (broadcast along the last dim)
   * @return the loss
   */
  public static Tensor binaryCrossEntropyWithLogits(
      Tensor input, Tensor target, Tensor weight, Reduction reduction, Tensor posWeight) {
    return LossOps.binaryCrossEntropyWithLogits(
        input, target, weight, reduction(reduction), posWeight);
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
