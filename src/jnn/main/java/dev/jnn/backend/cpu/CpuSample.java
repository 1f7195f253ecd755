package dev.jnn.backend.cpu;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.GridSampleSpec;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.SampleKernels;
import dev.jnn.backend.UpsampleSpec;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/**
 * The CPU resampling kernels ({@link SampleKernels}), float32 and float64. Resampling is separable:
 * per output coordinate and dim, {@link #taps} gives up to four input indices and weights (ATen
 * 1.13's {@code nearest_idx}, {@code nearest_exact_idx}, {@code compute_source_index_and_lambda}
 * and the bicubic coefficients); an output element is the nested weighted sum over the taps of its
 * three dims (depth outermost, as ATen nests bilinear's sums), computed in double and stored in the
 * element type. The same arithmetic is {@code native-kernels/sample.cuh}.
 */
final class CpuSample implements SampleKernels {

  private static boolean isFloat(View v) {
    return v.buffer().dtype() == DType.FLOAT32;
  }

  /**
   * The taps of output coordinate {@code dst} along one dim: fills {@code idx} and {@code w}
   * (length 4), returns their count.
   */
  static int taps(
      int mode, int in, int out, double scaleOpt, boolean align, boolean f32, int dst, int[] idx,
      double[] w) {
    if (in == 1 && out == 1) {
      idx[0] = 0;
      w[0] = 1;
      return 1;
    }
    switch (mode) {
      case UpsampleSpec.NEAREST, UpsampleSpec.NEAREST_PLAIN -> {
        int i;
        if (mode == UpsampleSpec.NEAREST && out == in) {
          i = dst;
        } else if (mode == UpsampleSpec.NEAREST && out == 2 * in) {
          i = dst >> 1;
        } else {
          float scale = scaleOpt > 0 ? (float) (1.0 / scaleOpt) : (float) in / out;
          i = (int) Math.min((long) Math.floor(dst * scale), in - 1);
        }
        idx[0] = i;
        w[0] = 1;
        return 1;
      }
      case UpsampleSpec.NEAREST_EXACT -> {
        float scale = scaleOpt > 0 ? (float) (1.0 / scaleOpt) : (float) in / out;
        float src = (float) ((dst + 0.5) * scale);
        idx[0] = (int) Math.min((long) Math.floor(src), in - 1);
        w[0] = 1;
        return 1;
      }
      case UpsampleSpec.LINEAR -> {
        if (out == in) {
          idx[0] = dst;
          w[0] = 1;
          return 1;
        }
        double scale = areaScale(in, out, align, scaleOpt, f32);
        double real = sourceIndex(scale, dst, align, false, f32);
        int i0 = (int) real;
        int off = i0 < in - 1 ? 1 : 0;
        double l1 = Math.min(Math.max(real - i0, 0), 1);
        if (f32) {
          l1 = (float) l1;
        }
        idx[0] = i0;
        w[0] = f32 ? (float) (1 - l1) : 1 - l1;
        idx[1] = i0 + off;
        w[1] = l1;
        return 2;
      }
      case UpsampleSpec.CUBIC -> {
        double scale = areaScale(in, out, align, scaleOpt, f32);
        double real = sourceIndex(scale, dst, align, true, f32);
        int i0 = (int) Math.floor(real);
        double t = real - i0;
        if (f32) {
          t = (float) t;
        }
        double a = -0.75;
        w[0] = cubic2(t + 1, a);
        w[1] = cubic1(t, a);
        w[2] = cubic1(1 - t, a);
        w[3] = cubic2(2 - t, a);
        for (int j = 0; j < 4; j++) {
          idx[j] = Math.max(Math.min(i0 - 1 + j, in - 1), 0);
          if (f32) {
            w[j] = (float) w[j];
          }
        }
        return 4;
      }
      default -> throw new IllegalArgumentException("unknown resampling mode " + mode);
    }
  }

  private static double cubic1(double x, double a) {
    return ((a + 2) * x - (a + 3)) * x * x + 1;
  }

  private static double cubic2(double x, double a) {
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  }

  /** ATen's {@code area_pixel_compute_scale}, in float for float32. */
  private static double areaScale(int in, int out, boolean align, double scaleOpt, boolean f32) {
    if (align) {
      if (out > 1) {
        return f32 ? (float) (in - 1) / (out - 1) : (double) (in - 1) / (out - 1);
      }
      return 0;
    }
    if (scaleOpt > 0) {
      return f32 ? (float) (1.0 / scaleOpt) : 1.0 / scaleOpt;
    }
    return f32 ? (float) in / out : (double) in / out;
  }

