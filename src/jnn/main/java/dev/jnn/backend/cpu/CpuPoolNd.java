package dev.jnn.backend.cpu;

import dev.jnn.backend.AdaptivePool3dGeometry;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.Pool3dGeometry;
import dev.jnn.backend.PoolKernels;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/**
 * The 3-D and adaptive max pooling kernels of {@link PoolKernels} on the CPU (issue 20), the
 * superclass of the generated {@link CpuPool}: 3-D max and average pooling and adaptive max and
 * average pooling over volumes, forward and backward (the max poolings' backward is {@link
 * PoolKernels#indexedPoolBackward}). The window arithmetic is PyTorch's CPU kernels' ({@code
 * DilatedMaxPool3d.cpp}, {@code AveragePool3d.cpp}, {@code AdaptiveMaxPooling2d/3d.cpp}, {@code
 * AdaptiveAveragePooling3d.cpp}): NaN wins a window, ties keep the first maximum in scan order,
 * the divisors are PyTorch's. Sums accumulate in double, as {@link CpuPool}'s do. Volumes are
 * split over {@link Parallel}.
 */
abstract class CpuPoolNd implements PoolKernels {
  CpuPoolNd() {}

  private static int grain(long perPlane) {
    return (int) Math.max(1, (1 << 14) / Math.max(1, perPlane));
  }

  private static boolean isFloat(View v) {
    return v.buffer().dtype() == DType.FLOAT32;
  }

  /** {@code floor(a * c / b)}: first input index of adaptive window {@code a}. */
  private static int startIndex(int a, int b, int c) {
    return (int) Math.floorDiv((long) a * c, b);
  }

  /** {@code ceil((a + 1) * c / b)}: one past the last input index of adaptive window {@code a}. */
  private static int endIndex(int a, int b, int c) {
    return (int) -Math.floorDiv(-(long) (a + 1) * c, b);
  }

  /** The input window of one max-pooling output cell along one axis: {@code {start, end}}. */
  private static int maxStart(int o, int stride, int pad, int dil) {
    int s = o * stride - pad;
    while (s < 0) {
      s += dil;
    }
    return s;
  }

  private static int maxEnd(int o, int stride, int pad, int k, int dil, int size) {
    return Math.min(o * stride - pad + (k - 1) * dil + 1, size);
  }

  // ------------------------------------------------------------------ max 3-D

  @Override
  public void maxPool3d(View x, Buffer out, Buffer indices, Pool3dGeometry g) {
    final int hw = g.h() * g.w();
    final int vol = g.d() * hw;
    final int ovol = g.od() * g.oh() * g.ow();
    final int xo = x.offset();
    final long[] idx = indices == null ? null : ((HostBuffer) indices).longs();
    final boolean f32 = isFloat(x);
    final float[] xf = f32 ? ((HostBuffer) x.buffer()).floats() : null;
    final float[] of = f32 ? ((HostBuffer) out).floats() : null;
    final double[] xd = f32 ? null : ((HostBuffer) x.buffer()).doubles();
    final double[] od = f32 ? null : ((HostBuffer) out).doubles();
    Parallel.parallelFor(
        g.planes(),
        grain((long) ovol * g.kd() * g.kh() * g.kw()),
        (s, e) -> {
          for (int p = s; p < e; p++) {
            int base = xo + p * vol;
            int o = p * ovol;
            for (int t = 0; t < g.od(); t++) {
              int it0 = maxStart(t, g.strideD(), g.padD(), g.dilationD());
              int it1 = maxEnd(t, g.strideD(), g.padD(), g.kd(), g.dilationD(), g.d());
              for (int i = 0; i < g.oh(); i++) {
                int ih0 = maxStart(i, g.strideH(), g.padH(), g.dilationH());
                int ih1 = maxEnd(i, g.strideH(), g.padH(), g.kh(), g.dilationH(), g.h());
                for (int j = 0; j < g.ow(); j++, o++) {
                  int iw0 = maxStart(j, g.strideW(), g.padW(), g.dilationW());
                  int iw1 = maxEnd(j, g.strideW(), g.padW(), g.kw(), g.dilationW(), g.w());
                  int maxIndex = it0 * hw + ih0 * g.w() + iw0;
                  double max = Double.NEGATIVE_INFINITY;
                  for (int it = it0; it < it1; it += g.dilationD()) {
                    for (int ih = ih0; ih < ih1; ih += g.dilationH()) {
                      int row = it * hw + ih * g.w();
                      for (int iw = iw0; iw < iw1; iw += g.dilationW()) {
                        double v = f32 ? xf[base + row + iw] : xd[base + row + iw];
                        if (v > max || Double.isNaN(v)) {
                          max = v;
                          maxIndex = row + iw;
                        }
                      }
                    }
                  }
                  if (f32) {
                    of[o] = (float) max;
                  } else {
                    od[o] = max;
                  }
                  if (idx != null) {
                    idx[o] = maxIndex;
                  }
                }
              }
            }
          }
        });
  }

