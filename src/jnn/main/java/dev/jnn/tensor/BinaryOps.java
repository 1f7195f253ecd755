package dev.jnn.tensor;

import static dev.jnn.tensor.Autograd.NONE;
import static dev.jnn.tensor.Autograd.gradFor;
import static dev.jnn.tensor.Autograd.in;
import static dev.jnn.tensor.Autograd.record;

import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.UnaryOp;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;

/**
 * Element-wise ops of two (or, for {@code where}, three) broadcast tensors: arithmetic,
 * maximum/minimum, comparisons and logic; each validates, promotes, allocates, calls the back end's
 * binary kernel and records its backward beside the forward. The public entry points are {@link
 * Tensor}'s methods of the same names (documented there).
 */
final class BinaryOps {
  private BinaryOps() {}

  static Tensor binaryRaw(String opName, BinaryOp op, Tensor a, Tensor b) {
    Checks.checkSameDevice(opName, a, b);
    DType ct = Checks.resultType(a, b);
    Shape outShape = Shape.broadcast(a.shape, b.shape, opName);
    Tensor ac = a.dtype() == ct ? a : UnaryOps.toRaw(a, ct);
    Tensor bc = b.dtype() == ct ? b : UnaryOps.toRaw(b, ct);
    Tensor out = Tensor.allocateUninit(outShape, op.isComparison() ? DType.BOOL : ct, a.device());
    a.backend().binary(op, ac.broadcastView(outShape), bc.broadcastView(outShape), out.view());
    return out;
  }

  static Tensor add(Tensor self, Tensor other) {
    Tensor out = binaryRaw("add", BinaryOp.ADD, self, other);
    Tensor a = self;
    return record("AddBackward0", out, in(self, other), NONE,
        g -> new Tensor[] {gradFor(g[0], a), gradFor(g[0], other)});
  }

  static Tensor sub(Tensor self, Tensor other) {
    if (self.dtype() == DType.BOOL && other.dtype() == DType.BOOL) {
      throw new IllegalArgumentException(
          "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or"
              + " `logical_xor()` operator instead.");
    }
    Tensor out = binaryRaw("sub", BinaryOp.SUB, self, other);
    Tensor a = self;
    return record("SubBackward0", out, in(self, other), NONE,
        g -> new Tensor[] {gradFor(g[0], a), other.requiresGrad ? gradFor(g[0].neg(), other) : null});
  }

  static Tensor rsub(Tensor self, double s) {
    Tensor out = binaryRaw("rsub", BinaryOp.SUB, Checks.wrapScalar(self, s), self);
    Tensor x = self;
    return record("RsubBackward1", out, in(x), NONE, g -> new Tensor[] {gradFor(g[0].neg(), x)});
  }

  static Tensor mul(Tensor self, Tensor other) {
    Tensor out = binaryRaw("mul", BinaryOp.MUL, self, other);
    Tensor a = self;
    return record("MulBackward0", out, in(self, other), in(self, other),
        g -> new Tensor[] {
          a.requiresGrad ? gradFor(g[0].mul(other), a) : null,
          other.requiresGrad ? gradFor(g[0].mul(a), other) : null
        });
  }

  static Tensor mul(Tensor self, double s) {
    if (!self.isFloatingPoint()) {
      return self.mul(Checks.wrapScalar(self, s));
    }
    Tensor out = UnaryOps.unaryRaw(self, UnaryOp.MUL_SCALAR, s, 0);
    return record("MulBackward0", out, in(self), NONE, g -> new Tensor[] {g[0].mul(s)});
  }

  static Tensor div(Tensor self, Tensor other) {
    Tensor a = self;
    Tensor b = other;
    if (!a.isFloatingPoint() && !b.isFloatingPoint()) {
      a = a.to(DType.FLOAT32);
      b = b.to(DType.FLOAT32);
    }
    Tensor out = binaryRaw("div", BinaryOp.DIV, a, b);
    Tensor fa = a;
    Tensor fb = b;
    return record("DivBackward0", out, in(a, b), in(a, b),
        g -> new Tensor[] {
          fa.requiresGrad ? gradFor(g[0].div(fb), fa) : null,
          fb.requiresGrad ? gradFor(g[0].neg().mul(fa).div(fb.mul(fb)), fb) : null
        });
  }

