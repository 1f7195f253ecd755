// Issue 20's pooling kernels: 3-D max and average pooling, and adaptive max and average pooling
// over volumes (adaptive max pooling of every rank runs here as its d = 1 case). Each follows
// dev.jnn.backend.cpu.CpuPoolNd (PyTorch's CPU window arithmetic: NaN wins a window, ties keep the
// first maximum in (depth, row, column) scan order, PyTorch's divisors); sums accumulate in double.
// The max poolings' backward is nn.cuh's maxpool2d_bwd on planes seen as one row
// (PoolKernels.indexedPoolBackward). Pointers point at element 0 of their contiguous operand.
#pragma once
#include "common.cuh"

// geometry as in dev.jnn.backend.Pool3dGeometry
struct Pool3Geo {
  int planes, d, h, w, kd, kh, kw, sd, sh, sw, pd, ph, pw, dild, dilh, dilw, od, oh, ow;
};

// geometry as in dev.jnn.backend.AdaptivePool3dGeometry
struct APool3Geo {
  int planes, d, h, w, od, oh, ow;
};

// output element e -> (plane p, t, i, j)
__device__ __forceinline__ void pool3_cell(i64 e, int od, int oh, int ow, i64* p, int* t, int* i, int* j) {
  *j = (int)(e % ow);
  *i = (int)((e / ow) % oh);
  *t = (int)((e / ((i64)ow * oh)) % od);
  *p = e / ((i64)od * oh * ow);
}

template <typename T>
__device__ __forceinline__ void maxpool3_fwd(Pool3Geo g, const T* x, T* out, i64* indices) {
  i64 total = (i64)g.planes * g.od * g.oh * g.ow;
  GRID_STRIDE(e, total) {
    i64 p;
    int t, i, j;
    pool3_cell(e, g.od, g.oh, g.ow, &p, &t, &i, &j);
    i64 hw = (i64)g.h * g.w;
    const T* base = x + p * g.d * hw;
    int it0 = t * g.sd - g.pd;
    int it1 = min(it0 + (g.kd - 1) * g.dild + 1, g.d);
    while (it0 < 0) it0 += g.dild;
    int ih0 = i * g.sh - g.ph;
    int ih1 = min(ih0 + (g.kh - 1) * g.dilh + 1, g.h);
    while (ih0 < 0) ih0 += g.dilh;
    int iw0 = j * g.sw - g.pw;
    int iw1 = min(iw0 + (g.kw - 1) * g.dilw + 1, g.w);
    while (iw0 < 0) iw0 += g.dilw;
    i64 maxIndex = it0 * hw + (i64)ih0 * g.w + iw0;
    T mx = (T)-INFINITY;
    for (int it = it0; it < it1; it += g.dild) {
      for (int ih = ih0; ih < ih1; ih += g.dilh) {
        for (int iw = iw0; iw < iw1; iw += g.dilw) {
          i64 k = it * hw + (i64)ih * g.w + iw;
          T v = base[k];
          if (v > mx || is_nan(v)) {
            mx = v;
            maxIndex = k;
          }
        }
      }
    }
    out[e] = mx;
    if (indices) indices[e] = maxIndex;
  }
}

// one axis of an average window: start/end clipped to the input, and the padded size
__device__ __forceinline__ void avg3_axis(int o, int stride, int pad, int k, int size, int* start, int* end, int* padded) {
  int s = o * stride - pad;
  int en = min(s + k, size + pad);
  *padded = en - s;
  *start = max(s, 0);
  *end = min(en, size);
}

// the window of output (t, i, j) in win[0..5] and its divisor (0: the window misses the input)
__device__ __forceinline__ int avg3_window(const Pool3Geo& g, int t, int i, int j, int countIncludePad, int divisorOverride, int* win) {
  int pt, ph, pw;
  avg3_axis(t, g.sd, g.pd, g.kd, g.d, win + 0, win + 1, &pt);
  avg3_axis(i, g.sh, g.ph, g.kh, g.h, win + 2, win + 3, &ph);
  avg3_axis(j, g.sw, g.pw, g.kw, g.w, win + 4, win + 5, &pw);
  if (win[0] >= win[1] || win[2] >= win[3] || win[4] >= win[5]) return 0;
  if (divisorOverride != 0) return divisorOverride;
  if (countIncludePad) return pt * ph * pw;
  return (win[1] - win[0]) * (win[3] - win[2]) * (win[5] - win[4]);
}

