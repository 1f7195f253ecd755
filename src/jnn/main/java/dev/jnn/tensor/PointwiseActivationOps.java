package dev.jnn.tensor;

import static dev.jnn.tensor.Autograd.in;
import static dev.jnn.tensor.NnOpSupport.checkFloating;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.UnaryOp;
import dev.jnn.core.DType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Internal: the element-wise activations of {@code torch.nn.functional} behind {@code
 * nn.functional.Functional} (issue 20): hardtanh/relu6, the ELU family (elu, selu, celu), silu,
 * mish, hardswish, hardsigmoid, softplus, logsigmoid, threshold, the shrinks, and the in-place
 * variants PyTorch has ({@code elu_}, {@code hardtanh_}, {@code leaky_relu_}, ...); use {@code
 * Functional}. Public only because {@code Functional} lives in another package.
 *
 * <p>Each forward is composed of existing ops and runs unrecorded; the op then records one node
 * under PyTorch 1.13's grad_fn name whose backward is derivatives.yaml's formula, including its
 * values on the kinks ({@code hardtanh} passes the gradient only strictly inside {@code (min,
 * max)}, {@code hardswish} takes the middle branch at -3 and 3, ...) and NaN's branch. The
 * in-place variants go through {@code InPlaceOps.activationInPlace}: the ones whose formula
 * derivatives.yaml writes on the result ({@code elu_}, {@code selu_}, {@code celu_}, {@code
 * leaky_relu_}) save the modified tensor itself and refuse a negative slope when backward runs, as
 * PyTorch does; the others keep a copy of the input.
 */
public final class PointwiseActivationOps {
  private PointwiseActivationOps() {}

  /** SELU's constants (PyTorch's {@code SELU_ALPHA}, {@code SELU_SCALE}). */
  static final double SELU_ALPHA = 1.6732632423543772848170429916717;

  static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /** PyTorch's hardsigmoid backward multiplies by the float constant {@code 1.0f / 6.0f}. */
  private static final double ONE_SIXTH_F = 1.0f / 6.0f;

  private static final String NEGATIVE_ELU =
      "In-place elu backward calculation is triggered with a negative slope which is not"
          + " supported. This is caused by calling in-place forward function with a negative"
          + " slope, please call out-of-place version instead.";

  private static final String NEGATIVE_LEAKY =
      "In-place leakyReLu backward calculation is triggered with a negative slope which is not"
          + " supported. This is caused by calling in-place forward function with a negative"
          + " slope, please call out-of-place version instead. File an issue at"
          + " https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu"
          + " backward calculation with negative slope";

  // ---------------------------------------------------------------- plumbing

  /** Out of place: {@code forward} unrecorded, then one node whose backward reads the input. */
  private static Tensor op(
      String gradFn, Tensor x, UnaryOperator<Tensor> forward, BinaryOperator<Tensor> backward) {
    Tensor out;
    try (var ng = NoGrad.enter()) {
      out = forward.apply(x);
    }
    return Autograd.record(gradFn, out, in(x), in(x), g -> new Tensor[] {backward.apply(g[0], x)});
  }

  private static Tensor inPlace(Tensor x, String op, String gradFn, boolean savesResult,
      UnaryOperator<Tensor> forward, BinaryOperator<Tensor> backward) {
    return InPlaceOps.activationInPlace(x, op, gradFn, savesResult, forward, backward);
  }

  /** {@code log(1 + exp(z))}, the back end's stable softplus kernel, unrecorded. */
  private static Tensor softplusRaw(Tensor z) {
    return UnaryOps.unaryRaw(z, UnaryOp.SOFTPLUS, 0, 0);
  }

  /** {@code cond ? 0 : g}. */
  private static Tensor zeroWhere(Tensor cond, Tensor g) {
    return Tensor.where(cond, 0.0, g);
  }

