package dev.jnn.backend.cuda;

import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.core.DType;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnMathType;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import jcuda.runtime.cudaStream_t;

/**
 * {@link Dnn} on cuDNN's convolution API through JCudnn 11.7 (directly on cuDNN 8, through the
 * {@code libcudnn.so.8} shim on cuDNN 9). Descriptors and the chosen algorithms are cached per
 * (device, dtype, geometry, math mode, benchmark flag); algorithms come from the {@code _v7}
 * heuristics, or from {@code cudnnFind*} (timed runs) when the call's {@link ConvMode} asks for
 * benchmarking ({@link Cudnn#benchmark(boolean)} as the caller read it). {@code cudnnFind*} times
 * the algorithms on buffers it allocates itself, so a choice is not tried on the caller's
 * (possibly only element-aligned) pointers before they are used.
 * Workspace sizes are always asked for separately (JCudnn's backward perf structs misreport them).
 * Status codes are named by the loaded cuDNN's numbering ({@link CudnnStatus}).
 */
final class JCudnnDnn implements Dnn {
  private final JCudaDeviceApi api;
  private final long version;
  private final ConcurrentHashMap<Key, Plan> plans = new ConcurrentHashMap<>();

  private record Key(int device, DType dt, Conv2dGeometry g, boolean tf32, boolean benchmark) {}

  /** Descriptors and algorithm choices of one convolution shape. */
  private static final class Plan {
    Key key;
    final cudnnTensorDescriptor x = new cudnnTensorDescriptor();
    final cudnnTensorDescriptor y = new cudnnTensorDescriptor();
    final cudnnTensorDescriptor bias = new cudnnTensorDescriptor();
    final cudnnFilterDescriptor w = new cudnnFilterDescriptor();
    final cudnnConvolutionDescriptor conv = new cudnnConvolutionDescriptor();
    int fwdAlgo = -1;
    long fwdWs;
    int bwdDataAlgo = -1;
    long bwdDataWs;
    int bwdFilterAlgo = -1;
    long bwdFilterWs;
  }

  JCudnnDnn(JCudaDeviceApi api, long version) {
    this.api = api;
    this.version = version;
  }

  private void check(int r, String what) {
    if (r != 0) {
      throw new CudaException(
          "cudnn" + what + " failed: " + CudnnStatus.name(r, version) + " (" + r + ")");
    }
  }

  private cudnnHandle handle(ThreadContext ctx) {
    cudnnHandle h = (cudnnHandle) ctx.dnnHandle;
    if (h == null) {
      h = new cudnnHandle();
      check(JCudnn.cudnnCreate(h), "Create");
      check(JCudnn.cudnnSetStream(h, new cudaStream_t(api.stream(ctx.stream))), "SetStream");
      ctx.dnnHandle = h;
    }
    return h;
  }

  private static int dataType(DType dt) {
    if (dt == DType.FLOAT32) {
      return cudnnDataType.CUDNN_DATA_FLOAT;
    }
    if (dt == DType.FLOAT64) {
      return cudnnDataType.CUDNN_DATA_DOUBLE;
    }
    throw new IllegalArgumentException("cuDNN convolution for " + dt);
  }