template <typename T>
__device__ __forceinline__ void avgpool3_fwd(Pool3Geo g, const T* x, T* out, int countIncludePad, int divisorOverride) {
  i64 total = (i64)g.planes * g.od * g.oh * g.ow;
  GRID_STRIDE(e, total) {
    i64 p;
    int t, i, j;
    pool3_cell(e, g.od, g.oh, g.ow, &p, &t, &i, &j);
    int win[6];
    int div = avg3_window(g, t, i, j, countIncludePad, divisorOverride, win);
    if (div == 0) {
      out[e] = (T)0;
      continue;
    }
    i64 hw = (i64)g.h * g.w;
    const T* base = x + p * g.d * hw;
    double sum = 0;
    for (int it = win[0]; it < win[1]; it++)
      for (int ih = win[2]; ih < win[3]; ih++)
        for (int iw = win[4]; iw < win[5]; iw++) sum += (double)base[it * hw + (i64)ih * g.w + iw];
    out[e] = (T)(sum / div);
  }
}

template <typename T>
__device__ __forceinline__ void avgpool3_bwd(Pool3Geo g, const T* gradOut, T* gradIn, int countIncludePad, int divisorOverride) {
  i64 total = (i64)g.planes * g.od * g.oh * g.ow;
  GRID_STRIDE(e, total) {
    i64 p;
    int t, i, j;
    pool3_cell(e, g.od, g.oh, g.ow, &p, &t, &i, &j);
    int win[6];
    int div = avg3_window(g, t, i, j, countIncludePad, divisorOverride, win);
    if (div == 0) continue;
    T v = gradOut[e] / (T)div;
    i64 hw = (i64)g.h * g.w;
    T* base = gradIn + p * g.d * hw;
    for (int it = win[0]; it < win[1]; it++)
      for (int ih = win[2]; ih < win[3]; ih++)
        for (int iw = win[4]; iw < win[5]; iw++) atomic_add(base + it * hw + (i64)ih * g.w + iw, v);
  }
}

__device__ __forceinline__ int ap3_start(int a, int b, int c) {
  return (int)(((i64)a * c) / b);  // a, b, c >= 0: floor division
}
__device__ __forceinline__ int ap3_end(int a, int b, int c) {
  return (int)(((i64)(a + 1) * c + b - 1) / b);  // ceil((a + 1) * c / b)
}

template <typename T>
__device__ __forceinline__ void adaptive_maxpool3_fwd(APool3Geo g, const T* x, T* out, i64* indices) {
  i64 total = (i64)g.planes * g.od * g.oh * g.ow;
  GRID_STRIDE(e, total) {
    i64 p;
    int t, i, j;
    pool3_cell(e, g.od, g.oh, g.ow, &p, &t, &i, &j);
    int it0 = ap3_start(t, g.od, g.d), it1 = ap3_end(t, g.od, g.d);
    int ih0 = ap3_start(i, g.oh, g.h), ih1 = ap3_end(i, g.oh, g.h);
    int iw0 = ap3_start(j, g.ow, g.w), iw1 = ap3_end(j, g.ow, g.w);
    i64 hw = (i64)g.h * g.w;
    const T* base = x + p * g.d * hw;
    i64 maxIndex = it0 * hw + (i64)ih0 * g.w + iw0;
    T mx = (T)-INFINITY;
    for (int it = it0; it < it1; it++) {
      for (int ih = ih0; ih < ih1; ih++) {
        for (int iw = iw0; iw < iw1; iw++) {
          i64 k = it * hw + (i64)ih * g.w + iw;
          T v = base[k];
          if (v > mx || is_nan(v)) {
            mx = v;
            maxIndex = k;
          }
        }
      }
    }
    out[e] = mx;
    indices[e] = maxIndex;
  }
}