  /** A double as C++'s {@code operator<<} prints it (PyTorch's messages): {@code %g}. */
  static String cppDouble(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(6));
    int exp = d.precision() - d.scale() - 1;
    if (exp < -4 || exp >= 6) {
      String m = d.movePointLeft(exp).stripTrailingZeros().toPlainString();
      return m + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return d.stripTrailingZeros().toPlainString();
  }

  // ---------------------------------------------------------------- hardtanh, relu6

  private static Tensor hardtanhForward(Tensor x, double min, double max) {
    if (x.dtype() == DType.BOOL) {
      throw new IllegalArgumentException("Bool inputs not supported for hardtanh");
    }
    return x.clamp(min, max);
  }

  /**
   * {@code hardtanh_backward}: the gradient only strictly inside {@code (min, max)} (and where
   * {@code x} is NaN), {@code (x <= min || x >= max) ? 0 : g}. One pass of the back end's fused
   * kernel for floating {@code g} and {@code x} of one dtype and shape (always, in autograd); the
   * composite {@code where(x.le(min) | x.ge(max), 0, g)}, same values, otherwise. Its own gradient
   * (double backward) is {@code hardtanh_backward} of the incoming one, PyTorch's
   * HardtanhBackwardBackward0; the mask has none.
   */
  static Tensor hardtanhBackward(Tensor g, Tensor x, double min, double max) {
    DType dt = x.dtype();
    if ((dt == DType.FLOAT32 || dt == DType.FLOAT64) && g.dtype() == dt
        && g.shape.equals(x.shape) && g.device().equals(x.device())) {
      Tensor out = Tensor.allocateUninit(x.shape, dt, x.device());
      x.backend().hardtanhBackward(g.view(), x.view(), min, max, out.view());
      return Autograd.record("HardtanhBackwardBackward0", out, in(g), in(x),
          gg -> new Tensor[] {hardtanhBackward(gg[0], x, min, max)});
    }
    return zeroWhere(x.le(min).logicalOr(x.ge(max)), g);
  }

  /** {@code F.hardtanh(input, min_val, max_val)}. */
  public static Tensor hardtanh(Tensor input, double minVal, double maxVal) {
    return op("HardtanhBackward0", input, x -> hardtanhForward(x, minVal, maxVal),
        (g, x) -> hardtanhBackward(g, x, minVal, maxVal));
  }

  /** {@code F.hardtanh_(input, min_val, max_val)} ({@code relu6_} with 0 and 6). */
  public static Tensor hardtanhInPlace(Tensor input, double minVal, double maxVal, String op) {
    return inPlace(input, op, "HardtanhBackward0", false,
        x -> hardtanhForward(x, minVal, maxVal),
        (g, x) -> hardtanhBackward(g, x, minVal, maxVal));
  }

  // ---------------------------------------------------------------- elu, selu, celu

  /** ATen's {@code elu(self, alpha, scale, input_scale)}: {@code x <= 0 ? ... : scale * x}. */
  private static Tensor eluForward(
      Tensor x, double alpha, double scale, double inputScale) {
    checkFloating("elu_cpu", x);
    return Tensor.where(x.le(0.0), x.mul(inputScale).expm1().mul(alpha * scale), x.mul(scale));
  }

  /** {@code elu_backward(grad, alpha, scale, input_scale, is_result=false, self)}. */
  private static Tensor eluBackward(
      Tensor g, Tensor x, double alpha, double scale, double inputScale) {
    return Tensor.where(x.le(0.0),
        g.mul(inputScale).mul(alpha * scale).mul(x.mul(inputScale).exp()), g.mul(scale));
  }

  /** {@code elu_backward(..., is_result=true, result)}: PyTorch refuses a negative alpha here. */
  private static Tensor eluBackwardFromResult(
      Tensor g, Tensor r, double alpha, double scale, double inputScale) {
    if (!(alpha >= 0.0)) {
      throw new IllegalStateException(NEGATIVE_ELU);
    }
    return Tensor.where(r.le(0.0),
        g.mul(inputScale).mul(r.add(alpha * scale)), g.mul(scale));
  }

