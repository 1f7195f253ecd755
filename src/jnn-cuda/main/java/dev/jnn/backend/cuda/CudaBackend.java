package dev.jnn.backend.cuda;

import dev.jnn.backend.AllocationStats;
import dev.jnn.backend.Backend;
import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.EmbeddingShape;
import dev.jnn.backend.GemmSpec;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.OptimKernels;
import dev.jnn.backend.ReduceOp;
import dev.jnn.backend.ScatterSpec;
import dev.jnn.backend.UnaryOp;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import java.util.List;
import java.util.Optional;

/**
 * The CUDA implementation of {@link Backend}: element-wise ops, reductions, indexing and the fused
 * optimizer steps run jnn's kernels ({@code native-kernels/}), GEMM runs cuBLAS (row-major through
 * the transpose identity), the neural-network families are {@link CudaNnKernels}; memory comes
 * from each device's {@link CachingAllocator}, whose counters {@link #allocationStats} reports. Results match {@code
 * dev.jnn.backend.cpu.CpuBackend} (same semantics, float rounding aside). Every op is queued on the
 * calling thread's stream for the buffer's device; only {@link #download} waits.
 */
final class CudaBackend implements Backend, OptimKernels {
  static final int THREADS = 256;
  private static final int MAX_BLOCKS = 1 << 16;

  final CudaRuntime rt;
  private final CudaNnKernels nn;
  private final CudaRnnKernels rnn;
  private final CudaSampleKernels sample;
  private final Optional<OptimKernels> optim = Optional.of(this);

  CudaBackend(CudaRuntime rt) {
    this.rt = rt;
    this.nn = new CudaNnKernels(this);
    this.rnn = new CudaRnnKernels(this);
    this.sample = new CudaSampleKernels(this);
  }

  @Override
  public Device.Type type() {
    return Device.Type.CUDA;
  }

  @Override
  public CudaNnKernels conv() {
    return nn;
  }

  @Override
  public CudaNnKernels pool() {
    return nn;
  }

  @Override
  public CudaNnKernels norm() {
    return nn;
  }

  @Override
  public CudaNnKernels softmax() {
    return nn;
  }

  @Override
  public CudaNnKernels loss() {
    return nn;
  }

  @Override
  public CudaRnnKernels rnn() {
    return rnn;
  }

  @Override
  public CudaSampleKernels sample() {
    return sample;
  }

  @Override
  public Optional<OptimKernels> optim() {
    return optim;
  }

  // ---------------------------------------------------------------- helpers

  static CudaBuffer cuda(Buffer b) {
    if (b instanceof CudaBuffer c) {
      return c;
    }
    throw new IllegalArgumentException(
        "CUDA back end got a buffer on " + (b == null ? "null" : b.device()));
  }

  ThreadContext ctx(Buffer b) {
    return rt.context(b.device().index());
  }

  static String suffix(DType dt) {
    return switch (dt) {
      case FLOAT32 -> "f32";
      case FLOAT64 -> "f64";
      case INT64 -> "i64";
      case BOOL -> "u8";
    };
  }

  // Every device address an op passes to a kernel, cuBLAS, cuDNN or a copy is taken with one of
  // these: in() for operands the op reads, out() for those it writes (or reads and writes). They
  // order the calling thread's stream after other streams' pending work on the buffer (see
  // CachingAllocator.Block), so tensors may move between threads without synchronising.

  /** Address of a view's element 0 (its offset applied) read on {@code c}'s stream, or 0 for null. */
  static long in(ThreadContext c, View v) {
    return v == null ? 0 : cuda(v.buffer()).read(c, v.offset());
  }

  /** Address of a buffer's element 0 read on {@code c}'s stream, or 0 for null. */
  static long in(ThreadContext c, Buffer b) {
    return b == null ? 0 : cuda(b).read(c);
  }

  /** Address of a view's element 0 written on {@code c}'s stream, or 0 for null. */
  static long out(ThreadContext c, View v) {
    return v == null ? 0 : cuda(v.buffer()).write(c, v.offset());
  }