  // ------------------------------------------------------------------ average 3-D

  /** One axis of an average-pooling window: {@code {start, end, paddedSize}} (PyTorch's). */
  private static void avgAxis(int o, int stride, int pad, int k, int size, int[] win, int at) {
    int start = o * stride - pad;
    int end = Math.min(start + k, size + pad);
    win[at + 2] = end - start;
    win[at] = Math.max(start, 0);
    win[at + 1] = Math.min(end, size);
  }

  /**
   * The window of output cell {@code (t, i, j)} clipped to the input in {@code win[0..8]} ({@code
   * start, end, padded size} per axis) and its divisor; 0 when the window misses the input.
   */
  private static int avgWindow(
      Pool3dGeometry g, int t, int i, int j, boolean countIncludePad, int divisorOverride,
      int[] win) {
    avgAxis(t, g.strideD(), g.padD(), g.kd(), g.d(), win, 0);
    avgAxis(i, g.strideH(), g.padH(), g.kh(), g.h(), win, 3);
    avgAxis(j, g.strideW(), g.padW(), g.kw(), g.w(), win, 6);
    if (win[0] >= win[1] || win[3] >= win[4] || win[6] >= win[7]) {
      return 0;
    }
    if (divisorOverride != 0) {
      return divisorOverride;
    }
    if (countIncludePad) {
      return win[2] * win[5] * win[8];
    }
    return (win[1] - win[0]) * (win[4] - win[3]) * (win[7] - win[6]);
  }

  @Override
  public void avgPool3d(
      View x, Buffer out, Pool3dGeometry g, boolean countIncludePad, int divisorOverride) {
    final int hw = g.h() * g.w();
    final int vol = g.d() * hw;
    final int ovol = g.od() * g.oh() * g.ow();
    final int xo = x.offset();
    final boolean f32 = isFloat(x);
    final float[] xf = f32 ? ((HostBuffer) x.buffer()).floats() : null;
    final float[] of = f32 ? ((HostBuffer) out).floats() : null;
    final double[] xd = f32 ? null : ((HostBuffer) x.buffer()).doubles();
    final double[] od = f32 ? null : ((HostBuffer) out).doubles();
    Parallel.parallelFor(
        g.planes(),
        grain((long) ovol * g.kd() * g.kh() * g.kw()),
        (s, e) -> {
          int[] win = new int[9];
          for (int p = s; p < e; p++) {
            int base = xo + p * vol;
            int o = p * ovol;
            for (int t = 0; t < g.od(); t++) {
              for (int i = 0; i < g.oh(); i++) {
                for (int j = 0; j < g.ow(); j++, o++) {
                  int div = avgWindow(g, t, i, j, countIncludePad, divisorOverride, win);
                  double sum = 0;
                  if (div != 0) {
                    for (int it = win[0]; it < win[1]; it++) {
                      for (int ih = win[3]; ih < win[4]; ih++) {
                        int row = base + it * hw + ih * g.w();
                        for (int iw = win[6]; iw < win[7]; iw++) {
                          sum += f32 ? xf[row + iw] : xd[row + iw];
                        }
                      }
                    }
                    sum /= div;
                  }
                  if (f32) {
                    of[o] = (float) sum;
                  } else {
                    od[o] = sum;
                  }
                }
              }
            }
          }
        });
  }

