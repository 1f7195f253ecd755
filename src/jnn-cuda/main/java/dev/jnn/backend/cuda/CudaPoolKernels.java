package dev.jnn.backend.cuda;

import dev.jnn.backend.AdaptivePool3dGeometry;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.Pool3dGeometry;
import dev.jnn.backend.PoolKernels;
import dev.jnn.backend.View;

/**
 * Issue 20's part of {@link PoolKernels} on CUDA, the superclass of {@link CudaNnKernels}: 3-D
 * max and average pooling and adaptive max and average pooling over volumes, one grid-stride
 * launch each of jnn's kernels ({@code native-kernels/pool.cuh}), which follow the CPU back end's
 * {@code CpuPoolNd}. The max poolings' backward is {@link PoolKernels#indexedPoolBackward}. Every
 * device address goes through {@link CudaBackend#in} / {@link CudaBackend#out} so the streams stay
 * ordered.
 */
abstract class CudaPoolKernels implements PoolKernels {
  private final CudaBackend be;

  CudaPoolKernels(CudaBackend be) {
    this.be = be;
  }

  private static String sfx(View v) {
    return CudaBackend.suffix(v.buffer().dtype());
  }

  private static long r(ThreadContext c, View v) {
    return CudaBackend.in(c, v);
  }

  private static long w(ThreadContext c, Buffer b) {
    return CudaBackend.out(c, b);
  }

  private static int[] geo(Pool3dGeometry g) {
    return new int[] {
      g.planes(), g.d(), g.h(), g.w(), g.kd(), g.kh(), g.kw(), g.strideD(), g.strideH(),
      g.strideW(), g.padD(), g.padH(), g.padW(), g.dilationD(), g.dilationH(), g.dilationW(),
      g.od(), g.oh(), g.ow()
    };
  }

  private static int[] geo(AdaptivePool3dGeometry g) {
    return new int[] {g.planes(), g.d(), g.h(), g.w(), g.od(), g.oh(), g.ow()};
  }

  private static long cells(Pool3dGeometry g) {
    return (long) g.planes() * g.od() * g.oh() * g.ow();
  }

  private static long cells(AdaptivePool3dGeometry g) {
    return (long) g.planes() * g.od() * g.oh() * g.ow();
  }

  @Override
  public void maxPool3d(View x, Buffer out, Buffer indices, Pool3dGeometry g) {
    ThreadContext c = be.ctx(out);
    be.launchN(c, "maxpool3d_fwd_" + sfx(x), cells(g),
        new KernelArgs().struct(geo(g)).ptr(r(c, x)).ptr(w(c, out)).ptr(w(c, indices)));
  }

  @Override
  public void avgPool3d(
      View x, Buffer out, Pool3dGeometry g, boolean countIncludePad, int divisorOverride) {
    ThreadContext c = be.ctx(out);
    be.launchN(c, "avgpool3d_fwd_" + sfx(x), cells(g),
        new KernelArgs().struct(geo(g)).ptr(r(c, x)).ptr(w(c, out)).bool(countIncludePad)
            .i32(divisorOverride));
  }

  @Override
  public void avgPool3dBackward(
      View gradOut, Buffer gradIn, Pool3dGeometry g, boolean countIncludePad, int divisorOverride) {
    ThreadContext c = be.ctx(gradIn);
    be.launchN(c, "avgpool3d_bwd_" + sfx(gradOut), cells(g),
        new KernelArgs().struct(geo(g)).ptr(r(c, gradOut)).ptr(w(c, gradIn))
            .bool(countIncludePad).i32(divisorOverride));
  }

  @Override
  public void adaptiveMaxPool3d(View x, Buffer out, Buffer indices, AdaptivePool3dGeometry g) {
    ThreadContext c = be.ctx(out);
    be.launchN(c, "adaptive_maxpool3d_fwd_" + sfx(x), cells(g),
        new KernelArgs().struct(geo(g)).ptr(r(c, x)).ptr(w(c, out)).ptr(w(c, indices)));
  }

  @Override
  public void adaptiveAvgPool3d(View x, Buffer out, AdaptivePool3dGeometry g) {
    ThreadContext c = be.ctx(out);
    be.launchN(c, "adaptive_avgpool3d_fwd_" + sfx(x), cells(g),
        new KernelArgs().struct(geo(g)).ptr(r(c, x)).ptr(w(c, out)));
  }

  @Override
  public void adaptiveAvgPool3dBackward(View gradOut, Buffer gradIn, AdaptivePool3dGeometry g) {
    ThreadContext c = be.ctx(gradIn);
    be.launchN(c, "adaptive_avgpool3d_bwd_" + sfx(gradOut), cells(g),
        new KernelArgs().struct(geo(g)).ptr(r(c, gradOut)).ptr(w(c, gradIn)));
  }
}