  /** {@code F.elu(input, alpha)} (EluBackward0). */
  public static Tensor elu(Tensor input, double alpha) {
    return op("EluBackward0", input, x -> eluForward(x, alpha, 1.0, 1.0),
        (g, x) -> eluBackward(g, x, alpha, 1.0, 1.0));
  }

  /** {@code F.elu_(input, alpha)} (EluBackward1, on the result). */
  public static Tensor eluInPlace(Tensor input, double alpha) {
    return inPlace(input, "elu_", "EluBackward1", true, x -> eluForward(x, alpha, 1.0, 1.0),
        (g, r) -> eluBackwardFromResult(g, r, alpha, 1.0, 1.0));
  }

  /** {@code F.selu(input)}: ATen's elu with SELU's alpha and scale (EluBackward0). */
  public static Tensor selu(Tensor input) {
    return op("EluBackward0", input, x -> eluForward(x, SELU_ALPHA, SELU_SCALE, 1.0),
        (g, x) -> eluBackward(g, x, SELU_ALPHA, SELU_SCALE, 1.0));
  }

  /** {@code F.selu_(input)} (EluBackward1). */
  public static Tensor seluInPlace(Tensor input) {
    return inPlace(input, "selu_", "EluBackward1", true,
        x -> eluForward(x, SELU_ALPHA, SELU_SCALE, 1.0),
        (g, r) -> eluBackwardFromResult(g, r, SELU_ALPHA, SELU_SCALE, 1.0));
  }

  private static void checkCeluAlpha(double alpha) {
    if (alpha == 0.0) {
      throw new IllegalArgumentException("ZeroDivisionError: alpha cannot be 0 for CELU");
    }
  }

  /**
   * The input scale of CELU's backward: 1.13's derivatives.yaml writes {@code 1.0 /
   * alpha.toFloat()} (alpha rounded to float), while the forward divides by the double.
   */
  private static double celuBackwardScale(double alpha) {
    return 1.0 / (double) (float) alpha;
  }

  /** {@code F.celu(input, alpha)}: {@code elu(x, alpha, 1, 1 / alpha)} (CeluBackward0). */
  public static Tensor celu(Tensor input, double alpha) {
    checkCeluAlpha(alpha);
    return op("CeluBackward0", input, x -> eluForward(x, alpha, 1.0, 1.0 / alpha),
        (g, x) -> eluBackward(g, x, alpha, 1.0, celuBackwardScale(alpha)));
  }

  /** {@code F.celu_(input, alpha)} (CeluBackward1, on the result). */
  public static Tensor celuInPlace(Tensor input, double alpha) {
    checkCeluAlpha(alpha);
    return inPlace(input, "celu_", "CeluBackward1", true,
        x -> eluForward(x, alpha, 1.0, 1.0 / alpha),
        (g, r) -> eluBackwardFromResult(g, r, alpha, 1.0, celuBackwardScale(alpha)));
  }

  // ---------------------------------------------------------------- leaky_relu_

  /** {@code F.leaky_relu_(input, negative_slope)} (LeakyReluBackward1, on the result). */
  public static Tensor leakyReluInPlace(Tensor input, double negativeSlope) {
    checkFloating("leaky_relu_cpu", input);
    return inPlace(input, "leaky_relu_", "LeakyReluBackward1", true,
        x -> x.leakyRelu(negativeSlope),
        (g, r) -> {
          if (!(negativeSlope >= 0.0)) {
            throw new IllegalStateException(NEGATIVE_LEAKY);
          }
          return Tensor.where(r.gt(0.0), g, g.mul(negativeSlope));
        });
  }

  // ---------------------------------------------------------------- silu, mish

  private static Tensor siluForward(Tensor x) {
    checkFloating("silu_cpu", x);
    return x.div(x.neg().exp().add(1.0));
  }

  /** {@code dy * s * (1 + x * (1 - s))}, {@code s = sigmoid(x)}. */
  private static Tensor siluBackward(Tensor g, Tensor x) {
    Tensor s = x.sigmoid();
    return g.mul(s).mul(x.mul(s.rsub(1.0)).add(1.0));
  }

