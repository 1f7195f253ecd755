package dev.jnn.backend.cpu;

import static dev.jnn.backend.GridSampleSpec.BICUBIC;
import static dev.jnn.backend.GridSampleSpec.BILINEAR;
import static dev.jnn.backend.GridSampleSpec.BORDER;
import static dev.jnn.backend.GridSampleSpec.REFLECTION;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.GridSampleSpec;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/**
 * The CPU grid samplers of {@link CpuSample}: ATen's {@code grid_sampler_2d} CPU fallback, {@code
 * grid_sampler_3d} (trilinear and nearest) and their backward ({@code
 * aten/src/ATen/native/GridSampler.h}: unnormalise, clip or reflect, the bilinear corner weights,
 * {@code nearbyint} for nearest, the cubic convolution with padding per tap), in double for both
 * element types; parallel over the batch, whose input-gradient planes do not overlap. The same
 * arithmetic is {@code native-kernels/sample.cuh}.
 */
final class CpuGridSample {
  private CpuGridSample() {}

  /** Element access over float32 or float64 storage. */
  private record Data(float[] f, double[] d, int off) {
    static Data of(View v) {
      HostBuffer b = (HostBuffer) v.buffer();
      return v.buffer().dtype() == DType.FLOAT32
          ? new Data(b.floats(), null, v.offset())
          : new Data(null, b.doubles(), v.offset());
    }

    static Data of(Buffer buf) {
      if (buf == null) {
        return null;
      }
      HostBuffer b = (HostBuffer) buf;
      return b.dtype() == DType.FLOAT32 ? new Data(b.floats(), null, 0)
          : new Data(null, b.doubles(), 0);
    }

    double get(long i) {
      return f != null ? f[off + (int) i] : d[off + (int) i];
    }

    void set(long i, double v) {
      if (f != null) {
        f[off + (int) i] = (float) v;
      } else {
        d[off + (int) i] = v;
      }
    }

    void add(long i, double v) {
      if (f != null) {
        f[off + (int) i] += (float) v;
      } else {
        d[off + (int) i] += v;
      }
    }
  }

  static double unnormalize(double coord, int size, boolean align) {
    return align ? (coord + 1) / 2 * (size - 1) : ((coord + 1) * size - 1) / 2;
  }

  private static double clip(double in, int limit) {
    return Math.min(limit - 1, Math.max(in, 0));
  }

  private static double reflect(double in, int twiceLow, int twiceHigh) {
    if (twiceLow == twiceHigh) {
      return 0;
    }
    double min = twiceLow / 2.0;
    double span = (twiceHigh - twiceLow) / 2.0;
    in = Math.abs(in - min);
    double extra = in % span;
    int flips = (int) Math.floor(in / span);
    return flips % 2 == 0 ? extra + min : span - extra + min;
  }

  static double computeCoordinates(double coord, int size, int padding, boolean align) {
    if (padding == BORDER) {
      coord = clip(coord, size);
    } else if (padding == REFLECTION) {
      coord = align ? reflect(coord, 0, 2 * (size - 1)) : reflect(coord, -1, 2 * size - 1);
      coord = clip(coord, size);
    }
    return coord;
  }

  /** The source index and, in {@code mult[0]}, its derivative by the grid coordinate. */
  static double sourceIndexWithGrad(
      double coord, int size, int padding, boolean align, double[] mult) {
    double g = align ? (size - 1) / 2.0 : size / 2.0;
    coord = unnormalize(coord, size, align);
    if (padding == BORDER) {
      double[] gc = new double[1];
      coord = clipWithGrad(coord, size, gc);
      g *= gc[0];
    } else if (padding == REFLECTION) {
      double[] gr = new double[1];
      double[] gc = new double[1];
      coord = align ? reflectWithGrad(coord, 0, 2 * (size - 1), gr)
          : reflectWithGrad(coord, -1, 2 * size - 1, gr);
      coord = clipWithGrad(coord, size, gc);
      g *= gr[0] * gc[0];
    }
    mult[0] = g;
    return coord;
  }

