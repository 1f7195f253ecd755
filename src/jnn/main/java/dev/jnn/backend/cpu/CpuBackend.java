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

  static final double K_BETA = Math.sqrt(2.0) * (2.0 / Math.sqrt(Math.PI)) * 0.5;
  static final double K_KAPPA = 0.044715;

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

  // ---------------------------------------------------------------- binary, where (CpuElementwise)

  @Override
  public void binary(BinaryOp op, View a, View b, View ov) {
    CpuElementwise.binary(op, a, b, ov);
  }

  @Override
  public void where(View cond, View a, View b, View ov) {
    CpuElementwise.where(cond, a, b, ov);
  }

  @Override
  public void hardtanhBackward(View g, View x, double min, double max, View ov) {
    CpuElementwise.hardtanhBackward(g, x, min, max, ov);
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
