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
 * {@link Functional}'s activations, softmax and alpha dropout ({@code torch.nn.functional}'s "Non-linear activation functions"), a section of its facade kept in
 * its own file: call them as {@code Functional.relu(...)}. The class is sealed and abstract: it
 * exists only so that {@code Functional}, which extends it, stays readable by family, as Tensor's
 * instance ops are grouped in its {@code Tensor*} interfaces.
 */
public abstract sealed class FunctionalActivations permits FunctionalAttention {
  FunctionalActivations() {}

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
   * {@code input} itself is returned. The mask is drawn as {@link Functional#dropout}'s.
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

}
