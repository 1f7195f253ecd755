package dev.jnn.bench;

import dev.jnn.backend.BatchNormShape;
import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.Pool2dGeometry;
import dev.jnn.backend.ReduceOp;
import dev.jnn.backend.UnaryOp;
import dev.jnn.backend.View;
import dev.jnn.backend.cpu.CpuBackend;
import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.core.DType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the CPU kernels behind workloads a-d, called directly on the back end (no
 * tensors, no autograd, preallocated outputs): convolution forward / backward-data /
 * backward-filter / backward-bias per layer of the workloads, max pooling, batch norm, and the
 * element-wise hot loops. Milliseconds per call. ({@link GemmBench} covers sgemm.)
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) org.openjdk.jmh.Main KernelBench \
 *     -jvmArgsAppend --add-modules=jdk.incubator.vector
 * </pre>
 *
 * <p>{@code main} runs the same bodies without JMH for a quick look (min and median of timed
 * repetitions): {@code java ... dev.jnn.bench.KernelBench [filter]}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class KernelBench {
  static final CpuBackend CPU = new CpuBackend();

  static HostBuffer randomBuffer(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return HostBuffer.wrap(a);
  }

  static View view(HostBuffer b, int... shape) {
    return View.contiguous(b, shape);
  }

  /** The convolution layers of the workloads. */
  static Conv2dGeometry layer(String name) {
    return switch (name) {
      // workload a / main job / LeNet conv1: [64,1,28,28] -> 20 x 5x5
      case "a1" -> geometry(64, 1, 28, 28, 20, 5, 0);
      // workload a conv2: [64,20,24,24] -> 20 x 5x5
      case "a2" -> geometry(64, 20, 24, 24, 20, 5, 0);
      // LeNet conv2: [64,20,12,12] -> 50 x 5x5
      case "b2" -> geometry(64, 20, 12, 12, 50, 5, 0);
      // workload c: [16,64,56,56] -> 64 x 3x3, padding 1
      case "c" -> geometry(16, 64, 56, 56, 64, 3, 1);
      default -> throw new IllegalArgumentException(name);
    };
  }

  static Conv2dGeometry geometry(int n, int c, int h, int w, int oc, int k, int pad) {
    int oh = h + 2 * pad - k + 1;
    int ow = w + 2 * pad - k + 1;
    return new Conv2dGeometry(n, c, h, w, oc, k, k, 1, 1, pad, pad, 1, 1, 1, oh, ow);
  }

  /** Convolution state: one layer's input, weights, bias, output gradient and outputs. */
  @State(Scope.Benchmark)
  public static class Conv {
    /** Layer: a1, a2, b2 or c. */
    @Param({"a1", "a2", "b2", "c"})
    public String layer;

    Conv2dGeometry g;
    View x;
    View w;
    View b;
    View gout;
    HostBuffer out;
    HostBuffer gin;
    HostBuffer gw;
    HostBuffer gb;

    /** Random data; prints the CPU configuration. */
    @Setup(Level.Trial)
    public void setup() {
      g = layer(layer);
      Random r = new Random(1);
      x = view(randomBuffer(r, g.n() * g.c() * g.h() * g.w()), g.n(), g.c(), g.h(), g.w());
      w = view(randomBuffer(r, g.oc() * g.kdim()), g.oc(), g.c(), g.kh(), g.kw());
      b = view(randomBuffer(r, g.oc()), g.oc());
      int outN = g.n() * g.oc() * g.oh() * g.ow();
      gout = view(randomBuffer(r, outN), g.n(), g.oc(), g.oh(), g.ow());
      out = HostBuffer.allocate(DType.FLOAT32, outN);
      gin = HostBuffer.allocate(DType.FLOAT32, g.n() * g.c() * g.h() * g.w());
      gw = HostBuffer.allocate(DType.FLOAT32, g.oc() * g.kdim());
      gb = HostBuffer.allocate(DType.FLOAT32, g.oc());
      System.out.println("# cpu: " + CpuFeatures.describe());
    }

    double gflop() {
      return 2.0 * g.n() * g.oc() * g.oh() * g.ow() * g.kdim() / 1e9;
    }
  }

  /** Convolution forward with bias. */
  @Benchmark
  public Object convForward(Conv s) {
    CPU.conv().conv2d(s.x, s.w, s.b, s.out, s.g);
    return s.out;
  }

  /** Convolution input gradient (the kernel overwrites {@code gin}). */
  @Benchmark
  public Object convBackwardData(Conv s) {
    Arrays.fill(s.gin.floats(), 0f);
    CPU.conv().conv2dBackwardData(s.gout, s.w, s.gin, s.g);
    return s.gin;
  }

  /** Convolution weight gradient (accumulates into a zeroed {@code gw}). */
  @Benchmark
  public Object convBackwardFilter(Conv s) {
    Arrays.fill(s.gw.floats(), 0f);
    CPU.conv().conv2dBackwardFilter(s.gout, s.x, s.gw, s.g);
    return s.gw;
  }

  /** Convolution bias gradient. */
  @Benchmark
  public Object convBackwardBias(Conv s) {
    CPU.conv().conv2dBackwardBias(s.gout, s.gb, s.g);
    return s.gb;
  }

  /** Pooling and batch-norm state: the conv1 activation of workload b, [64,20,24,24]. */
  @State(Scope.Benchmark)
  public static class Planes {
    final int n = 64;
    final int c = 20;
    final int h = 24;
    final int w = 24;
    View x;
    Pool2dGeometry pool;
    HostBuffer pooled;
    HostBuffer indices;
    View gpooled;
    HostBuffer gin;
    View gamma;
    View beta;
    HostBuffer out;
    HostBuffer mean;
    HostBuffer var;
    View gout;
    HostBuffer gGamma;
    HostBuffer gBeta;

    /** Random data. */
    @Setup(Level.Trial)
    public void setup() {
      Random r = new Random(2);
      x = view(randomBuffer(r, n * c * h * w), n, c, h, w);
      pool = new Pool2dGeometry(n * c, h, w, 2, 2, 2, 2, 0, 0, 1, 1, h / 2, w / 2);
      pooled = HostBuffer.allocate(DType.FLOAT32, n * c * h * w / 4);
      indices = HostBuffer.allocate(DType.INT64, n * c * h * w / 4);
      gpooled = view(randomBuffer(r, n * c * h * w / 4), n, c, h / 2, w / 2);
      gin = HostBuffer.allocate(DType.FLOAT32, n * c * h * w);
      gamma = view(randomBuffer(r, c), c);
      beta = view(randomBuffer(r, c), c);
      out = HostBuffer.allocate(DType.FLOAT32, n * c * h * w);
      mean = HostBuffer.allocate(DType.FLOAT32, c);
      var = HostBuffer.allocate(DType.FLOAT32, c);
      gout = view(randomBuffer(r, n * c * h * w), n, c, h, w);
      gGamma = HostBuffer.allocate(DType.FLOAT32, c);
      gBeta = HostBuffer.allocate(DType.FLOAT32, c);
      CPU.pool().maxPool2d(x, pooled, indices, pool);
    }
  }

  /** 2x2 max pooling with indices. */
  @Benchmark
  public Object maxPoolForward(Planes s) {
    CPU.pool().maxPool2d(s.x, s.pooled, s.indices, s.pool);
    return s.pooled;
  }

  /** 2x2 max pooling backward (scatter into a zeroed input gradient). */
  @Benchmark
  public Object maxPoolBackward(Planes s) {
    Arrays.fill(s.gin.floats(), 0f);
    CPU.pool().maxPool2dBackward(s.gpooled, view(s.indices, s.n, s.c, s.h / 2, s.w / 2), s.gin, s.pool);
    return s.gin;
  }

  /** Batch norm forward in training mode (batch statistics). */
  @Benchmark
  public Object batchNormForward(Planes s) {
    CPU.norm().batchNormTraining(
        s.x, s.gamma, s.beta, new BatchNormShape(s.n, s.c, s.h * s.w, 1e-5), s.out, s.mean,
        s.var);
    return s.out;
  }

  /** Batch norm backward in training mode. */
  @Benchmark
  public Object batchNormBackward(Planes s) {
    CPU.norm().batchNormBackward(s.gout, s.x, s.gamma, view(s.mean, s.c), view(s.var, s.c), true,
        new BatchNormShape(s.n, s.c, s.h * s.w, 1e-5), s.gin, s.gGamma, s.gBeta);
    return s.gin;
  }

  /** Element-wise state: 737,280 floats (workload a's conv1 activation), random signs. */
  @State(Scope.Benchmark)
  public static class Flat {
    final int n = 64 * 20 * 24 * 24;
    View x;
    View y;
    View o;
    HostBuffer sum;

    /** Random data. */
    @Setup(Level.Trial)
    public void setup() {
      Random r = new Random(3);
      x = view(randomBuffer(r, n), n);
      y = view(randomBuffer(r, n), n);
      o = view(HostBuffer.allocate(DType.FLOAT32, n), n);
      sum = HostBuffer.allocate(DType.FLOAT32, 1);
    }
  }

  /** ReLU forward. */
  @Benchmark
  public Object relu(Flat s) {
    CPU.unary(UnaryOp.RELU, s.x, s.o, 0, 0);
    return s.o;
  }

  /** ReLU backward (threshold on the saved output). */
  @Benchmark
  public Object reluBackward(Flat s) {
    CPU.binary(BinaryOp.THRESHOLD_BACKWARD, s.x, s.y, s.o);
    return s.o;
  }

  /** Element-wise add. */
  @Benchmark
  public Object add(Flat s) {
    CPU.binary(BinaryOp.ADD, s.x, s.y, s.o);
    return s.o;
  }

  /** Sum of all elements. */
  @Benchmark
  public Object sum(Flat s) {
    CPU.reduce(ReduceOp.SUM, s.x.buffer(), 0, 1, s.n, s.sum);
    return s.sum;
  }

  // ------------------------------------------------------------------ quick runner

  private interface Body {
    void run();
  }

  private static void quick(String name, double gflop, int reps, Body b) {
    for (int i = 0; i < Math.max(3, reps / 3); i++) {
      b.run();
    }
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      b.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    System.out.printf(Locale.ROOT, "%-28s min %8.3f ms  median %8.3f ms%s%n", name, t[0], t[reps / 2],
        gflop > 0 ? String.format(Locale.ROOT, "  %6.1f GFLOP/s (min)", gflop / t[0] * 1e3) : "");
  }

  /** Quick timings without JMH; optional argument: a substring of the names to run. */
  public static void main(String[] args) {
    String filter = args.length > 0 ? args[0] : "";
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    KernelBench k = new KernelBench();
    System.out.println("# cpu: " + CpuFeatures.describe());
    for (String l : new String[] {"a1", "a2", "b2", "c"}) {
      Conv s = new Conv();
      s.layer = l;
      s.g = layer(l);
      if (!("conv " + l).contains(filter) && !filter.startsWith("conv") && !filter.isEmpty()) {
        continue;
      }
      s.setup();
      double gf = s.gflop();
      quick("conv " + l + " forward", gf, reps, () -> k.convForward(s));
      quick("conv " + l + " backward-data", gf, reps, () -> k.convBackwardData(s));
      quick("conv " + l + " backward-filter", gf, reps, () -> k.convBackwardFilter(s));
      quick("conv " + l + " backward-bias", 0, reps, () -> k.convBackwardBias(s));
    }
    if (filter.isEmpty() || "pool batchnorm".contains(filter)) {
      Planes p = new Planes();
      p.setup();
      quick("maxpool forward", 0, reps, () -> k.maxPoolForward(p));
      quick("maxpool backward", 0, reps, () -> k.maxPoolBackward(p));
      quick("batchnorm forward", 0, reps, () -> k.batchNormForward(p));
      quick("batchnorm backward", 0, reps, () -> k.batchNormBackward(p));
    }
    if (filter.isEmpty() || "elementwise".contains(filter)) {
      Flat f = new Flat();
      f.setup();
      quick("relu", 0, reps * 5, () -> k.relu(f));
      quick("relu backward", 0, reps * 5, () -> k.reluBackward(f));
      quick("add", 0, reps * 5, () -> k.add(f));
      quick("sum", 0, reps * 5, () -> k.sum(f));
    }
  }
}