  private Plan plan(ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g) {
    boolean tf32 = dt == DType.FLOAT32 && mode.tf32();
    Key key = new Key(ctx.index(), dt, g, tf32, mode.benchmark());
    Plan p = plans.get(key);
    if (p != null) {
      return p;
    }
    p = new Plan();
    p.key = key;
    int t = dataType(dt);
    int nchw = cudnnTensorFormat.CUDNN_TENSOR_NCHW;
    check(JCudnn.cudnnCreateTensorDescriptor(p.x), "CreateTensorDescriptor");
    check(JCudnn.cudnnCreateTensorDescriptor(p.y), "CreateTensorDescriptor");
    check(JCudnn.cudnnCreateTensorDescriptor(p.bias), "CreateTensorDescriptor");
    check(JCudnn.cudnnCreateFilterDescriptor(p.w), "CreateFilterDescriptor");
    check(JCudnn.cudnnCreateConvolutionDescriptor(p.conv), "CreateConvolutionDescriptor");
    check(JCudnn.cudnnSetTensor4dDescriptor(p.x, nchw, t, g.n(), g.c(), g.h(), g.w()), "SetTensor4dDescriptor(x)");
    check(JCudnn.cudnnSetTensor4dDescriptor(p.y, nchw, t, g.n(), g.oc(), g.oh(), g.ow()), "SetTensor4dDescriptor(y)");
    check(JCudnn.cudnnSetTensor4dDescriptor(p.bias, nchw, t, 1, g.oc(), 1, 1), "SetTensor4dDescriptor(bias)");
    check(JCudnn.cudnnSetFilter4dDescriptor(p.w, t, nchw, g.oc(), g.cPerGroup(), g.kh(), g.kw()), "SetFilter4dDescriptor");
    check(JCudnn.cudnnSetConvolution2dDescriptor(p.conv, g.padTop(), g.padLeft(), g.strideH(),
        g.strideW(), g.dilationH(), g.dilationW(), cudnnConvolutionMode.CUDNN_CROSS_CORRELATION, t),
        "SetConvolution2dDescriptor");
    if (g.groups() != 1) {
      check(JCudnn.cudnnSetConvolutionGroupCount(p.conv, g.groups()), "SetConvolutionGroupCount");
    }
    int math = dt == DType.FLOAT32 && !tf32 ? cudnnMathType.CUDNN_FMA_MATH : cudnnMathType.CUDNN_DEFAULT_MATH;
    check(JCudnn.cudnnSetConvolutionMathType(p.conv, math), "SetConvolutionMathType");
    int[] on = {0};
    int[] oc = {0};
    int[] oh = {0};
    int[] ow = {0};
    check(JCudnn.cudnnGetConvolution2dForwardOutputDim(p.conv, p.x, p.w, on, oc, oh, ow),
        "GetConvolution2dForwardOutputDim");
    if (on[0] != g.n() || oc[0] != g.oc() || oh[0] != g.oh() || ow[0] != g.ow()) {
      throw new IllegalStateException("cuDNN computes output [" + on[0] + ", " + oc[0] + ", " + oh[0]
          + ", " + ow[0] + "] for " + g);
    }
    Plan prev = plans.putIfAbsent(key, p);
    return prev != null ? prev : p;
  }

  private long workspaceLimit() {
    try {
      long free = api.memoryInfo()[0];
      return Math.max(64L << 20, Math.min(4L << 30, free / 2));
    } catch (RuntimeException e) {
      return 256L << 20;
    }
  }

  private Pointer one(DType dt) {
    return dt == DType.FLOAT64 ? Pointer.to(new double[] {1.0}) : Pointer.to(new float[] {1f});
  }

  private Pointer zero(DType dt) {
    return dt == DType.FLOAT64 ? Pointer.to(new double[] {0.0}) : Pointer.to(new float[] {0f});
  }

  /**
   * {@code -Djnn.cudnn.verbose=true}: one line on standard error per algorithm choice (direction,
   * heuristic or Find, geometry, the candidates as algo:status:ms:mathType, the choice and its
   * workspace), to tell which algorithm a slow or inexact convolution ran.
   */
  static final boolean VERBOSE = Boolean.getBoolean("jnn.cudnn.verbose");

  private static void report(String dir, boolean benchmark, Key key, int[] algos, int[] st, float[] ms,
      int[] math, int chosen, long ws) {
    StringBuilder sb = new StringBuilder("jnn cudnn ").append(dir).append(benchmark ? " find " : " heuristic ")
        .append(key.dt()).append(key.tf32() ? " tf32 " : " fp ").append(key.g()).append(" candidates");
    for (int i = 0; i < algos.length; i++) {
      sb.append(' ').append(algos[i]).append(':').append(st[i]).append(':')
          .append(String.format("%.3f", ms[i])).append(':').append(math[i]);
    }
    System.err.println(sb.append(" -> algo ").append(chosen).append(" workspace ").append(ws));
  }