  private static double clipWithGrad(double in, int limit, double[] grad) {
    if (in <= 0) {
      grad[0] = 0;
      return 0;
    }
    double max = limit - 1;
    if (in >= max) {
      grad[0] = 0;
      return max;
    }
    grad[0] = 1;
    return in;
  }

  private static double reflectWithGrad(double in, int twiceLow, int twiceHigh, double[] grad) {
    if (twiceLow == twiceHigh) {
      grad[0] = 0;
      return 0;
    }
    double min = twiceLow / 2.0;
    double span = (twiceHigh - twiceLow) / 2.0;
    in = in - min;
    int mult = 1;
    if (in < 0) {
      mult = -1;
      in = -in;
    }
    double extra = in % span;
    int flips = (int) Math.floor(in / span);
    if (flips % 2 == 0) {
      grad[0] = mult;
      return extra + min;
    }
    grad[0] = -mult;
    return span - extra + min;
  }

  private static boolean inBounds(long y, long x, int h, int w) {
    return y >= 0 && y < h && x >= 0 && x < w;
  }

  static void cubicCoefficients(double[] c, double t) {
    double a = -0.75;
    double x1 = t;
    c[0] = ((a * (x1 + 1) - 5 * a) * (x1 + 1) + 8 * a) * (x1 + 1) - 4 * a;
    c[1] = ((a + 2) * x1 - (a + 3)) * x1 * x1 + 1;
    double x2 = 1 - t;
    c[2] = ((a + 2) * x2 - (a + 3)) * x2 * x2 + 1;
    c[3] = ((a * (x2 + 1) - 5 * a) * (x2 + 1) + 8 * a) * (x2 + 1) - 4 * a;
  }

  static void cubicCoefficientsGrad(double[] c, double t) {
    double a = -0.75;
    double x = -1 - t;
    c[0] = (-3 * a * x - 10 * a) * x - 8 * a;
    x = -t;
    c[1] = (-3 * (a + 2) * x - 2 * (a + 3)) * x;
    x = 1 - t;
    c[2] = (3 * (a + 2) * x - 2 * (a + 3)) * x;
    x = 2 - t;
    c[3] = (3 * a * x - 10 * a) * x + 8 * a;
  }

  /** {@code get_value_bounded} / {@code add_value_bounded}'s index, or -1 out of bounds. */
  private static long boundedIndex(double x, double y, GridSampleSpec s) {
    x = computeCoordinates(x, s.inW(), s.padding(), s.alignCorners());
    y = computeCoordinates(y, s.inH(), s.padding(), s.alignCorners());
    long ix = (long) x;
    long iy = (long) y;
    return inBounds(iy, ix, s.inH(), s.inW()) ? iy * s.inW() + ix : -1;
  }

  static void forward(View input, View grid, Buffer out, GridSampleSpec s) {
    Data in = Data.of(input);
    Data gr = Data.of(grid);
    Data o = Data.of(out);
    int h = s.inH();
    int w = s.inW();
    long plane = (long) h * w;
    long oplane = (long) s.outH() * s.outW();
    Parallel.parallelFor(s.n(), 1, (n0, n1) -> {
      double[] cx = new double[4];
      double[] cy = new double[4];
      for (int n = n0; n < n1; n++) {
        for (long p = 0; p < oplane; p++) {
          long gi = ((long) n * oplane + p) * 2;
          double x = gr.get(gi);
          double y = gr.get(gi + 1);
          for (int c = 0; c < s.c(); c++) {
            long base = ((long) n * s.c() + c) * plane;
            long oi = ((long) n * s.c() + c) * oplane + p;
            o.set(oi, sample(in, base, x, y, s, cx, cy));
          }
        }
      }
    });
  }

