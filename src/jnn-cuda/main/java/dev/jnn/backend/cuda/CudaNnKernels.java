package dev.jnn.backend.cuda;

import dev.jnn.backend.AdaptivePool2dGeometry;
import dev.jnn.backend.BatchNormShape;
import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.ConvKernels;
import dev.jnn.backend.LayerNormShape;
import dev.jnn.backend.LossKernels;
import dev.jnn.backend.NllShape;
import dev.jnn.backend.NormKernels;
import dev.jnn.backend.Pool2dGeometry;
import dev.jnn.backend.PoolKernels;
import dev.jnn.backend.SoftmaxKernels;
import dev.jnn.backend.SoftmaxShape;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/**
 * The CUDA implementation of the neural-network families ({@link ConvKernels}, {@link
 * PoolKernels}, {@link NormKernels}, {@link SoftmaxKernels}, {@link LossKernels}). Convolutions run cuDNN (heuristic or benchmarked
 * algorithms, see {@link Cudnn}; the switches are read once per call and passed on as a {@link
 * ConvMode}); the bias is added by jnn's broadcasting add. Operands reach cuDNN at the address of
 * their view's element 0, uncopied (contiguous views only: the op families of {@code dev.jnn.tensor} make the others
 * contiguous), so an odd offset gives cuDNN an element-aligned pointer. Pooling, batch and
 * layer norm, softmax and the losses run jnn's kernels, which reproduce PyTorch's exact
 * rules (pooling indices and divisors, biased batch variance, NaN propagation) as the CPU back end
 * does.
 */