  /** Address of a buffer's element 0 written on {@code c}'s stream, or 0 for null. */
  static long out(ThreadContext c, Buffer b) {
    return b == null ? 0 : cuda(b).write(c);
  }

  static int gridFor(long n, int threads) {
    return (int) Math.max(1, Math.min((n + threads - 1) / threads, MAX_BLOCKS));
  }

  /** The block size of block-per-row kernels: a power of two in [32, 256] covering {@code work}. */
  static int blockFor(long work) {
    int t = 32;
    while (t < work && t < 256) {
      t <<= 1;
    }
    return t;
  }

  /** Grid-stride launch over {@code n} elements. */
  void launchN(ThreadContext c, String name, long n, KernelArgs a) {
    if (n <= 0) {
      return;
    }
    rt.launch(c, name, gridFor(n, THREADS), 1, THREADS, a);
  }

  /** One block per row. */
  void launchRows(ThreadContext c, String name, int rows, int block, KernelArgs a) {
    if (rows <= 0) {
      return;
    }
    rt.launch(c, name, rows, 1, block, a);
  }

  /**
   * The address of {@code c}'s error block for a kernel that may report an index error, which is
   * checked at the next host read on that thread.
   */
  static long expectErrors(ThreadContext c) {
    c.errorCheckPending = true;
    return c.errorBlock();
  }

  /** Throws the first index error a kernel reported on {@code c}'s stream, and clears it. */
  void checkErrors(ThreadContext c) {
    if (!c.errorCheckPending) {
      return;
    }
    long[] e = new long[4];
    rt.api.copyDeviceToHost(e, c.errorBlock(), 32, c.stream);
    c.errorCheckPending = false;
    if (e[0] == 0) {
      return;
    }
    rt.api.memsetZeroAsync(c.errorBlock(), 32, c.stream);
    rt.api.synchronizeStream(c.stream);
    throw indexError(e);
  }

  static IndexOutOfBoundsException indexError(long[] e) {
    return dev.jnn.backend.IndexErrors.of(e[0], e[1], e[2], e[3]);
  }

  /** A new buffer whose contents are undefined. */
  CudaBuffer allocateRaw(Device device, DType dtype, long numel) {
    ThreadContext c = rt.context(device.index());
    CachingAllocator.Block b =
        c.device.allocator.allocate(Math.max(1, numel) * CudaBuffer.elementSize(dtype), c.stream);
    return new CudaBuffer(dtype, c.device.device, numel, c.device.allocator, b);
  }

  // ---------------------------------------------------------------- memory

  @Override
  public Buffer allocate(Device device, DType dtype, long numel) {
    CudaBuffer b = allocateRaw(device, dtype, numel);
    if (numel > 0) {
      ThreadContext c = rt.context(device.index());
      rt.api.memsetZeroAsync(b.write(c), b.byteSize(), c.stream);
    }
    return b;
  }

  @Override
  public AllocationStats allocationStats(Device device) {
    return rt.device(device.index()).allocator.allocationStats();
  }

  @Override
  public void resetPeakAllocation(Device device) {
    rt.device(device.index()).allocator.resetPeak();
  }

  @Override
  public Buffer upload(Device device, HostBuffer host) {
    CudaBuffer b = allocateRaw(device, host.dtype(), host.numel());
    if (host.numel() > 0) {
      ThreadContext c = rt.context(device.index());
      Object array = host.array();
      if (host.dtype() == DType.BOOL) {
        boolean[] z = (boolean[]) array;
        byte[] bytes = new byte[z.length];
        for (int i = 0; i < z.length; i++) {
          bytes[i] = z[i] ? (byte) 1 : 0;
        }
        array = bytes;
      }
      toDevice(c, b.write(c), array, b.byteSize());
    }
    return b;
  }

