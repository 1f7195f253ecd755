// Neural-network kernels cuDNN does not cover with PyTorch's exact semantics: pooling (with
// indices, NaN propagation and PyTorch's divisor rules), batch norm with biased batch variance,
// layer norm, softmax/log-softmax over [outer, size, inner], NLL / fused cross-entropy gradient
// and embedding. Each follows the matching dev.jnn.backend.cpu class (CpuPool, CpuNorm, CpuSoftmax,
// CpuLoss); statistics accumulate in double as there. Pointers point at element 0 of their
// (contiguous) operand; optional operands are null.
#pragma once
#include "common.cuh"

// ---------------------------------------------------------------------------------------- pooling
// geometry as in dev.jnn.backend.Pool2dGeometry
struct PoolGeo {
  int planes, h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, oh, ow;
};

template <typename T>
__device__ __forceinline__ void maxpool_fwd(PoolGeo g, const T* x, T* out, i64* indices) {
  i64 total = (i64)g.planes * g.oh * g.ow;
  GRID_STRIDE(e, total) {
    int j = (int)(e % g.ow);
    int i = (int)((e / g.ow) % g.oh);
    i64 p = e / ((i64)g.oh * g.ow);
    const T* base = x + p * g.h * g.w;
    int ih0 = i * g.strideH - g.padH;
    int ih1 = min(ih0 + (g.kh - 1) * g.dilationH + 1, g.h);
    while (ih0 < 0) ih0 += g.dilationH;
    int iw0 = j * g.strideW - g.padW;
    int iw1 = min(iw0 + (g.kw - 1) * g.dilationW + 1, g.w);
    while (iw0 < 0) iw0 += g.dilationW;
    int maxIndex = ih0 * g.w + iw0;
    T mx = (T)-INFINITY;
    for (int ih = ih0; ih < ih1; ih += g.dilationH) {
      for (int iw = iw0; iw < iw1; iw += g.dilationW) {
        T v = base[ih * g.w + iw];
        if (v > mx || is_nan(v)) {
          mx = v;
          maxIndex = ih * g.w + iw;
        }
      }
    }
    out[e] = mx;
    if (indices) indices[e] = maxIndex;
  }
}

template <typename T>
__device__ __forceinline__ void maxpool_bwd(PoolGeo g, const T* gradOut, const i64* indices, T* gradIn) {
  i64 total = (i64)g.planes * g.oh * g.ow;
  GRID_STRIDE(e, total) {
    i64 p = e / ((i64)g.oh * g.ow);
    i64 k = indices[e];
    if (k < 0 || k >= (i64)g.h * g.w) continue;
    atomic_add(gradIn + p * g.h * g.w + k, gradOut[e]);
  }
}

// the window of output (i, j) clipped to the input and its divisor (0: the window misses the input)
__device__ __forceinline__ int avg_window(const PoolGeo& g, int i, int j, int countIncludePad, int divisorOverride, int* win) {
  int ih0 = i * g.strideH - g.padH;
  int iw0 = j * g.strideW - g.padW;
  int ih1 = min(ih0 + g.kh, g.h + g.padH);
  int iw1 = min(iw0 + g.kw, g.w + g.padW);
  int poolSize = (ih1 - ih0) * (iw1 - iw0);
  ih0 = max(ih0, 0);
  iw0 = max(iw0, 0);
  ih1 = min(ih1, g.h);
  iw1 = min(iw1, g.w);
  win[0] = ih0;
  win[1] = ih1;
  win[2] = iw0;
  win[3] = iw1;
  if (ih0 >= ih1 || iw0 >= iw1) return 0;
  if (divisorOverride != 0) return divisorOverride;
  if (countIncludePad) return poolSize;
  return (ih1 - ih0) * (iw1 - iw0);
}

template <typename T>
__device__ __forceinline__ void avgpool_fwd(PoolGeo g, const T* x, T* out, int countIncludePad, int divisorOverride) {
  i64 total = (i64)g.planes * g.oh * g.ow;
  GRID_STRIDE(e, total) {
    int j = (int)(e % g.ow);
    int i = (int)((e / g.ow) % g.oh);
    i64 p = e / ((i64)g.oh * g.ow);
    int win[4];
    int div = avg_window(g, i, j, countIncludePad, divisorOverride, win);
    if (div == 0) {
      out[e] = (T)0;
      continue;
    }
    const T* base = x + p * g.h * g.w;
    double sum = 0;
    for (int ih = win[0]; ih < win[1]; ih++)
      for (int iw = win[2]; iw < win[3]; iw++) sum += (double)base[ih * g.w + iw];
    out[e] = (T)(sum / div);
  }
}

