// Resampling (dev.jnn.backend.SampleKernels): the anti-aliased 2-d modes, F.grid_sample's 2-d and 3-d samplers (below) and F.interpolate's nearest, nearest-exact, linear
// (1-3 d) and bicubic kernels, forward and backward, one thread per output element of the
// contiguous [planes, outD, outH, outW] output (a 1-d or 2-d resampling has size 1 in its missing
// leading dims). Per output coordinate and dim, sample_taps gives up to four input indices and
// weights, computed as ATen 1.13's CPU kernels do (aten/src/ATen/native/UpSample.h) and as
// dev.jnn.backend.cpu.CpuSample does: the scale is float for the nearest modes and T for the
// interpolating ones; the sums are nested depth outermost, accumulated in double. The backward
// adds gradOut * weight into the zero-filled input gradient atomically.
#pragma once
#include "common.cuh"

#define SAMPLE_NEAREST 0
#define SAMPLE_NEAREST_EXACT 1
#define SAMPLE_LINEAR 2
#define SAMPLE_CUBIC 3
#define SAMPLE_NEAREST_PLAIN 4  // nearest without nearest_idx's out == in / out == 2 * in cases (1.13's 1-d forward)

template <typename T>
__device__ __forceinline__ T sample_area_scale(int in, int out, int align, double scale) {
  if (align) return out > 1 ? (T)(in - 1) / (T)(out - 1) : (T)0;
  return scale > 0. ? (T)(1.0 / scale) : (T)in / (T)out;
}

template <typename T>
__device__ __forceinline__ T sample_cubic1(T x, T a) { return ((a + (T)2) * x - (a + (T)3)) * x * x + (T)1; }

template <typename T>
__device__ __forceinline__ T sample_cubic2(T x, T a) { return ((a * x - (T)5 * a) * x + (T)8 * a) * x - (T)4 * a; }

// the taps of output coordinate dst along one dim; returns their count (<= 4)
template <typename T>
__device__ __forceinline__ int sample_taps(int mode, int in, int out, double scaleOpt, int align, int dst, int* idx, double* w) {
  if (in == 1 && out == 1) {
    idx[0] = 0;
    w[0] = 1;
    return 1;
  }
  if (mode == SAMPLE_NEAREST || mode == SAMPLE_NEAREST_PLAIN) {
    int i;
    if (mode == SAMPLE_NEAREST && out == in) {
      i = dst;
    } else if (mode == SAMPLE_NEAREST && out == 2 * in) {
      i = dst >> 1;
    } else {
      float scale = scaleOpt > 0. ? (float)(1.0 / scaleOpt) : (float)in / (float)out;
      i64 s = (i64)floorf((float)dst * scale);
      i = (int)(s < in - 1 ? s : in - 1);
    }
    idx[0] = i;
    w[0] = 1;
    return 1;
  }
  if (mode == SAMPLE_NEAREST_EXACT) {
    float scale = scaleOpt > 0. ? (float)(1.0 / scaleOpt) : (float)in / (float)out;
    i64 s = (i64)floorf((float)((dst + 0.5) * (double)scale));
    idx[0] = (int)(s < in - 1 ? s : in - 1);
    w[0] = 1;
    return 1;
  }
  if (mode == SAMPLE_LINEAR) {
    if (out == in) {
      idx[0] = dst;
      w[0] = 1;
      return 1;
    }
    T scale = sample_area_scale<T>(in, out, align, scaleOpt);
    T real = align ? scale * (T)dst : scale * ((T)dst + (T)0.5) - (T)0.5;
    if (!align && real < (T)0) real = (T)0;
    int i0 = (int)real;
    int off = i0 < in - 1 ? 1 : 0;
    T l1 = real - (T)i0;
    l1 = l1 < (T)0 ? (T)0 : (l1 > (T)1 ? (T)1 : l1);
    idx[0] = i0;
    w[0] = (double)((T)1 - l1);
    idx[1] = i0 + off;
    w[1] = (double)l1;
    return 2;
  }
  // SAMPLE_CUBIC
  T scale = sample_area_scale<T>(in, out, align, scaleOpt);
  T real = align ? scale * (T)dst : scale * ((T)dst + (T)0.5) - (T)0.5;
  int i0 = (int)m_floor(real);
  T t = real - (T)i0;
  T a = (T)-0.75;
  w[0] = (double)sample_cubic2<T>(t + (T)1, a);
  w[1] = (double)sample_cubic1<T>(t, a);
  w[2] = (double)sample_cubic1<T>((T)1 - t, a);
  w[3] = (double)sample_cubic2<T>((T)2 - t, a);
  for (int j = 0; j < 4; j++) {
    int k = i0 - 1 + j;
    idx[j] = k < 0 ? 0 : (k > in - 1 ? in - 1 : k);
  }
  return 4;
}