  /** ATen's {@code area_pixel_compute_source_index}, in float for float32. */
  private static double sourceIndex(
      double scale, int dst, boolean align, boolean cubic, boolean f32) {
    if (align) {
      return f32 ? (float) scale * dst : scale * dst;
    }
    double src = f32 ? (float) ((float) scale * (dst + 0.5f)) - 0.5f : scale * (dst + 0.5) - 0.5;
    if (f32) {
      src = (float) src;
    }
    return !cubic && src < 0 ? 0 : src;
  }

  /**
   * Per-dim tap tables: for coordinate k, count[k] taps at idx[cap * k..], weights w[cap * k..]
   * (cap 4, or the anti-aliasing window's size).
   */
  private record Table(int[] count, int[] idx, double[] w, int cap) {
    static Table of(UpsampleSpec s, int in, int out, double scale, boolean f32) {
      boolean aa = s.mode() == UpsampleSpec.LINEAR_AA || s.mode() == UpsampleSpec.CUBIC_AA;
      aa &= !(in == 1 && out == 1);
      int cap = aa ? aaCapacity(s.mode(), in, out, scale, s.alignCorners(), f32) : 4;
      int[] count = new int[out];
      int[] idx = new int[cap * out];
      double[] w = new double[cap * out];
      int[] ti = new int[cap];
      double[] tw = new double[cap];
      for (int k = 0; k < out; k++) {
        int n = aa
            ? aaTaps(s.mode(), in, out, scale, s.alignCorners(), f32, k, ti, tw)
            : taps(s.mode(), in, out, scale, s.alignCorners(), f32, k, ti, tw);
        count[k] = n;
        System.arraycopy(ti, 0, idx, cap * k, n);
        System.arraycopy(tw, 0, w, cap * k, n);
      }
      return new Table(count, idx, w, cap);
    }
  }

  private static double round(double v, boolean f32) {
    return f32 ? (float) v : v;
  }

  /** The anti-aliasing filter's support ({@code _compute_indices_weights_aa}). */
  private static double aaSupport(int mode, double scale, boolean f32) {
    double half = mode == UpsampleSpec.CUBIC_AA ? 2.0 : 1.0;
    return round(scale >= 1.0 ? half * scale : half, f32);
  }

  private static int aaCapacity(
      int mode, int in, int out, double scaleOpt, boolean align, boolean f32) {
    double support = aaSupport(mode, areaScale(in, out, align, scaleOpt, f32), f32);
    return (int) Math.ceil((float) support) * 2 + 1;
  }

  private static double aaFilter(int mode, double x) {
    x = Math.abs(x);
    if (mode == UpsampleSpec.LINEAR_AA) {
      return x < 1 ? 1 - x : 0;
    }
    double a = -0.5;
    if (x < 1) {
      return cubic1(x, a);
    }
    return x < 2 ? cubic2(x, a) : 0;
  }

  /**
   * ATen 1.13's {@code _compute_weights_aa}: the input window {@code [xmin, xmin + xsize)} around
   * {@code center = scale * (dst + 0.5)}, weights of the (stretched, when downsampling) linear or
   * Keys cubic ({@code a = -0.5}) filter, normalised to sum 1.
   */
  static int aaTaps(
      int mode, int in, int out, double scaleOpt, boolean align, boolean f32, int dst, int[] idx,
      double[] w) {
    double scale = areaScale(in, out, align, scaleOpt, f32);
    double support = aaSupport(mode, scale, f32);
    double center = round(scale * (dst + 0.5), f32);
    double invscale = scale >= 1.0 ? round(1.0 / scale, f32) : 1.0;
    long xmin = Math.max((long) (round(center - support, f32) + 0.5), 0);
    long xsize = Math.min((long) (round(center + support, f32) + 0.5), in) - xmin;
    double total = 0;
    for (int j = 0; j < xsize; j++) {
      double v = round(aaFilter(mode, round((round(j + xmin - center, f32) + 0.5) * invscale,
          f32)), f32);
      idx[j] = (int) (xmin + j);
      w[j] = v;
      total = round(total + v, f32);
    }
    for (int j = 0; j < xsize; j++) {
      if (total != 0) {
        w[j] = round(w[j] / total, f32);
      }
    }
    return (int) Math.max(xsize, 0);
  }