  static Tensor pow(Tensor self, Tensor exponent) {
    Tensor out = binaryRaw("pow", BinaryOp.POW, self, exponent);
    Tensor a = self;
    Tensor b = exponent;
    return record("PowBackward1", out, in(a, b), in(a, b, out),
        g -> {
          Tensor ga = null;
          Tensor gb = null;
          if (a.requiresGrad) {
            // grad * b * a^(b-1), zero where b == 0 (PyTorch's pow_backward_self)
            Tensor d = b.mul(a.pow(b.sub(1.0)));
            ga = gradFor(where(b.eq(0.0), Tensor.zerosLike(d), d).mul(g[0]), a);
          }
          if (b.requiresGrad) {
            // grad * a^b * log(a), zero where a == 0 and b >= 0 (pow_backward_exponent)
            Tensor d = out.mul(a.log());
            Tensor mask = a.eq(0.0).logicalAnd(b.ge(0.0));
            gb = gradFor(where(mask, Tensor.zerosLike(d), d).mul(g[0]), b);
          }
          return new Tensor[] {ga, gb};
        });
  }

  static Tensor maximum(Tensor self, Tensor other) {
    Tensor out = binaryRaw("maximum", BinaryOp.MAXIMUM, self, other);
    Tensor a = self;
    return record("MaximumBackward0", out, in(a, other), in(a, other),
        g -> minMaxBackward(g[0], a, other, true));
  }

  static Tensor minimum(Tensor self, Tensor other) {
    Tensor out = binaryRaw("minimum", BinaryOp.MINIMUM, self, other);
    Tensor a = self;
    return record("MinimumBackward0", out, in(a, other), in(a, other),
        g -> minMaxBackward(g[0], a, other, false));
  }

  private static Tensor[] minMaxBackward(Tensor g, Tensor a, Tensor b, boolean max) {
    // PyTorch: where(a == b, g / 2, g) masked to zero where the other input wins
    Tensor half = g.mul(0.5);
    Tensor eq = a.eq(b);
    Tensor zero = Tensor.zerosLike(g);
    Tensor ga = null;
    Tensor gb = null;
    if (a.requiresGrad) {
      Tensor wins = max ? a.gt(b) : a.lt(b);
      ga = gradFor(where(eq, half, where(wins, g, zero)), a);
    }
    if (b.requiresGrad) {
      Tensor wins = max ? b.gt(a) : b.lt(a);
      gb = gradFor(where(eq, half, where(wins, g, zero)), b);
    }
    return new Tensor[] {ga, gb};
  }

  static Tensor eq(Tensor self, Tensor other) {
    return binaryRaw("eq", BinaryOp.EQ, self, other);
  }

  static Tensor ne(Tensor self, Tensor other) {
    return binaryRaw("ne", BinaryOp.NE, self, other);
  }

  static Tensor lt(Tensor self, Tensor other) {
    return binaryRaw("lt", BinaryOp.LT, self, other);
  }

  static Tensor le(Tensor self, Tensor other) {
    return binaryRaw("le", BinaryOp.LE, self, other);
  }

  static Tensor gt(Tensor self, Tensor other) {
    return binaryRaw("gt", BinaryOp.GT, self, other);
  }

  static Tensor ge(Tensor self, Tensor other) {
    return binaryRaw("ge", BinaryOp.GE, self, other);
  }

  static Tensor logicalAnd(Tensor self, Tensor other) {
    return binaryRaw(
        "logical_and", BinaryOp.AND, UnaryOps.toBoolRaw(self), UnaryOps.toBoolRaw(other));
  }

  static Tensor logicalOr(Tensor self, Tensor other) {
    return binaryRaw(
        "logical_or", BinaryOp.OR, UnaryOps.toBoolRaw(self), UnaryOps.toBoolRaw(other));
  }

  static Tensor where(Tensor cond, Tensor a, Tensor b) {
    Checks.checkSameDevice("where", cond, a);
    Checks.checkSameDevice("where", a, b);
    if (cond.dtype() != DType.BOOL) {
      throw new IllegalArgumentException(
          "where expected condition to be a boolean tensor, but got a tensor with dtype "
              + Checks.scalarTypeName(cond.dtype()));
    }
    DType ct = Checks.resultType(a, b);
    Shape s = Shape.broadcast(Shape.broadcast(cond.shape, a.shape, "where"), b.shape, "where");
    Tensor ac = a.dtype() == ct ? a : UnaryOps.toRaw(a, ct);
    Tensor bc = b.dtype() == ct ? b : UnaryOps.toRaw(b, ct);
    Tensor out = Tensor.allocate(s, ct, a.device());
    a.backend().where(cond.broadcastView(s), ac.broadcastView(s), bc.broadcastView(s), out.view());
    return record("WhereBackward0", out, in(a, b), in(cond),
        g -> {
          Tensor zero = Tensor.zerosLike(g[0]);
          return new Tensor[] {
            a.requiresGrad ? gradFor(where(cond, g[0], zero), a) : null,
            b.requiresGrad ? gradFor(where(cond, zero, g[0]), b) : null
          };
        });
  }
}