template <typename T>
__device__ __forceinline__ void avgpool_bwd(PoolGeo g, const T* gradOut, T* gradIn, int countIncludePad, int divisorOverride) {
  i64 total = (i64)g.planes * g.oh * g.ow;
  GRID_STRIDE(e, total) {
    int j = (int)(e % g.ow);
    int i = (int)((e / g.ow) % g.oh);
    i64 p = e / ((i64)g.oh * g.ow);
    int win[4];
    int div = avg_window(g, i, j, countIncludePad, divisorOverride, win);
    if (div == 0) continue;
    T v = gradOut[e] / (T)div;
    T* base = gradIn + p * g.h * g.w;
    for (int ih = win[0]; ih < win[1]; ih++)
      for (int iw = win[2]; iw < win[3]; iw++) atomic_add(base + ih * g.w + iw, v);
  }
}

__device__ __forceinline__ int ad_start(int a, int b, int c) {
  return (int)(((i64)a * c) / b);  // a, b, c >= 0: floor division
}
__device__ __forceinline__ int ad_end(int a, int b, int c) {
  return (int)(((i64)(a + 1) * c + b - 1) / b);  // ceil((a + 1) * c / b)
}

template <typename T>
__device__ __forceinline__ void adaptive_avg_fwd(const T* x, T* out, int planes, int h, int w, int oh, int ow) {
  i64 total = (i64)planes * oh * ow;
  GRID_STRIDE(e, total) {
    int j = (int)(e % ow);
    int i = (int)((e / ow) % oh);
    i64 p = e / ((i64)oh * ow);
    int ih0 = ad_start(i, oh, h), ih1 = ad_end(i, oh, h);
    int iw0 = ad_start(j, ow, w), iw1 = ad_end(j, ow, w);
    const T* base = x + p * h * w;
    double sum = 0;
    for (int ih = ih0; ih < ih1; ih++)
      for (int iw = iw0; iw < iw1; iw++) sum += (double)base[ih * w + iw];
    out[e] = (T)(sum / ((ih1 - ih0) * (iw1 - iw0)));
  }
}

template <typename T>
__device__ __forceinline__ void adaptive_avg_bwd(const T* gradOut, T* gradIn, int planes, int h, int w, int oh, int ow) {
  i64 total = (i64)planes * oh * ow;
  GRID_STRIDE(e, total) {
    int j = (int)(e % ow);
    int i = (int)((e / ow) % oh);
    i64 p = e / ((i64)oh * ow);
    int ih0 = ad_start(i, oh, h), ih1 = ad_end(i, oh, h);
    int iw0 = ad_start(j, ow, w), iw1 = ad_end(j, ow, w);
    T v = gradOut[e] / (T)((ih1 - ih0) * (iw1 - iw0));
    T* base = gradIn + p * h * w;
    for (int ih = ih0; ih < ih1; ih++)
      for (int iw = iw0; iw < iw1; iw++) atomic_add(base + ih * w + iw, v);
  }
}

// ---------------------------------------------------------------------------------------- batch norm
// x is [n, c, s]; one block per channel (blockIdx.x = channel).
template <typename T>
__device__ __forceinline__ void bn_affine(const T* x, T* out, int n, int c, int s, int ch, double mu, double invstd, double w, double b);

template <>
__device__ __forceinline__ void bn_affine<float>(const float* x, float* out, int n, int c, int s, int ch, double mu, double invstd, double w, double b) {
  float scale = (float)(invstd * w);
  float shift = (float)(b - mu * invstd * w);
  i64 cnt = (i64)n * s;
  for (i64 k = threadIdx.x; k < cnt; k += blockDim.x) {
    i64 idx = ((k / s) * c + ch) * (i64)s + k % s;
    out[idx] = x[idx] * scale + shift;
  }
}