  private static double sample(
      Data in, long base, double x, double y, GridSampleSpec s, double[] cx, double[] cy) {
    int h = s.inH();
    int w = s.inW();
    if (s.mode() == BICUBIC) {
      double ix = unnormalize(x, w, s.alignCorners());
      double iy = unnormalize(y, h, s.alignCorners());
      double fx = Math.floor(ix);
      double fy = Math.floor(iy);
      cubicCoefficients(cx, ix - fx);
      cubicCoefficients(cy, iy - fy);
      double sum = 0;
      for (int i = 0; i < 4; i++) {
        double row = 0;
        for (int j = 0; j < 4; j++) {
          long k = boundedIndex(fx - 1 + j, fy - 1 + i, s);
          row += cx[j] * (k < 0 ? 0 : in.get(base + k));
        }
        sum += cy[i] * row;
      }
      return sum;
    }
    double ix = computeCoordinates(unnormalize(x, w, s.alignCorners()), w, s.padding(),
        s.alignCorners());
    double iy = computeCoordinates(unnormalize(y, h, s.alignCorners()), h, s.padding(),
        s.alignCorners());
    if (s.mode() == BILINEAR) {
      long x0 = (long) Math.floor(ix);
      long y0 = (long) Math.floor(iy);
      double nw = (x0 + 1 - ix) * (y0 + 1 - iy);
      double ne = (ix - x0) * (y0 + 1 - iy);
      double sw = (x0 + 1 - ix) * (iy - y0);
      double se = (ix - x0) * (iy - y0);
      double v = 0;
      if (inBounds(y0, x0, h, w)) {
        v += in.get(base + y0 * w + x0) * nw;
      }
      if (inBounds(y0, x0 + 1, h, w)) {
        v += in.get(base + y0 * w + x0 + 1) * ne;
      }
      if (inBounds(y0 + 1, x0, h, w)) {
        v += in.get(base + (y0 + 1) * w + x0) * sw;
      }
      if (inBounds(y0 + 1, x0 + 1, h, w)) {
        v += in.get(base + (y0 + 1) * w + x0 + 1) * se;
      }
      return v;
    }
    long xn = (long) Math.rint(ix);
    long yn = (long) Math.rint(iy);
    return inBounds(yn, xn, h, w) ? in.get(base + yn * w + xn) : 0;
  }