template <typename T>
__device__ __forceinline__ void upsample_run(const T* src, T* dst, int mode, int planes, int id, int ih, int iw, int od, int oh, int ow,
                                             double sd, double sh, double sw, int align, int backward) {
  i64 total = (i64)planes * od * oh * ow;
  GRID_STRIDE(e, total) {
    int x = (int)(e % ow);
    int y = (int)((e / ow) % oh);
    int z = (int)((e / ((i64)ow * oh)) % od);
    i64 p = e / ((i64)ow * oh * od);
    int di[4], hi[4], wi[4];
    double dw[4], hw[4], ww[4];
    int nd = sample_taps<T>(mode, id, od, sd, align, z, di, dw);
    int nh = sample_taps<T>(mode, ih, oh, sh, align, y, hi, hw);
    int nw = sample_taps<T>(mode, iw, ow, sw, align, x, wi, ww);
    i64 base = p * id * ih * iw;
    if (backward) {
      double g = (double)src[e];
      for (int a = 0; a < nd; a++)
        for (int b = 0; b < nh; b++) {
          double wab = dw[a] * hw[b];
          for (int c = 0; c < nw; c++)
            atomic_add(dst + base + ((i64)di[a] * ih + hi[b]) * iw + wi[c], (T)(g * (wab * ww[c])));
        }
    } else {
      double sumD = 0;
      for (int a = 0; a < nd; a++) {
        double sumH = 0;
        for (int b = 0; b < nh; b++) {
          double sumW = 0;
          const T* row = src + base + ((i64)di[a] * ih + hi[b]) * iw;
          for (int c = 0; c < nw; c++) sumW += ww[c] * (double)row[wi[c]];
          sumH += hw[b] * sumW;
        }
        sumD += dw[a] * sumH;
      }
      dst[e] = (T)sumD;
    }
  }
}

// ---------------------------------------------------------------------------------------- grid_sample (2-d)
// ATen's grid_sampler_2d (aten/src/ATen/native/GridSampler.h), in double as
// dev.jnn.backend.cpu.CpuGridSample: input [n, c, h, w], grid [n, oh, ow, 2], output [n, c, oh, ow].
// mode: 0 bilinear, 1 nearest, 2 bicubic; padding: 0 zeros, 1 border, 2 reflection.
__device__ __forceinline__ double gs_unnormalize(double coord, int size, int align) {
  return align ? (coord + 1) / 2 * (size - 1) : ((coord + 1) * size - 1) / 2;
}

__device__ __forceinline__ double gs_clip(double in, int limit, double* grad) {
  if (in <= 0) {
    if (grad) *grad = 0;
    return 0;
  }
  double mx = limit - 1;
  if (in >= mx) {
    if (grad) *grad = 0;
    return mx;
  }
  if (grad) *grad = 1;
  return in;
}

__device__ __forceinline__ double gs_reflect(double in, int twiceLow, int twiceHigh, double* grad) {
  if (twiceLow == twiceHigh) {
    if (grad) *grad = 0;
    return 0;
  }
  double mn = twiceLow / 2.0;
  double span = (twiceHigh - twiceLow) / 2.0;
  in = in - mn;
  int mult = 1;
  if (in < 0) {
    mult = -1;
    in = -in;
  }
  double extra = fmod(in, span);
  int flips = (int)floor(in / span);
  if (flips % 2 == 0) {
    if (grad) *grad = mult;
    return extra + mn;
  }
  if (grad) *grad = -mult;
  return span - extra + mn;
}

__device__ __forceinline__ double gs_coordinates(double coord, int size, int padding, int align, double* grad) {
  double g = 1, gc = 1, gr = 1;
  if (padding == 1) {
    coord = gs_clip(coord, size, &gc);
    g = gc;
  } else if (padding == 2) {
    coord = align ? gs_reflect(coord, 0, 2 * (size - 1), &gr) : gs_reflect(coord, -1, 2 * size - 1, &gr);
    coord = gs_clip(coord, size, &gc);
    g = gr * gc;
  }
  if (grad) *grad = g;
  return coord;
}

