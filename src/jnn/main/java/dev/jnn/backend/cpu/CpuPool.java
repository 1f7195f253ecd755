package dev.jnn.backend.cpu;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.Pool2dGeometry;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/**
 * Max, average and adaptive-average 2-D pooling on the CPU, forward and backward. Planes are split
 * over {@link Parallel}; the window arithmetic is PyTorch's CPU kernels' ({@code
 * aten/src/ATen/native/cpu/MaxPoolKernel.cpp}, {@code AvgPoolKernel.cpp}), so ties, NaNs and
 * divisors come out the same.
 */
final class CpuPool {
  private CpuPool() {}

  private static int grain(int perPlane) {
    return Math.max(1, (1 << 14) / Math.max(1, perPlane));
  }

  private static boolean isFloat(View v) {
    return v.buffer().dtype() == DType.FLOAT32;
  }

  // ------------------------------------------------------------------ max

  static void maxForward(View x, Buffer out, Buffer indices, Pool2dGeometry g) {
    final int hw = g.h() * g.w();
    final int ohw = g.oh() * g.ow();
    final int xo = x.offset();
    final long[] idx = indices == null ? null : ((HostBuffer) indices).longs();
    if (isFloat(x) && idx != null && is2x2(g)) {
      final float[] xa = ((HostBuffer) x.buffer()).floats();
      final float[] oa = ((HostBuffer) out).floats();
      Parallel.parallelFor(
          g.planes(), grain(ohw * 4), (s, e) -> max2x2(xa, xo, oa, idx, s, e, g));
      return;
    }
    if (isFloat(x)) {
      final float[] xa = ((HostBuffer) x.buffer()).floats();
      final float[] oa = ((HostBuffer) out).floats();
      Parallel.parallelFor(
          g.planes(),
          grain(ohw * g.kh() * g.kw()),
          (s, e) -> {
            for (int p = s; p < e; p++) {
              int base = xo + p * hw;
              int ob = p * ohw;
              for (int i = 0; i < g.oh(); i++) {
                int ih0 = i * g.strideH() - g.padH();
                int ih1 = Math.min(ih0 + (g.kh() - 1) * g.dilationH() + 1, g.h());
                while (ih0 < 0) {
                  ih0 += g.dilationH();
                }
                for (int j = 0; j < g.ow(); j++) {
                  int iw0 = j * g.strideW() - g.padW();
                  int iw1 = Math.min(iw0 + (g.kw() - 1) * g.dilationW() + 1, g.w());
                  while (iw0 < 0) {
                    iw0 += g.dilationW();
                  }
                  int maxIndex = ih0 * g.w() + iw0;
                  float max = Float.NEGATIVE_INFINITY;
                  for (int ih = ih0; ih < ih1; ih += g.dilationH()) {
                    int row = ih * g.w();
                    for (int iw = iw0; iw < iw1; iw += g.dilationW()) {
                      float v = xa[base + row + iw];
                      if (v > max || Float.isNaN(v)) {
                        max = v;
                        maxIndex = row + iw;
                      }
                    }
                  }
                  oa[ob + i * g.ow() + j] = max;
                  if (idx != null) {
                    idx[ob + i * g.ow() + j] = maxIndex;
                  }
                }
              }
            }
          });
    } else {
      final double[] xa = ((HostBuffer) x.buffer()).doubles();
      final double[] oa = ((HostBuffer) out).doubles();
      Parallel.parallelFor(
          g.planes(),
          grain(ohw * g.kh() * g.kw()),
          (s, e) -> {
            for (int p = s; p < e; p++) {
              int base = xo + p * hw;
              int ob = p * ohw;
              for (int i = 0; i < g.oh(); i++) {
                int ih0 = i * g.strideH() - g.padH();
                int ih1 = Math.min(ih0 + (g.kh() - 1) * g.dilationH() + 1, g.h());
                while (ih0 < 0) {
                  ih0 += g.dilationH();
                }
                for (int j = 0; j < g.ow(); j++) {
                  int iw0 = j * g.strideW() - g.padW();
                  int iw1 = Math.min(iw0 + (g.kw() - 1) * g.dilationW() + 1, g.w());
                  while (iw0 < 0) {
                    iw0 += g.dilationW();
                  }
                  int maxIndex = ih0 * g.w() + iw0;
                  double max = Double.NEGATIVE_INFINITY;
                  for (int ih = ih0; ih < ih1; ih += g.dilationH()) {
                    int row = ih * g.w();
                    for (int iw = iw0; iw < iw1; iw += g.dilationW()) {
                      double v = xa[base + row + iw];
                      if (v > max || Double.isNaN(v)) {
                        max = v;
                        maxIndex = row + iw;
                      }
                    }
                  }
                  oa[ob + i * g.ow() + j] = max;
                  if (idx != null) {
                    idx[ob + i * g.ow() + j] = maxIndex;
                  }
                }
              }
            }
          });
    }
  }