  static void backward(
      View gradOut, View input, View grid, Buffer gradInput, Buffer gradGrid, GridSampleSpec s) {
    Data go = Data.of(gradOut);
    Data in = Data.of(input);
    Data gr = Data.of(grid);
    Data gin = Data.of(gradInput);
    Data gg = Data.of(gradGrid);
    int h = s.inH();
    int w = s.inW();
    long plane = (long) h * w;
    long oplane = (long) s.outH() * s.outW();
    boolean align = s.alignCorners();
    Parallel.parallelFor(s.n(), 1, (n0, n1) -> {
      double[] mx = new double[1];
      double[] my = new double[1];
      double[] cx = new double[4];
      double[] cy = new double[4];
      double[] dx = new double[4];
      double[] dy = new double[4];
      for (int n = n0; n < n1; n++) {
        for (long p = 0; p < oplane; p++) {
          long gi = ((long) n * oplane + p) * 2;
          double x = gr.get(gi);
          double y = gr.get(gi + 1);
          double gix = 0;
          double giy = 0;
          if (s.mode() == BICUBIC) {
            mx[0] = align ? (w - 1) / 2.0 : w / 2.0;
            my[0] = align ? (h - 1) / 2.0 : h / 2.0;
            double ix = unnormalize(x, w, align);
            double iy = unnormalize(y, h, align);
            double fx = Math.floor(ix);
            double fy = Math.floor(iy);
            cubicCoefficients(cx, ix - fx);
            cubicCoefficients(cy, iy - fy);
            cubicCoefficientsGrad(dx, ix - fx);
            cubicCoefficientsGrad(dy, iy - fy);
            for (int c = 0; c < s.c(); c++) {
              long base = ((long) n * s.c() + c) * plane;
              double g = go.get(((long) n * s.c() + c) * oplane + p);
              for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                  long k = boundedIndex(fx - 1 + i, fy - 1 + j, s);
                  if (k >= 0) {
                    if (gin != null) {
                      gin.add(base + k, g * cx[i] * cy[j]);
                    }
                    double v = in.get(base + k);
                    gix -= v * dx[i] * cy[j] * g;
                    giy -= v * dy[j] * cx[i] * g;
                  }
                }
              }
            }
          } else {
            double ix = sourceIndexWithGrad(x, w, s.padding(), align, mx);
            double iy = sourceIndexWithGrad(y, h, s.padding(), align, my);
            if (s.mode() == BILINEAR) {
              long x0 = (long) Math.floor(ix);
              long y0 = (long) Math.floor(iy);
              double nw = (x0 + 1 - ix) * (y0 + 1 - iy);
              double ne = (ix - x0) * (y0 + 1 - iy);
              double sw = (x0 + 1 - ix) * (iy - y0);
              double se = (ix - x0) * (iy - y0);
              for (int c = 0; c < s.c(); c++) {
                long base = ((long) n * s.c() + c) * plane;
                double g = go.get(((long) n * s.c() + c) * oplane + p);
                if (inBounds(y0, x0, h, w)) {
                  long k = base + y0 * w + x0;
                  if (gin != null) {
                    gin.add(k, nw * g);
                  }
                  double v = in.get(k);
                  gix -= v * (y0 + 1 - iy) * g;
                  giy -= v * (x0 + 1 - ix) * g;
                }
                if (inBounds(y0, x0 + 1, h, w)) {
                  long k = base + y0 * w + x0 + 1;
                  if (gin != null) {
                    gin.add(k, ne * g);
                  }
                  double v = in.get(k);
                  gix += v * (y0 + 1 - iy) * g;
                  giy -= v * (ix - x0) * g;
                }
                if (inBounds(y0 + 1, x0, h, w)) {
                  long k = base + (y0 + 1) * w + x0;
                  if (gin != null) {
                    gin.add(k, sw * g);
                  }
                  double v = in.get(k);
                  gix -= v * (iy - y0) * g;
                  giy += v * (x0 + 1 - ix) * g;
                }
                if (inBounds(y0 + 1, x0 + 1, h, w)) {
                  long k = base + (y0 + 1) * w + x0 + 1;
                  if (gin != null) {
                    gin.add(k, se * g);
                  }
                  double v = in.get(k);
                  gix += v * (iy - y0) * g;
                  giy += v * (ix - x0) * g;
                }
              }
            } else if (gin != null) {
              long xn = (long) Math.rint(ix);
              long yn = (long) Math.rint(iy);
              if (inBounds(yn, xn, h, w)) {
                for (int c = 0; c < s.c(); c++) {
                  long base = ((long) n * s.c() + c) * plane;
                  gin.add(base + yn * w + xn, go.get(((long) n * s.c() + c) * oplane + p));
                }
              }
            }
          }
          gg.set(gi, mx[0] * gix);
          gg.set(gi + 1, my[0] * giy);
        }
      }
    });
  }

  /** The weight of corner bit {@code b} (0: the floor, 1: the ceiling) along one dim. */
  private static double cornerWeight(int b, double i, long i0) {
    return b == 0 ? i0 + 1 - i : i - i0;
  }

  static void forward3d(View input, View grid, Buffer out, GridSampleSpec s) {
    Data in = Data.of(input);
    Data gr = Data.of(grid);
    Data o = Data.of(out);
    int dd = s.inD();
    int h = s.inH();
    int w = s.inW();
    long vol = (long) dd * h * w;
    long ovol = (long) s.outD() * s.outH() * s.outW();
    boolean align = s.alignCorners();
    Parallel.parallelFor(s.n(), 1, (n0, n1) -> {
      for (int n = n0; n < n1; n++) {
        for (long p = 0; p < ovol; p++) {
          long gi = ((long) n * ovol + p) * 3;
          double ix = computeCoordinates(unnormalize(gr.get(gi), w, align), w, s.padding(), align);
          double iy = computeCoordinates(unnormalize(gr.get(gi + 1), h, align), h, s.padding(),
              align);
          double iz = computeCoordinates(unnormalize(gr.get(gi + 2), dd, align), dd, s.padding(),
              align);
          for (int c = 0; c < s.c(); c++) {
            long base = ((long) n * s.c() + c) * vol;
            double v = 0;
            if (s.mode() == BILINEAR) {
              long x0 = (long) Math.floor(ix);
              long y0 = (long) Math.floor(iy);
              long z0 = (long) Math.floor(iz);
              // ATen's order: tnw, tne, tsw, tse, bnw, bne, bsw, bse (x fastest, z slowest)
              for (int k = 0; k < 8; k++) {
                int bx = k & 1;
                int by = (k >> 1) & 1;
                int bz = k >> 2;
                long x = x0 + bx;
                long y = y0 + by;
                long z = z0 + bz;
                if (z >= 0 && z < dd && inBounds(y, x, h, w)) {
                  double wt = cornerWeight(bx, ix, x0) * cornerWeight(by, iy, y0)
                      * cornerWeight(bz, iz, z0);
                  v += in.get(base + (z * h + y) * w + x) * wt;
                }
              }
            } else {
              long x = (long) Math.rint(ix);
              long y = (long) Math.rint(iy);
              long z = (long) Math.rint(iz);
              if (z >= 0 && z < dd && inBounds(y, x, h, w)) {
                v = in.get(base + (z * h + y) * w + x);
              }
            }
            o.set(((long) n * s.c() + c) * ovol + p, v);
          }
        }
      }
    });
  }

  static void backward3d(
      View gradOut, View input, View grid, Buffer gradInput, Buffer gradGrid, GridSampleSpec s) {
    Data go = Data.of(gradOut);
    Data in = Data.of(input);
    Data gr = Data.of(grid);
    Data gin = Data.of(gradInput);
    Data gg = Data.of(gradGrid);
    int dd = s.inD();
    int h = s.inH();
    int w = s.inW();
    long vol = (long) dd * h * w;
    long ovol = (long) s.outD() * s.outH() * s.outW();
    boolean align = s.alignCorners();
    Parallel.parallelFor(s.n(), 1, (n0, n1) -> {
      double[] mx = new double[1];
      double[] my = new double[1];
      double[] mz = new double[1];
      for (int n = n0; n < n1; n++) {
        for (long p = 0; p < ovol; p++) {
          long gi = ((long) n * ovol + p) * 3;
          double ix = sourceIndexWithGrad(gr.get(gi), w, s.padding(), align, mx);
          double iy = sourceIndexWithGrad(gr.get(gi + 1), h, s.padding(), align, my);
          double iz = sourceIndexWithGrad(gr.get(gi + 2), dd, s.padding(), align, mz);
          double gix = 0;
          double giy = 0;
          double giz = 0;
          if (s.mode() == BILINEAR) {
            long x0 = (long) Math.floor(ix);
            long y0 = (long) Math.floor(iy);
            long z0 = (long) Math.floor(iz);
            for (int c = 0; c < s.c(); c++) {
              long base = ((long) n * s.c() + c) * vol;
              double g = go.get(((long) n * s.c() + c) * ovol + p);
              for (int k = 0; k < 8; k++) {
                int bx = k & 1;
                int by = (k >> 1) & 1;
                int bz = k >> 2;
                long x = x0 + bx;
                long y = y0 + by;
                long z = z0 + bz;
                if (z >= 0 && z < dd && inBounds(y, x, h, w)) {
                  double wx = cornerWeight(bx, ix, x0);
                  double wy = cornerWeight(by, iy, y0);
                  double wz = cornerWeight(bz, iz, z0);
                  long idx = base + (z * h + y) * w + x;
                  if (gin != null) {
                    gin.add(idx, wx * wy * wz * g);
                  }
                  double v = in.get(idx) * g;
                  gix += (bx == 0 ? -v : v) * wy * wz;
                  giy += (by == 0 ? -v : v) * wx * wz;
                  giz += (bz == 0 ? -v : v) * wx * wy;
                }
              }
            }
          } else if (gin != null) {
            long x = (long) Math.rint(ix);
            long y = (long) Math.rint(iy);
            long z = (long) Math.rint(iz);
            if (z >= 0 && z < dd && inBounds(y, x, h, w)) {
              for (int c = 0; c < s.c(); c++) {
                gin.add(((long) n * s.c() + c) * vol + (z * h + y) * w + x,
                    go.get(((long) n * s.c() + c) * ovol + p));
              }
            }
          }
          gg.set(gi, mx[0] * gix);
          gg.set(gi + 1, my[0] * giy);
          gg.set(gi + 2, mz[0] * giz);
        }
      }
    });
  }
}
