package dev.jnn.backend.cuda;

import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.View;
import dev.jnn.backend.cpu.CpuNnKernels;
import dev.jnn.core.DType;

/**
 * {@link Dnn} for the emulator: the CPU back end's convolution on copies of the device memory.
 * Checks that the geometry reaching cuDNN is symmetric, as the real cuDNN path requires. Like
 * cuDNN, each call is queued on the handle's stream (the context's) and runs when the emulated
 * device gets to it, with its reads and writes seen by the emulator's racecheck.
 */
final class EmuDnn implements Dnn {
  private final EmuDeviceApi api;
  private final CpuNnKernels cpu = new CpuNnKernels();

  EmuDnn(EmuDeviceApi api) {
    this.api = api;
  }

  private static HostBuffer read(DType dt, long addr, long n) {
    HostBuffer h = HostBuffer.allocate(dt, n);
    EmuNative.copyToHost(h.array(), addr, n * dt.byteSize());
    return h;
  }

  private static void write(HostBuffer h, long addr) {
    EmuNative.copyToDevice(addr, h.array(), h.numel() * h.dtype().byteSize());
  }

  private void queue(ThreadContext ctx, String label, long[] reads, long written, Runnable body) {
    api.enqueueLibraryCall(ctx.stream, label, reads, new long[] {written}, body);
  }

  private static void checkSymmetric(Conv2dGeometry g) {
    if (!CudaNnKernels.symmetric(g)) {
      throw new IllegalStateException("asymmetric geometry reached cuDNN: " + g);
    }
  }

  private static View v(HostBuffer h, int... shape) {
    return View.contiguous(h, shape);
  }

  @Override
  public void convForward(ThreadContext ctx, DType dt, Conv2dGeometry g, long x, long w, long y) {
    checkSymmetric(g);
    queue(ctx, "cudnnConvolutionForward", new long[] {x, w}, y, () -> {
      HostBuffer hx = read(dt, x, (long) g.n() * g.c() * g.h() * g.w());
      HostBuffer hw = read(dt, w, (long) g.oc() * g.cPerGroup() * g.kh() * g.kw());
      HostBuffer hy = HostBuffer.allocate(dt, (long) g.n() * g.oc() * g.oh() * g.ow());
      cpu.conv2d(v(hx, g.n(), g.c(), g.h(), g.w()), v(hw, g.oc(), g.cPerGroup(), g.kh(), g.kw()), null, hy, g);
      write(hy, y);
    });
  }

  @Override
  public void convBackwardData(ThreadContext ctx, DType dt, Conv2dGeometry g, long w, long dy, long dx) {
    checkSymmetric(g);
    queue(ctx, "cudnnConvolutionBackwardData", new long[] {w, dy}, dx, () -> {
      HostBuffer hw = read(dt, w, (long) g.oc() * g.cPerGroup() * g.kh() * g.kw());
      HostBuffer hdy = read(dt, dy, (long) g.n() * g.oc() * g.oh() * g.ow());
      HostBuffer hdx = HostBuffer.allocate(dt, (long) g.n() * g.c() * g.h() * g.w());
      cpu.conv2dBackwardData(v(hdy, g.n(), g.oc(), g.oh(), g.ow()), v(hw, g.oc(), g.cPerGroup(), g.kh(), g.kw()), hdx, g);
      write(hdx, dx);
    });
  }

  @Override
  public void convBackwardFilter(ThreadContext ctx, DType dt, Conv2dGeometry g, long x, long dy, long dw) {
    checkSymmetric(g);
    queue(ctx, "cudnnConvolutionBackwardFilter", new long[] {x, dy}, dw, () -> {
      HostBuffer hx = read(dt, x, (long) g.n() * g.c() * g.h() * g.w());
      HostBuffer hdy = read(dt, dy, (long) g.n() * g.oc() * g.oh() * g.ow());
      HostBuffer hdw = HostBuffer.allocate(dt, (long) g.oc() * g.cPerGroup() * g.kh() * g.kw());
      cpu.conv2dBackwardFilter(v(hdy, g.n(), g.oc(), g.oh(), g.ow()), v(hx, g.n(), g.c(), g.h(), g.w()), hdw, g);
      write(hdw, dw);
    });
  }

  @Override
  public void convBackwardBias(ThreadContext ctx, DType dt, Conv2dGeometry g, long dy, long db) {
    // real cuDNN builds a convolution plan here too: an asymmetric geometry fails on the GPU
    // (seen on the H200), so the emulation refuses it as well
    checkSymmetric(g);
    queue(ctx, "cudnnConvolutionBackwardBias", new long[] {dy}, db, () -> {
      HostBuffer hdy = read(dt, dy, (long) g.n() * g.oc() * g.oh() * g.ow());
      HostBuffer hdb = HostBuffer.allocate(dt, g.oc());
      cpu.conv2dBackwardBias(v(hdy, g.n(), g.oc(), g.oh(), g.ow()), hdb, g);
      write(hdb, db);
    });
  }

  @Override
  public String describe() {
    return "cuDNN emulated (CPU convolution)";
  }
}