template <>
__device__ __forceinline__ void bn_affine<double>(const double* x, double* out, int n, int c, int s, int ch, double mu, double invstd, double w, double b) {
  i64 cnt = (i64)n * s;
  for (i64 k = threadIdx.x; k < cnt; k += blockDim.x) {
    i64 idx = ((k / s) * c + ch) * (i64)s + k % s;
    out[idx] = (x[idx] - mu) * invstd * w + b;
  }
}

template <typename T>
__device__ __forceinline__ void bn_train_fwd(const T* x, const T* weight, const T* bias, int n, int c, int s, double eps, T* out, T* mean, T* var) {
  int ch = blockIdx.x;
  if (ch >= c) return;
  i64 cnt = (i64)n * s;
  double sum = 0;
  for (i64 k = threadIdx.x; k < cnt; k += blockDim.x) sum += (double)x[((k / s) * c + ch) * (i64)s + k % s];
  double mu = block_sum<double>(sum) / cnt;
  double sq = 0;
  for (i64 k = threadIdx.x; k < cnt; k += blockDim.x) {
    double d = (double)x[((k / s) * c + ch) * (i64)s + k % s] - mu;
    sq += d * d;
  }
  double v = block_sum<double>(sq) / cnt;
  if (threadIdx.x == 0) {
    mean[ch] = (T)mu;
    var[ch] = (T)v;
  }
  double invstd = 1.0 / sqrt(v + eps);
  bn_affine<T>(x, out, n, c, s, ch, mu, invstd, weight ? (double)weight[ch] : 1.0, bias ? (double)bias[ch] : 0.0);
}

template <typename T>
__device__ __forceinline__ void bn_infer_fwd(const T* x, const T* weight, const T* bias, const T* mean, const T* var, int n, int c, int s, double eps, T* out) {
  int ch = blockIdx.x;
  if (ch >= c) return;
  double invstd = 1.0 / sqrt((var ? (double)var[ch] : 1.0) + eps);
  bn_affine<T>(x, out, n, c, s, ch, mean ? (double)mean[ch] : 0.0, invstd, weight ? (double)weight[ch] : 1.0, bias ? (double)bias[ch] : 0.0);
}

template <typename T>
__device__ __forceinline__ void bn_bwd(const T* gradOut, const T* x, const T* weight, const T* mean, const T* var, int training,
                                       int n, int c, int s, double eps, T* gradIn, T* gradWeight, T* gradBias) {
  int ch = blockIdx.x;
  if (ch >= c) return;
  double mu = mean ? (double)mean[ch] : 0.0;
  double invstd = 1.0 / sqrt((var ? (double)var[ch] : 1.0) + eps);
  double w = weight ? (double)weight[ch] : 1.0;
  i64 cnt = (i64)n * s;
  double sumDy = 0, dot = 0;
  for (i64 k = threadIdx.x; k < cnt; k += blockDim.x) {
    i64 idx = ((k / s) * c + ch) * (i64)s + k % s;
    double dy = (double)gradOut[idx];
    sumDy += dy;
    dot += ((double)x[idx] - mu) * dy;
  }
  sumDy = block_sum<double>(sumDy);
  dot = block_sum<double>(dot);
  if (threadIdx.x == 0) {
    if (gradWeight) gradWeight[ch] = (T)(dot * invstd);
    if (gradBias) gradBias[ch] = (T)sumDy;
  }
  if (!gradIn) return;
  double gradScale = invstd * w;
  double proj = training ? dot * invstd * invstd / cnt : 0.0;
  double gradMean = training ? sumDy / cnt : 0.0;
  for (i64 k = threadIdx.x; k < cnt; k += blockDim.x) {
    i64 idx = ((k / s) * c + ch) * (i64)s + k % s;
    gradIn[idx] = (T)(((double)gradOut[idx] - ((double)x[idx] - mu) * proj - gradMean) * gradScale);
  }
}