__device__ __forceinline__ bool gs_in(i64 y, i64 x, int h, int w) { return y >= 0 && y < h && x >= 0 && x < w; }

__device__ __forceinline__ i64 gs_bounded(double x, double y, int h, int w, int padding, int align) {
  x = gs_coordinates(x, w, padding, align, 0);
  y = gs_coordinates(y, h, padding, align, 0);
  i64 ix = (i64)x, iy = (i64)y;
  return gs_in(iy, ix, h, w) ? iy * w + ix : -1;
}

__device__ __forceinline__ void gs_cubic(double* c, double t) {
  double a = -0.75;
  double x1 = t + 1;
  c[0] = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a;
  c[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
  double x2 = 1 - t;
  c[2] = ((a + 2) * x2 - (a + 3)) * x2 * x2 + 1;
  double x3 = x2 + 1;
  c[3] = ((a * x3 - 5 * a) * x3 + 8 * a) * x3 - 4 * a;
}

__device__ __forceinline__ void gs_cubic_grad(double* c, double t) {
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

template <typename T>
__device__ __forceinline__ void grid_sample2d_fwd(const T* in, const T* grid, T* out, int mode, int padding, int align, int n, int c,
                                                  int h, int w, int oh, int ow) {
  i64 oplane = (i64)oh * ow;
  i64 total = (i64)n * c * oplane;
  GRID_STRIDE(e, total) {
    i64 p = e % oplane;
    i64 nc = e / oplane;
    i64 b = nc / c;
    const T* src = in + nc * h * w;
    double x = (double)grid[(b * oplane + p) * 2];
    double y = (double)grid[(b * oplane + p) * 2 + 1];
    double v = 0;
    if (mode == 2) {
      double ix = gs_unnormalize(x, w, align), iy = gs_unnormalize(y, h, align);
      double fx = floor(ix), fy = floor(iy);
      double cx[4], cy[4];
      gs_cubic(cx, ix - fx);
      gs_cubic(cy, iy - fy);
      for (int i = 0; i < 4; i++) {
        double row = 0;
        for (int j = 0; j < 4; j++) {
          i64 k = gs_bounded(fx - 1 + j, fy - 1 + i, h, w, padding, align);
          row += cx[j] * (k < 0 ? 0.0 : (double)src[k]);
        }
        v += cy[i] * row;
      }
    } else {
      double ix = gs_coordinates(gs_unnormalize(x, w, align), w, padding, align, 0);
      double iy = gs_coordinates(gs_unnormalize(y, h, align), h, padding, align, 0);
      if (mode == 0) {
        i64 x0 = (i64)floor(ix), y0 = (i64)floor(iy);
        double nw = (x0 + 1 - ix) * (y0 + 1 - iy), ne = (ix - x0) * (y0 + 1 - iy);
        double sw = (x0 + 1 - ix) * (iy - y0), se = (ix - x0) * (iy - y0);
        if (gs_in(y0, x0, h, w)) v += (double)src[y0 * w + x0] * nw;
        if (gs_in(y0, x0 + 1, h, w)) v += (double)src[y0 * w + x0 + 1] * ne;
        if (gs_in(y0 + 1, x0, h, w)) v += (double)src[(y0 + 1) * w + x0] * sw;
        if (gs_in(y0 + 1, x0 + 1, h, w)) v += (double)src[(y0 + 1) * w + x0 + 1] * se;
      } else {
        i64 xn = (i64)rint(ix), yn = (i64)rint(iy);
        if (gs_in(yn, xn, h, w)) v = (double)src[yn * w + xn];
      }
    }
    out[e] = (T)v;
  }
}

// one thread per grid point: the input gradient atomically (points share taps), the grid's directly
template <typename T>
__device__ __forceinline__ void grid_sample2d_bwd(const T* gradOut, const T* in, const T* grid, T* gradIn, T* gradGrid, int mode,
                                                  int padding, int align, int n, int c, int h, int w, int oh, int ow) {
  i64 oplane = (i64)oh * ow;
  i64 total = (i64)n * oplane;
  GRID_STRIDE(q, total) {
    i64 b = q / oplane;
    i64 p = q % oplane;
    double x = (double)grid[q * 2];
    double y = (double)grid[q * 2 + 1];
    double gix = 0, giy = 0, mx, my;
    if (mode == 2) {
      mx = align ? (w - 1) / 2.0 : w / 2.0;
      my = align ? (h - 1) / 2.0 : h / 2.0;
      double ix = gs_unnormalize(x, w, align), iy = gs_unnormalize(y, h, align);
      double fx = floor(ix), fy = floor(iy);
      double cx[4], cy[4], dx[4], dy[4];
      gs_cubic(cx, ix - fx);
      gs_cubic(cy, iy - fy);
      gs_cubic_grad(dx, ix - fx);
      gs_cubic_grad(dy, iy - fy);
      for (int ch = 0; ch < c; ch++) {
        i64 base = (b * c + ch) * h * w;
        double g = (double)gradOut[(b * c + ch) * oplane + p];
        for (int i = 0; i < 4; i++)
          for (int j = 0; j < 4; j++) {
            i64 k = gs_bounded(fx - 1 + i, fy - 1 + j, h, w, padding, align);
            if (k >= 0) {
              if (gradIn) atomic_add(gradIn + base + k, (T)(g * cx[i] * cy[j]));
              double v = (double)in[base + k];
              gix -= v * dx[i] * cy[j] * g;
              giy -= v * dy[j] * cx[i] * g;
            }
          }
      }
    } else {
      double ix = gs_unnormalize(x, w, align), iy = gs_unnormalize(y, h, align);
      double gcx, gcy;
      ix = gs_coordinates(ix, w, padding, align, &gcx);
      iy = gs_coordinates(iy, h, padding, align, &gcy);
      mx = (align ? (w - 1) / 2.0 : w / 2.0) * gcx;
      my = (align ? (h - 1) / 2.0 : h / 2.0) * gcy;
      if (mode == 0) {
        i64 x0 = (i64)floor(ix), y0 = (i64)floor(iy);
        double nw = (x0 + 1 - ix) * (y0 + 1 - iy), ne = (ix - x0) * (y0 + 1 - iy);
        double sw = (x0 + 1 - ix) * (iy - y0), se = (ix - x0) * (iy - y0);
        for (int ch = 0; ch < c; ch++) {
          i64 base = (b * c + ch) * h * w;
          double g = (double)gradOut[(b * c + ch) * oplane + p];
          if (gs_in(y0, x0, h, w)) {
            i64 k = base + y0 * w + x0;
            if (gradIn) atomic_add(gradIn + k, (T)(nw * g));
            double v = (double)in[k];
            gix -= v * (y0 + 1 - iy) * g;
            giy -= v * (x0 + 1 - ix) * g;
          }
          if (gs_in(y0, x0 + 1, h, w)) {
            i64 k = base + y0 * w + x0 + 1;
            if (gradIn) atomic_add(gradIn + k, (T)(ne * g));
            double v = (double)in[k];
            gix += v * (y0 + 1 - iy) * g;
            giy -= v * (ix - x0) * g;
          }
          if (gs_in(y0 + 1, x0, h, w)) {
            i64 k = base + (y0 + 1) * w + x0;
            if (gradIn) atomic_add(gradIn + k, (T)(sw * g));
            double v = (double)in[k];
            gix -= v * (iy - y0) * g;
            giy += v * (x0 + 1 - ix) * g;
          }
          if (gs_in(y0 + 1, x0 + 1, h, w)) {
            i64 k = base + (y0 + 1) * w + x0 + 1;
            if (gradIn) atomic_add(gradIn + k, (T)(se * g));
            double v = (double)in[k];
            gix += v * (iy - y0) * g;
            giy += v * (ix - x0) * g;
          }
        }
      } else if (gradIn) {
        i64 xn = (i64)rint(ix), yn = (i64)rint(iy);
        if (gs_in(yn, xn, h, w))
          for (int ch = 0; ch < c; ch++)
            atomic_add(gradIn + (b * c + ch) * h * w + yn * w + xn, gradOut[(b * c + ch) * oplane + p]);
      }
    }
    gradGrid[q * 2] = (T)(mx * gix);
    gradGrid[q * 2 + 1] = (T)(my * giy);
  }
}

// ---------------------------------------------------------------------------------------- grid_sample (3-d)
// ATen's grid_sampler_3d, trilinear (mode 0) and nearest (mode 1): input [n, c, d, h, w], grid
// [n, od, oh, ow, 3] (x, y, z), output [n, c, od, oh, ow]; corner k = (x bit 0, y bit 1, z bit 2),
// ATen's tnw, tne, tsw, tse, bnw, bne, bsw, bse order.
__device__ __forceinline__ double gs_corner(int b, double i, i64 i0) { return b == 0 ? i0 + 1 - i : i - i0; }

template <typename T>
__device__ __forceinline__ void grid_sample3d_fwd(const T* in, const T* grid, T* out, int mode, int padding, int align, int n, int c,
                                                  int d, int h, int w, int od, int oh, int ow) {
  i64 ovol = (i64)od * oh * ow;
  i64 vol = (i64)d * h * w;
  i64 total = (i64)n * c * ovol;
  GRID_STRIDE(e, total) {
    i64 p = e % ovol;
    i64 nc = e / ovol;
    i64 b = nc / c;
    const T* src = in + nc * vol;
    const T* g = grid + (b * ovol + p) * 3;
    double ix = gs_coordinates(gs_unnormalize((double)g[0], w, align), w, padding, align, 0);
    double iy = gs_coordinates(gs_unnormalize((double)g[1], h, align), h, padding, align, 0);
    double iz = gs_coordinates(gs_unnormalize((double)g[2], d, align), d, padding, align, 0);
    double v = 0;
    if (mode == 0) {
      i64 x0 = (i64)floor(ix), y0 = (i64)floor(iy), z0 = (i64)floor(iz);
      for (int k = 0; k < 8; k++) {
        int bx = k & 1, by = (k >> 1) & 1, bz = k >> 2;
        i64 x = x0 + bx, y = y0 + by, z = z0 + bz;
        if (z >= 0 && z < d && gs_in(y, x, h, w))
          v += (double)src[(z * h + y) * w + x] * (gs_corner(bx, ix, x0) * gs_corner(by, iy, y0) * gs_corner(bz, iz, z0));
      }
    } else {
      i64 x = (i64)rint(ix), y = (i64)rint(iy), z = (i64)rint(iz);
      if (z >= 0 && z < d && gs_in(y, x, h, w)) v = (double)src[(z * h + y) * w + x];
    }
    out[e] = (T)v;
  }
}

template <typename T>
__device__ __forceinline__ void grid_sample3d_bwd(const T* gradOut, const T* in, const T* grid, T* gradIn, T* gradGrid, int mode,
                                                  int padding, int align, int n, int c, int d, int h, int w, int od, int oh, int ow) {
  i64 ovol = (i64)od * oh * ow;
  i64 vol = (i64)d * h * w;
  i64 total = (i64)n * ovol;
  GRID_STRIDE(q, total) {
    i64 b = q / ovol;
    i64 p = q % ovol;
    const T* g = grid + q * 3;
    double gcx, gcy, gcz;
    double ix = gs_coordinates(gs_unnormalize((double)g[0], w, align), w, padding, align, &gcx);
    double iy = gs_coordinates(gs_unnormalize((double)g[1], h, align), h, padding, align, &gcy);
    double iz = gs_coordinates(gs_unnormalize((double)g[2], d, align), d, padding, align, &gcz);
    double mx = (align ? (w - 1) / 2.0 : w / 2.0) * gcx;
    double my = (align ? (h - 1) / 2.0 : h / 2.0) * gcy;
    double mz = (align ? (d - 1) / 2.0 : d / 2.0) * gcz;
    double gix = 0, giy = 0, giz = 0;
    if (mode == 0) {
      i64 x0 = (i64)floor(ix), y0 = (i64)floor(iy), z0 = (i64)floor(iz);
      for (int ch = 0; ch < c; ch++) {
        i64 base = (b * c + ch) * vol;
        double go = (double)gradOut[(b * c + ch) * ovol + p];
        for (int k = 0; k < 8; k++) {
          int bx = k & 1, by = (k >> 1) & 1, bz = k >> 2;
          i64 x = x0 + bx, y = y0 + by, z = z0 + bz;
          if (z >= 0 && z < d && gs_in(y, x, h, w)) {
            double wx = gs_corner(bx, ix, x0), wy = gs_corner(by, iy, y0), wz = gs_corner(bz, iz, z0);
            i64 idx = base + (z * h + y) * w + x;
            if (gradIn) atomic_add(gradIn + idx, (T)(wx * wy * wz * go));
            double v = (double)in[idx] * go;
            gix += (bx == 0 ? -v : v) * wy * wz;
            giy += (by == 0 ? -v : v) * wx * wz;
            giz += (bz == 0 ? -v : v) * wx * wy;
          }
        }
      }
    } else if (gradIn) {
      i64 x = (i64)rint(ix), y = (i64)rint(iy), z = (i64)rint(iz);
      if (z >= 0 && z < d && gs_in(y, x, h, w))
        for (int ch = 0; ch < c; ch++)
          atomic_add(gradIn + (b * c + ch) * vol + (z * h + y) * w + x, gradOut[(b * c + ch) * ovol + p]);
    }
    gradGrid[q * 3] = (T)(mx * gix);
    gradGrid[q * 3 + 1] = (T)(my * giy);
    gradGrid[q * 3 + 2] = (T)(mz * giz);
  }
}

// ---------------------------------------------------------------------------------------- anti-aliased (2-d)
// ATen 1.13's _upsample_bilinear2d_aa / _upsample_bicubic2d_aa (_compute_weights_aa), as
// dev.jnn.backend.cpu.CpuSample.aaTaps: per output coordinate, the input window
// [xmin, xmin + xsize) around center = scale * (dst + 0.5), weights of the triangle (mode 5) or
// Keys cubic (mode 6, a = -0.5) filter, stretched by the scale when downsampling, normalised.
#define SAMPLE_LINEAR_AA 5
#define SAMPLE_CUBIC_AA 6

template <typename T>
__device__ __forceinline__ T sample_aa_filter(int mode, T x) {
  x = x < (T)0 ? -x : x;
  if (mode == SAMPLE_LINEAR_AA) return x < (T)1 ? (T)1 - x : (T)0;
  T a = (T)-0.5;
  if (x < (T)1) return sample_cubic1<T>(x, a);
  return x < (T)2 ? sample_cubic2<T>(x, a) : (T)0;
}

template <typename T>
struct SampleAa {
  i64 xmin, xsize;
  T center, invscale, total;
};

template <typename T>
__device__ __forceinline__ T sample_aa_raw(int mode, const SampleAa<T>& a, i64 j) {
  return sample_aa_filter<T>(mode, (T)(((double)((T)(j + a.xmin) - a.center) + 0.5) * (double)a.invscale));
}

template <typename T>
__device__ __forceinline__ T sample_aa_weight(int mode, const SampleAa<T>& a, i64 j) {
  T v = sample_aa_raw<T>(mode, a, j);
  return a.total != (T)0 ? v / a.total : v;
}

template <typename T>
__device__ __forceinline__ SampleAa<T> sample_aa_setup(int mode, int in, int out, double scaleOpt, int align, int dst) {
  SampleAa<T> a;
  T scale = sample_area_scale<T>(in, out, align, scaleOpt);
  T half = mode == SAMPLE_CUBIC_AA ? (T)2 : (T)1;
  T support = scale >= (T)1 ? half * scale : half;
  a.center = scale * (T)(dst + 0.5);
  a.invscale = scale >= (T)1 ? (T)1 / scale : (T)1;
  i64 lo = (i64)((double)(a.center - support) + 0.5);
  a.xmin = lo > 0 ? lo : 0;
  i64 hi = (i64)((double)(a.center + support) + 0.5);
  a.xsize = (hi < in ? hi : in) - a.xmin;
  a.total = (T)0;
  for (i64 j = 0; j < a.xsize; j++) a.total = a.total + sample_aa_raw<T>(mode, a, j);
  return a;
}

template <typename T>
__device__ __forceinline__ void upsample_aa_run(const T* src, T* dst, int mode, int planes, int ih, int iw, int oh, int ow,
                                                double sh, double sw, int align, int backward) {
  i64 total = (i64)planes * oh * ow;
  GRID_STRIDE(e, total) {
    int x = (int)(e % ow);
    int y = (int)((e / ow) % oh);
    i64 p = e / ((i64)ow * oh);
    SampleAa<T> ay = sample_aa_setup<T>(mode, ih, oh, sh, align, y);
    SampleAa<T> ax = sample_aa_setup<T>(mode, iw, ow, sw, align, x);
    i64 base = p * ih * iw;
    if (backward) {
      double g = (double)src[e];
      for (i64 b = 0; b < ay.xsize; b++) {
        double wb = (double)sample_aa_weight<T>(mode, ay, b);
        for (i64 c = 0; c < ax.xsize; c++)
          atomic_add(dst + base + (ay.xmin + b) * iw + ax.xmin + c, (T)(g * (wb * (double)sample_aa_weight<T>(mode, ax, c))));
      }
    } else {
      double sumH = 0;
      for (i64 b = 0; b < ay.xsize; b++) {
        const T* row = src + base + (ay.xmin + b) * iw + ax.xmin;
        double sumW = 0;
        for (i64 c = 0; c < ax.xsize; c++) sumW += (double)sample_aa_weight<T>(mode, ax, c) * (double)row[c];
        sumH += (double)sample_aa_weight<T>(mode, ay, b) * sumW;
      }
      dst[e] = (T)sumH;
    }
  }
}

#define DEFINE_SAMPLE(NAME, T)                                                                                       \
  extern "C" __global__ void upsample_fwd_##NAME(const T* x, T* out, int mode, int planes, int id, int ih, int iw, int od, int oh, \
                                                 int ow, double sd, double sh, double sw, int align) {               \
    if (mode == SAMPLE_LINEAR_AA || mode == SAMPLE_CUBIC_AA)                                                         \
      upsample_aa_run<T>(x, out, mode, planes * id, ih, iw, oh, ow, sh, sw, align, 0);                                 \
    else                                                                                                             \
      upsample_run<T>(x, out, mode, planes, id, ih, iw, od, oh, ow, sd, sh, sw, align, 0);                             \
  }                                                                                                                  \
  extern "C" __global__ void upsample_bwd_##NAME(const T* gradOut, T* gradIn, int mode, int planes, int id, int ih, int iw, int od, \
                                                 int oh, int ow, double sd, double sh, double sw, int align) {       \
    if (mode == SAMPLE_LINEAR_AA || mode == SAMPLE_CUBIC_AA)                                                         \
      upsample_aa_run<T>(gradOut, gradIn, mode, planes * id, ih, iw, oh, ow, sh, sw, align, 1);                        \
    else                                                                                                             \
      upsample_run<T>(gradOut, gradIn, mode, planes, id, ih, iw, od, oh, ow, sd, sh, sw, align, 1);                    \
  }                                                                                                                  \
  extern "C" __global__ void grid_sample2d_fwd_##NAME(const T* in, const T* grid, T* out, int mode, int padding, int align, int n, \
                                                      int c, int d, int h, int w, int od, int oh, int ow) {           \
    grid_sample2d_fwd<T>(in, grid, out, mode, padding, align, n, c, h, w, oh, ow);                                     \
  }                                                                                                                  \
  extern "C" __global__ void grid_sample2d_bwd_##NAME(const T* gradOut, const T* in, const T* grid, T* gradIn, T* gradGrid, int mode, \
                                                      int padding, int align, int n, int c, int d, int h, int w, int od, int oh, \
                                                      int ow) {                                                       \
    grid_sample2d_bwd<T>(gradOut, in, grid, gradIn, gradGrid, mode, padding, align, n, c, h, w, oh, ow);               \
  }                                                                                                                  \
  extern "C" __global__ void grid_sample3d_fwd_##NAME(const T* in, const T* grid, T* out, int mode, int padding, int align, int n, \
                                                      int c, int d, int h, int w, int od, int oh, int ow) {           \
    grid_sample3d_fwd<T>(in, grid, out, mode, padding, align, n, c, d, h, w, od, oh, ow);                              \
  }                                                                                                                  \
  extern "C" __global__ void grid_sample3d_bwd_##NAME(const T* gradOut, const T* in, const T* grid, T* gradIn, T* gradGrid, int mode, \
                                                      int padding, int align, int n, int c, int d, int h, int w, int od, int oh, \
                                                      int ow) {                                                       \
    grid_sample3d_bwd<T>(gradOut, in, grid, gradIn, gradGrid, mode, padding, align, n, c, d, h, w, od, oh, ow);        \
  }

DEFINE_SAMPLE(f32, float)
DEFINE_SAMPLE(f64, double)
