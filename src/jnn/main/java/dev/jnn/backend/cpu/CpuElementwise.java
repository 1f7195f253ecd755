package dev.jnn.backend.cpu;

import static dev.jnn.backend.cpu.CpuBackend.host;

import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import java.util.function.DoubleBinaryOperator;

/**
 * The CPU back end's element-wise binary ops, {@code where} and the fused hardtanh backward
 * ({@link CpuBackend} delegates): typed loops per dtype, contiguous runs split over the threads.
 */
final class CpuElementwise {
  private CpuElementwise() {}

  /** Elements per thread's share of one contiguous run. */
  private static final int FLAT_GRAIN = 1 << 15;

  // ---------------------------------------------------------------- binary

  static DoubleBinaryOperator binaryFn(BinaryOp op) {
    return switch (op) {
      case ADD -> Double::sum;
      case SUB -> (a, b) -> a - b;
      case MUL -> (a, b) -> a * b;
      case DIV -> (a, b) -> a / b;
      case POW -> Math::pow;
      case MAXIMUM -> (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
      case MINIMUM -> (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
      case EQ -> (a, b) -> a == b ? 1 : 0;
      case NE -> (a, b) -> a != b ? 1 : 0;
      case LT -> (a, b) -> a < b ? 1 : 0;
      case LE -> (a, b) -> a <= b ? 1 : 0;
      case GT -> (a, b) -> a > b ? 1 : 0;
      case GE -> (a, b) -> a >= b ? 1 : 0;
      case THRESHOLD_BACKWARD -> (g, x) -> x > 0 ? g : 0.0;
      case GELU_BACKWARD ->
          (g, x) -> {
            double cdf = 0.5 * (1.0 + MathFns.erf(x * MathFns.SQRT1_2));
            double pdf = Math.exp(-0.5 * x * x) * (2.0 / Math.sqrt(Math.PI)) * MathFns.SQRT1_2 * 0.5;
            return g * (cdf + x * pdf);
          };
      case GELU_TANH_BACKWARD ->
          (g, x) -> {
            double xSq = x * x;
            double inner = CpuBackend.K_BETA * (x + CpuBackend.K_KAPPA * xSq * x);
            double t = Math.tanh(inner);
            double left = 0.5 * x;
            double right = 1.0 + t;
            double leftD = 0.5 * right;
            double rightD =
                left * (1.0 - t * t) * CpuBackend.K_BETA * (1.0 + 3.0 * CpuBackend.K_KAPPA * xSq);
            return g * (leftD + rightD);
          };
      case AND -> (a, b) -> a != 0 && b != 0 ? 1 : 0;
      case OR -> (a, b) -> a != 0 || b != 0 ? 1 : 0;
    };
  }

  static void binary(BinaryOp op, View a, View b, View ov) {
    HostBuffer ha = host(a.buffer());
    HostBuffer hb = host(b.buffer());
    HostBuffer out = host(ov.buffer());
    int[] shape = a.shape();
    Strided it = Strided.of(shape, a.strides(), b.strides(), ov.strides());
    int os = it.innerStride(2);
    int inner = it.inner;
    int as = it.innerStride(0);
    int bs = it.innerStride(1);
    DoubleBinaryOperator f = binaryFn(op);
    DType dt = ha.dtype();
    boolean cmp = op.isComparison();
    if (isRelational(op) && dt == DType.FLOAT32 && hb.dtype() == DType.FLOAT32 && it.rows == 1
        && os == 1 && (as == 1 || as == 0) && (bs == 1 || bs == 0)) {
      // a float32 comparison over one contiguous run (a mask of an activation, x.le(min)): split
      // it over the threads (scalar loops: on JDK 17 the Vector API's compare stored as bools,
      // VectorMask.intoArray(boolean[]), took 4-20 ns per element against about 1.5)
      float[] x = ha.floats();
      float[] y = hb.floats();
      boolean[] o = out.bools();
      int ao = a.offset();
      int bo = b.offset();
      int oo = ov.offset();
      Parallel.parallelFor(
          inner,
          FLAT_GRAIN,
          (s, e) ->
              CompareRows.row(op, x, as == 0 ? ao : ao + s, as, y, bs == 0 ? bo : bo + s, bs,
                  o, oo + s, 1, e - s));
      return;
    }
    if (!cmp && dt == DType.FLOAT32 && it.rows == 1 && os == 1 && (as == 1 || as == 0)
        && (bs == 1 || bs == 0)) {
      // one contiguous run (or a run and a scalar): split it over the threads
      float[] x = ha.floats();
      float[] y = hb.floats();
      float[] o = out.floats();
      int ao = a.offset();
      int bo = b.offset();
      int oo = ov.offset();
      Parallel.parallelFor(
          inner,
          FLAT_GRAIN,
          (s, e) ->
              floatRow(op, f, x, as == 0 ? ao : ao + s, as, y, bs == 0 ? bo : bo + s, bs, o,
                  oo + s, 1, e - s));
      return;
    }
    it.parallelRows(
        (r0, r1) -> {
          for (int r = r0; r < r1; r++) {
            int ao = a.offset() + it.rowOffset(0, r);
            int bo = b.offset() + it.rowOffset(1, r);
            int oo = ov.offset() + it.rowOffset(2, r);
            if (!cmp && dt == DType.FLOAT32) {
              floatRow(op, f, ha.floats(), ao, as, hb.floats(), bo, bs, out.floats(), oo, os, inner);
            } else if (!cmp && dt == DType.FLOAT64) {
              double[] x = ha.doubles();
              double[] y = hb.doubles();
              double[] o = out.doubles();
              for (int i = 0; i < inner; i++) {
                o[oo + i * os] = f.applyAsDouble(x[ao + i * as], y[bo + i * bs]);
              }
            } else if (!cmp && dt == DType.INT64) {
              longRow(op, f, ha.longs(), ao, as, hb.longs(), bo, bs, out.longs(), oo, os, inner);
            } else if (cmp && dt == DType.FLOAT32 && hb.dtype() == DType.FLOAT32
                && CompareRows.row(op, ha.floats(), ao, as, hb.floats(), bo, bs, out.bools(), oo,
                    os, inner)) {
              // done: float32 against float32 (a tensor and a scalar one included), no boxing
              // through getDouble and the comparison's DoubleBinaryOperator per element
            } else if (isRelational(op) && dt == DType.FLOAT64 && hb.dtype() == DType.FLOAT64) {
              CompareRows.row(op, ha.doubles(), ao, as, hb.doubles(), bo, bs, out.bools(), oo, os,
                  inner);
            } else if (isRelational(op) && dt == DType.INT64 && hb.dtype() == DType.INT64) {
              CompareRows.row(op, ha.longs(), ao, as, hb.longs(), bo, bs, out.bools(), oo, os,
                  inner);
            } else if ((op == BinaryOp.AND || op == BinaryOp.OR) && dt == DType.BOOL
                && hb.dtype() == DType.BOOL && out.dtype() == DType.BOOL) {
              boolean[] x = ha.bools();
              boolean[] y = hb.bools();
              boolean[] o = out.bools();
              if (as == 1 && bs == 1 && os == 1) {
                // non-short-circuit & and | over plain arrays: C2 vectorises these
                if (op == BinaryOp.AND) {
                  for (int i = 0; i < inner; i++) {
                    o[oo + i] = x[ao + i] & y[bo + i];
                  }
                } else {
                  for (int i = 0; i < inner; i++) {
                    o[oo + i] = x[ao + i] | y[bo + i];
                  }
                }
                continue;
              }
              boolean and = op == BinaryOp.AND;
              for (int i = 0; i < inner; i++) {
                o[oo + i * os] = and ? x[ao + i * as] && y[bo + i * bs]
                    : x[ao + i * as] || y[bo + i * bs];
              }
            } else if (cmp) {
              boolean[] o = out.bools();
              for (int i = 0; i < inner; i++) {
                o[oo + i * os] = f.applyAsDouble(ha.getDouble(ao + i * as), hb.getDouble(bo + i * bs)) != 0;
              }
            } else {
              for (int i = 0; i < inner; i++) {
                out.setDouble(oo + i * os, f.applyAsDouble(ha.getDouble(ao + i * as), hb.getDouble(bo + i * bs)));
              }
            }
          }
        });
  }

  /** {@code ==, !=, <, <=, >, >=}: the comparisons of two values of the operands' dtype. */
  private static boolean isRelational(BinaryOp op) {
    return switch (op) {
      case EQ, NE, LT, LE, GT, GE -> true;
      default -> false;
    };
  }

  private static void floatRow(
      BinaryOp op, DoubleBinaryOperator f, float[] x, int xo, int xs, float[] y, int yo, int ys,
      float[] o, int oo, int os, int n) {
    if (xs == 1 && os == 1 && ys == 1) {
      switch (op) {
        case ADD -> FloatKernels.add(x, xo, y, yo, o, oo, n);
        case SUB -> FloatKernels.sub(x, xo, y, yo, o, oo, n);
        case MUL -> FloatKernels.mul(x, xo, y, yo, o, oo, n);
        case DIV -> FloatKernels.div(x, xo, y, yo, o, oo, n);
        case THRESHOLD_BACKWARD -> FloatKernels.reluBackward(x, xo, y, yo, o, oo, n);
        default -> floatRowStrided(op, f, x, xo, xs, y, yo, ys, o, oo, os, n);
      }
      return;
    }
    if (xs == 1 && os == 1 && ys == 0) {
      float v = y[yo];
      switch (op) {
        case ADD -> FloatKernels.addScalar(x, xo, v, o, oo, n);
        case SUB -> FloatKernels.addScalar(x, xo, -v, o, oo, n);
        case MUL -> FloatKernels.mulScalar(x, xo, v, o, oo, n);
        case DIV -> FloatKernels.divScalar(x, xo, v, o, oo, n);
        default -> floatRowStrided(op, f, x, xo, xs, y, yo, ys, o, oo, os, n);
      }
      return;
    }
    if (xs == 0 && os == 1 && ys == 1) {
      float v = x[xo];
      switch (op) {
        case ADD -> FloatKernels.addScalar(y, yo, v, o, oo, n);
        case SUB -> FloatKernels.rsubScalar(v, y, yo, o, oo, n);
        case MUL -> FloatKernels.mulScalar(y, yo, v, o, oo, n);
        // the gradient of a sum, expanded, through a ReLU
        case THRESHOLD_BACKWARD -> FloatKernels.reluBackwardUniform(v, y, yo, o, oo, n);
        default -> floatRowStrided(op, f, x, xo, xs, y, yo, ys, o, oo, os, n);
      }
      return;
    }
    floatRowStrided(op, f, x, xo, xs, y, yo, ys, o, oo, os, n);
  }

  private static void floatRowStrided(
      BinaryOp op, DoubleBinaryOperator f, float[] x, int xo, int xs, float[] y, int yo, int ys,
      float[] o, int oo, int os, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] + y[yo + i * ys];
        }
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] - y[yo + i * ys];
        }
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] * y[yo + i * ys];
        }
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] / y[yo + i * ys];
        }
      }
      case THRESHOLD_BACKWARD -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = y[yo + i * ys] > 0f ? x[xo + i * xs] : 0f;
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = (float) f.applyAsDouble(x[xo + i * xs], y[yo + i * ys]);
        }
      }
    }
  }

  private static void longRow(
      BinaryOp op, DoubleBinaryOperator f, long[] x, int xo, int xs, long[] y, int yo, int ys,
      long[] o, int oo, int os, int n) {
    for (int i = 0; i < n; i++) {
      long a = x[xo + i * xs];
      long b = y[yo + i * ys];
      o[oo + i * os] =
          switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case DIV -> Math.floorDiv(a, b);
            default -> (long) f.applyAsDouble(a, b);
          };
    }
  }

  static void where(View cond, View a, View b, View ov) {
    HostBuffer hc = host(cond.buffer());
    HostBuffer ha = host(a.buffer());
    HostBuffer hb = host(b.buffer());
    HostBuffer out = host(ov.buffer());
    int[] shape = a.shape();
    Strided it = Strided.of(shape, cond.strides(), a.strides(), b.strides(), ov.strides());
    int os = it.innerStride(3);
    int inner = it.inner;
    int cs = it.innerStride(0);
    int as = it.innerStride(1);
    int bs = it.innerStride(2);
    // the common case (masks in backward formulas) without per-element dispatch
    boolean boolFloat = hc.dtype() == DType.BOOL && ha.dtype() == DType.FLOAT32
        && hb.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32;
    // contiguous mask and output, each value operand contiguous or one value (a scalar 0)
    boolean runs = cs == 1 && os == 1 && (as == 0 || as == 1) && (bs == 0 || bs == 1);
    if (boolFloat && runs && it.rows == 1) {
      // one contiguous run: split it over the threads, vector blends
      boolean[] c = hc.bools();
      float[] x = ha.floats();
      float[] y = hb.floats();
      float[] o = out.floats();
      int co = cond.offset();
      int ao = a.offset();
      int bo = b.offset();
      int oo = ov.offset();
      Parallel.parallelFor(
          inner,
          FLAT_GRAIN,
          (s, e) ->
              FloatKernels.where(c, co + s, x, as == 0 ? ao : ao + s, as, y,
                  bs == 0 ? bo : bo + s, bs, o, oo + s, e - s));
      return;
    }
    DType dt = out.dtype();
    boolean boolTyped = hc.dtype() == DType.BOOL && ha.dtype() == dt && hb.dtype() == dt;
    it.parallelRows(
        (r0, r1) -> {
          for (int r = r0; r < r1; r++) {
            int co = cond.offset() + it.rowOffset(0, r);
            int ao = a.offset() + it.rowOffset(1, r);
            int bo = b.offset() + it.rowOffset(2, r);
            int oo = ov.offset() + it.rowOffset(3, r);
            if (boolFloat) {
              boolean[] c = hc.bools();
              float[] x = ha.floats();
              float[] y = hb.floats();
              float[] o = out.floats();
              if (runs) {
                FloatKernels.where(c, co, x, ao, as, y, bo, bs, o, oo, inner);
                continue;
              }
              for (int i = 0; i < inner; i++) {
                o[oo + i * os] = c[co + i * cs] ? x[ao + i * as] : y[bo + i * bs];
              }
              continue;
            }
            if (boolTyped && dt == DType.FLOAT64) {
              boolean[] c = hc.bools();
              double[] x = ha.doubles();
              double[] y = hb.doubles();
              double[] o = out.doubles();
              for (int i = 0; i < inner; i++) {
                o[oo + i * os] = c[co + i * cs] ? x[ao + i * as] : y[bo + i * bs];
              }
              continue;
            }
            if (boolTyped && dt == DType.INT64) {
              boolean[] c = hc.bools();
              long[] x = ha.longs();
              long[] y = hb.longs();
              long[] o = out.longs();
              for (int i = 0; i < inner; i++) {
                o[oo + i * os] = c[co + i * cs] ? x[ao + i * as] : y[bo + i * bs];
              }
              continue;
            }
            if (boolTyped && dt == DType.BOOL) {
              boolean[] c = hc.bools();
              boolean[] x = ha.bools();
              boolean[] y = hb.bools();
              boolean[] o = out.bools();
              for (int i = 0; i < inner; i++) {
                o[oo + i * os] = c[co + i * cs] ? x[ao + i * as] : y[bo + i * bs];
              }
              continue;
            }
            for (int i = 0; i < inner; i++) {
              boolean c = hc.getDouble(co + i * cs) != 0;
              if (out.dtype() == DType.INT64) {
                out.setLong(oo + i * os, c ? ha.getLong(ao + i * as) : hb.getLong(bo + i * bs));
              } else {
                out.setDouble(oo + i * os, c ? ha.getDouble(ao + i * as) : hb.getDouble(bo + i * bs));
              }
            }
          }
        });
  }

  static void hardtanhBackward(View g, View x, double min, double max, View ov) {
    HostBuffer hg = host(g.buffer());
    HostBuffer hx = host(x.buffer());
    HostBuffer out = host(ov.buffer());
    DType dt = hx.dtype();
    if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || hg.dtype() != dt || out.dtype() != dt) {
      throw new IllegalArgumentException("hardtanhBackward: float32 or float64 operands of one"
          + " dtype expected, got " + hg.dtype() + ", " + dt + ", " + out.dtype());
    }
    Strided it = Strided.of(ov.shape(), g.strides(), x.strides(), ov.strides());
    int inner = it.inner;
    int gs = it.innerStride(0);
    int xs = it.innerStride(1);
    int os = it.innerStride(2);
    if (dt == DType.FLOAT32) {
      float lo = (float) min;
      float hi = (float) max;
      float[] ga = hg.floats();
      float[] xa = hx.floats();
      float[] oa = out.floats();
      if (it.rows == 1 && gs == 1 && xs == 1 && os == 1) {
        // one contiguous run (the common case): split it over the threads
        int go = g.offset();
        int xo = x.offset();
        int oo = ov.offset();
        Parallel.parallelFor(inner, FLAT_GRAIN,
            (s, e) -> FloatKernels.hardtanhBackward(ga, go + s, xa, xo + s, lo, hi, oa, oo + s,
                e - s));
        return;
      }
      it.parallelRows(
          (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
              int go = g.offset() + it.rowOffset(0, r);
              int xo = x.offset() + it.rowOffset(1, r);
              int oo = ov.offset() + it.rowOffset(2, r);
              if (gs == 1 && xs == 1 && os == 1) {
                FloatKernels.hardtanhBackward(ga, go, xa, xo, lo, hi, oa, oo, inner);
              } else {
                for (int i = 0; i < inner; i++) {
                  float v = xa[xo + i * xs];
                  oa[oo + i * os] = v <= lo | v >= hi ? 0f : ga[go + i * gs];
                }
              }
            }
          });
      return;
    }
    double[] ga = hg.doubles();
    double[] xa = hx.doubles();
    double[] oa = out.doubles();
    it.parallelRows(
        (r0, r1) -> {
          for (int r = r0; r < r1; r++) {
            int go = g.offset() + it.rowOffset(0, r);
            int xo = x.offset() + it.rowOffset(1, r);
            int oo = ov.offset() + it.rowOffset(2, r);
            for (int i = 0; i < inner; i++) {
              double v = xa[xo + i * xs];
              oa[oo + i * os] = v <= min | v >= max ? 0.0 : ga[go + i * gs];
            }
          }
        });
  }

}