// ---------------------------------------------------------------------------------------- layer norm
// x is [rows, cols]; one block per row.
template <typename T>
__device__ __forceinline__ void ln_fwd(const T* x, const T* weight, const T* bias, int rows, int cols, double eps, T* out, T* mean, T* rstd) {
  int r = blockIdx.x;
  if (r >= rows) return;
  const T* xr = x + (i64)r * cols;
  T* orow = out + (i64)r * cols;
  double sum = 0;
  for (int i = threadIdx.x; i < cols; i += blockDim.x) sum += (double)xr[i];
  double mu = block_sum<double>(sum) / cols;
  double sq = 0;
  for (int i = threadIdx.x; i < cols; i += blockDim.x) {
    double d = (double)xr[i] - mu;
    sq += d * d;
  }
  double rs = 1.0 / sqrt(block_sum<double>(sq) / cols + eps);
  if (threadIdx.x == 0) {
    if (mean) mean[r] = (T)mu;
    if (rstd) rstd[r] = (T)rs;
  }
  for (int i = threadIdx.x; i < cols; i += blockDim.x) {
    double v = ((double)xr[i] - mu) * rs;
    if (weight) v *= (double)weight[i];
    if (bias) v += (double)bias[i];
    orow[i] = (T)v;
  }
}

template <typename T>
__device__ __forceinline__ void ln_bwd_input(const T* gradOut, const T* x, const T* weight, const T* mean, const T* rstd, int rows, int cols, T* gradIn) {
  int r = blockIdx.x;
  if (r >= rows) return;
  double mu = (double)mean[r];
  double rs = (double)rstd[r];
  const T* xr = x + (i64)r * cols;
  const T* gr = gradOut + (i64)r * cols;
  double a = 0, b = 0;
  for (int i = threadIdx.x; i < cols; i += blockDim.x) {
    double xh = ((double)xr[i] - mu) * rs;
    double dxh = (double)gr[i] * (weight ? (double)weight[i] : 1.0);
    a += dxh;
    b += dxh * xh;
  }
  a = block_sum<double>(a) / cols;
  b = block_sum<double>(b) / cols;
  T* gi = gradIn + (i64)r * cols;
  for (int i = threadIdx.x; i < cols; i += blockDim.x) {
    double xh = ((double)xr[i] - mu) * rs;
    double dxh = (double)gr[i] * (weight ? (double)weight[i] : 1.0);
    gi[i] = (T)(rs * (dxh - a - xh * b));
  }
}

// one thread per column: sums over rows
template <typename T>
__device__ __forceinline__ void ln_bwd_params(const T* gradOut, const T* x, const T* mean, const T* rstd, int rows, int cols, T* gradWeight, T* gradBias) {
  GRID_STRIDE(j, cols) {
    double gw = 0, gb = 0;
    for (int r = 0; r < rows; r++) {
      double dy = (double)gradOut[(i64)r * cols + j];
      gb += dy;
      gw += dy * ((double)x[(i64)r * cols + j] - (double)mean[r]) * (double)rstd[r];
    }
    if (gradWeight) gradWeight[j] = (T)gw;
    if (gradBias) gradBias[j] = (T)gb;
  }
}

// ---------------------------------------------------------------------------------------- softmax
// [outer, size, inner]; rows variant (inner == 1): one block per row; columns variant: one thread
// per (outer, inner) column.
template <typename T>
__device__ __forceinline__ void softmax_rows(const T* x, int outer, int size, int log, T* out) {
  int o = blockIdx.x;
  if (o >= outer) return;
  const T* xr = x + (i64)o * size;
  T* orow = out + (i64)o * size;
  double mx = -INFINITY;
  for (int k = threadIdx.x; k < size; k += blockDim.x) {
    double v = (double)xr[k];
    if (v > mx || is_nan(v)) mx = v;
  }
  mx = block_max_nan<double>(mx);
  if (mx == -INFINITY) mx = 0.0;  // an all -inf row: exp(-inf - 0) = 0, not NaN
  double sum = 0;
  for (int k = threadIdx.x; k < size; k += blockDim.x) sum += (double)m_exp((T)((double)xr[k] - mx));
  sum = block_sum<double>(sum);
  double f = log ? m_log(sum) : 1.0 / sum;
  for (int k = threadIdx.x; k < size; k += blockDim.x) {
    double v = (double)xr[k];
    orow[k] = log ? (T)(v - mx - f) : (T)((double)m_exp((T)(v - mx)) * f);
  }
}

