package dev.jnn.backend.cuda;

import dev.jnn.backend.Backends;
import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.ConvKernels;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Dnn} for the emulator: the CPU back end's convolution on copies of the device memory.
 * Checks that the geometry reaching cuDNN is symmetric, as the real cuDNN path requires. The
 * call's {@link ConvMode} is honoured and recorded ({@link #last}): with {@code tf32} the float32
 * operands are rounded to TF32 first, as tensor cores read them; with {@code benchmark} (Find) the
 * convolutions run a different algorithm, {@link #direct}, as a timed choice would on a GPU. Like
 * cuDNN, each call is queued on the handle's stream (the context's) and runs when the emulated
 * device gets to it, with its reads and writes seen by the emulator's racecheck.
 */
final class EmuDnn implements Dnn {
  private final EmuDeviceApi api;
  private final ConvKernels cpu = Backends.cpu().conv();

  /** What one call received: its mode and its device addresses (operands first, result last). */
  record Seen(ConvMode mode, long... addresses) {}

  /** The last call of each operation ("forward", "backwardData", "backwardFilter", "backwardBias"). */
  final Map<String, Seen> last = new ConcurrentHashMap<>();

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

  /** Rounds float32 operands to TF32 in place when the mode allows TF32. */
  private static void tf32(ConvMode mode, HostBuffer... operands) {
    for (HostBuffer h : operands) {
      if (mode.tf32() && h.dtype() == DType.FLOAT32) {
        float[] f = h.floats();
        for (int i = 0; i < f.length; i++) {
          f[i] = EmuBlas.tf32(f[i]);
        }
      }
    }
  }

  private static double[] doubles(HostBuffer h) {
    double[] d = new double[(int) h.numel()];
    for (int i = 0; i < d.length; i++) {
      d[i] = h.getDouble(i);
    }
    return d;
  }

  private static void store(double[] d, HostBuffer h) {
    for (int i = 0; i < d.length; i++) {
      h.setDouble(i, d[i]);
    }
  }

  /**
   * The emulated Find's algorithm: a direct convolution, tap by tap, summed in double (the
   * heuristic path runs the CPU back end's im2col + GEMM). {@code op} 0: forward ({@code y} from
   * {@code x}, {@code w}); 1: backward data ({@code x} from {@code y}, {@code w}); 2: backward
   * filter ({@code w} from {@code x}, {@code y}). The result array is zero on entry.
   */
  static void direct(int op, Conv2dGeometry g, HostBuffer hx, HostBuffer hw, HostBuffer hy) {
    double[] x = doubles(hx);
    double[] w = doubles(hw);
    double[] y = doubles(hy);
    int cpg = g.cPerGroup();
    int opg = g.ocPerGroup();
    for (int n = 0; n < g.n(); n++) {
      for (int o = 0; o < g.oc(); o++) {
        int c0 = o / opg * cpg;
        for (int oy = 0; oy < g.oh(); oy++) {
          for (int ox = 0; ox < g.ow(); ox++) {
            int yi = ((n * g.oc() + o) * g.oh() + oy) * g.ow() + ox;
            for (int ci = 0; ci < cpg; ci++) {
              for (int i = 0; i < g.kh(); i++) {
                int iy = oy * g.strideH() - g.padTop() + i * g.dilationH();
                for (int j = 0; j < g.kw(); j++) {
                  int ix = ox * g.strideW() - g.padLeft() + j * g.dilationW();
                  if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
                    continue;
                  }
                  int xi = ((n * g.c() + c0 + ci) * g.h() + iy) * g.w() + ix;
                  int wi = ((o * cpg + ci) * g.kh() + i) * g.kw() + j;
                  switch (op) {
                    case 0 -> y[yi] += x[xi] * w[wi];
                    case 1 -> x[xi] += y[yi] * w[wi];
                    default -> w[wi] += x[xi] * y[yi];
                  }
                }
              }
            }
          }
        }
      }
    }
    store(op == 0 ? y : op == 1 ? x : w, op == 0 ? hy : op == 1 ? hx : hw);
  }

  @Override
  public void convForward(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long x, long w, long y) {
    last.put("forward", new Seen(mode, x, w, y));
    checkSymmetric(g);
    queue(ctx, "cudnnConvolutionForward", new long[] {x, w}, y, () -> {
      HostBuffer hx = read(dt, x, (long) g.n() * g.c() * g.h() * g.w());
      HostBuffer hw = read(dt, w, (long) g.oc() * g.cPerGroup() * g.kh() * g.kw());
      HostBuffer hy = HostBuffer.allocate(dt, (long) g.n() * g.oc() * g.oh() * g.ow());
      tf32(mode, hx, hw);
      if (mode.benchmark()) {
        direct(0, g, hx, hw, hy);
      } else {
        cpu.conv2d(v(hx, g.n(), g.c(), g.h(), g.w()), v(hw, g.oc(), g.cPerGroup(), g.kh(), g.kw()), null, hy, g);
      }
      write(hy, y);
    });
  }

  @Override
  public void convBackwardData(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long w, long dy, long dx) {
    last.put("backwardData", new Seen(mode, w, dy, dx));
    checkSymmetric(g);
    queue(ctx, "cudnnConvolutionBackwardData", new long[] {w, dy}, dx, () -> {
      HostBuffer hw = read(dt, w, (long) g.oc() * g.cPerGroup() * g.kh() * g.kw());
      HostBuffer hdy = read(dt, dy, (long) g.n() * g.oc() * g.oh() * g.ow());
      HostBuffer hdx = HostBuffer.allocate(dt, (long) g.n() * g.c() * g.h() * g.w());
      tf32(mode, hw, hdy);
      if (mode.benchmark()) {
        direct(1, g, hdx, hw, hdy);
      } else {
        cpu.conv2dBackwardData(v(hdy, g.n(), g.oc(), g.oh(), g.ow()), v(hw, g.oc(), g.cPerGroup(), g.kh(), g.kw()), hdx, g);
      }
      write(hdx, dx);
    });
  }

  @Override
  public void convBackwardFilter(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long x, long dy, long dw) {
    last.put("backwardFilter", new Seen(mode, x, dy, dw));
    checkSymmetric(g);
    queue(ctx, "cudnnConvolutionBackwardFilter", new long[] {x, dy}, dw, () -> {
      HostBuffer hx = read(dt, x, (long) g.n() * g.c() * g.h() * g.w());
      HostBuffer hdy = read(dt, dy, (long) g.n() * g.oc() * g.oh() * g.ow());
      HostBuffer hdw = HostBuffer.allocate(dt, (long) g.oc() * g.cPerGroup() * g.kh() * g.kw());
      tf32(mode, hx, hdy);
      if (mode.benchmark()) {
        direct(2, g, hx, hdw, hdy);
      } else {
        cpu.conv2dBackwardFilter(v(hdy, g.n(), g.oc(), g.oh(), g.ow()), v(hx, g.n(), g.c(), g.h(), g.w()), hdw, g);
      }
      write(hdw, dw);
    });
  }

  @Override
  public void convBackwardBias(
      ThreadContext ctx, DType dt, ConvMode mode, Conv2dGeometry g, long dy, long db) {
    last.put("backwardBias", new Seen(mode, dy, db));
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