  @Override
  public HostBuffer download(View src) {
    CudaBuffer sb = cuda(src.buffer());
    ThreadContext c = ctx(sb);
    checkErrors(c);
    DType dt = sb.dtype();
    int n = src.numel();
    HostBuffer out = HostBuffer.allocate(dt, n);
    if (n == 0) {
      return out;
    }
    long bytes = (long) n * CudaBuffer.elementSize(dt);
    Object target = dt == DType.BOOL ? new byte[n] : out.array();
    if (src.isContiguous()) {
      toHost(c, target, sb.read(c, src.offset()), bytes);
    } else {
      try (CudaBuffer tmp = allocateRaw(sb.device(), dt, n)) {
        copy(src, View.contiguous(tmp, src.shape()));
        toHost(c, target, tmp.read(c), bytes);
      }
    }
    if (dt == DType.BOOL) {
      byte[] bytesArr = (byte[]) target;
      boolean[] z = out.bools();
      for (int i = 0; i < n; i++) {
        z[i] = bytesArr[i] != 0;
      }
    }
    checkErrors(c);
    return out;
  }

  /** Host array to device: through pinned staging (asynchronous), else a pageable copy. */
  private void toDevice(ThreadContext c, long dst, Object array, long bytes) {
    if (!c.device.staging.upload(dst, array, bytes, c.stream)) {
      rt.api.copyHostToDevice(dst, array, bytes, c.stream);
    }
  }

  /** Device to host array after the stream's work: large copies through pinned staging. */
  private void toHost(ThreadContext c, Object array, long src, long bytes) {
    if (bytes < PinnedStaging.DOWNLOAD_MIN || !c.device.staging.download(array, src, bytes, c.stream)) {
      rt.api.copyDeviceToHost(array, src, bytes, c.stream);
    }
  }

  /** Waits for the calling thread's work on {@code device} and reports pending kernel errors. */
  void synchronize(int device) {
    ThreadContext c = rt.context(device);
    rt.api.synchronizeStream(c.stream);
    checkErrors(c);
  }

  // ---------------------------------------------------------------- copy / fill

  @Override
  public void copy(View src, View dst) {
    CudaBuffer s = cuda(src.buffer());
    CudaBuffer d = cuda(dst.buffer());
    if (!s.device().equals(d.device())) {
      // across GPUs: through the host (rare; tensors move with Tensor.to, which does the same)
      HostBuffer h = download(src);
      try (CudaBuffer tmp = (CudaBuffer) upload(d.device(), h)) {
        copy(View.contiguous(tmp, src.shape()), dst);
      }
      return;
    }
    ThreadContext c = ctx(d);
    if (s.dtype() == d.dtype() && src.isContiguous() && dst.isContiguous()) {
      long bytes = (long) dst.numel() * CudaBuffer.elementSize(d.dtype());
      if (bytes > 0) {
        long from = s.read(c, src.offset());
        rt.api.copyDeviceToDeviceAsync(d.write(c, dst.offset()), from, bytes, c.stream);
      }
      return;
    }
    String name = "copy_" + suffix(s.dtype()) + "_" + suffix(d.dtype());
    for (int[] it :
        Iters.iter(dst.shape(), new int[][] {src.strides(), dst.strides()},
            new int[] {src.offset(), dst.offset()})) {
      launchN(c, name, it[1], new KernelArgs().struct(it).ptr(s.read(c)).ptr(d.write(c)));
    }
  }

  @Override
  public void fill(View dst, double value) {
    CudaBuffer d = cuda(dst.buffer());
    ThreadContext c = ctx(d);
    for (int[] it : Iters.iter(dst.shape(), new int[][] {dst.strides()}, new int[] {dst.offset()})) {
      KernelArgs a = new KernelArgs().struct(it).ptr(d.write(c));
      switch (d.dtype()) {
        case FLOAT32 -> a.f32((float) value);
        case FLOAT64 -> a.f64(value);
        case INT64 -> a.i64((long) value);
        case BOOL -> a.i32(value != 0.0 ? 1 : 0);
      }
      launchN(c, "fill_" + suffix(d.dtype()), it[1], a);
    }
  }