template <typename T>
__device__ __forceinline__ void softmax_cols(const T* x, int outer, int size, int inner, int log, T* out) {
  i64 total = (i64)outer * inner;
  GRID_STRIDE(e, total) {
    i64 o = e / inner;
    int i = (int)(e % inner);
    const T* xc = x + o * size * inner + i;
    T* oc = out + o * size * inner + i;
    double mx = -INFINITY;
    for (int k = 0; k < size; k++) {
      double v = (double)xc[(i64)k * inner];
      if (v > mx || is_nan(v)) mx = v;
    }
    if (mx == -INFINITY) mx = 0.0;
    double sum = 0;
    for (int k = 0; k < size; k++) sum += (double)m_exp((T)((double)xc[(i64)k * inner] - mx));
    double f = log ? m_log(sum) : 1.0 / sum;
    for (int k = 0; k < size; k++) {
      double v = (double)xc[(i64)k * inner];
      oc[(i64)k * inner] = log ? (T)(v - mx - f) : (T)((double)m_exp((T)(v - mx)) * f);
    }
  }
}

template <typename T>
__device__ __forceinline__ void softmax_bwd_rows(const T* gradOut, const T* y, int outer, int size, int log, T* gradIn) {
  int o = blockIdx.x;
  if (o >= outer) return;
  const T* g = gradOut + (i64)o * size;
  const T* yr = y + (i64)o * size;
  T* gi = gradIn + (i64)o * size;
  double sum = 0;
  for (int k = threadIdx.x; k < size; k += blockDim.x) sum += log ? (double)g[k] : (double)g[k] * (double)yr[k];
  sum = block_sum<double>(sum);
  for (int k = threadIdx.x; k < size; k += blockDim.x) {
    double gv = (double)g[k], yv = (double)yr[k];
    gi[k] = (T)(log ? gv - (double)m_exp((T)yv) * sum : yv * (gv - sum));
  }
}

template <typename T>
__device__ __forceinline__ void softmax_bwd_cols(const T* gradOut, const T* y, int outer, int size, int inner, int log, T* gradIn) {
  i64 total = (i64)outer * inner;
  GRID_STRIDE(e, total) {
    i64 o = e / inner;
    int i = (int)(e % inner);
    i64 base = o * size * inner + i;
    double sum = 0;
    for (int k = 0; k < size; k++) {
      i64 idx = base + (i64)k * inner;
      sum += log ? (double)gradOut[idx] : (double)gradOut[idx] * (double)y[idx];
    }
    for (int k = 0; k < size; k++) {
      i64 idx = base + (i64)k * inner;
      double gv = (double)gradOut[idx], yv = (double)y[idx];
      gradIn[idx] = (T)(log ? gv - (double)m_exp((T)yv) * sum : yv * (gv - sum));
    }
  }
}

// ---------------------------------------------------------------------------------------- losses
// input [n, c, s], target int64 [n, s]; one thread per (n, s) position.
template <typename T>
__device__ __forceinline__ void nll_fwd(const T* input, const i64* target, const T* weight, int n, int c, int s, i64 ignoreIndex,
                                        T* loss, T* weights, i64* err) {
  i64 total = (i64)n * s;
  GRID_STRIDE(e, total) {
    i64 b = e / s, i = e % s;
    i64 t = target[e];
    if (t == ignoreIndex) {
      loss[e] = (T)0;
      if (weights) weights[e] = (T)0;
      continue;
    }
    if (t < 0 || t >= c) {
      report_error(err, ERR_NLL_TARGET, t, 0, c);
      continue;
    }
    T w = weight ? weight[t] : (T)1;
    loss[e] = -w * input[(b * c + t) * s + i];
    if (weights) weights[e] = w;
  }
}

template <typename T>
__device__ __forceinline__ void nll_bwd(const T* gradLoss, int gradScalar, const i64* target, const T* weight, int n, int c, int s,
                                        i64 ignoreIndex, double scale, T* gradIn) {
  i64 total = (i64)n * s;
  GRID_STRIDE(e, total) {
    i64 b = e / s, i = e % s;
    i64 t = target[e];
    if (t == ignoreIndex || t < 0 || t >= c) continue;
    double g = (double)gradLoss[gradScalar ? 0 : e] * scale;
    gradIn[(b * c + t) * s + i] = (T)(-(weight ? (double)weight[t] : 1.0) * g);
  }
}