  private static String candidates(int[] algos, int[] statuses, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(' ').append(algos[i]).append(':').append(statuses[i]);
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ forward

  private void chooseForward(cudnnHandle h, Plan p, boolean benchmark) {
    int[] max = {0};
    check(JCudnn.cudnnGetConvolutionForwardAlgorithmMaxCount(h, max), "GetConvolutionForwardAlgorithmMaxCount");
    cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[Math.max(1, max[0])];
    // left null, as in the verified GpuSmoke: JCudnn creates the first cnt elements
    int[] cnt = {0};
    if (benchmark) {
      check(JCudnn.cudnnFindConvolutionForwardAlgorithm(h, p.x, p.w, p.conv, p.y, perf.length, cnt, perf),
          "FindConvolutionForwardAlgorithm");
    } else {
      check(JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(h, p.x, p.w, p.conv, p.y, perf.length, cnt, perf),
          "GetConvolutionForwardAlgorithm_v7");
    }
    long limit = workspaceLimit();
    int[] algos = new int[cnt[0]];
    int[] st = new int[cnt[0]];
    float[] ms = new float[cnt[0]];
    int[] math = new int[cnt[0]];
    for (int i = 0; i < cnt[0]; i++) {
      algos[i] = perf[i].algo;
      st[i] = perf[i].status;
      ms[i] = perf[i].time;
      math[i] = perf[i].mathType;
      if (perf[i].status != 0) {
        continue;
      }
      long[] ws = {0};
      if (JCudnn.cudnnGetConvolutionForwardWorkspaceSize(h, p.x, p.w, p.conv, p.y, perf[i].algo, ws) != 0
          || ws[0] > limit) {
        continue;
      }
      p.fwdWs = ws[0];
      p.fwdAlgo = perf[i].algo;
      if (VERBOSE) {
        for (int j = i + 1; j < cnt[0]; j++) {
          algos[j] = perf[j].algo;
          st[j] = perf[j].status;
          ms[j] = perf[j].time;
          math[j] = perf[j].mathType;
        }
        report("forward", benchmark, p.key, algos, st, ms, math, p.fwdAlgo, ws[0]);
      }
      return;
    }
    throw new CudaException("cuDNN found no usable forward algorithm (algo:status" + candidates(algos, st, cnt[0]) + ")");
  }

  @Override
  public void convForward(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long x, long w, long y) {
    cudnnHandle h = handle(ctx);
    Plan p = plan(ctx, dt, mode, g);
    synchronized (p) {
      if (p.fwdAlgo < 0) {
        chooseForward(h, p, mode.benchmark());
      }
    }
    long ws = ctx.workspace(p.fwdWs);
    check(JCudnn.cudnnConvolutionForward(h, one(dt), p.x, DevicePointers.of(x), p.w, DevicePointers.of(w),
        p.conv, p.fwdAlgo, DevicePointers.of(ws), p.fwdWs, zero(dt), p.y, DevicePointers.of(y)),
        "ConvolutionForward(algo " + p.fwdAlgo + ")");
  }

  // ------------------------------------------------------------------ backward data

  private void chooseBackwardData(cudnnHandle h, Plan p, boolean benchmark) {
    int[] max = {0};
    check(JCudnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(h, max), "GetConvolutionBackwardDataAlgorithmMaxCount");
    cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[Math.max(1, max[0])];
    // left null, as in the verified GpuSmoke: JCudnn creates the first cnt elements
    int[] cnt = {0};
    if (benchmark) {
      check(JCudnn.cudnnFindConvolutionBackwardDataAlgorithm(h, p.w, p.y, p.conv, p.x, perf.length, cnt, perf),
          "FindConvolutionBackwardDataAlgorithm");
    } else {
      check(JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(h, p.w, p.y, p.conv, p.x, perf.length, cnt, perf),
          "GetConvolutionBackwardDataAlgorithm_v7");
    }
    long limit = workspaceLimit();
    int[] algos = new int[cnt[0]];
    int[] st = new int[cnt[0]];
    float[] ms = new float[cnt[0]];
    int[] math = new int[cnt[0]];
    for (int i = 0; i < cnt[0]; i++) {
      algos[i] = perf[i].algo;
      st[i] = perf[i].status;
      ms[i] = perf[i].time;
      math[i] = perf[i].mathType;
      if (perf[i].status != 0) {
        continue;
      }
      long[] ws = {0};
      if (JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(h, p.w, p.y, p.conv, p.x, perf[i].algo, ws) != 0
          || ws[0] > limit) {
        continue;
      }
      p.bwdDataWs = ws[0];
      p.bwdDataAlgo = perf[i].algo;
      if (VERBOSE) {
        for (int j = i + 1; j < cnt[0]; j++) {
          algos[j] = perf[j].algo;
          st[j] = perf[j].status;
          ms[j] = perf[j].time;
          math[j] = perf[j].mathType;
        }
        report("backward-data", benchmark, p.key, algos, st, ms, math, p.bwdDataAlgo, ws[0]);
      }
      return;
    }
    throw new CudaException("cuDNN found no usable backward-data algorithm (algo:status" + candidates(algos, st, cnt[0]) + ")");
  }

  @Override
  public void convBackwardData(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long w, long dy, long dx) {
    cudnnHandle h = handle(ctx);
    Plan p = plan(ctx, dt, mode, g);
    synchronized (p) {
      if (p.bwdDataAlgo < 0) {
        chooseBackwardData(h, p, mode.benchmark());
      }
    }
    long ws = ctx.workspace(p.bwdDataWs);
    check(JCudnn.cudnnConvolutionBackwardData(h, one(dt), p.w, DevicePointers.of(w), p.y, DevicePointers.of(dy),
        p.conv, p.bwdDataAlgo, DevicePointers.of(ws), p.bwdDataWs, zero(dt), p.x, DevicePointers.of(dx)),
        "ConvolutionBackwardData(algo " + p.bwdDataAlgo + ")");
  }

  // ------------------------------------------------------------------ backward filter

  private void chooseBackwardFilter(cudnnHandle h, Plan p, boolean benchmark) {
    int[] max = {0};
    check(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(h, max), "GetConvolutionBackwardFilterAlgorithmMaxCount");
    cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[Math.max(1, max[0])];
    // left null, as in the verified GpuSmoke: JCudnn creates the first cnt elements
    int[] cnt = {0};
    if (benchmark) {
      check(JCudnn.cudnnFindConvolutionBackwardFilterAlgorithm(h, p.x, p.y, p.conv, p.w, perf.length, cnt, perf),
          "FindConvolutionBackwardFilterAlgorithm");
    } else {
      check(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, p.x, p.y, p.conv, p.w, perf.length, cnt, perf),
          "GetConvolutionBackwardFilterAlgorithm_v7");
    }
    long limit = workspaceLimit();
    int[] algos = new int[cnt[0]];
    int[] st = new int[cnt[0]];
    float[] ms = new float[cnt[0]];
    int[] math = new int[cnt[0]];
    for (int i = 0; i < cnt[0]; i++) {
      algos[i] = perf[i].algo;
      st[i] = perf[i].status;
      ms[i] = perf[i].time;
      math[i] = perf[i].mathType;
      if (perf[i].status != 0) {
        continue;
      }
      long[] ws = {0};
      if (JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(h, p.x, p.y, p.conv, p.w, perf[i].algo, ws) != 0
          || ws[0] > limit) {
        continue;
      }
      p.bwdFilterWs = ws[0];
      p.bwdFilterAlgo = perf[i].algo;
      if (VERBOSE) {
        for (int j = i + 1; j < cnt[0]; j++) {
          algos[j] = perf[j].algo;
          st[j] = perf[j].status;
          ms[j] = perf[j].time;
          math[j] = perf[j].mathType;
        }
        report("backward-filter", benchmark, p.key, algos, st, ms, math, p.bwdFilterAlgo, ws[0]);
      }
      return;
    }
    throw new CudaException("cuDNN found no usable backward-filter algorithm (algo:status" + candidates(algos, st, cnt[0]) + ")");
  }