  /** {@code F.silu(input)}: {@code x * sigmoid(x)} (SiluBackward0). */
  public static Tensor silu(Tensor input) {
    return op("SiluBackward0", input, PointwiseActivationOps::siluForward,
        PointwiseActivationOps::siluBackward);
  }

  /** {@code F.silu(input, inplace=True)}. */
  public static Tensor siluInPlace(Tensor input) {
    return inPlace(input, "silu_", "SiluBackward0", false, PointwiseActivationOps::siluForward,
        PointwiseActivationOps::siluBackward);
  }

  private static Tensor mishForward(Tensor x) {
    checkFloating("mish_cpu", x);
    return x.mul(softplusRaw(x).tanh());
  }

  /** {@code dy * (t + x * sigmoid(x) * (1 - t^2))}, {@code t = tanh(softplus(x))}. */
  private static Tensor mishBackward(Tensor g, Tensor x) {
    Tensor t = softplusRaw(x).tanh();
    return g.mul(t.add(x.mul(x.sigmoid()).mul(t.mul(t).rsub(1.0))));
  }

  /** {@code F.mish(input)}: {@code x * tanh(softplus(x))} (MishBackward0). */
  public static Tensor mish(Tensor input) {
    return op("MishBackward0", input, PointwiseActivationOps::mishForward,
        PointwiseActivationOps::mishBackward);
  }

  /** {@code F.mish(input, inplace=True)}. */
  public static Tensor mishInPlace(Tensor input) {
    return inPlace(input, "mish_", "MishBackward0", false, PointwiseActivationOps::mishForward,
        PointwiseActivationOps::mishBackward);
  }

  // ---------------------------------------------------------------- hardswish, hardsigmoid

  private static Tensor hardswishForward(Tensor x) {
    checkFloating("hardswish_cpu", x);
    return x.mul(x.add(3.0).clamp(0.0, 6.0)).div(6.0);
  }

  /** {@code x < -3 ? 0 : x <= 3 ? g * (x / 3 + 1/2) : g} (at -3 and 3 the middle branch). */
  private static Tensor hardswishBackward(Tensor g, Tensor x) {
    return zeroWhere(x.lt(-3.0), Tensor.where(x.le(3.0), g.mul(x.div(3.0).add(0.5)), g));
  }

  /** {@code F.hardswish(input)} (HardswishBackward0). */
  public static Tensor hardswish(Tensor input) {
    return op("HardswishBackward0", input, PointwiseActivationOps::hardswishForward,
        PointwiseActivationOps::hardswishBackward);
  }

  /** {@code F.hardswish(input, inplace=True)}. */
  public static Tensor hardswishInPlace(Tensor input) {
    return inPlace(input, "hardswish_", "HardswishBackward0", false,
        PointwiseActivationOps::hardswishForward, PointwiseActivationOps::hardswishBackward);
  }

  private static Tensor hardsigmoidForward(Tensor x) {
    checkFloating("hardsigmoid_cpu", x);
    return x.add(3.0).clamp(0.0, 6.0).div(6.0);
  }

  /** {@code -3 < x < 3 ? g * (1.0f / 6.0f) : 0}. */
  private static Tensor hardsigmoidBackward(Tensor g, Tensor x) {
    return Tensor.where(x.gt(-3.0).logicalAnd(x.lt(3.0)), g.mul(ONE_SIXTH_F), 0.0);
  }

  /** {@code F.hardsigmoid(input)} (HardsigmoidBackward0). */
  public static Tensor hardsigmoid(Tensor input) {
    return op("HardsigmoidBackward0", input, PointwiseActivationOps::hardsigmoidForward,
        PointwiseActivationOps::hardsigmoidBackward);
  }

  /** {@code F.hardsigmoid(input, inplace=True)}. */
  public static Tensor hardsigmoidInPlace(Tensor input) {
    return inPlace(input, "hardsigmoid_", "HardsigmoidBackward0", false,
        PointwiseActivationOps::hardsigmoidForward, PointwiseActivationOps::hardsigmoidBackward);
  }

