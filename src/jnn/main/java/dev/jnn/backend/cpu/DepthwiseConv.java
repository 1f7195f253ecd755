package dev.jnn.backend.cpu;

import dev.jnn.backend.Conv2dGeometry;
import java.util.Arrays;

/**
 * A depthwise convolution (forward, input gradient, weight gradient) (one input channel per group, {@code groups == C}, any
 * channel multiplier, stride, padding and dilation), float32, computed directly: each output plane
 * is its bias plus, for each kernel position, the weight times a shifted (and, for stride > 1,
 * strided) window of its one input plane, a row at a time. The im2col + GEMM path computes the
 * same thing as one 1-row GEMM per channel (MobileNetV2's stride-2 depthwise layers), and the
 * implicit-GEMM kernels fill a 6-row register tile with one useful row; both spend most of their
 * time on copies and padding lanes for ~9 multiply-adds per output.
 */
final class DepthwiseConv {
  private DepthwiseConv() {}

  /** Whether {@code g} is a depthwise convolution (more than one group, one channel each). */
  static boolean applies(Conv2dGeometry g) {
    return g.groups() > 1 && g.groups() == g.c() && g.cPerGroup() == 1;
  }

  /**
   * {@code out[n, o] = bias[o] + sum over (kh, kw) of w[o, 0, kh, kw] * x[n, o / m, ...]} for the
   * channel multiplier {@code m = oc / c}; {@code out} is contiguous {@code [N, OC, OH, OW]}.
   */
  static void forward(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] out,
      Conv2dGeometry g) {
    if (FloatKernels.VECTOR) {
      // register-blocked over the kernel positions, each output written once (VectorDepthwise)
      VectorDepthwise.Layout l = new VectorDepthwise.Layout(g);
      forEachPlane(g, (p, buf) -> VectorDepthwise.plane(x, xo, w, wo, b, bo, out, g, l, p, buf),
          () -> VectorDepthwise.buffer(g, l));
    } else {
      forwardScalar(x, xo, w, wo, b, bo, out, g);
    }
  }

  /** {@link #forward} without the Vector API: the same operations in the same order. */
  static void forwardScalar(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] out,
      Conv2dGeometry g) {
    forEachPlane(g, (p, unused) -> plane(x, xo, w, wo, b, bo, out, g, p), () -> null);
  }

  /** A body over output planes with a per-range scratch buffer. */
  private interface PlaneBody {
    void run(int p, float[] scratch);
  }

  private static void forEachPlane(Conv2dGeometry g, PlaneBody body,
      java.util.function.Supplier<float[]> scratch) {
    int planes = g.n() * g.oc();
    int work = Math.max(1, g.oh() * g.ow() * g.kh() * g.kw());
    Parallel.parallelFor(planes, Math.max(1, (1 << 15) / work), (s, e) -> {
      float[] buf = scratch.get();
      for (int p = s; p < e; p++) {
        body.run(p, buf);
      }
    });
  }

  /**
   * The first output column {@code j} whose input column {@code j * sw + dx} is {@code >= 0}
   * ({@code dx}: the kernel column's offset, {@code kw * dilation - padLeft}).
   */
  private static int firstColumn(int dx, int sw) {
    return dx >= 0 ? 0 : (-dx + sw - 1) / sw;
  }

  /** The last output column ({@code < ow}) whose input column {@code j * sw + dx} is {@code < wid}. */
  private static int lastColumn(int dx, int sw, int wid, int ow) {
    return Math.min(ow - 1, Math.floorDiv(wid - 1 - dx, sw));
  }

  private static void plane(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] out,
      Conv2dGeometry g, int p) {
    int oc = g.oc();
    int n = p / oc;
    int o = p % oc;
    int c = o / g.ocPerGroup();
    int hgt = g.h();
    int wid = g.w();
    int oh = g.oh();
    int ow = g.ow();
    int sh = g.strideH();
    int sw = g.strideW();
    int xp = xo + (n * g.c() + c) * hgt * wid;
    int op = p * oh * ow;
    Arrays.fill(out, op, op + oh * ow, b == null ? 0f : b[bo + o]);
    for (int kh = 0; kh < g.kh(); kh++) {
      int dy = kh * g.dilationH() - g.padTop();
      for (int kw = 0; kw < g.kw(); kw++) {
        float wv = w[wo + (o * g.kh() + kh) * g.kw() + kw];
        int dx = kw * g.dilationW() - g.padLeft();
        int lo = firstColumn(dx, sw);
        int hi = lastColumn(dx, sw, wid, ow);
        if (lo > hi) {
          continue;
        }
        for (int r = 0; r < oh; r++) {
          int ih = r * sh + dy;
          if (ih < 0 || ih >= hgt) {
            continue;
          }
          int xrow = xp + ih * wid + dx;
          int orow = op + r * ow;
          if (sw == 1) {
            FloatKernels.fmaAxpy(wv, x, xrow + lo, out, orow + lo, hi - lo + 1);
          } else {
            for (int j = lo; j <= hi; j++) {
              out[orow + j] = Math.fma(wv, x[xrow + j * sw], out[orow + j]);
            }
          }
        }
      }
    }
  }

  /**
   * The input gradient of {@link #forward} into the zero-filled {@code gradIn} {@code [N, C, H, W]}:
   * each input plane gathers, from its {@code m} output planes, the gradient times the weight at
   * each kernel position, a row at a time (planes split over the threads: no two write one plane).
   */
  static void backwardData(float[] go, int goo, float[] w, int wo, float[] gradIn,
      Conv2dGeometry g) {
    int rh = (g.kh() - 1) * g.dilationH() - g.padTop();
    int rw = (g.kw() - 1) * g.dilationW() - g.padLeft();
    if (FloatKernels.VECTOR && g.ocPerGroup() == 1 && g.strideH() == 1 && g.strideW() == 1
        && rh >= 0 && rw >= 0) {
      // stride 1, one output channel per input channel: the input gradient is the depthwise
      // convolution of the output gradient with the flipped kernel and padding (k - 1) * d - p,
      // which the forward's vector planes compute
      int taps = g.kh() * g.kw();
      float[] flipped = new float[g.c() * taps];
      for (int c = 0; c < g.c(); c++) {
        for (int t = 0; t < taps; t++) {
          flipped[c * taps + t] = w[wo + c * taps + taps - 1 - t];
        }
      }
      Conv2dGeometry t = new Conv2dGeometry(g.n(), g.oc(), g.oh(), g.ow(), g.c(), g.kh(), g.kw(),
          1, 1, rh, rw, g.dilationH(), g.dilationW(), g.c(), g.h(), g.w());
      VectorDepthwise.Layout l = new VectorDepthwise.Layout(t);
      forEachPlane(t, (p, buf) -> VectorDepthwise.plane(go, goo, flipped, 0, null, 0, gradIn, t, l,
          p, buf), () -> VectorDepthwise.buffer(t, l));
      return;
    }
    backwardDataScalar(go, goo, w, wo, gradIn, g);
  }

  /** {@link #backwardData} without the Vector API (and for strides > 1, channel multipliers). */
  static void backwardDataScalar(float[] go, int goo, float[] w, int wo, float[] gradIn,
      Conv2dGeometry g) {
    int planes = g.n() * g.c();
    int work = Math.max(1, g.ocPerGroup() * g.oh() * g.ow() * g.kh() * g.kw());
    Parallel.parallelFor(planes, Math.max(1, (1 << 15) / work), (s, e) -> {
      for (int p = s; p < e; p++) {
        int n = p / g.c();
        int c = p % g.c();
        for (int o = c * g.ocPerGroup(); o < (c + 1) * g.ocPerGroup(); o++) {
          planeBackwardData(go, goo + (n * g.oc() + o) * g.oh() * g.ow(), w, wo, o, gradIn,
              p * g.h() * g.w(), g);
        }
      }
    });
  }

  private static void planeBackwardData(float[] go, int gop, float[] w, int wo, int o,
      float[] gradIn, int gip, Conv2dGeometry g) {
    int wid = g.w();
    int ow = g.ow();
    int sw = g.strideW();
    for (int kh = 0; kh < g.kh(); kh++) {
      int dy = kh * g.dilationH() - g.padTop();
      for (int kw = 0; kw < g.kw(); kw++) {
        float wv = w[wo + (o * g.kh() + kh) * g.kw() + kw];
        int dx = kw * g.dilationW() - g.padLeft();
        int lo = firstColumn(dx, sw);
        int hi = lastColumn(dx, sw, wid, ow);
        if (lo > hi) {
          continue;
        }
        for (int r = 0; r < g.oh(); r++) {
          int ih = r * g.strideH() + dy;
          if (ih < 0 || ih >= g.h()) {
            continue;
          }
          int irow = gip + ih * wid + dx;
          int grow = gop + r * ow;
          if (sw == 1) {
            FloatKernels.fmaAxpy(wv, go, grow + lo, gradIn, irow + lo, hi - lo + 1);
          } else {
            for (int j = lo; j <= hi; j++) {
              gradIn[irow + j * sw] = Math.fma(wv, go[grow + j], gradIn[irow + j * sw]);
            }
          }
        }
      }
    }
  }

  /**
   * The weight gradient of {@link #forward} into the zero-filled {@code gradWeight} {@code [OC, 1,
   * KH, KW]}: for each output channel and kernel position, the sum over the batch and the output
   * rows of the gradient row times the shifted input row (output channels split over the threads),
   * accumulated in float64.
   */
  static void backwardFilter(float[] go, int goo, float[] x, int xo, float[] gradWeight,
      Conv2dGeometry g) {
    if (FloatKernels.VECTOR && g.ow() >= CpuFeatures.preferredFloatLanes()) {
      // (rows narrower than a vector: the scalar rows are faster)
      VectorDepthwise.Layout l = new VectorDepthwise.Layout(g);
      Parallel.parallelFor(g.oc(), filterGrain(g), (s, e) -> {
        double[] sums = new double[g.kh() * g.kw()];
        float[] buf = VectorDepthwise.buffer(g, l);
        for (int o = s; o < e; o++) {
          VectorDepthwise.filterChannel(go, goo, x, xo, gradWeight, g, l, o, sums, buf);
        }
      });
      return;
    }
    backwardFilterScalar(go, goo, x, xo, gradWeight, g);
  }

  /** Output channels per thread's share of the weight gradient (~32K multiply-adds). */
  private static int filterGrain(Conv2dGeometry g) {
    int work = Math.max(1, g.n() * g.oh() * g.ow() * g.kh() * g.kw());
    return Math.max(1, (1 << 15) / work);
  }

  /** {@link #backwardFilter} without the Vector API. */
  static void backwardFilterScalar(float[] go, int goo, float[] x, int xo, float[] gradWeight,
      Conv2dGeometry g) {
    Parallel.parallelFor(g.oc(), filterGrain(g), (s, e) -> {
      for (int o = s; o < e; o++) {
        int c = o / g.ocPerGroup();
        for (int kh = 0; kh < g.kh(); kh++) {
          for (int kw = 0; kw < g.kw(); kw++) {
            gradWeight[(o * g.kh() + kh) * g.kw() + kw] +=
                (float) filterTap(go, goo, x, xo, g, o, c, kh, kw);
          }
        }
      }
    });
  }

  private static double filterTap(float[] go, int goo, float[] x, int xo, Conv2dGeometry g,
      int o, int c, int kh, int kw) {
    int wid = g.w();
    int ow = g.ow();
    int sw = g.strideW();
    int dy = kh * g.dilationH() - g.padTop();
    int dx = kw * g.dilationW() - g.padLeft();
    int lo = firstColumn(dx, sw);
    int hi = lastColumn(dx, sw, wid, ow);
    double sum = 0;
    if (lo > hi) {
      return 0;
    }
    for (int n = 0; n < g.n(); n++) {
      int gop = goo + (n * g.oc() + o) * g.oh() * ow;
      int xp = xo + (n * g.c() + c) * g.h() * wid;
      for (int r = 0; r < g.oh(); r++) {
        int ih = r * g.strideH() + dy;
        if (ih < 0 || ih >= g.h()) {
          continue;
        }
        int grow = gop + r * ow;
        int xrow = xp + ih * wid + dx;
        float acc = 0f;
        if (sw == 1) {
          acc = FloatKernels.dot(go, grow + lo, x, xrow + lo, hi - lo + 1);
        } else {
          for (int j = lo; j <= hi; j++) {
            acc = Math.fma(go[grow + j], x[xrow + j * sw], acc);
          }
        }
        sum += acc;
      }
    }
    return sum;
  }
}