  // ---------------------------------------------------------------- element-wise

  @Override
  public void unary(UnaryOp op, View x, View out, double p0, double p1) {
    CudaBuffer xb = cuda(x.buffer());
    CudaBuffer ob = cuda(out.buffer());
    ThreadContext c = ctx(ob);
    String name = "unary_" + suffix(xb.dtype());
    for (int[] it :
        Iters.iter(x.shape(), new int[][] {x.strides(), out.strides()},
            new int[] {x.offset(), out.offset()})) {
      launchN(c, name, it[1],
          new KernelArgs().i32(op.ordinal()).struct(it).ptr(xb.read(c)).ptr(ob.write(c))
              .f64(p0).f64(p1));
    }
  }

  @Override
  public void binary(BinaryOp op, View a, View b, View out) {
    CudaBuffer ab = cuda(a.buffer());
    CudaBuffer bb = cuda(b.buffer());
    CudaBuffer ob = cuda(out.buffer());
    ThreadContext c = ctx(ob);
    String name = "binary_" + suffix(ab.dtype());
    for (int[] it :
        Iters.iter(out.shape(), new int[][] {a.strides(), b.strides(), out.strides()},
            new int[] {a.offset(), b.offset(), out.offset()})) {
      launchN(c, name, it[1],
          new KernelArgs().i32(op.ordinal()).struct(it).ptr(ab.read(c)).ptr(bb.read(c))
              .ptr(ob.write(c)));
    }
  }

  @Override
  public void where(View cond, View a, View b, View out) {
    CudaBuffer cb = cuda(cond.buffer());
    CudaBuffer ab = cuda(a.buffer());
    CudaBuffer bb = cuda(b.buffer());
    CudaBuffer ob = cuda(out.buffer());
    ThreadContext c = ctx(ob);
    if (cb.dtype() != DType.BOOL) {
      throw new IllegalArgumentException("where: condition must be bool on CUDA, got " + cb.dtype());
    }
    String name = "where_" + suffix(ob.dtype());
    for (int[] it :
        Iters.iter(out.shape(),
            new int[][] {cond.strides(), a.strides(), b.strides(), out.strides()},
            new int[] {cond.offset(), a.offset(), b.offset(), out.offset()})) {
      launchN(c, name, it[1],
          new KernelArgs().struct(it).ptr(cb.read(c)).ptr(ab.read(c)).ptr(bb.read(c))
              .ptr(ob.write(c)));
    }
  }