  /** 2x2 windows, stride 2, no padding or dilation, every window inside the input. */
  private static boolean is2x2(Pool2dGeometry g) {
    return g.kh() == 2 && g.kw() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0
        && g.padW() == 0 && g.dilationH() == 1 && g.dilationW() == 1 && 2 * g.oh() <= g.h()
        && 2 * g.ow() <= g.w();
  }

  /**
   * Max pooling 2x2 / stride 2 of planes {@code [p0, p1)}, with the generic loop's results (the
   * first maximum in scan order; the last NaN when there is one). Each window is decided with
   * three comparisons turned into index arithmetic instead of data-dependent branches (random
   * activations mispredict those half the time); a window holding a NaN takes the scan.
   */
  private static void max2x2(
      float[] x, int xo, float[] o, long[] idx, int p0, int p1, Pool2dGeometry g) {
    final int h = g.h();
    final int w = g.w();
    final int oh = g.oh();
    final int ow = g.ow();
    for (int p = p0; p < p1; p++) {
      int base = xo + p * h * w;
      for (int i = 0; i < oh; i++) {
        int rel = 2 * i * w;
        int r0 = base + rel;
        int oo = (p * oh + i) * ow;
        for (int j = 0; j < ow; j++) {
          int c = 2 * j;
          float a = x[r0 + c];
          float b = x[r0 + c + 1];
          float cc = x[r0 + w + c];
          float d = x[r0 + w + c + 1];
          int top = b > a ? 1 : 0; // ties keep the first
          float mt = Math.max(a, b);
          int bottom = d > cc ? 1 : 0;
          float mb = Math.max(cc, d);
          int k = rel + c + (mb > mt ? w + bottom : top);
          if (Math.max(mt, mb) != Math.max(mt, mb)) {
            k = scan2x2(a, b, cc, d, rel + c, w);
          }
          o[oo + j] = x[base + k];
          idx[oo + j] = k;
        }
      }
    }
  }

  /** The generic loop's choice among a window's four values (one of them is NaN). */
  private static int scan2x2(float a, float b, float c, float d, int k0, int w) {
    float m = a;
    int k = k0;
    if (b > m || Float.isNaN(b)) {
      m = b;
      k = k0 + 1;
    }
    if (c > m || Float.isNaN(c)) {
      m = c;
      k = k0 + w;
    }
    if (d > m || Float.isNaN(d)) {
      k = k0 + w + 1;
    }
    return k;
  }

  static void maxBackward(View gradOut, View indices, Buffer gradIn, Pool2dGeometry g) {
    final int hw = g.h() * g.w();
    final int ohw = g.oh() * g.ow();
    final int go = gradOut.offset();
    final int io = indices.offset();
    final long[] idx = ((HostBuffer) indices.buffer()).longs();
    if (isFloat(gradOut)) {
      final float[] ga = ((HostBuffer) gradOut.buffer()).floats();
      final float[] gi = ((HostBuffer) gradIn).floats();
      Parallel.parallelFor(
          g.planes(),
          grain(ohw),
          (s, e) -> {
            for (int p = s; p < e; p++) {
              int ib = p * hw;
              int ob = p * ohw;
              for (int k = 0; k < ohw; k++) {
                gi[ib + (int) idx[io + ob + k]] += ga[go + ob + k];
              }
            }
          });
    } else {
      final double[] ga = ((HostBuffer) gradOut.buffer()).doubles();
      final double[] gi = ((HostBuffer) gradIn).doubles();
      Parallel.parallelFor(
          g.planes(),
          grain(ohw),
          (s, e) -> {
            for (int p = s; p < e; p++) {
              int ib = p * hw;
              int ob = p * ohw;
              for (int k = 0; k < ohw; k++) {
                gi[ib + (int) idx[io + ob + k]] += ga[go + ob + k];
              }
            }
          });
    }
  }