  @Override
  public void upsample(View x, Buffer out, UpsampleSpec s) {
    run(x, out, s, false);
  }

  @Override
  public void upsampleBackward(View gradOut, Buffer gradIn, UpsampleSpec s) {
    run(gradOut, gradIn, s, true);
  }

  @Override
  public void gridSample(View input, View grid, Buffer out, GridSampleSpec s) {
    if (s.dims() == 3) {
      CpuGridSample.forward3d(input, grid, out, s);
    } else {
      CpuGridSample.forward(input, grid, out, s);
    }
  }

  @Override
  public void gridSampleBackward(
      View gradOut, View input, View grid, Buffer gradInput, Buffer gradGrid, GridSampleSpec s) {
    if (s.dims() == 3) {
      CpuGridSample.backward3d(gradOut, input, grid, gradInput, gradGrid, s);
    } else {
      CpuGridSample.backward(gradOut, input, grid, gradInput, gradGrid, s);
    }
  }

  /** Forward: {@code src} is x, {@code dst} the output; backward: gradOut into gradIn. */
  private static void run(View src, Buffer dst, UpsampleSpec s, boolean backward) {
    final boolean f32 = isFloat(src);
    final Table td = Table.of(s, s.inD(), s.outD(), s.scaleD(), f32);
    final Table th = Table.of(s, s.inH(), s.outH(), s.scaleH(), f32);
    final Table tw = Table.of(s, s.inW(), s.outW(), s.scaleW(), f32);
    final int inPlane = s.inD() * s.inH() * s.inW();
    final int outPlane = s.outD() * s.outH() * s.outW();
    final int so = src.offset();
    final HostBuffer sb = (HostBuffer) src.buffer();
    final HostBuffer db = (HostBuffer) dst;
    final float[] sf = f32 ? sb.floats() : null;
    final double[] sd = f32 ? null : sb.doubles();
    final float[] df = f32 ? db.floats() : null;
    final double[] dd = f32 ? null : db.doubles();
    final int ih = s.inH();
    final int iw = s.inW();
    Parallel.parallelFor(
        s.planes(),
        Math.max(1, 32768 / Math.max(1, outPlane)),
        (p0, p1) -> {
          for (int p = p0; p < p1; p++) {
            int inBase = p * inPlane;
            int e = p * outPlane;
            for (int od = 0; od < s.outD(); od++) {
              for (int oh = 0; oh < s.outH(); oh++) {
                for (int ow = 0; ow < s.outW(); ow++, e++) {
                  if (backward) {
                    double g = f32 ? sf[so + e] : sd[so + e];
                    for (int a = 0; a < td.count[od]; a++) {
                      double wa = td.w[td.cap * od + a];
                      int ra = inBase + td.idx[td.cap * od + a] * ih * iw;
                      for (int b = 0; b < th.count[oh]; b++) {
                        double wab = wa * th.w[th.cap * oh + b];
                        int rb = ra + th.idx[th.cap * oh + b] * iw;
                        for (int c = 0; c < tw.count[ow]; c++) {
                          int i = rb + tw.idx[tw.cap * ow + c];
                          double v = g * (wab * tw.w[tw.cap * ow + c]);
                          if (f32) {
                            df[i] += (float) v;
                          } else {
                            dd[i] += v;
                          }
                        }
                      }
                    }
                  } else {
                    double sumD = 0;
                    for (int a = 0; a < td.count[od]; a++) {
                      int ra = so + inBase + td.idx[td.cap * od + a] * ih * iw;
                      double sumH = 0;
                      for (int b = 0; b < th.count[oh]; b++) {
                        int rb = ra + th.idx[th.cap * oh + b] * iw;
                        double sumW = 0;
                        for (int c = 0; c < tw.count[ow]; c++) {
                          int i = rb + tw.idx[tw.cap * ow + c];
                          sumW += tw.w[tw.cap * ow + c] * (f32 ? sf[i] : sd[i]);
                        }
                        sumH += th.w[th.cap * oh + b] * sumW;
                      }
                      sumD += td.w[td.cap * od + a] * sumH;
                    }
                    if (f32) {
                      df[e] = (float) sumD;
                    } else {
                      dd[e] = sumD;
                    }
                  }
                }
              }
            }
          }
        });
  }
}
