package dev.jnn.tensor;

import static dev.jnn.tensor.Autograd.NONE;
import static dev.jnn.tensor.Autograd.in;
import static dev.jnn.tensor.Autograd.record;

import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.UnaryOp;
import dev.jnn.core.DType;

/**
 * Element-wise ops of one tensor: unary math with torch names, activations, rounding, logical not
 * and the NaN/inf tests; each validates, allocates, calls the back end's unary kernel and records
 * its backward beside the forward. The public entry points are {@link Tensor}'s methods of the same
 * names (documented there).
 */
final class UnaryOps {
  private UnaryOps() {}

  private static final double LN2 = Math.log(2.0);
  private static final double LN10 = Math.log(10.0);
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  private static Tensor floatingOrPromoted(Tensor self) {
    return self.isFloatingPoint() ? self : self.to(DType.FLOAT32);
  }

  static Tensor unaryRaw(Tensor self, UnaryOp op, double p0, double p1) {
    Tensor out = Tensor.allocateUninit(self.shape, self.dtype(), self.device());
    self.backend().unary(op, self.view(), out.view(), p0, p1);
    return out;
  }

  static Tensor toRaw(Tensor self, DType dt) {
    Tensor out = Tensor.allocateUninit(self.shape, dt, self.device());
    self.backend().copy(self.view(), out.view());
    return out;
  }

  static Tensor neg(Tensor self) {
    if (self.dtype() == DType.BOOL) {
      throw new IllegalArgumentException(
          "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to"
              + " invert a mask, use the `~` or `logical_not()` operator instead.");
    }
    Tensor out = unaryRaw(self, UnaryOp.NEG, 0, 0);
    return record("NegBackward0", out, in(self), NONE, g -> new Tensor[] {g[0].neg()});
  }

