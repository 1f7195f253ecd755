package dev.jnn.tensor;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;

/**
 * Binary math composites ({@code atan2}, {@code remainder}, {@code fmod}, {@code clamp} with tensor
 * bounds), issue 17 item 7: built from existing element-wise ops (every back end, no new kernel),
 * forwards under no-grad, backwards recorded under PyTorch's grad_fn with derivatives.yaml's
 * formulas.
 */
final class BinaryMathOps {
  private BinaryMathOps() {}

  private static Tensor gradFor(Tensor g, Tensor like) {
    if (like == null || !like.requiresGrad()) {
      return null;
    }
    Tensor r = Tensor.sumToShape(g, like.shape());
    return r.dtype() == like.dtype() ? r : r.to(like.dtype());
  }

  /** True where {@code t} is negative, -0.0 included (1 / -0.0 = -inf). */
  private static Tensor signBit(Tensor t) {
    return t.lt(0).logicalOr(t.eq(0).logicalAnd(t.reciprocal().lt(0)));
  }

  /**
   * {@code torch.atan2(y, x)} (y = this): {@code atan(y / x)} moved by +-pi into the left half
   * plane, signed zeros as C's atan2. Integer inputs give float32.
   */
  static Tensor atan2(Tensor y, Tensor x) {
    Checks.checkSameDevice("atan2", y, x);
    dev.jnn.core.Shape.broadcast(y.shape(), x.shape(), "atan2");
    DType ct = Checks.resultType(y, x);
    if (ct == DType.BOOL || ct == DType.INT64) {
      ct = DType.FLOAT32;
    }
    Tensor out;
    try (var g = NoGrad.enter()) {
      Tensor yc = y.dtype() == ct ? y : y.to(ct);
      Tensor xc = x.dtype() == ct ? x : x.to(ct);
      Tensor pi = Tensor.scalar(Math.PI, ct, y.device());
      Tensor negPi = Tensor.scalar(-Math.PI, ct, y.device());
      Tensor zero = Tensor.scalar(0, ct, y.device());
      Tensor yneg = signBit(yc);
      Tensor xneg = signBit(xc);
      Tensor turn = Tensor.where(xneg, Tensor.where(yneg, negPi, pi), zero);
      Tensor r = yc.div(xc).atan().add(turn);
      // both zero: atan(0 / 0) is NaN; C gives +-0 (x >= +0) or +-pi (x <= -0), sign of y
      Tensor both = yc.eq(0).logicalAnd(xc.eq(0));
      out = Tensor.where(both, Tensor.where(xneg, turn, yc.mul(1.0)), r);
    }
    return Tensor.record("Atan2Backward0", out, new Tensor[] {y, x}, new Tensor[] {y, x},
        g -> {
          Tensor den = x.mul(x).add(y.mul(y));
          return new Tensor[] {
              gradFor(g[0].mul(x).div(den), y), gradFor(g[0].mul(y.neg()).div(den), x)
          };
        });
  }

  /** {@code x - round(x / y) * y} with floor (remainder) or trunc (fmod) rounding, no autograd. */
  private static Tensor modRaw(Tensor x, Tensor y, boolean floor, String op) {
    Checks.checkSameDevice(op, x, y);
    DType ct = Checks.resultType(x, y);
    if (ct == DType.BOOL) {
      ct = DType.INT64;
    }
    try (var g = NoGrad.enter()) {
      if (ct == DType.INT64) {
        if (y.eq(0).any().item() != 0) {
          throw new ArithmeticException("ZeroDivisionError");
        }
      }
      // float32 (and int64) are computed in float64: x - q * y is then exact up to the final
      // rounding, as C's fmod is; int64 beyond 2^53 would lose digits
      DType work = DType.FLOAT64;
      Tensor xw = x.to(work);
      Tensor yw = y.to(work);
      Tensor q = xw.div(yw);
      q = floor ? q.floor() : q.trunc();
      Tensor r = xw.sub(q.mul(yw));
      if (floor) {
        // x - floor(x / y) * y can round onto y itself, or cross zero, when |r| is tiny
        Tensor bad = r.ne(0).logicalAnd(r.lt(0).ne(yw.lt(0)));
        r = Tensor.where(bad, r.add(yw), r);
      }
      return r.to(ct);
    }
  }

  /** {@code torch.remainder(x, y)} (floor rounding: the sign of y) or {@code torch.fmod} (trunc). */
  static Tensor mod(Tensor x, Tensor y, boolean floor, String name) {
    Tensor out = modRaw(x, y, floor, floor ? "remainder" : "fmod");
    return Tensor.record(name, out, new Tensor[] {x, y}, new Tensor[] {x, y},
        g -> {
          Tensor q = x.div(y);
          q = floor ? q.floor() : q.trunc();
          return new Tensor[] {gradFor(g[0], x), gradFor(g[0].neg().mul(q), y)};
        });
  }

  /** {@code torch.remainder(x, s)} / {@code torch.fmod(x, s)} with a Python scalar. */
  static Tensor mod(Tensor x, double s, boolean floor, String name) {
    Tensor y = Tensor.scalar(s, MaskOps.scalarType(x, s), x.device());
    Tensor out = modRaw(x, y, floor, floor ? "remainder" : "fmod");
    return Tensor.record(name, out, new Tensor[] {x}, new Tensor[0],
        g -> new Tensor[] {gradFor(g[0], x)});
  }

  /**
   * {@code torch.clamp(x, min, max)} with tensor bounds (either may be null, not both):
   * {@code min(max(x, min), max)}, so {@code max} wins where {@code min > max}.
   */
  static Tensor clamp(Tensor x, Tensor min, Tensor max) {
    if (min == null && max == null) {
      throw new IllegalArgumentException(
          "torch.clamp: At least one of 'min' or 'max' must not be None");
    }
    Tensor out;
    try (var g = NoGrad.enter()) {
      Tensor r = x;
      if (min != null) {
        r = r.maximum(min);
      }
      if (max != null) {
        r = r.minimum(max);
      }
      out = r;
    }
    Tensor lo = min;
    Tensor hi = max;
    Tensor[] saved = java.util.Arrays.stream(new Tensor[] {x, min, max})
        .filter(java.util.Objects::nonNull).toArray(Tensor[]::new);
    return Tensor.record("ClampBackward0", out, new Tensor[] {x, min, max}, saved,
        g -> {
          Tensor zero = Tensor.zerosLike(g[0]);
          Tensor inside = null;
          if (lo != null) {
            inside = x.ge(lo);
          }
          if (hi != null) {
            inside = inside == null ? x.le(hi) : inside.logicalAnd(x.le(hi));
          }
          Tensor gx = gradFor(Tensor.where(inside, g[0], zero), x);
          Tensor gmin = null;
          Tensor gmax = null;
          if (lo != null && lo.requiresGrad()) {
            Tensor pred = hi == null ? x.lt(lo) : x.lt(lo).logicalAnd(lo.lt(hi));
            gmin = gradFor(Tensor.where(pred, g[0], zero), lo);
          }
          if (hi != null && hi.requiresGrad()) {
            Tensor pred = lo == null ? x.gt(hi) : x.gt(hi).logicalOr(hi.lt(lo));
            gmax = gradFor(Tensor.where(pred, g[0], zero), hi);
          }
          return new Tensor[] {gx, gmin, gmax};
        });
  }
}