  @Override
  public void avgPool3dBackward(
      View gradOut, Buffer gradIn, Pool3dGeometry g, boolean countIncludePad, int divisorOverride) {
    final int hw = g.h() * g.w();
    final int vol = g.d() * hw;
    final int ovol = g.od() * g.oh() * g.ow();
    final int go = gradOut.offset();
    final boolean f32 = isFloat(gradOut);
    final float[] gf = f32 ? ((HostBuffer) gradOut.buffer()).floats() : null;
    final float[] inf = f32 ? ((HostBuffer) gradIn).floats() : null;
    final double[] gd = f32 ? null : ((HostBuffer) gradOut.buffer()).doubles();
    final double[] ind = f32 ? null : ((HostBuffer) gradIn).doubles();
    Parallel.parallelFor(
        g.planes(),
        grain((long) ovol * g.kd() * g.kh() * g.kw()),
        (s, e) -> {
          int[] win = new int[9];
          for (int p = s; p < e; p++) {
            int base = p * vol;
            int o = go + p * ovol;
            for (int t = 0; t < g.od(); t++) {
              for (int i = 0; i < g.oh(); i++) {
                for (int j = 0; j < g.ow(); j++, o++) {
                  int div = avgWindow(g, t, i, j, countIncludePad, divisorOverride, win);
                  if (div == 0) {
                    continue;
                  }
                  for (int it = win[0]; it < win[1]; it++) {
                    for (int ih = win[3]; ih < win[4]; ih++) {
                      int row = base + it * hw + ih * g.w();
                      if (f32) {
                        float v = gf[o] / div;
                        for (int iw = win[6]; iw < win[7]; iw++) {
                          inf[row + iw] += v;
                        }
                      } else {
                        double v = gd[o] / div;
                        for (int iw = win[6]; iw < win[7]; iw++) {
                          ind[row + iw] += v;
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        });
  }

  // ------------------------------------------------------------------ adaptive

  @Override
  public void adaptiveMaxPool3d(View x, Buffer out, Buffer indices, AdaptivePool3dGeometry g) {
    final int hw = g.h() * g.w();
    final int vol = g.d() * hw;
    final int ovol = g.od() * g.oh() * g.ow();
    final int xo = x.offset();
    final long[] idx = ((HostBuffer) indices).longs();
    final boolean f32 = isFloat(x);
    final float[] xf = f32 ? ((HostBuffer) x.buffer()).floats() : null;
    final float[] of = f32 ? ((HostBuffer) out).floats() : null;
    final double[] xd = f32 ? null : ((HostBuffer) x.buffer()).doubles();
    final double[] od = f32 ? null : ((HostBuffer) out).doubles();
    Parallel.parallelFor(
        g.planes(),
        grain(vol),
        (s, e) -> {
          for (int p = s; p < e; p++) {
            int base = xo + p * vol;
            int o = p * ovol;
            for (int t = 0; t < g.od(); t++) {
              int it0 = startIndex(t, g.od(), g.d());
              int it1 = endIndex(t, g.od(), g.d());
              for (int i = 0; i < g.oh(); i++) {
                int ih0 = startIndex(i, g.oh(), g.h());
                int ih1 = endIndex(i, g.oh(), g.h());
                for (int j = 0; j < g.ow(); j++, o++) {
                  int iw0 = startIndex(j, g.ow(), g.w());
                  int iw1 = endIndex(j, g.ow(), g.w());
                  int maxIndex = it0 * hw + ih0 * g.w() + iw0;
                  double max = Double.NEGATIVE_INFINITY;
                  for (int it = it0; it < it1; it++) {
                    for (int ih = ih0; ih < ih1; ih++) {
                      int row = it * hw + ih * g.w();
                      for (int iw = iw0; iw < iw1; iw++) {
                        double v = f32 ? xf[base + row + iw] : xd[base + row + iw];
                        if (v > max || Double.isNaN(v)) {
                          max = v;
                          maxIndex = row + iw;
                        }
                      }
                    }
                  }
                  if (f32) {
                    of[o] = (float) max;
                  } else {
                    od[o] = max;
                  }
                  idx[o] = maxIndex;
                }
              }
            }
          }
        });
  }

  @Override
  public void adaptiveAvgPool3d(View x, Buffer out, AdaptivePool3dGeometry g) {
    adaptiveAvg(x, out, g, false);
  }

  @Override
  public void adaptiveAvgPool3dBackward(View gradOut, Buffer gradIn, AdaptivePool3dGeometry g) {
    adaptiveAvg(gradOut, gradIn, g, true);
  }

  /** Forward ({@code a} the input, {@code b} the output) or backward ({@code a} gradOut). */
  private static void adaptiveAvg(View a, Buffer b, AdaptivePool3dGeometry g, boolean backward) {
    final int hw = g.h() * g.w();
    final int vol = g.d() * hw;
    final int ovol = g.od() * g.oh() * g.ow();
    final int ao = a.offset();
    final boolean f32 = isFloat(a);
    final float[] af = f32 ? ((HostBuffer) a.buffer()).floats() : null;
    final float[] bf = f32 ? ((HostBuffer) b).floats() : null;
    final double[] ad = f32 ? null : ((HostBuffer) a.buffer()).doubles();
    final double[] bd = f32 ? null : ((HostBuffer) b).doubles();
    Parallel.parallelFor(
        g.planes(),
        grain(vol),
        (s, e) -> {
          for (int p = s; p < e; p++) {
            int base = p * vol;
            int o = p * ovol;
            for (int t = 0; t < g.od(); t++) {
              int it0 = startIndex(t, g.od(), g.d());
              int it1 = endIndex(t, g.od(), g.d());
              for (int i = 0; i < g.oh(); i++) {
                int ih0 = startIndex(i, g.oh(), g.h());
                int ih1 = endIndex(i, g.oh(), g.h());
                for (int j = 0; j < g.ow(); j++, o++) {
                  int iw0 = startIndex(j, g.ow(), g.w());
                  int iw1 = endIndex(j, g.ow(), g.w());
                  int count = (it1 - it0) * (ih1 - ih0) * (iw1 - iw0);
                  if (backward) {
                    double v = f32 ? af[ao + o] / (float) count : ad[ao + o] / count;
                    for (int it = it0; it < it1; it++) {
                      for (int ih = ih0; ih < ih1; ih++) {
                        int row = base + it * hw + ih * g.w();
                        for (int iw = iw0; iw < iw1; iw++) {
                          if (f32) {
                            bf[row + iw] += (float) v;
                          } else {
                            bd[row + iw] += v;
                          }
                        }
                      }
                    }
                    continue;
                  }
                  double sum = 0;
                  for (int it = it0; it < it1; it++) {
                    for (int ih = ih0; ih < ih1; ih++) {
                      int row = ao + base + it * hw + ih * g.w();
                      for (int iw = iw0; iw < iw1; iw++) {
                        sum += f32 ? af[row + iw] : ad[row + iw];
                      }
                    }
                  }
                  if (f32) {
                    bf[o] = (float) (sum / count);
                  } else {
                    bd[o] = sum / count;
                  }
                }
              }
            }
          }
        });
  }
}