  // ------------------------------------------------------------------ average

  /**
   * The window of output cell {@code (i, j)} clipped to the input, and its divisor: {@code {ih0,
   * ih1, iw0, iw1, divisor}}; divisor 0 means the window misses the input entirely.
   */
  private static void avgWindow(
      Pool2dGeometry g, int i, int j, boolean countIncludePad, int divisorOverride, int[] win) {
    int ih0 = i * g.strideH() - g.padH();
    int iw0 = j * g.strideW() - g.padW();
    int ih1 = Math.min(ih0 + g.kh(), g.h() + g.padH());
    int iw1 = Math.min(iw0 + g.kw(), g.w() + g.padW());
    int poolSize = (ih1 - ih0) * (iw1 - iw0);
    ih0 = Math.max(ih0, 0);
    iw0 = Math.max(iw0, 0);
    ih1 = Math.min(ih1, g.h());
    iw1 = Math.min(iw1, g.w());
    win[0] = ih0;
    win[1] = ih1;
    win[2] = iw0;
    win[3] = iw1;
    if (ih0 >= ih1 || iw0 >= iw1) {
      win[4] = 0;
    } else if (divisorOverride != 0) {
      win[4] = divisorOverride;
    } else if (countIncludePad) {
      win[4] = poolSize;
    } else {
      win[4] = (ih1 - ih0) * (iw1 - iw0);
    }
  }

  static void avgForward(
      View x, Buffer out, Pool2dGeometry g, boolean countIncludePad, int divisorOverride) {
    final int hw = g.h() * g.w();
    final int ohw = g.oh() * g.ow();
    final int xo = x.offset();
    final boolean f32 = isFloat(x);
    final float[] xf = f32 ? ((HostBuffer) x.buffer()).floats() : null;
    final float[] of = f32 ? ((HostBuffer) out).floats() : null;
    final double[] xd = f32 ? null : ((HostBuffer) x.buffer()).doubles();
    final double[] od = f32 ? null : ((HostBuffer) out).doubles();
    Parallel.parallelFor(
        g.planes(),
        grain(ohw * g.kh() * g.kw()),
        (s, e) -> {
          int[] win = new int[5];
          for (int p = s; p < e; p++) {
            int base = xo + p * hw;
            int ob = p * ohw;
            for (int i = 0; i < g.oh(); i++) {
              for (int j = 0; j < g.ow(); j++) {
                avgWindow(g, i, j, countIncludePad, divisorOverride, win);
                int o = ob + i * g.ow() + j;
                if (win[4] == 0) {
                  continue; // output stays 0
                }
                double sum = 0;
                for (int ih = win[0]; ih < win[1]; ih++) {
                  int row = base + ih * g.w();
                  for (int iw = win[2]; iw < win[3]; iw++) {
                    sum += f32 ? xf[row + iw] : xd[row + iw];
                  }
                }
                if (f32) {
                  of[o] = (float) (sum / win[4]);
                } else {
                  od[o] = sum / win[4];
                }
              }
            }
          }
        });
  }

  static void avgBackward(
      View gradOut, Buffer gradIn, Pool2dGeometry g, boolean countIncludePad, int divisorOverride) {
    final int hw = g.h() * g.w();
    final int ohw = g.oh() * g.ow();
    final int go = gradOut.offset();
    final boolean f32 = isFloat(gradOut);
    final float[] gf = f32 ? ((HostBuffer) gradOut.buffer()).floats() : null;
    final float[] inf = f32 ? ((HostBuffer) gradIn).floats() : null;
    final double[] gd = f32 ? null : ((HostBuffer) gradOut.buffer()).doubles();
    final double[] ind = f32 ? null : ((HostBuffer) gradIn).doubles();
    Parallel.parallelFor(
        g.planes(),
        grain(ohw * g.kh() * g.kw()),
        (s, e) -> {
          int[] win = new int[5];
          for (int p = s; p < e; p++) {
            int base = p * hw;
            int ob = go + p * ohw;
            for (int i = 0; i < g.oh(); i++) {
              for (int j = 0; j < g.ow(); j++) {
                avgWindow(g, i, j, countIncludePad, divisorOverride, win);
                if (win[4] == 0) {
                  continue;
                }
                int o = ob + i * g.ow() + j;
                for (int ih = win[0]; ih < win[1]; ih++) {
                  int row = base + ih * g.w();
                  if (f32) {
                    float v = gf[o] / win[4];
                    for (int iw = win[2]; iw < win[3]; iw++) {
                      inf[row + iw] += v;
                    }
                  } else {
                    double v = gd[o] / win[4];
                    for (int iw = win[2]; iw < win[3]; iw++) {
                      ind[row + iw] += v;
                    }
                  }
                }
              }
            }
          }
        });
  }