  static Tensor pow(Tensor self, double p) {
    if (self.dtype() == DType.INT64 && p >= 0 && p == Math.rint(p) && !Double.isInfinite(p)) {
      // an integral exponent acts like a Python int: torch.tensor([2, 3]).pow(2) stays int64
      return unaryRaw(self, UnaryOp.POW_SCALAR, p, 0);
    }
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.POW_SCALAR, p, 0);
    return record("PowBackward0", out, in(x), in(x),
        g -> new Tensor[] {p == 0 ? Tensor.zerosLike(x) : g[0].mul(x.pow(p - 1).mul(p))});
  }

  static Tensor exp(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.EXP, 0, 0);
    return record("ExpBackward0", out, in(x), in(out), g -> new Tensor[] {g[0].mul(out)});
  }

  static Tensor log(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.LOG, 0, 0);
    return record("LogBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].div(x)});
  }

  static Tensor sqrt(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.SQRT, 0, 0);
    return record("SqrtBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].div(out.mul(2.0))});
  }

  static Tensor abs(Tensor self) {
    if (self.dtype() == DType.BOOL) {
      throw new IllegalArgumentException("\"abs_cpu\" not implemented for 'Bool'");
    }
    Tensor out = unaryRaw(self, UnaryOp.ABS, 0, 0);
    Tensor x = self;
    return record("AbsBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].mul(x.sign())});
  }

  static Tensor sign(Tensor self) {
    Tensor out = unaryRaw(self, UnaryOp.SIGN, 0, 0);
    return record("SignBackward0", out, in(self), NONE, g -> new Tensor[] {Tensor.zerosLike(g[0])});
  }

  static Tensor clamp(Tensor self, double min, double max) {
    if (Double.isNaN(min) && Double.isNaN(max)) {
      throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
    }
    Tensor out = unaryRaw(self, UnaryOp.CLAMP, min, max);
    Tensor x = self;
    return record("ClampBackward1", out, in(x), in(x),
        g -> {
          Tensor mask = null;
          if (!Double.isNaN(min)) {
            mask = x.ge(min);
          }
          if (!Double.isNaN(max)) {
            Tensor m2 = x.le(max);
            mask = mask == null ? m2 : mask.logicalAnd(m2);
          }
          return new Tensor[] {Tensor.where(mask, g[0], Tensor.zerosLike(g[0]))};
        });
  }

  static Tensor logicalNot(Tensor self) {
    Tensor b = toBoolRaw(self);
    Tensor out = Tensor.allocate(self.shape, DType.BOOL, self.device());
    self.backend().unary(UnaryOp.NOT, b.view(), out.view(), 0, 0);
    return out;
  }

  static Tensor toBoolRaw(Tensor self) {
    return self.dtype() == DType.BOOL ? self : toRaw(self, DType.BOOL);
  }

  static Tensor relu(Tensor self) {
    if (self.dtype() == DType.BOOL) {
      throw new IllegalArgumentException("Boolean inputs not supported for relu");
    }
    Tensor out = unaryRaw(self, UnaryOp.RELU, 0, 0);
    return record("ReluBackward0", out, in(self), in(out),
        g -> new Tensor[] {
          BinaryOps.binaryRaw("threshold_backward", BinaryOp.THRESHOLD_BACKWARD, g[0], out)
        });
  }

  static Tensor sigmoid(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.SIGMOID, 0, 0);
    return record("SigmoidBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(out.rsub(1.0)))});
  }

  static Tensor tanh(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.TANH, 0, 0);
    return record("TanhBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(out).rsub(1.0))});
  }

  static Tensor sin(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.SIN, 0, 0);
    return record("SinBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].mul(x.cos())});
  }

  static Tensor cos(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.COS, 0, 0);
    return record("CosBackward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].mul(x.sin().neg())});
  }

  static Tensor tan(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.TAN, 0, 0);
    return record("TanBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(out).add(1.0))});
  }

  static Tensor asin(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.ASIN, 0, 0);
    return record("AsinBackward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].mul(x.mul(x).rsub(1.0).rsqrt())});
  }

  static Tensor acos(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.ACOS, 0, 0);
    return record("AcosBackward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].mul(x.mul(x).rsub(1.0).rsqrt().neg())});
  }

  static Tensor atan(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.ATAN, 0, 0);
    return record("AtanBackward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].div(x.mul(x).add(1.0))});
  }

  static Tensor sinh(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.SINH, 0, 0);
    return record("SinhBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].mul(x.cosh())});
  }

  static Tensor cosh(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.COSH, 0, 0);
    return record("CoshBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].mul(x.sinh())});
  }

  static Tensor exp2(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.EXP2, 0, 0);
    return record("Exp2Backward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(LN2))});
  }

  static Tensor expm1(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.EXPM1, 0, 0);
    return record("Expm1Backward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.add(1.0))});
  }

  static Tensor log1p(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.LOG1P, 0, 0);
    return record("Log1PBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].div(x.add(1.0))});
  }

  static Tensor log2(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.LOG2, 0, 0);
    return record("Log2Backward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].div(x.mul(LN2))});
  }

  static Tensor log10(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.LOG10, 0, 0);
    return record("Log10Backward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].div(x.mul(LN10))});
  }

  static Tensor erf(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.ERF, 0, 0);
    return record("ErfBackward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI))});
  }

  static Tensor rsqrt(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.RSQRT, 0, 0);
    return record("RsqrtBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(out).mul(out).mul(-0.5))});
  }

  static Tensor reciprocal(Tensor self) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.RECIPROCAL, 0, 0);
    return record("ReciprocalBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(out).neg())});
  }

  static Tensor floor(Tensor self) {
    return rounding(self, UnaryOp.FLOOR, "FloorBackward0");
  }

  static Tensor ceil(Tensor self) {
    return rounding(self, UnaryOp.CEIL, "CeilBackward0");
  }

  static Tensor round(Tensor self) {
    return rounding(self, UnaryOp.ROUND, "RoundBackward0");
  }

  static Tensor trunc(Tensor self) {
    return rounding(self, UnaryOp.TRUNC, "TruncBackward0");
  }

  private static Tensor rounding(Tensor self, UnaryOp op, String gradFn) {
    if (self.dtype() == DType.BOOL) {
      throw new IllegalArgumentException(
          "\"" + op.name().toLowerCase() + "_vml_cpu\" not implemented for 'Bool'");
    }
    Tensor out = unaryRaw(self, op, 0, 0);
    return record(gradFn, out, in(self), NONE, g -> new Tensor[] {Tensor.zerosLike(g[0])});
  }

  static Tensor gelu(Tensor self, String approximate) {
    boolean tanhForm;
    if ("none".equals(approximate)) {
      tanhForm = false;
    } else if ("tanh".equals(approximate)) {
      tanhForm = true;
    } else {
      throw new IllegalArgumentException("approximate argument must be either none or tanh.");
    }
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, tanhForm ? UnaryOp.GELU_TANH : UnaryOp.GELU, 0, 0);
    BinaryOp bw = tanhForm ? BinaryOp.GELU_TANH_BACKWARD : BinaryOp.GELU_BACKWARD;
    return record("GeluBackward0", out, in(x), in(x),
        g -> new Tensor[] {BinaryOps.binaryRaw("gelu_backward", bw, g[0], x)});
  }

  static Tensor leakyRelu(Tensor self, double negativeSlope) {
    Tensor x = floatingOrPromoted(self);
    Tensor out = unaryRaw(x, UnaryOp.LEAKY_RELU, negativeSlope, 0);
    return record("LeakyReluBackward0", out, in(x), in(x),
        g -> new Tensor[] {Tensor.where(x.gt(0.0), g[0], g[0].mul(negativeSlope))});
  }

  static Tensor isnan(Tensor self) {
    return self.ne(self);
  }

  static Tensor isinf(Tensor self) {
    if (!self.isFloatingPoint()) {
      return Tensor.full(self.shape, 0, DType.BOOL, self.device());
    }
    return self.abs().eq(Double.POSITIVE_INFINITY);
  }
}
