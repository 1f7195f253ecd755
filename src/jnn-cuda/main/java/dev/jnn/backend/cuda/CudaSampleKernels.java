package dev.jnn.backend.cuda;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.GridSampleSpec;
import dev.jnn.backend.SampleKernels;
import dev.jnn.backend.UpsampleSpec;
import dev.jnn.backend.View;

/**
 * The CUDA implementation of {@link SampleKernels}: jnn's kernels in {@code
 * native-kernels/sample.cuh}, one thread per output element, or per grid point for the grid
 * sampler's backward (the backwards add into the input gradient atomically), with the arithmetic
 * of {@code dev.jnn.backend.cpu.CpuSample} and {@code CpuGridSample}. Every
 * device address goes through {@link CudaBackend#in} / {@link CudaBackend#out} so the streams
 * stay ordered.
 */
final class CudaSampleKernels implements SampleKernels {
  private final CudaBackend be;

  CudaSampleKernels(CudaBackend be) {
    this.be = be;
  }

  private static String sfx(View v) {
    return CudaBackend.suffix(v.buffer().dtype());
  }

  private static KernelArgs geometry(UpsampleSpec s, long src, long dst) {
    return new KernelArgs().ptr(src).ptr(dst).i32(s.mode()).i32(s.planes())
        .i32(s.inD()).i32(s.inH()).i32(s.inW()).i32(s.outD()).i32(s.outH()).i32(s.outW())
        .f64(s.scaleD()).f64(s.scaleH()).f64(s.scaleW()).i32(s.alignCorners() ? 1 : 0);
  }

  @Override
  public void upsample(View x, Buffer out, UpsampleSpec s) {
    ThreadContext c = be.ctx(out);
    be.launchN(c, "upsample_fwd_" + sfx(x), s.outputNumel(),
        geometry(s, CudaBackend.in(c, x), CudaBackend.out(c, out)));
  }

  @Override
  public void upsampleBackward(View gradOut, Buffer gradIn, UpsampleSpec s) {
    ThreadContext c = be.ctx(gradIn);
    be.launchN(c, "upsample_bwd_" + sfx(gradOut), s.outputNumel(),
        geometry(s, CudaBackend.in(c, gradOut), CudaBackend.out(c, gradIn)));
  }

  @Override
  public void gridSample(View input, View grid, Buffer out, GridSampleSpec s) {
    ThreadContext c = be.ctx(out);
    be.launchN(c, "grid_sample" + s.dims() + "d_fwd_" + sfx(input), (long) s.c() * s.points(),
        new KernelArgs().ptr(CudaBackend.in(c, input)).ptr(CudaBackend.in(c, grid))
            .ptr(CudaBackend.out(c, out)).i32(s.mode()).i32(s.padding())
            .i32(s.alignCorners() ? 1 : 0).i32(s.n()).i32(s.c()).i32(s.inD()).i32(s.inH())
            .i32(s.inW()).i32(s.outD()).i32(s.outH()).i32(s.outW()));
  }

  @Override
  public void gridSampleBackward(
      View gradOut, View input, View grid, Buffer gradInput, Buffer gradGrid, GridSampleSpec s) {
    ThreadContext c = be.ctx(gradGrid);
    be.launchN(c, "grid_sample" + s.dims() + "d_bwd_" + sfx(gradOut), s.points(),
        new KernelArgs().ptr(CudaBackend.in(c, gradOut)).ptr(CudaBackend.in(c, input))
            .ptr(CudaBackend.in(c, grid)).ptr(CudaBackend.out(c, gradInput))
            .ptr(CudaBackend.out(c, gradGrid)).i32(s.mode()).i32(s.padding())
            .i32(s.alignCorners() ? 1 : 0).i32(s.n()).i32(s.c()).i32(s.inD()).i32(s.inH())
            .i32(s.inW()).i32(s.outD()).i32(s.outH()).i32(s.outW()));
  }
}