  // ------------------------------------------------------------------ adaptive average

  private static int startIndex(int a, int b, int c) {
    return (int) Math.floorDiv((long) a * c, b);
  }

  private static int endIndex(int a, int b, int c) {
    return (int) -Math.floorDiv(-(long) (a + 1) * c, b);
  }

  static void adaptiveAvgForward(View x, Buffer out, int planes, int h, int w, int oh, int ow) {
    final int xo = x.offset();
    final boolean f32 = isFloat(x);
    final float[] xf = f32 ? ((HostBuffer) x.buffer()).floats() : null;
    final float[] of = f32 ? ((HostBuffer) out).floats() : null;
    final double[] xd = f32 ? null : ((HostBuffer) x.buffer()).doubles();
    final double[] od = f32 ? null : ((HostBuffer) out).doubles();
    Parallel.parallelFor(
        planes,
        grain(h * w),
        (s, e) -> {
          for (int p = s; p < e; p++) {
            int base = xo + p * h * w;
            for (int i = 0; i < oh; i++) {
              int ih0 = startIndex(i, oh, h);
              int ih1 = endIndex(i, oh, h);
              for (int j = 0; j < ow; j++) {
                int iw0 = startIndex(j, ow, w);
                int iw1 = endIndex(j, ow, w);
                double sum = 0;
                for (int ih = ih0; ih < ih1; ih++) {
                  int row = base + ih * w;
                  for (int iw = iw0; iw < iw1; iw++) {
                    sum += f32 ? xf[row + iw] : xd[row + iw];
                  }
                }
                int count = (ih1 - ih0) * (iw1 - iw0);
                int o = (p * oh + i) * ow + j;
                if (f32) {
                  of[o] = (float) (sum / count);
                } else {
                  od[o] = sum / count;
                }
              }
            }
          }
        });
  }

  static void adaptiveAvgBackward(
      View gradOut, Buffer gradIn, int planes, int h, int w, int oh, int ow) {
    final int go = gradOut.offset();
    final boolean f32 = isFloat(gradOut);
    final float[] gf = f32 ? ((HostBuffer) gradOut.buffer()).floats() : null;
    final float[] inf = f32 ? ((HostBuffer) gradIn).floats() : null;
    final double[] gd = f32 ? null : ((HostBuffer) gradOut.buffer()).doubles();
    final double[] ind = f32 ? null : ((HostBuffer) gradIn).doubles();
    Parallel.parallelFor(
        planes,
        grain(h * w),
        (s, e) -> {
          for (int p = s; p < e; p++) {
            int base = p * h * w;
            for (int i = 0; i < oh; i++) {
              int ih0 = startIndex(i, oh, h);
              int ih1 = endIndex(i, oh, h);
              for (int j = 0; j < ow; j++) {
                int iw0 = startIndex(j, ow, w);
                int iw1 = endIndex(j, ow, w);
                int count = (ih1 - ih0) * (iw1 - iw0);
                int o = go + (p * oh + i) * ow + j;
                for (int ih = ih0; ih < ih1; ih++) {
                  int row = base + ih * w;
                  if (f32) {
                    float v = gf[o] / count;
                    for (int iw = iw0; iw < iw1; iw++) {
                      inf[row + iw] += v;
                    }
                  } else {
                    double v = gd[o] / count;
                    for (int iw = iw0; iw < iw1; iw++) {
                      ind[row + iw] += v;
                    }
                  }
                }
              }
            }
          }
        });
  }
}