  @Override
  public void convBackwardFilter(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long x, long dy, long dw) {
    cudnnHandle h = handle(ctx);
    Plan p = plan(ctx, dt, mode, g);
    synchronized (p) {
      if (p.bwdFilterAlgo < 0) {
        chooseBackwardFilter(h, p, mode.benchmark());
      }
    }
    long ws = ctx.workspace(p.bwdFilterWs);
    check(JCudnn.cudnnConvolutionBackwardFilter(h, one(dt), p.x, DevicePointers.of(x), p.y, DevicePointers.of(dy),
        p.conv, p.bwdFilterAlgo, DevicePointers.of(ws), p.bwdFilterWs, zero(dt), p.w, DevicePointers.of(dw)),
        "ConvolutionBackwardFilter(algo " + p.bwdFilterAlgo + ")");
  }

  // ------------------------------------------------------------------ backward bias

  @Override
  public void convBackwardBias(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long dy, long db) {
    cudnnHandle h = handle(ctx);
    Plan p = plan(ctx, dt, mode, g);
    check(JCudnn.cudnnConvolutionBackwardBias(h, one(dt), p.y, DevicePointers.of(dy), zero(dt), p.bias,
        DevicePointers.of(db)), "ConvolutionBackwardBias");
  }

  @Override
  public String describe() {
    return "cuDNN " + version + (version >= 90000 ? " (through jnn's libcudnn.so.8 shim)" : "")
        + (Cudnn.isBenchmark() ? ", benchmark mode" : ", heuristic algorithms")
        + (Cudnn.isTf32Allowed() ? ", TF32 allowed" : ", strict fp32 (FMA math)");
  }
}