  // ---------------------------------------------------------------- softplus, logsigmoid

  /**
   * {@code F.softplus(input, beta, threshold)}: {@code x * beta > threshold ? x : log(1 +
   * exp(beta * x)) / beta}; the gradient {@code sigmoid(beta * x)} below the threshold, 1 above
   * (SoftplusBackward0).
   */
  public static Tensor softplus(Tensor input, double beta, double threshold) {
    return op("SoftplusBackward0", input,
        x -> {
          checkFloating("softplus_cpu", x);
          Tensor z = x.mul(beta);
          return Tensor.where(z.gt(threshold), x, softplusRaw(z).div(beta));
        },
        (g, x) -> {
          Tensor z = x.mul(beta);
          return Tensor.where(z.gt(threshold), g, g.mul(z.sigmoid()));
        });
  }

  /** {@code F.logsigmoid(input)}: {@code -softplus(-x)}; gradient {@code sigmoid(-x)}. */
  public static Tensor logsigmoid(Tensor input) {
    return op("LogSigmoidBackward0", input,
        x -> {
          checkFloating("log_sigmoid_cpu", x);
          return softplusRaw(x.neg()).neg();
        },
        (g, x) -> g.mul(x.neg().sigmoid()));
  }

  // ---------------------------------------------------------------- threshold

  private static Tensor thresholdForward(Tensor x, double threshold, double value) {
    if (x.dtype() == DType.BOOL) {
      throw new IllegalArgumentException("\"threshold_cpu\" not implemented for 'Bool'");
    }
    Tensor r = Tensor.where(x.le(threshold), value, x);
    return r.dtype() == x.dtype() ? r : r.to(x.dtype());
  }

  /** {@code F.threshold(input, threshold, value)}: {@code x <= threshold ? value : x}. */
  public static Tensor threshold(Tensor input, double threshold, double value) {
    return op("ThresholdBackward0", input, x -> thresholdForward(x, threshold, value),
        (g, x) -> zeroWhere(x.le(threshold), g));
  }

  /** {@code F.threshold_(input, threshold, value)} (ThresholdBackward1, on the input). */
  public static Tensor thresholdInPlace(Tensor input, double threshold, double value) {
    return inPlace(input, "threshold_", "ThresholdBackward1", false,
        x -> thresholdForward(x, threshold, value), (g, x) -> zeroWhere(x.le(threshold), g));
  }

  // ---------------------------------------------------------------- hardshrink, softshrink

  private static Tensor inside(Tensor x, double lambd) {
    return x.ge(-lambd).logicalAnd(x.le(lambd));
  }

  /** {@code F.hardshrink(input, lambd)}: 0 on {@code [-lambd, lambd]}, else {@code x}. */
  public static Tensor hardshrink(Tensor input, double lambd) {
    return op("HardshrinkBackward0", input,
        x -> {
          checkFloating("hardshrink_cpu", x);
          return zeroWhere(inside(x, lambd), x);
        },
        (g, x) -> zeroWhere(inside(x, lambd), g));
  }

  /**
   * {@code F.softshrink(input, lambd)}: {@code x - lambd} above {@code lambd}, {@code x + lambd}
   * below {@code -lambd}, else 0; {@code lambd} must be at least 0.
   */
  public static Tensor softshrink(Tensor input, double lambd) {
    if (!(lambd >= 0.0)) {
      throw new IllegalArgumentException(
          "lambda must be greater or equal to 0, but found to be " + cppDouble(lambd) + ".");
    }
    return op("SoftshrinkBackward0", input,
        x -> {
          checkFloating("softshrink_cpu", x);
          return Tensor.where(x.gt(lambd), x.sub(lambd),
              Tensor.where(x.lt(-lambd), x.add(lambd), 0.0));
        },
        (g, x) -> zeroWhere(inside(x, lambd), g));
  }
}
