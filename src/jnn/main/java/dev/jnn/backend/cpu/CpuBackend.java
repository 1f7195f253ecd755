package dev.jnn.backend.cpu;

import dev.jnn.backend.AllocationCounter;
import dev.jnn.backend.AllocationStats;
import dev.jnn.backend.Backend;
import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.ConvKernels;
import dev.jnn.backend.EmbeddingShape;
import dev.jnn.backend.GemmSpec;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.LossKernels;
import dev.jnn.backend.NormKernels;
import dev.jnn.backend.OptimKernels;
import dev.jnn.backend.Philox;
import dev.jnn.backend.PoolKernels;
import dev.jnn.backend.ReduceOp;
import dev.jnn.backend.RnnKernels;
import dev.jnn.backend.SampleKernels;
import dev.jnn.backend.ScatterSpec;
import dev.jnn.backend.SoftmaxKernels;
import dev.jnn.backend.UnaryOp;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import java.util.Optional;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The pure-Java back end. Float32 and float64 have dedicated loops; int64 and bool go through a
 * generic path. Large element-wise ops and reductions split their rows over {@link Parallel}; GEMM
 * is {@link Gemm}. The memory, element-wise, reduction, BLAS and fused-optimizer families are
 * implemented here, the indexing family by {@link CpuIndex}; the neural-network families by {@link
 * CpuConv} (blocked im2col + GEMM), {@link CpuPool}, {@link CpuNorm}, {@link CpuSoftmax}, {@link
 * CpuLoss}, {@link CpuRnn} and {@link CpuSample} (stateless; scratch buffers are per thread). Buffers from {@link
 * #allocate} are counted ({@link #allocationStats}) until they are closed.
 */
public final class CpuBackend implements Backend, OptimKernels {
  private final CpuConv conv = new CpuConv();
  private final CpuPool pool = new CpuPool();
  private final CpuNorm norm = new CpuNorm();
  private final CpuSoftmax softmax = new CpuSoftmax();
  private final CpuLoss loss = new CpuLoss();
  private final CpuRnn rnn = new CpuRnn();
  private final CpuSample sample = new CpuSample();
  private final CpuIndex indexing = new CpuIndex();
  private final Optional<OptimKernels> optim = Optional.of(this);
  private final AllocationCounter memory = new AllocationCounter();

  @Override
  public ConvKernels conv() {
    return conv;
  }

  @Override
  public PoolKernels pool() {
    return pool;
  }

  @Override
  public NormKernels norm() {
    return norm;
  }

  @Override
  public SoftmaxKernels softmax() {
    return softmax;
  }

  @Override
  public LossKernels loss() {
    return loss;
  }

  @Override
  public RnnKernels rnn() {
    return rnn;
  }

  @Override
  public SampleKernels sample() {
    return sample;
  }

  @Override
  public Optional<OptimKernels> optim() {
    return optim;
  }

  @Override
  public Device.Type type() {
    return Device.Type.CPU;
  }

  @Override
  public Buffer allocate(Device device, DType dtype, long numel) {
    return HostBuffer.allocate(dtype, numel, true, memory);
  }

  @Override
  public Buffer allocateUninitialized(Device device, DType dtype, long numel) {
    return HostBuffer.allocate(dtype, numel, false, memory);
  }

  @Override
  public AllocationStats allocationStats(Device device) {
    return memory.stats();
  }

  @Override
  public void resetPeakAllocation(Device device) {
    memory.resetPeak();
  }

  @Override
  public Buffer upload(Device device, HostBuffer host) {
    return host;
  }

  @Override
  public HostBuffer download(View src) {
    HostBuffer out = HostBuffer.allocateUninitialized(src.buffer().dtype(), src.numel());
    copy(src, View.contiguous(out, src.shape()));
    return out;
  }

  static HostBuffer host(Buffer b) {
    if (b instanceof HostBuffer h) {
      return h;
    }
    throw new IllegalArgumentException("CPU back end got a buffer on " + b.device());
  }

  // ---------------------------------------------------------------- copy / fill

  @Override
  public void copy(View src, View dst) {
    HostBuffer s = host(src.buffer());
    HostBuffer d = host(dst.buffer());
    Strided it = Strided.of(dst.shape(), src.strides(), dst.strides());
    int inner = it.inner;
    int ss = it.innerStride(0);
    int ds = it.innerStride(1);
    DType st = s.dtype();
    DType dt = d.dtype();
    if (st == DType.FLOAT32 && dt == DType.FLOAT32 && it.rows == 1 && ds == 1
        && (ss == 1 || ss == 0)) {
      // one contiguous run (or a broadcast value, e.g. the expanded gradient of a sum): split it
      float[] a = s.floats();
      float[] b = d.floats();
      int so = src.offset();
      int dof = dst.offset();
      Parallel.parallelFor(
          inner,
          FLAT_GRAIN,
          (r0, r1) -> {
            if (ss == 0) {
              java.util.Arrays.fill(b, dof + r0, dof + r1, a[so]);
            } else {
              System.arraycopy(a, so + r0, b, dof + r0, r1 - r0);
            }
          });
      return;
    }
    it.parallelRows(
        (r0, r1) -> {
          for (int r = r0; r < r1; r++) {
            int so = src.offset() + it.rowOffset(0, r);
            int dof = dst.offset() + it.rowOffset(1, r);
            if (st == DType.FLOAT32 && dt == DType.FLOAT32) {
              float[] a = s.floats();
              float[] b = d.floats();
              if (ss == 1 && ds == 1) {
                System.arraycopy(a, so, b, dof, inner);
              } else {
                for (int i = 0; i < inner; i++) {
                  b[dof + i * ds] = a[so + i * ss];
                }
              }
            } else if (st == DType.FLOAT64 && dt == DType.FLOAT64) {
              double[] a = s.doubles();
              double[] b = d.doubles();
              if (ss == 1 && ds == 1) {
                System.arraycopy(a, so, b, dof, inner);
              } else {
                for (int i = 0; i < inner; i++) {
                  b[dof + i * ds] = a[so + i * ss];
                }
              }
            } else if (st == DType.FLOAT32 && dt == DType.FLOAT64) {
              float[] a = s.floats();
              double[] b = d.doubles();
              for (int i = 0; i < inner; i++) {
                b[dof + i * ds] = a[so + i * ss];
              }
            } else if (st == DType.FLOAT64 && dt == DType.FLOAT32) {
              double[] a = s.doubles();
              float[] b = d.floats();
              for (int i = 0; i < inner; i++) {
                b[dof + i * ds] = (float) a[so + i * ss];
              }
            } else if (!st.isFloatingPoint()) {
              for (int i = 0; i < inner; i++) {
                d.setLong(dof + i * ds, s.getLong(so + i * ss));
              }
            } else {
              for (int i = 0; i < inner; i++) {
                d.setDouble(dof + i * ds, s.getDouble(so + i * ss));
              }
            }
          }
        });
  }

  @Override
  public void fill(View dst, double value) {
    HostBuffer d = host(dst.buffer());
    Strided it = Strided.of(dst.shape(), dst.strides());
    int inner = it.inner;
    int ds = it.innerStride(0);
    it.parallelRows(
        (r0, r1) -> {
          for (int r = r0; r < r1; r++) {
            int o = dst.offset() + it.rowOffset(0, r);
            switch (d.dtype()) {
              case FLOAT32 -> {
                float[] b = d.floats();
                float v = (float) value;
                for (int i = 0; i < inner; i++) {
                  b[o + i * ds] = v;
                }
              }
              case FLOAT64 -> {
                double[] b = d.doubles();
                for (int i = 0; i < inner; i++) {
                  b[o + i * ds] = value;
                }
              }
              default -> {
                for (int i = 0; i < inner; i++) {
                  d.setDouble(o + i * ds, value);
                }
              }
            }
          }
        });
  }

  // ---------------------------------------------------------------- unary

  static DoubleUnaryOperator unaryFn(UnaryOp op, double p0, double p1) {
    return switch (op) {
      case NEG -> x -> -x;
      case EXP -> Math::exp;
      case LOG -> Math::log;
      case SQRT -> Math::sqrt;
      case ABS -> Math::abs;
      case RELU -> x -> x > 0 ? x : (Double.isNaN(x) ? x : 0.0);
      case SIGMOID -> x -> 1.0 / (1.0 + Math.exp(-x));
      case TANH -> Math::tanh;
      case GELU -> x -> 0.5 * x * (1.0 + MathFns.erf(x * MathFns.SQRT1_2));
      case GELU_TANH -> CpuBackend::geluTanh;
      case SIGN -> x -> Double.isNaN(x) ? x : Math.signum(x);
      case RECIPROCAL -> x -> 1.0 / x;
      case CLAMP ->
          x -> {
            if (Double.isNaN(x)) {
              return x;
            }
            double y = x;
            if (!Double.isNaN(p0) && y < p0) {
              y = p0;
            }
            if (!Double.isNaN(p1) && y > p1) {
              y = p1;
            }
            return y;
          };
      case POW_SCALAR -> p0 == 2.0 ? x -> x * x : x -> Math.pow(x, p0);
      case MUL_SCALAR -> x -> x * p0;
      case ADD_SCALAR -> x -> x + p0;
      case LEAKY_RELU -> x -> x > 0 ? x : x * p0;
      case SOFTPLUS -> x -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
      case NOT -> x -> x == 0 ? 1.0 : 0.0;
      case SIN -> Math::sin;
      case COS -> Math::cos;
      case TAN -> Math::tan;
      case ASIN -> Math::asin;
      case ACOS -> Math::acos;
      case ATAN -> Math::atan;
      case SINH -> Math::sinh;
      case COSH -> Math::cosh;
      case EXP2 -> x -> Math.pow(2.0, x);
      case EXPM1 -> Math::expm1;
      case LOG1P -> Math::log1p;
      case LOG2 -> CpuBackend::log2;
      case LOG10 -> Math::log10;
      case ERF -> MathFns::erf;
      case RSQRT -> x -> 1.0 / Math.sqrt(x);
      case FLOOR -> Math::floor;
      case CEIL -> Math::ceil;
      case ROUND -> Math::rint;
      case TRUNC -> x -> x < 0 ? Math.ceil(x) : Math.floor(x);
    };
  }

  private static final double LN2 = Math.log(2.0);

  /** log2 x, exact at powers of two. */
  static double log2(double x) {
    if (x > 0 && !Double.isInfinite(x)) {
      int e = Math.getExponent(x);
      if (e >= Double.MIN_EXPONENT && x == Math.scalb(1.0, e)) {
        return e;
      }
    }
    return Math.log(x) / LN2;
  }

  private static final double K_BETA = Math.sqrt(2.0) * (2.0 / Math.sqrt(Math.PI)) * 0.5;
  private static final double K_KAPPA = 0.044715;

  static double geluTanh(double x) {
    double inner = K_BETA * (x + K_KAPPA * x * x * x);
    return 0.5 * x * (1.0 + Math.tanh(inner));
  }

  @Override
  public void unary(UnaryOp op, View x, View ov, double p0, double p1) {
    HostBuffer in = host(x.buffer());
    HostBuffer out = host(ov.buffer());
    Strided it = Strided.of(x.shape(), x.strides(), ov.strides());
    int os = it.innerStride(1);
    int inner = it.inner;
    int xs = it.innerStride(0);
    DoubleUnaryOperator f = unaryFn(op, p0, p1);
    DType dt = in.dtype();
    if (dt == DType.FLOAT32 && it.rows == 1 && xs == 1 && os == 1 && hasFloatLoop(op)) {
      // one contiguous run (the common case): split it over the threads
      float[] a = in.floats();
      float[] o = out.floats();
      int xo = x.offset();
      int oo = ov.offset();
      Parallel.parallelFor(
          inner, FLAT_GRAIN, (s, e) -> floatUnary(op, a, xo + s, o, oo + s, e - s, p0, p1));
      return;
    }
    it.parallelRows(
        (r0, r1) -> {
          for (int r = r0; r < r1; r++) {
            int xo = x.offset() + it.rowOffset(0, r);
            int oo = ov.offset() + it.rowOffset(1, r);
            if (dt == DType.FLOAT32) {
              float[] a = in.floats();
              float[] o = out.floats();
              if (xs == 1 && os == 1 && hasFloatLoop(op)) {
                floatUnary(op, a, xo, o, oo, inner, p0, p1);
              } else {
                for (int i = 0; i < inner; i++) {
                  o[oo + i * os] = (float) f.applyAsDouble(a[xo + i * xs]);
                }
              }
            } else if (dt == DType.FLOAT64) {
              double[] a = in.doubles();
              double[] o = out.doubles();
              for (int i = 0; i < inner; i++) {
                o[oo + i * os] = f.applyAsDouble(a[xo + i * xs]);
              }
            } else if (dt == DType.INT64 && (op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.SIGN)) {
              long[] a = in.longs();
              long[] o = out.longs();
              for (int i = 0; i < inner; i++) {
                long v = a[xo + i * xs];
                o[oo + i * os] = op == UnaryOp.NEG ? -v : op == UnaryOp.ABS ? Math.abs(v) : Long.signum(v);
              }
            } else {
              for (int i = 0; i < inner; i++) {
                out.setDouble(oo + i * os, f.applyAsDouble(in.getDouble(xo + i * xs)));
              }
            }
          }
        });
  }

  /** Elements per task when a flat contiguous run is split over the threads. */
  private static final int FLAT_GRAIN = 1 << 15;

  private static boolean hasFloatLoop(UnaryOp op) {
    return op == UnaryOp.RELU || op == UnaryOp.MUL_SCALAR || op == UnaryOp.ADD_SCALAR
        || op == UnaryOp.NEG || op == UnaryOp.CLAMP;
  }

  /** The contiguous float32 loops of {@link #hasFloatLoop} ops. */
  private static void floatUnary(
      UnaryOp op, float[] a, int ao, float[] o, int oo, int n, double p0, double p1) {
    switch (op) {
      case CLAMP -> FloatKernels.clamp(a, ao, p0, p1, o, oo, n);
      case RELU -> FloatKernels.relu(a, ao, o, oo, n);
      case MUL_SCALAR -> FloatKernels.mulScalar(a, ao, (float) p0, o, oo, n);
      case ADD_SCALAR -> FloatKernels.addScalar(a, ao, (float) p0, o, oo, n);
      case NEG -> FloatKernels.neg(a, ao, o, oo, n);
      default -> throw new AssertionError(op);
    }
  }

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
            double inner = K_BETA * (x + K_KAPPA * xSq * x);
            double t = Math.tanh(inner);
            double left = 0.5 * x;
            double right = 1.0 + t;
            double leftD = 0.5 * right;
            double rightD = left * (1.0 - t * t) * K_BETA * (1.0 + 3.0 * K_KAPPA * xSq);
            return g * (leftD + rightD);
          };
      case AND -> (a, b) -> a != 0 && b != 0 ? 1 : 0;
      case OR -> (a, b) -> a != 0 || b != 0 ? 1 : 0;
    };
  }

  @Override
  public void binary(BinaryOp op, View a, View b, View ov) {
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
      // it over the threads, vector compares
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
              FloatKernels.compare(op, x, as == 0 ? ao : ao + s, as, y, bs == 0 ? bo : bo + s, bs,
                  o, oo + s, e - s));
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
                && floatCompareRow(op, ha.floats(), ao, as, hb.floats(), bo, bs, out.bools(), oo,
                    os, inner)) {
              // done: float32 against float32 (a tensor and a scalar one included), no boxing
              // through getDouble and the comparison's DoubleBinaryOperator per element
            } else if (isRelational(op) && dt == DType.FLOAT64 && hb.dtype() == DType.FLOAT64) {
              doubleCompareRow(op, ha.doubles(), ao, as, hb.doubles(), bo, bs, out.bools(), oo, os,
                  inner);
            } else if (isRelational(op) && dt == DType.INT64 && hb.dtype() == DType.INT64) {
              longCompareRow(op, ha.longs(), ao, as, hb.longs(), bo, bs, out.bools(), oo, os,
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

  /**
   * A float32 comparison row ({@code ==, !=, <, <=, >, >=}, the same IEEE results as the double
   * comparison of the widened values); false for other ops (then the caller's generic loop runs).
   */
  private static boolean floatCompareRow(BinaryOp op, float[] x, int xo, int xs, float[] y,
      int yo, int ys, boolean[] o, int oo, int os, int n) {
    if (isRelational(op) && os == 1 && (xs == 0 || xs == 1) && (ys == 0 || ys == 1)) {
      FloatKernels.compare(op, x, xo, xs, y, yo, ys, o, oo, n);
      return true;
    }
    switch (op) {
      case EQ -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] == y[yo + i * ys];
        }
      }
      case NE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] != y[yo + i * ys];
        }
      }
      case LT -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] < y[yo + i * ys];
        }
      }
      case LE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] <= y[yo + i * ys];
        }
      }
      case GT -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] > y[yo + i * ys];
        }
      }
      case GE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] >= y[yo + i * ys];
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** {@code ==, !=, <, <=, >, >=}: the comparisons of two values of the operands' dtype. */
  private static boolean isRelational(BinaryOp op) {
    return switch (op) {
      case EQ, NE, LT, LE, GT, GE -> true;
      default -> false;
    };
  }

  /** A float64 comparison row ({@link #isRelational} ops), typed arrays instead of getDouble. */
  private static void doubleCompareRow(BinaryOp op, double[] x, int xo, int xs, double[] y,
      int yo, int ys, boolean[] o, int oo, int os, int n) {
    switch (op) {
      case EQ -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] == y[yo + i * ys];
        }
      }
      case NE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] != y[yo + i * ys];
        }
      }
      case LT -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] < y[yo + i * ys];
        }
      }
      case LE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] <= y[yo + i * ys];
        }
      }
      case GT -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] > y[yo + i * ys];
        }
      }
      case GE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] >= y[yo + i * ys];
        }
      }
      default -> throw new AssertionError(op);
    }
  }

  /**
   * An int64 comparison row ({@link #isRelational} ops), compared as longs: exact beyond 2^53,
   * where the former comparison of the values widened to double was not (PyTorch compares them
   * exactly).
   */
  private static void longCompareRow(BinaryOp op, long[] x, int xo, int xs, long[] y, int yo,
      int ys, boolean[] o, int oo, int os, int n) {
    switch (op) {
      case EQ -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] == y[yo + i * ys];
        }
      }
      case NE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] != y[yo + i * ys];
        }
      }
      case LT -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] < y[yo + i * ys];
        }
      }
      case LE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] <= y[yo + i * ys];
        }
      }
      case GT -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] > y[yo + i * ys];
        }
      }
      case GE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i * os] = x[xo + i * xs] >= y[yo + i * ys];
        }
      }
      default -> throw new AssertionError(op);
    }
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

  @Override
  public void where(View cond, View a, View b, View ov) {
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

  @Override
  public void hardtanhBackward(View g, View x, double min, double max, View ov) {
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

  // ---------------------------------------------------------------- reduce

  @Override
  public void reduce(ReduceOp op, Buffer xb, int xOffset, int outer, int inner, Buffer outBuf) {
    HostBuffer x = host(xb);
    HostBuffer out = host(outBuf);
    DType dt = x.dtype();
    if (dt == DType.FLOAT32 && op == ReduceOp.SUM && outer == 1 && inner >= 2 * FLAT_GRAIN
        && Parallel.threads() > 1) {
      // one long row (t.sum()): partial sums per thread, added in a fixed order
      float[] a = x.floats();
      int parts = Parallel.threads();
      double[] partial = new double[parts];
      Parallel.parallelFor(
          parts,
          1,
          (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
              int s = (int) ((long) inner * p / parts);
              int e = (int) ((long) inner * (p + 1) / parts);
              partial[p] = FloatKernels.sum(a, xOffset + s, e - s);
            }
          });
      double total = 0;
      for (double v : partial) {
        total += v;
      }
      out.setDouble(0, total);
      return;
    }
    int grain = Math.max(1, 32768 / Math.max(1, inner));
    Parallel.parallelFor(
        outer,
        grain,
        (r0, r1) -> {
          for (int r = r0; r < r1; r++) {
            int base = xOffset + r * inner;
            switch (op) {
              case SUM, PROD -> {
                if (dt == DType.INT64 || dt == DType.BOOL) {
                  long acc = op == ReduceOp.SUM ? 0 : 1;
                  for (int i = 0; i < inner; i++) {
                    long v = x.getLong(base + i);
                    acc = op == ReduceOp.SUM ? acc + v : acc * v;
                  }
                  out.setLong(r, acc);
                } else if (dt == DType.FLOAT32 && op == ReduceOp.SUM) {
                  out.setDouble(r, FloatKernels.sum(x.floats(), base, inner));
                } else if (dt == DType.FLOAT64 && op == ReduceOp.SUM) {
                  out.setDouble(r, pairwiseSum(x.doubles(), base, inner));
                } else {
                  double acc = op == ReduceOp.SUM ? 0 : 1;
                  for (int i = 0; i < inner; i++) {
                    double v = x.getDouble(base + i);
                    acc = op == ReduceOp.SUM ? acc + v : acc * v;
                  }
                  out.setDouble(r, acc);
                }
              }
              case MAX, MIN, ARGMAX, ARGMIN -> {
                boolean max = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
                double best = x.getDouble(base);
                int bi = 0;
                for (int i = 1; i < inner && !Double.isNaN(best); i++) {
                  double v = x.getDouble(base + i);
                  if (Double.isNaN(v) || (max ? v > best : v < best)) {
                    best = v;
                    bi = i;
                  }
                }
                if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
                  out.setLong(r, bi);
                } else if (dt == DType.INT64) {
                  out.setLong(r, x.getLong(base + bi));
                } else {
                  out.setDouble(r, best);
                }
              }
            }
          }
        });
  }

  @Override
  public boolean sumLeading(Buffer xb, int offset, int rows, int cols, Buffer outBuf) {
    HostBuffer x = host(xb);
    HostBuffer out = host(outBuf);
    if (x.dtype() != DType.FLOAT32 || out.dtype() != DType.FLOAT32) {
      return false;
    }
    float[] a = x.floats();
    float[] o = out.floats();
    Parallel.parallelFor(
        cols,
        Math.max(64, FLAT_GRAIN / Math.max(1, rows)),
        (c0, c1) -> FloatKernels.sumLeading(a, offset, rows, cols, c0, c1, o));
    return true;
  }

  private static double pairwiseSum(double[] a, int off, int n) {
    if (n <= 128) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += a[off + i];
      }
      return s;
    }
    int h = n / 2;
    return pairwiseSum(a, off, h) + pairwiseSum(a, off + h, n - h);
  }

  // ---------------------------------------------------------------- optimizer

  @Override
  public boolean sgdStep(View param, View grad, View buf, SgdStep h) {
    double lr = h.lr();
    double momentum = h.momentum();
    double dampening = h.dampening();
    double weightDecay = h.weightDecay();
    boolean nesterov = h.nesterov();
    boolean maximize = h.maximize();
    boolean firstStep = h.firstStep();
    if (param.buffer().dtype() != DType.FLOAT32 || grad.buffer().dtype() != DType.FLOAT32
        || !param.isContiguous() || !grad.isContiguous()
        || (momentum != 0 && (buf.buffer().dtype() != DType.FLOAT32 || !buf.isContiguous()))) {
      return false;
    }
    float[] p = host(param.buffer()).floats();
    float[] g = host(grad.buffer()).floats();
    float[] b = momentum != 0 ? host(buf.buffer()).floats() : null;
    int po = param.offset();
    int go = grad.offset();
    int bo = momentum != 0 ? buf.offset() : 0;
    Parallel.parallelFor(
        param.numel(),
        FLAT_GRAIN,
        (s, e) -> FloatKernels.sgd(p, po + s, g, go + s, b, bo + s, e - s, (float) lr,
            (float) momentum, (float) (1 - dampening), (float) weightDecay, nesterov, maximize,
            firstStep));
    return true;
  }

  @Override
  public boolean adamStep(
      View param, View grad, View expAvg, View expAvgSq, View maxExpAvgSq, AdamStep h) {
    double lr = h.lr();
    double beta1 = h.beta1();
    double beta2 = h.beta2();
    double eps = h.eps();
    double weightDecay = h.weightDecay();
    double stepSize = h.stepSize();
    double bc2Sqrt = h.bc2Sqrt();
    boolean amsgrad = h.amsgrad();
    boolean maximize = h.maximize();
    boolean decoupled = h.decoupled();
    View[] all = amsgrad
        ? new View[] {param, grad, expAvg, expAvgSq, maxExpAvgSq}
        : new View[] {param, grad, expAvg, expAvgSq};
    for (View v : all) {
      if (v.buffer().dtype() != DType.FLOAT32 || !v.isContiguous()) {
        return false;
      }
    }
    float[] p = host(param.buffer()).floats();
    float[] g = host(grad.buffer()).floats();
    float[] m = host(expAvg.buffer()).floats();
    float[] v = host(expAvgSq.buffer()).floats();
    float[] vmax = amsgrad ? host(maxExpAvgSq.buffer()).floats() : null;
    int po = param.offset();
    int go = grad.offset();
    int mo = expAvg.offset();
    int vo = expAvgSq.offset();
    int xo = amsgrad ? maxExpAvgSq.offset() : 0;
    float wd = (float) weightDecay;
    float decay = (float) (1 - lr * weightDecay);
    float omb1 = (float) (1 - beta1);
    float b2 = (float) beta2;
    float omb2 = (float) (1 - beta2);
    float bc2 = (float) bc2Sqrt;
    float e = (float) eps;
    float nss = (float) -stepSize;
    Parallel.parallelFor(
        param.numel(),
        FLAT_GRAIN,
        (s, t) -> FloatKernels.adam(p, po + s, g, go + s, m, mo + s, v, vo + s, vmax, xo + s, t - s,
            wd, decay, omb1, b2, omb2, bc2, e, nss, maximize, decoupled));
    return true;
  }

  @Override
  public void dropoutMask(View out, double p, double scale, long seed) {
    if (!out.isContiguous()) {
      throw new IllegalArgumentException("dropoutMask: the mask must be contiguous");
    }
    HostBuffer h = host(out.buffer());
    int o = out.offset();
    // chunks of whole Philox groups, so that each group is computed once
    int groups = (out.numel() + 3) / 4;
    long n = out.numel();
    if (h.dtype() == DType.FLOAT32) {
      float[] a = h.floats();
      float sc = (float) scale;
      Parallel.parallelFor(groups, FLAT_GRAIN / 4,
          (s, e) -> Philox.dropoutMask(a, o, 4L * s, Math.min(n, 4L * e), seed, p, sc));
    } else if (h.dtype() == DType.FLOAT64) {
      double[] a = h.doubles();
      Parallel.parallelFor(groups, FLAT_GRAIN / 4,
          (s, e) -> Philox.dropoutMask(a, o, 4L * s, Math.min(n, 4L * e), seed, p, scale));
    } else {
      throw new IllegalArgumentException("dropoutMask: floating mask expected, got " + h.dtype());
    }
  }

  // ---------------------------------------------------------------- gemm

  @Override
  public void gemm(GemmSpec spec, Buffer a, Buffer b, Buffer c) {
    boolean transA = spec.transA();
    boolean transB = spec.transB();
    int batch = spec.batch();
    int m = spec.m();
    int n = spec.n();
    int k = spec.k();
    int aOff = spec.a().offset();
    int aBatchStride = spec.a().batchStride();
    int lda = spec.a().ld();
    int bOff = spec.b().offset();
    int bBatchStride = spec.b().batchStride();
    int ldb = spec.b().ld();
    int cOff = spec.c().offset();
    int cBatchStride = spec.c().batchStride();
    int ldc = spec.c().ld();
    boolean accumulate = spec.accumulate();
    HostBuffer ha = host(a);
    HostBuffer hb = host(b);
    HostBuffer hc = host(c);
    DType dt = ha.dtype();
    // float and double: one batched call, which hands whole products to the threads when they are
    // many or small (attention's per-head products) instead of splitting each in turn
    if (dt == DType.FLOAT32) {
      Gemm.sgemmBatched(transA, transB, batch, m, n, k, 1f, ha.floats(), aOff, aBatchStride, lda,
          hb.floats(), bOff, bBatchStride, ldb, accumulate ? 1f : 0f, hc.floats(), cOff,
          cBatchStride, ldc);
      return;
    }
    if (dt == DType.FLOAT64) {
      Gemm.dgemmBatched(transA, transB, batch, m, n, k, 1.0, ha.doubles(), aOff, aBatchStride, lda,
          hb.doubles(), bOff, bBatchStride, ldb, accumulate ? 1.0 : 0.0, hc.doubles(), cOff,
          cBatchStride, ldc);
      return;
    }
    for (int i = 0; i < batch; i++) {
      if (dt == DType.INT64) {
        // integer matmul (PyTorch supports it on the CPU); exact, unblocked, rarely hot
        longGemm(transA, transB, m, n, k, ha.longs(), aOff + i * aBatchStride, lda,
            hb.longs(), bOff + i * bBatchStride, ldb, accumulate, hc.longs(),
            cOff + i * cBatchStride, ldc);
      } else {
        throw new IllegalArgumentException("\"addmm_impl_cpu_\" not implemented for '"
            + (dt == DType.BOOL ? "Bool" : dt.torchName()) + "'");
      }
    }
  }

  private static void longGemm(
      boolean transA, boolean transB, int m, int n, int k, long[] a, int aOff, int lda,
      long[] b, int bOff, int ldb, boolean accumulate, long[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        long s = accumulate ? c[cOff + i * ldc + j] : 0;
        for (int p = 0; p < k; p++) {
          long av = a[aOff + (transA ? p * lda + i : i * lda + p)];
          long bv = b[bOff + (transB ? j * ldb + p : p * ldb + j)];
          s += av * bv;
        }
        c[cOff + i * ldc + j] = s;
      }
    }
  }

  // ---------------------------------------------------------------- indexing (CpuIndex)

  @Override
  public void indexSelect(View x, int dim, View index, Buffer out) {
    indexing.indexSelect(x, dim, index, out);
  }

  @Override
  public void indexAdd(Buffer target, int[] targetShape, int dim, View index, View src) {
    indexing.indexAdd(target, targetShape, dim, index, src);
  }

  @Override
  public void gather(View x, int dim, View index, Buffer out) {
    indexing.gather(x, dim, index, out);
  }

  @Override
  public void scatterAdd(Buffer target, int[] targetShape, int dim, View index, View src) {
    indexing.scatterAdd(target, targetShape, dim, index, src);
  }

  @Override
  public void scatter(Buffer target, ScatterSpec spec, View index, View src) {
    indexing.scatter(target, spec, index, src);
  }

  @Override
  public void embedding(View weight, View indices, EmbeddingShape s, Buffer out) {
    indexing.embedding(weight, indices, s, out);
  }

  @Override
  public void embeddingBackward(
      View gradOut, View indices, EmbeddingShape s, long paddingIdx, Buffer gradWeight) {
    indexing.embeddingBackward(gradOut, indices, s, paddingIdx, gradWeight);
  }
}