final class CudaNnKernels extends CudaPoolKernels
    implements ConvKernels, PoolKernels, NormKernels, SoftmaxKernels, LossKernels {
  private final CudaBackend be;

  CudaNnKernels(CudaBackend be) {
    super(be); // issue 20's 3-D and adaptive max pooling (pool.cuh)
    this.be = be;
  }

  private static String sfx(View v) {
    return CudaBackend.suffix(v.buffer().dtype());
  }

  // operands: r(..) for what a kernel reads, w(..) for what it writes (see CudaBackend.in/out)

  private static long r(ThreadContext c, View v) {
    return CudaBackend.in(c, v);
  }

  private static long w(ThreadContext c, Buffer b) {
    return CudaBackend.out(c, b);
  }

  private static DType dt(View v) {
    return v.buffer().dtype();
  }

  // ------------------------------------------------------------------ convolution

  /** Output size cuDNN computes for symmetric padding {@code pad}. */
  static int cudnnOut(int in, int pad, int k, int dil, int stride) {
    int ek = dil * (k - 1) + 1;
    int span = in + 2 * pad - ek;
    return span < 0 ? 0 : span / stride + 1;
  }

  /** Whether cuDNN's symmetric padding reproduces the geometry's output size. */
  static boolean symmetric(Conv2dGeometry g) {
    return cudnnOut(g.h(), g.padTop(), g.kh(), g.dilationH(), g.strideH()) == g.oh()
        && cudnnOut(g.w(), g.padLeft(), g.kw(), g.dilationW(), g.strideW()) == g.ow();
  }

  /**
   * For asymmetric padding: the height and width of an explicitly padded (or cropped) input that
   * a padding-free convolution maps onto the same output, and the rows/columns copied into it.
   */
  record Padded(int hp, int wp, int hCopy, int wCopy, Conv2dGeometry geometry) {
    static Padded of(Conv2dGeometry g) {
      int ekh = g.dilationH() * (g.kh() - 1) + 1;
      int ekw = g.dilationW() * (g.kw() - 1) + 1;
      int hp = (g.oh() - 1) * g.strideH() + ekh;
      int wp = (g.ow() - 1) * g.strideW() + ekw;
      int hCopy = Math.max(0, Math.min(g.h(), hp - g.padTop()));
      int wCopy = Math.max(0, Math.min(g.w(), wp - g.padLeft()));
      Conv2dGeometry pg =
          new Conv2dGeometry(g.n(), g.c(), hp, wp, g.oc(), g.kh(), g.kw(), g.strideH(),
              g.strideW(), 0, 0, g.dilationH(), g.dilationW(), g.groups(), g.oh(), g.ow());
      return new Padded(hp, wp, hCopy, wCopy, pg);
    }

    /** The interior of the padded [n, c, hp, wp] buffer that holds input rows/columns. */
    View interior(Buffer padded, Conv2dGeometry g) {
      return new View(padded, new int[] {g.n(), g.c(), hCopy, wCopy},
          new int[] {g.c() * hp * wp, hp * wp, wp, 1}, g.padTop() * wp + g.padLeft());
    }

    /** The part of the original [n, c, h, w] input that lands in the padded buffer. */
    static View source(View x, Conv2dGeometry g, int hCopy, int wCopy) {
      return new View(x.buffer(), new int[] {g.n(), g.c(), hCopy, wCopy},
          new int[] {g.c() * g.h() * g.w(), g.h() * g.w(), g.w(), 1}, x.offset());
    }
  }

  private CudaBuffer padInput(View x, Conv2dGeometry g, Padded pd) {
    CudaBuffer buf = (CudaBuffer) be.allocate(x.buffer().device(), dt(x), (long) g.n() * g.c() * pd.hp() * pd.wp());
    if (pd.hCopy() > 0 && pd.wCopy() > 0) {
      be.copy(Padded.source(x, g, pd.hCopy(), pd.wCopy()), pd.interior(buf, g));
    }
    return buf;
  }

  /** cuDNN operands start at multiples of this many bytes (see {@link #aligned}). */
  static final int CUDNN_ALIGNMENT = 16;

  /**
   * {@code v} itself when its first element is {@value #CUDNN_ALIGNMENT}-byte aligned, else a
   * contiguous copy in a fresh (aligned) buffer, which {@code temps} collects for closing. A
   * contiguous view of an odd-sized tensor (a batch slice, a {@code narrow}) can start at any
   * element; cuDNN's faster algorithms need 16-byte aligned pointers, and an algorithm chosen by
   * Find (timed on cuDNN's own aligned buffers) or by the heuristics may fail or be refused on an
   * address that is not. PyTorch's cuDNN v8 path keys its plans by alignment; jnn copies instead.
   */
  private View aligned(ThreadContext c, View v, java.util.List<CudaBuffer> temps) {
    if (v == null || CudaBackend.cuda(v.buffer()).address(v.offset()) % CUDNN_ALIGNMENT == 0) {
      return v;
    }
    CudaBuffer t = be.allocateRaw(v.buffer().device(), dt(v), v.numel());
    temps.add(t);
    View copy = View.contiguous(t, v.shape());
    be.copy(v, copy);
    return copy;
  }

  /** A convolution pass given its context and its operands, aligned. */
  private interface AlignedPass {
    void run(ThreadContext c, View[] operands);
  }

  /** Runs {@code pass} on {@code target}'s context with {@code operands} made {@link #aligned}. */
  private void withAligned(Buffer target, AlignedPass pass, View... operands) {
    java.util.List<CudaBuffer> temps = new java.util.ArrayList<>(operands.length);
    try {
      ThreadContext c = be.ctx(target);
      View[] a = new View[operands.length];
      for (int i = 0; i < a.length; i++) {
        a[i] = aligned(c, operands[i], temps);
      }
      pass.run(c, a);
    } finally {
      for (CudaBuffer t : temps) {
        t.close();
      }
    }
  }

  @Override
  public void conv2d(View x, View weight, View bias, Buffer out, Conv2dGeometry g) {
    withAligned(out, (c, v) -> conv2d(c, v[0], v[1], bias, out, g), x, weight);
  }

  private void conv2d(ThreadContext c, View x, View weight, View bias, Buffer out, Conv2dGeometry g) {
    DType d = dt(x);
    ConvMode m = ConvMode.current(d);
    if (symmetric(g)) {
      be.rt.dnn.convForward(c, d, m, g, r(c, x), r(c, weight), w(c, out));
    } else {
      Padded pd = Padded.of(g);
      try (CudaBuffer xp = padInput(x, g, pd)) {
        be.rt.dnn.convForward(c, d, m, pd.geometry(), xp.read(c), r(c, weight), w(c, out));
      }
    }
    if (bias != null) {
      int hw = g.oh() * g.ow();
      View o = new View(out, new int[] {g.n(), g.oc(), hw}, new int[] {g.oc() * hw, hw, 1}, 0);
      View b = new View(bias.buffer(), new int[] {g.n(), g.oc(), hw}, new int[] {0, 1, 0}, bias.offset());
      be.binary(BinaryOp.ADD, o, b, o);
    }
  }

  @Override
  public void conv2dBackwardData(View gradOut, View weight, Buffer gradIn, Conv2dGeometry g) {
    withAligned(gradIn, (c, v) -> conv2dBackwardData(c, v[0], v[1], gradIn, g), gradOut, weight);
  }

  private void conv2dBackwardData(ThreadContext c, View gradOut, View weight, Buffer gradIn, Conv2dGeometry g) {
    DType d = dt(gradOut);
    ConvMode m = ConvMode.current(d);
    if (symmetric(g)) {
      be.rt.dnn.convBackwardData(c, d, m, g, r(c, weight), r(c, gradOut), w(c, gradIn));
      return;
    }
    Padded pd = Padded.of(g);
    try (CudaBuffer gp =
        (CudaBuffer) be.allocate(gradIn.device(), d, (long) g.n() * g.c() * pd.hp() * pd.wp())) {
      be.rt.dnn.convBackwardData(c, d, m, pd.geometry(), r(c, weight), r(c, gradOut), gp.write(c));
      if (pd.hCopy() > 0 && pd.wCopy() > 0) {
        be.copy(pd.interior(gp, g), Padded.source(View.contiguous(gradIn, new int[] {g.n(), g.c(), g.h(), g.w()}), g, pd.hCopy(), pd.wCopy()));
      }
    }
  }

  @Override
  public void conv2dBackwardFilter(View gradOut, View x, Buffer gradWeight, Conv2dGeometry g) {
    withAligned(gradWeight, (c, v) -> conv2dBackwardFilter(c, v[0], v[1], gradWeight, g), gradOut, x);
  }

  private void conv2dBackwardFilter(ThreadContext c, View gradOut, View x, Buffer gradWeight, Conv2dGeometry g) {
    DType d = dt(gradOut);
    ConvMode m = ConvMode.current(d);
    if (symmetric(g)) {
      be.rt.dnn.convBackwardFilter(c, d, m, g, r(c, x), r(c, gradOut), w(c, gradWeight));
      return;
    }
    Padded pd = Padded.of(g);
    try (CudaBuffer xp = padInput(x, g, pd)) {
      be.rt.dnn.convBackwardFilter(c, d, m, pd.geometry(), xp.read(c), r(c, gradOut), w(c, gradWeight));
    }
  }

  @Override
  public void conv2dBackwardBias(View gradOut, Buffer gradBias, Conv2dGeometry g) {
    withAligned(gradBias, (c, v) -> conv2dBackwardBias(c, v[0], gradBias, g), gradOut);
  }

  private void conv2dBackwardBias(ThreadContext c, View gradOut, Buffer gradBias, Conv2dGeometry g) {
    // the bias gradient does not depend on padding, but the cuDNN plan must be a valid
    // convolution: asymmetric ("same" with an even kernel) padding uses the padded geometry,
    // as forward and the other backward passes do (found on the H200: plan() rejected it)
    Conv2dGeometry geo = symmetric(g) ? g : Padded.of(g).geometry();
    DType d = dt(gradOut);
    be.rt.dnn.convBackwardBias(c, d, ConvMode.current(d), geo, r(c, gradOut), w(c, gradBias));
  }

  // ------------------------------------------------------------------ pooling

  @Override
  public void maxPool2d(View x, Buffer out, Buffer indices, Pool2dGeometry g) {
    ThreadContext c = be.ctx(out);
    be.launchN(c, "maxpool2d_fwd_" + sfx(x), (long) g.planes() * g.oh() * g.ow(),
        new KernelArgs().struct(Iters.poolGeo(g)).ptr(r(c, x)).ptr(w(c, out)).ptr(w(c, indices)));
  }

  @Override
  public void maxPool2dBackward(View gradOut, View indices, Buffer gradIn, Pool2dGeometry g) {
    ThreadContext c = be.ctx(gradIn);
    be.launchN(c, "maxpool2d_bwd_" + sfx(gradOut), (long) g.planes() * g.oh() * g.ow(),
        new KernelArgs().struct(Iters.poolGeo(g)).ptr(r(c, gradOut)).ptr(r(c, indices)).ptr(w(c, gradIn)));
  }

  @Override
  public void avgPool2d(
      View x, Buffer out, Pool2dGeometry g, boolean countIncludePad, int divisorOverride) {
    ThreadContext c = be.ctx(out);
    be.launchN(c, "avgpool2d_fwd_" + sfx(x), (long) g.planes() * g.oh() * g.ow(),
        new KernelArgs().struct(Iters.poolGeo(g)).ptr(r(c, x)).ptr(w(c, out)).bool(countIncludePad)
            .i32(divisorOverride));
  }

  @Override
  public void avgPool2dBackward(
      View gradOut, Buffer gradIn, Pool2dGeometry g, boolean countIncludePad, int divisorOverride) {
    ThreadContext c = be.ctx(gradIn);
    be.launchN(c, "avgpool2d_bwd_" + sfx(gradOut), (long) g.planes() * g.oh() * g.ow(),
        new KernelArgs().struct(Iters.poolGeo(g)).ptr(r(c, gradOut)).ptr(w(c, gradIn))
            .bool(countIncludePad).i32(divisorOverride));
  }

  @Override
  public void adaptiveAvgPool2d(View x, Buffer out, AdaptivePool2dGeometry g) {
    final int planes = g.planes();
    final int h = g.h();
    final int w = g.w();
    final int oh = g.oh();
    final int ow = g.ow();
    ThreadContext c = be.ctx(out);
    be.launchN(c, "adaptive_avgpool2d_fwd_" + sfx(x), (long) planes * oh * ow,
        new KernelArgs().ptr(r(c, x)).ptr(w(c, out)).i32(planes).i32(h).i32(w).i32(oh).i32(ow));
  }

  @Override
  public void adaptiveAvgPool2dBackward(View gradOut, Buffer gradIn, AdaptivePool2dGeometry g) {
    final int planes = g.planes();
    final int h = g.h();
    final int w = g.w();
    final int oh = g.oh();
    final int ow = g.ow();
    ThreadContext c = be.ctx(gradIn);
    be.launchN(c, "adaptive_avgpool2d_bwd_" + sfx(gradOut), (long) planes * oh * ow,
        new KernelArgs().ptr(r(c, gradOut)).ptr(w(c, gradIn)).i32(planes).i32(h).i32(w).i32(oh).i32(ow));
  }

  // ------------------------------------------------------------------ normalisation

  @Override
  public void batchNormTraining(
      View x, View weight, View bias, BatchNormShape sh, Buffer out, Buffer mean, Buffer var) {
    final int n = sh.n();
    final int c = sh.c();
    final int spatial = sh.spatial();
    final double eps = sh.eps();
    ThreadContext ctx = be.ctx(out);
    be.launchRows(ctx, "batchnorm_train_" + sfx(x), c, CudaBackend.blockFor((long) n * spatial),
        new KernelArgs().ptr(r(ctx, x)).ptr(r(ctx, weight)).ptr(r(ctx, bias)).i32(n).i32(c).i32(spatial).f64(eps)
            .ptr(w(ctx, out)).ptr(w(ctx, mean)).ptr(w(ctx, var)));
  }

  @Override
  public void batchNormInference(
      View x, View weight, View bias, View mean, View var, BatchNormShape sh, Buffer out) {
    final int n = sh.n();
    final int c = sh.c();
    final int spatial = sh.spatial();
    final double eps = sh.eps();
    ThreadContext ctx = be.ctx(out);
    be.launchRows(ctx, "batchnorm_infer_" + sfx(x), c, CudaBackend.blockFor((long) n * spatial),
        new KernelArgs().ptr(r(ctx, x)).ptr(r(ctx, weight)).ptr(r(ctx, bias)).ptr(r(ctx, mean)).ptr(r(ctx, var)).i32(n)
            .i32(c).i32(spatial).f64(eps).ptr(w(ctx, out)));
  }

  @Override
  public void batchNormBackward(
      View gradOut, View x, View weight, View mean, View var, boolean training, BatchNormShape sh,
      Buffer gradIn, Buffer gradWeight, Buffer gradBias) {
    final int n = sh.n();
    final int c = sh.c();
    final int spatial = sh.spatial();
    final double eps = sh.eps();
    Buffer any = gradIn != null ? gradIn : gradWeight != null ? gradWeight : gradBias;
    if (any == null) {
      return;
    }
    ThreadContext ctx = be.ctx(any);
    be.launchRows(ctx, "batchnorm_bwd_" + sfx(x), c, CudaBackend.blockFor((long) n * spatial),
        new KernelArgs().ptr(r(ctx, gradOut)).ptr(r(ctx, x)).ptr(r(ctx, weight)).ptr(r(ctx, mean)).ptr(r(ctx, var))
            .bool(training).i32(n).i32(c).i32(spatial).f64(eps).ptr(w(ctx, gradIn)).ptr(w(ctx, gradWeight))
            .ptr(w(ctx, gradBias)));
  }

  @Override
  public void layerNorm(
      View x, View weight, View bias, LayerNormShape sh, Buffer out, Buffer mean, Buffer rstd) {
    final int rows = sh.rows();
    final int cols = sh.cols();
    final double eps = sh.eps();
    ThreadContext ctx = be.ctx(out);
    be.launchRows(ctx, "layernorm_fwd_" + sfx(x), rows, CudaBackend.blockFor(cols),
        new KernelArgs().ptr(r(ctx, x)).ptr(r(ctx, weight)).ptr(r(ctx, bias)).i32(rows).i32(cols).f64(eps)
            .ptr(w(ctx, out)).ptr(w(ctx, mean)).ptr(w(ctx, rstd)));
  }

  @Override
  public void layerNormBackward(
      View gradOut, View x, View weight, View mean, View rstd, LayerNormShape sh, Buffer gradIn,
      Buffer gradWeight, Buffer gradBias) {
    final int rows = sh.rows();
    final int cols = sh.cols();
    String s = sfx(x);
    if (gradIn != null) {
      ThreadContext ctx = be.ctx(gradIn);
      be.launchRows(ctx, "layernorm_bwd_input_" + s, rows, CudaBackend.blockFor(cols),
          new KernelArgs().ptr(r(ctx, gradOut)).ptr(r(ctx, x)).ptr(r(ctx, weight)).ptr(r(ctx, mean)).ptr(r(ctx, rstd))
              .i32(rows).i32(cols).ptr(w(ctx, gradIn)));
    }
    if (gradWeight != null || gradBias != null) {
      ThreadContext ctx = be.ctx(gradWeight != null ? gradWeight : gradBias);
      be.launchN(ctx, "layernorm_bwd_params_" + s, cols,
          new KernelArgs().ptr(r(ctx, gradOut)).ptr(r(ctx, x)).ptr(r(ctx, mean)).ptr(r(ctx, rstd)).i32(rows).i32(cols)
              .ptr(w(ctx, gradWeight)).ptr(w(ctx, gradBias)));
    }
  }

  // ------------------------------------------------------------------ softmax

  @Override
  public void softmax(View x, SoftmaxShape sh, Buffer out) {
    final int outer = sh.outer();
    final int size = sh.size();
    final int inner = sh.inner();
    final boolean log = sh.log();
    ThreadContext ctx = be.ctx(out);
    if (inner == 1) {
      be.launchRows(ctx, "softmax_rows_" + sfx(x), outer, CudaBackend.blockFor(size),
          new KernelArgs().ptr(r(ctx, x)).i32(outer).i32(size).bool(log).ptr(w(ctx, out)));
    } else {
      be.launchN(ctx, "softmax_cols_" + sfx(x), (long) outer * inner,
          new KernelArgs().ptr(r(ctx, x)).i32(outer).i32(size).i32(inner).bool(log).ptr(w(ctx, out)));
    }
  }

  @Override
  public void softmaxBackward(View gradOut, View out, SoftmaxShape sh, Buffer gradIn) {
    final int outer = sh.outer();
    final int size = sh.size();
    final int inner = sh.inner();
    final boolean log = sh.log();
    ThreadContext ctx = be.ctx(gradIn);
    if (inner == 1) {
      be.launchRows(ctx, "softmax_bwd_rows_" + sfx(out), outer, CudaBackend.blockFor(size),
          new KernelArgs().ptr(r(ctx, gradOut)).ptr(r(ctx, out)).i32(outer).i32(size).bool(log)
              .ptr(w(ctx, gradIn)));
    } else {
      be.launchN(ctx, "softmax_bwd_cols_" + sfx(out), (long) outer * inner,
          new KernelArgs().ptr(r(ctx, gradOut)).ptr(r(ctx, out)).i32(outer).i32(size).i32(inner).bool(log)
              .ptr(w(ctx, gradIn)));
    }
  }

  // ------------------------------------------------------------------ losses

  @Override
  public void nllLoss(
      View input, View target, View weight, NllShape sh, Buffer loss, Buffer weights) {
    final int n = sh.n();
    final int c = sh.c();
    final int spatial = sh.spatial();
    final long ignoreIndex = sh.ignoreIndex();
    ThreadContext ctx = be.ctx(loss);
    long err = CudaBackend.expectErrors(ctx);
    be.launchN(ctx, "nll_fwd_" + sfx(input), (long) n * spatial,
        new KernelArgs().ptr(r(ctx, input)).ptr(r(ctx, target)).ptr(r(ctx, weight)).i32(n).i32(c).i32(spatial)
            .i64(ignoreIndex).ptr(w(ctx, loss)).ptr(w(ctx, weights)).ptr(err));
  }

  @Override
  public void nllLossBackward(
      View gradLoss, View target, View weight, NllShape sh, double scale, Buffer gradIn) {
    final int n = sh.n();
    final int c = sh.c();
    final int spatial = sh.spatial();
    final long ignoreIndex = sh.ignoreIndex();
    ThreadContext ctx = be.ctx(gradIn);
    be.launchN(ctx, "nll_bwd_" + sfx(gradLoss), (long) n * spatial,
        new KernelArgs().ptr(r(ctx, gradLoss)).bool(gradLoss.numel() == 1).ptr(r(ctx, target))
            .ptr(r(ctx, weight)).i32(n).i32(c).i32(spatial).i64(ignoreIndex).f64(scale).ptr(w(ctx, gradIn)));
  }

  @Override
  public void crossEntropyBackward(
      View gradLoss, View logProbs, View target, View weight, NllShape sh, double scale,
      Buffer gradIn) {
    final int n = sh.n();
    final int c = sh.c();
    final int spatial = sh.spatial();
    final long ignoreIndex = sh.ignoreIndex();
    ThreadContext ctx = be.ctx(gradIn);
    be.launchN(ctx, "cross_entropy_bwd_" + sfx(logProbs), (long) n * c * spatial,
        new KernelArgs().ptr(r(ctx, gradLoss)).bool(gradLoss.numel() == 1).ptr(r(ctx, logProbs))
            .ptr(r(ctx, target)).ptr(r(ctx, weight)).i32(n).i32(c).i32(spatial).i64(ignoreIndex).f64(scale)
            .ptr(w(ctx, gradIn)));
  }
}