// one thread per element of gradIn [n, c, s]
template <typename T>
__device__ __forceinline__ void ce_bwd(const T* gradLoss, int gradScalar, const T* logProbs, const i64* target, const T* weight,
                                       int n, int c, int s, i64 ignoreIndex, double scale, T* gradIn) {
  i64 total = (i64)n * c * s;
  GRID_STRIDE(idx, total) {
    i64 i = idx % s;
    i64 k = (idx / s) % c;
    i64 b = idx / ((i64)c * s);
    i64 e = b * s + i;
    i64 t = target[e];
    if (t == ignoreIndex || t < 0 || t >= c) {
      gradIn[idx] = (T)0;
      continue;
    }
    double gs = (double)gradLoss[gradScalar ? 0 : e] * scale * (weight ? (double)weight[t] : 1.0);
    double p = (double)m_exp(logProbs[idx]);
    gradIn[idx] = (T)(gs * (k == t ? p - 1.0 : p));
  }
}

// one thread per element of out [count, dim]
template <typename T>
__device__ __forceinline__ void embedding_fwd(const T* weight, const i64* indices, int count, int num, int dim, T* out, i64* err) {
  i64 total = (i64)count * dim;
  GRID_STRIDE(e, total) {
    i64 i = e / dim, j = e % dim;
    i64 r = indices[i];
    if (r < 0 || r >= num) {
      report_error(err, ERR_EMBEDDING, r, 0, num);
      continue;
    }
    out[e] = weight[r * dim + j];
  }
}

template <typename T>
__device__ __forceinline__ void embedding_bwd(const T* gradOut, const i64* indices, int count, int num, int dim, i64 paddingIdx, T* gradWeight) {
  i64 total = (i64)count * dim;
  GRID_STRIDE(e, total) {
    i64 i = e / dim, j = e % dim;
    i64 r = indices[i];
    if (r == paddingIdx || r < 0 || r >= num) continue;
    atomic_add(gradWeight + r * dim + j, gradOut[e]);
  }
}

