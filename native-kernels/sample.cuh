// Resampling (dev.jnn.backend.SampleKernels): F.interpolate's nearest, nearest-exact, linear
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
  if (mode == SAMPLE_NEAREST) {
    int i;
    if (out == in) {
      i = dst;
    } else if (out == 2 * in) {
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

#define DEFINE_SAMPLE(NAME, T)                                                                                       \
  extern "C" __global__ void upsample_fwd_##NAME(const T* x, T* out, int mode, int planes, int id, int ih, int iw, int od, int oh, \
                                                 int ow, double sd, double sh, double sw, int align) {               \
    upsample_run<T>(x, out, mode, planes, id, ih, iw, od, oh, ow, sd, sh, sw, align, 0);                               \
  }                                                                                                                  \
  extern "C" __global__ void upsample_bwd_##NAME(const T* gradOut, T* gradIn, int mode, int planes, int id, int ih, int iw, int od, \
                                                 int oh, int ow, double sd, double sh, double sw, int align) {       \
    upsample_run<T>(gradOut, gradIn, mode, planes, id, ih, iw, od, oh, ow, sd, sh, sw, align, 1);                      \
  }

DEFINE_SAMPLE(f32, float)
DEFINE_SAMPLE(f64, double)