  @Override
  public void hardtanhBackward(View g, View x, double min, double max, View out) {
    CudaBuffer gb = cuda(g.buffer());
    CudaBuffer xb = cuda(x.buffer());
    CudaBuffer ob = cuda(out.buffer());
    DType dt = xb.dtype();
    if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || gb.dtype() != dt || ob.dtype() != dt) {
      throw new IllegalArgumentException("hardtanhBackward: float32 or float64 operands of one"
          + " dtype expected, got " + gb.dtype() + ", " + dt + ", " + ob.dtype());
    }
    ThreadContext c = ctx(ob);
    String name = "hardtanh_backward_" + suffix(dt);
    for (int[] it :
        Iters.iter(out.shape(), new int[][] {g.strides(), x.strides(), out.strides()},
            new int[] {g.offset(), x.offset(), out.offset()})) {
      launchN(c, name, it[1],
          new KernelArgs().struct(it).ptr(gb.read(c)).ptr(xb.read(c)).ptr(ob.write(c)).f64(min)
              .f64(max));
    }
  }

  // ---------------------------------------------------------------- reduce

  @Override
  public void reduce(ReduceOp op, Buffer x, int xOffset, int outer, int inner, Buffer out) {
    CudaBuffer xb = cuda(x);
    CudaBuffer ob = cuda(out);
    ThreadContext c = ctx(ob);
    if (outer <= 0) {
      return;
    }
    if (inner <= 0) {
      fill(View.contiguous(ob, new int[] {outer}), op == ReduceOp.PROD ? 1 : 0);
      return;
    }
    boolean sum = op == ReduceOp.SUM || op == ReduceOp.PROD;
    String name = (sum ? "reduce_sum_" : "reduce_minmax_") + suffix(xb.dtype());
    launchRows(c, name, outer, blockFor(inner),
        new KernelArgs().i32(op.ordinal()).ptr(xb.read(c, xOffset)).i32(outer).i32(inner)
            .ptr(ob.write(c)).i32(ob.dtype().ordinal()));
  }

  // ---------------------------------------------------------------- optimizers, dropout

  /** True when every non-null view is a contiguous floating view of {@code dt} on one device. */
  private static boolean fusable(DType dt, View... views) {
    if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
      return false;
    }
    Device d = views[0].buffer().device();
    for (View v : views) {
      if (v != null && (v.buffer().dtype() != dt || !v.isContiguous() || !(v.buffer() instanceof CudaBuffer)
          || !v.buffer().device().equals(d))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean sgdStep(View param, View grad, View buf, SgdStep h) {
    double lr = h.lr();
    double momentum = h.momentum();
    double dampening = h.dampening();
    double weightDecay = h.weightDecay();
    boolean nesterov = h.nesterov();
    boolean maximize = h.maximize();
    boolean firstStep = h.firstStep();
    DType dt = param.buffer().dtype();
    if (!fusable(dt, param, grad, momentum != 0 ? buf : null)) {
      return false;
    }
    ThreadContext c = ctx(param.buffer());
    int flags = (nesterov ? 1 : 0) | (maximize ? 2 : 0) | (firstStep ? 4 : 0);
    launchN(c, "sgd_step_" + suffix(dt), param.numel(),
        new KernelArgs().i64(param.numel()).ptr(out(c, param)).ptr(in(c, grad))
            .ptr(momentum != 0 ? out(c, buf) : 0).f64(lr).f64(momentum).f64(1 - dampening)
            .f64(weightDecay).i32(flags));
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
    DType dt = param.buffer().dtype();
    if (!fusable(dt, param, grad, expAvg, expAvgSq, amsgrad ? maxExpAvgSq : null)) {
      return false;
    }
    ThreadContext c = ctx(param.buffer());
    int flags = (amsgrad ? 1 : 0) | (maximize ? 2 : 0) | (decoupled ? 4 : 0);
    launchN(c, "adam_step_" + suffix(dt), param.numel(),
        new KernelArgs().i64(param.numel()).ptr(out(c, param)).ptr(in(c, grad)).ptr(out(c, expAvg))
            .ptr(out(c, expAvgSq)).ptr(amsgrad ? out(c, maxExpAvgSq) : 0).f64(weightDecay)
            .f64(1 - lr * weightDecay).f64(1 - beta1).f64(beta2).f64(1 - beta2).f64(bc2Sqrt)
            .f64(eps).f64(-stepSize).i32(flags));
    return true;
  }

  @Override
  public void dropoutMask(View out, double p, double scale, long seed) {
    DType dt = out.buffer().dtype();
    if (!out.isContiguous() || (dt != DType.FLOAT32 && dt != DType.FLOAT64)) {
      throw new IllegalArgumentException(
          "dropoutMask: a contiguous floating mask expected, got " + dt + " "
              + java.util.Arrays.toString(out.shape()));
    }
    ThreadContext c = ctx(out.buffer());
    long n = out.numel();
    launchN(c, "dropout_mask_" + suffix(dt), (n + 3) / 4,
        new KernelArgs().i64(n).ptr(out(c, out)).f64(p).f64(scale).i64(seed));
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
    CudaBuffer ab = cuda(a);
    CudaBuffer bb = cuda(b);
    CudaBuffer cb = cuda(c);
    ThreadContext ctx = ctx(cb);
    DType dt = ab.dtype();
    if (batch <= 0 || m <= 0 || n <= 0) {
      return;
    }
    if (dt == DType.BOOL) {
      throw new IllegalArgumentException("\"addmm_cuda\" not implemented for 'Bool'");
    }
    if (k <= 0) {
      if (!accumulate) {
        for (int i = 0; i < batch; i++) {
          fill(new View(cb, new int[] {m, n}, new int[] {ldc, 1}, cOff + i * cBatchStride), 0);
        }
      }
      return;
    }
    if (dt == DType.INT64) {
      launchN(ctx, "gemm_i64", (long) batch * m * n,
          new KernelArgs().bool(transA).bool(transB).i32(batch).i32(m).i32(n).i32(k)
              .ptr(ab.read(ctx)).i64(aOff).i64(aBatchStride).i32(lda)
              .ptr(bb.read(ctx)).i64(bOff).i64(bBatchStride).i32(ldb)
              .ptr(cb.write(ctx)).i64(cOff).i64(cBatchStride).i32(ldc).bool(accumulate));
      return;
    }
    // Row-major C[m,n] = op(A) op(B) is column-major C^T[n,m] = op(B)^T op(A)^T: a row-major
    // matrix read column-major with the same leading dimension is its transpose, so cuBLAS gets
    // B first with transB, then A with transA, and m and n swapped.
    // the TF32 switch is read here, per call, and travels with it (see Blas#gemm)
    rt.blas.gemm(ctx, dt, dt == DType.FLOAT32 && Cublas.isTf32Allowed(), transB, transA, n, m, k,
        bb.read(ctx, bOff), ldb, bBatchStride,
        ab.read(ctx, aOff), lda, aBatchStride,
        accumulate ? 1.0 : 0.0,
        cb.write(ctx, cOff), ldc, cBatchStride, batch);
  }

  // ---------------------------------------------------------------- indexing

  private static int indexStride(View index) {
    return index.strides().length == 0 ? 0 : index.strides()[0];
  }

  private static int[] atDim(int rank, int dim, int stride) {
    int[] s = new int[rank];
    s[dim] = stride;
    return s;
  }

  @Override
  public void indexSelect(View x, int dim, View index, Buffer out) {
    CudaBuffer xb = cuda(x.buffer());
    CudaBuffer ib = cuda(index.buffer());
    CudaBuffer ob = cuda(out);
    ThreadContext c = ctx(ob);
    int[] shape = x.shape().clone();
    shape[dim] = index.numel();
    int[] g = Iters.idxGeo(shape, dim, x.shape()[dim], x.strides(), x.offset(),
        atDim(shape.length, dim, indexStride(index)), index.offset(),
        Iters.contiguousStrides(shape), 0);
    launchIndex(c, "index_read_", xb, ib, ob, g,
        dev.jnn.backend.IndexErrors.indexSelectCode(x.shape().length, dim));
  }

  @Override
  public void indexAdd(Buffer target, int[] targetShape, int dim, View index, View src) {
    CudaBuffer tb = cuda(target);
    CudaBuffer ib = cuda(index.buffer());
    CudaBuffer sb = cuda(src.buffer());
    ThreadContext c = ctx(tb);
    int[] g = Iters.idxGeo(src.shape(), dim, targetShape[dim], src.strides(), src.offset(),
        atDim(src.shape().length, dim, indexStride(index)), index.offset(),
        Iters.contiguousStrides(targetShape), 0);
    launchIndex(c, "index_accumulate_", sb, ib, tb, g, 2);
  }

  @Override
  public void gather(View x, int dim, View index, Buffer out) {
    CudaBuffer xb = cuda(x.buffer());
    CudaBuffer ib = cuda(index.buffer());
    CudaBuffer ob = cuda(out);
    ThreadContext c = ctx(ob);
    int[] shape = index.shape();
    int[] g = Iters.idxGeo(shape, dim, x.shape()[dim], x.strides(), x.offset(),
        index.strides(), index.offset(), Iters.contiguousStrides(shape), 0);
    launchIndex(c, "index_read_", xb, ib, ob, g, 3);
  }

  @Override
  public void scatterAdd(Buffer target, int[] targetShape, int dim, View index, View src) {
    CudaBuffer tb = cuda(target);
    CudaBuffer ib = cuda(index.buffer());
    CudaBuffer sb = cuda(src.buffer());
    ThreadContext c = ctx(tb);
    int[] g = Iters.idxGeo(index.shape(), dim, targetShape[dim], src.strides(), src.offset(),
        index.strides(), index.offset(), Iters.contiguousStrides(targetShape), 0);
    launchIndex(c, "index_accumulate_", sb, ib, tb, g, 4);
  }

  @Override
  public void scatter(Buffer target, ScatterSpec spec, View index, View src) {
    CudaBuffer tb = cuda(target);
    CudaBuffer ib = cuda(index.buffer());
    CudaBuffer sb = cuda(src.buffer());
    ThreadContext c = ctx(tb);
    int[] ts = spec.targetShape();
    int[] g = Iters.idxGeo(index.shape(), spec.dim(), ts[spec.dim()], src.strides(), src.offset(),
        index.strides(), index.offset(), Iters.contiguousStrides(ts), 0);
    if (g[3] == 0) {
      return;
    }
    if (g[0] == 0) {
      throw new UnsupportedOperationException("CUDA index ops need at least one dim");
    }
    if (ib.dtype() != DType.INT64) {
      throw new IllegalArgumentException("index must be int64 on CUDA, got " + ib.dtype());
    }
    long err = expectErrors(c);
    // the kernel's op codes are the ordinals of ScatterSpec.Reduce (index.cuh, SCATTER_*)
    launchN(c, "index_scatter_" + suffix(tb.dtype()), g[3],
        new KernelArgs().struct(g).ptr(sb.read(c)).ptr(ib.read(c)).ptr(tb.write(c))
            .i32(spec.reduce().ordinal()).i32(dev.jnn.backend.IndexErrors.SCATTER_ADD).ptr(err));
  }

  @Override
  public void embedding(View weight, View indices, EmbeddingShape s, Buffer out) {
    int count = s.count();
    int num = s.num();
    int dim = s.dim();
    ThreadContext ctx = ctx(out);
    long err = expectErrors(ctx);
    launchN(ctx, "embedding_fwd_" + suffix(weight.buffer().dtype()), (long) count * dim,
        new KernelArgs().ptr(in(ctx, weight)).ptr(in(ctx, indices)).i32(count).i32(num).i32(dim).ptr(out(ctx, out))
            .ptr(err));
  }

  @Override
  public void embeddingBackward(
      View gradOut, View indices, EmbeddingShape s, long paddingIdx, Buffer gradWeight) {
    int count = s.count();
    int num = s.num();
    int dim = s.dim();
    ThreadContext ctx = ctx(gradWeight);
    launchN(ctx, "embedding_bwd_" + suffix(gradOut.buffer().dtype()), (long) count * dim,
        new KernelArgs().ptr(in(ctx, gradOut)).ptr(in(ctx, indices)).i32(count).i32(num).i32(dim)
            .i64(paddingIdx).ptr(out(ctx, gradWeight)));
  }

  private void launchIndex(
      ThreadContext c, String prefix, CudaBuffer data, CudaBuffer index, CudaBuffer written,
      int[] geo, int errCode) {
    if (geo[0] == 0) {
      throw new UnsupportedOperationException("CUDA index ops need at least one dim");
    }
    if (index.dtype() != DType.INT64) {
      throw new IllegalArgumentException("index must be int64 on CUDA, got " + index.dtype());
    }
    long err = expectErrors(c);
    launchN(c, prefix + suffix(data.dtype()), geo[3],
        new KernelArgs().struct(geo).ptr(data.read(c)).ptr(index.read(c))
            .ptr(written.write(c)).i32(errCode).ptr(err));
  }
}