// ---------------------------------------------------------------------------------------- entry points
#define DEFINE_NN(NAME, T)                                                                                          \
  extern "C" __global__ void maxpool2d_fwd_##NAME(PoolGeo g, const T* x, T* out, i64* indices) {                    \
    maxpool_fwd<T>(g, x, out, indices);                                                                             \
  }                                                                                                                 \
  extern "C" __global__ void maxpool2d_bwd_##NAME(PoolGeo g, const T* gradOut, const i64* indices, T* gradIn) {     \
    maxpool_bwd<T>(g, gradOut, indices, gradIn);                                                                    \
  }                                                                                                                 \
  extern "C" __global__ void avgpool2d_fwd_##NAME(PoolGeo g, const T* x, T* out, int countIncludePad, int divisorOverride) { \
    avgpool_fwd<T>(g, x, out, countIncludePad, divisorOverride);                                                    \
  }                                                                                                                 \
  extern "C" __global__ void avgpool2d_bwd_##NAME(PoolGeo g, const T* gradOut, T* gradIn, int countIncludePad, int divisorOverride) { \
    avgpool_bwd<T>(g, gradOut, gradIn, countIncludePad, divisorOverride);                                           \
  }                                                                                                                 \
  extern "C" __global__ void adaptive_avgpool2d_fwd_##NAME(const T* x, T* out, int planes, int h, int w, int oh, int ow) { \
    adaptive_avg_fwd<T>(x, out, planes, h, w, oh, ow);                                                              \
  }                                                                                                                 \
  extern "C" __global__ void adaptive_avgpool2d_bwd_##NAME(const T* gradOut, T* gradIn, int planes, int h, int w, int oh, int ow) { \
    adaptive_avg_bwd<T>(gradOut, gradIn, planes, h, w, oh, ow);                                                     \
  }                                                                                                                 \
  extern "C" __global__ void batchnorm_train_##NAME(const T* x, const T* weight, const T* bias, int n, int c, int s, double eps, \
                                                    T* out, T* mean, T* var) {                                      \
    bn_train_fwd<T>(x, weight, bias, n, c, s, eps, out, mean, var);                                                 \
  }                                                                                                                 \
  extern "C" __global__ void batchnorm_infer_##NAME(const T* x, const T* weight, const T* bias, const T* mean, const T* var, \
                                                    int n, int c, int s, double eps, T* out) {                      \
    bn_infer_fwd<T>(x, weight, bias, mean, var, n, c, s, eps, out);                                                 \
  }                                                                                                                 \
  extern "C" __global__ void batchnorm_bwd_##NAME(const T* gradOut, const T* x, const T* weight, const T* mean, const T* var, \
                                                  int training, int n, int c, int s, double eps, T* gradIn, T* gradWeight, T* gradBias) { \
    bn_bwd<T>(gradOut, x, weight, mean, var, training, n, c, s, eps, gradIn, gradWeight, gradBias);                 \
  }                                                                                                                 \
  extern "C" __global__ void layernorm_fwd_##NAME(const T* x, const T* weight, const T* bias, int rows, int cols, double eps, \
                                                  T* out, T* mean, T* rstd) {                                       \
    ln_fwd<T>(x, weight, bias, rows, cols, eps, out, mean, rstd);                                                   \
  }                                                                                                                 \
  extern "C" __global__ void layernorm_bwd_input_##NAME(const T* gradOut, const T* x, const T* weight, const T* mean, const T* rstd, \
                                                        int rows, int cols, T* gradIn) {                            \
    ln_bwd_input<T>(gradOut, x, weight, mean, rstd, rows, cols, gradIn);                                            \
  }                                                                                                                 \
  extern "C" __global__ void layernorm_bwd_params_##NAME(const T* gradOut, const T* x, const T* mean, const T* rstd, int rows, int cols, \
                                                         T* gradWeight, T* gradBias) {                              \
    ln_bwd_params<T>(gradOut, x, mean, rstd, rows, cols, gradWeight, gradBias);                                     \
  }                                                                                                                 \
  extern "C" __global__ void softmax_rows_##NAME(const T* x, int outer, int size, int log, T* out) {                \
    softmax_rows<T>(x, outer, size, log, out);                                                                      \
  }                                                                                                                 \
  extern "C" __global__ void softmax_cols_##NAME(const T* x, int outer, int size, int inner, int log, T* out) {     \
    softmax_cols<T>(x, outer, size, inner, log, out);                                                               \
  }                                                                                                                 \
  extern "C" __global__ void softmax_bwd_rows_##NAME(const T* gradOut, const T* y, int outer, int size, int log, T* gradIn) { \
    softmax_bwd_rows<T>(gradOut, y, outer, size, log, gradIn);                                                      \
  }                                                                                                                 \
  extern "C" __global__ void softmax_bwd_cols_##NAME(const T* gradOut, const T* y, int outer, int size, int inner, int log, T* gradIn) { \
    softmax_bwd_cols<T>(gradOut, y, outer, size, inner, log, gradIn);                                               \
  }                                                                                                                 \
  extern "C" __global__ void nll_fwd_##NAME(const T* input, const i64* target, const T* weight, int n, int c, int s, i64 ignoreIndex, \
                                            T* loss, T* weights, i64* err) {                                        \
    nll_fwd<T>(input, target, weight, n, c, s, ignoreIndex, loss, weights, err);                                    \
  }                                                                                                                 \
  extern "C" __global__ void nll_bwd_##NAME(const T* gradLoss, int gradScalar, const i64* target, const T* weight, int n, int c, int s, \
                                            i64 ignoreIndex, double scale, T* gradIn) {                             \
    nll_bwd<T>(gradLoss, gradScalar, target, weight, n, c, s, ignoreIndex, scale, gradIn);                          \
  }                                                                                                                 \
  extern "C" __global__ void cross_entropy_bwd_##NAME(const T* gradLoss, int gradScalar, const T* logProbs, const i64* target, \
                                                      const T* weight, int n, int c, int s, i64 ignoreIndex, double scale, T* gradIn) { \
    ce_bwd<T>(gradLoss, gradScalar, logProbs, target, weight, n, c, s, ignoreIndex, scale, gradIn);                 \
  }                                                                                                                 \
  extern "C" __global__ void embedding_fwd_##NAME(const T* weight, const i64* indices, int count, int num, int dim, T* out, i64* err) { \
    embedding_fwd<T>(weight, indices, count, num, dim, out, err);                                                   \
  }                                                                                                                 \
  extern "C" __global__ void embedding_bwd_##NAME(const T* gradOut, const i64* indices, int count, int num, int dim, i64 paddingIdx, \
                                                  T* gradWeight) {                                                  \
    embedding_bwd<T>(gradOut, indices, count, num, dim, paddingIdx, gradWeight);                                    \
  }

DEFINE_NN(f32, float)
DEFINE_NN(f64, double)