template <typename T>
__device__ __forceinline__ void adaptive_avgpool3_fwd(APool3Geo g, const T* x, T* out) {
  i64 total = (i64)g.planes * g.od * g.oh * g.ow;
  GRID_STRIDE(e, total) {
    i64 p;
    int t, i, j;
    pool3_cell(e, g.od, g.oh, g.ow, &p, &t, &i, &j);
    int it0 = ap3_start(t, g.od, g.d), it1 = ap3_end(t, g.od, g.d);
    int ih0 = ap3_start(i, g.oh, g.h), ih1 = ap3_end(i, g.oh, g.h);
    int iw0 = ap3_start(j, g.ow, g.w), iw1 = ap3_end(j, g.ow, g.w);
    i64 hw = (i64)g.h * g.w;
    const T* base = x + p * g.d * hw;
    double sum = 0;
    for (int it = it0; it < it1; it++)
      for (int ih = ih0; ih < ih1; ih++)
        for (int iw = iw0; iw < iw1; iw++) sum += (double)base[it * hw + (i64)ih * g.w + iw];
    out[e] = (T)(sum / ((it1 - it0) * (ih1 - ih0) * (iw1 - iw0)));
  }
}

template <typename T>
__device__ __forceinline__ void adaptive_avgpool3_bwd(APool3Geo g, const T* gradOut, T* gradIn) {
  i64 total = (i64)g.planes * g.od * g.oh * g.ow;
  GRID_STRIDE(e, total) {
    i64 p;
    int t, i, j;
    pool3_cell(e, g.od, g.oh, g.ow, &p, &t, &i, &j);
    int it0 = ap3_start(t, g.od, g.d), it1 = ap3_end(t, g.od, g.d);
    int ih0 = ap3_start(i, g.oh, g.h), ih1 = ap3_end(i, g.oh, g.h);
    int iw0 = ap3_start(j, g.ow, g.w), iw1 = ap3_end(j, g.ow, g.w);
    i64 hw = (i64)g.h * g.w;
    T* base = gradIn + p * g.d * hw;
    T v = gradOut[e] / (T)((it1 - it0) * (ih1 - ih0) * (iw1 - iw0));
    for (int it = it0; it < it1; it++)
      for (int ih = ih0; ih < ih1; ih++)
        for (int iw = iw0; iw < iw1; iw++) atomic_add(base + it * hw + (i64)ih * g.w + iw, v);
  }
}

// ---------------------------------------------------------------------------------------- entry points
#define DEFINE_POOL3(NAME, T)                                                                                        \
  extern "C" __global__ void maxpool3d_fwd_##NAME(Pool3Geo g, const T* x, T* out, i64* indices) {                    \
    maxpool3_fwd<T>(g, x, out, indices);                                                                             \
  }                                                                                                                  \
  extern "C" __global__ void avgpool3d_fwd_##NAME(Pool3Geo g, const T* x, T* out, int countIncludePad, int divisorOverride) { \
    avgpool3_fwd<T>(g, x, out, countIncludePad, divisorOverride);                                                    \
  }                                                                                                                  \
  extern "C" __global__ void avgpool3d_bwd_##NAME(Pool3Geo g, const T* gradOut, T* gradIn, int countIncludePad, int divisorOverride) { \
    avgpool3_bwd<T>(g, gradOut, gradIn, countIncludePad, divisorOverride);                                           \
  }                                                                                                                  \
  extern "C" __global__ void adaptive_maxpool3d_fwd_##NAME(APool3Geo g, const T* x, T* out, i64* indices) {          \
    adaptive_maxpool3_fwd<T>(g, x, out, indices);                                                                    \
  }                                                                                                                  \
  extern "C" __global__ void adaptive_avgpool3d_fwd_##NAME(APool3Geo g, const T* x, T* out) {                        \
    adaptive_avgpool3_fwd<T>(g, x, out);                                                                             \
  }                                                                                                                  \
  extern "C" __global__ void adaptive_avgpool3d_bwd_##NAME(APool3Geo g, const T* gradOut, T* gradIn) {               \
    adaptive_avgpool3_bwd<T>(g, gradOut, gradIn);                                                                    \
  }

DEFINE_POOL3(f32, float)
DEFINE_POOL3(f64, double)
