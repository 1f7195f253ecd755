// Reductions over a contiguous [outer, inner] block along inner (one block per row), and the
// int64 matrix product (cuBLAS has none). Semantics follow CpuBackend.reduce: float sums and
// products accumulate in double, integer/bool ones in int64; max/min propagate NaN; arg-max/-min
// return the first index of the extreme value (or of the first NaN).
#pragma once
#include "common.cuh"

#define R_SUM 0
#define R_MAX 1
#define R_MIN 2
#define R_ARGMAX 3
#define R_ARGMIN 4
#define R_PROD 5

// SUM / PROD; A = accumulator type
template <typename T, typename A>
__device__ __forceinline__ void reduce_sum_impl(int op, const T* x, int outer, int inner, void* out, int outType) {
  int row = blockIdx.x;
  if (row >= outer) return;  // uniform per block: no thread of this block reaches a barrier
  const T* p = x + (i64)row * inner;
  bool prod = op == R_PROD;
  A acc = prod ? (A)1 : (A)0;
  for (int i = threadIdx.x; i < inner; i += blockDim.x) {
    A v = (A)p[i];
    acc = prod ? acc * v : acc + v;
  }
  A r = prod ? block_prod<A>(acc) : block_sum<A>(acc);
  if (threadIdx.x == 0) {
    if (sizeof(A) == sizeof(i64) && (A)0.5 == (A)0) store_i(out, outType, row, (i64)r);
    else store_f(out, outType, row, (double)r);
  }
}

extern "C" __global__ void reduce_sum_f32(int op, const float* x, int outer, int inner, void* out, int outType) {
  reduce_sum_impl<float, double>(op, x, outer, inner, out, outType);
}
extern "C" __global__ void reduce_sum_f64(int op, const double* x, int outer, int inner, void* out, int outType) {
  reduce_sum_impl<double, double>(op, x, outer, inner, out, outType);
}
extern "C" __global__ void reduce_sum_i64(int op, const i64* x, int outer, int inner, void* out, int outType) {
  reduce_sum_impl<i64, i64>(op, x, outer, inner, out, outType);
}
extern "C" __global__ void reduce_sum_u8(int op, const u8* x, int outer, int inner, void* out, int outType) {
  reduce_sum_impl<u8, i64>(op, x, outer, inner, out, outType);
}

// (value, index) candidates: does (v2, i2) beat (v1, i1)? idx < 0 means "no candidate".
template <typename T>
__device__ __forceinline__ bool beats(bool isMax, T v1, int i1, T v2, int i2) {
  if (i2 < 0) return false;
  if (i1 < 0) return true;
  bool n1 = is_nan(v1), n2 = is_nan(v2);
  if (n1 && n2) return i2 < i1;
  if (n1) return false;
  if (n2) return true;
  if (isMax ? v2 > v1 : v2 < v1) return true;
  if (v2 == v1) return i2 < i1;
  return false;
}

template <typename T>
__device__ __forceinline__ void reduce_minmax_impl(int op, const T* x, int outer, int inner, void* out, int outType) {
  __shared__ T sv[256];
  __shared__ int si[256];
  int row = blockIdx.x;
  if (row >= outer) return;
  const T* p = x + (i64)row * inner;
  bool isMax = op == R_MAX || op == R_ARGMAX;
  T best = (T)0;
  int bi = -1;
  for (int i = threadIdx.x; i < inner; i += blockDim.x) {
    T v = p[i];
    if (beats<T>(isMax, best, bi, v, i)) {
      best = v;
      bi = i;
    }
  }
  sv[threadIdx.x] = best;
  si[threadIdx.x] = bi;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      int t = threadIdx.x;
      if (beats<T>(isMax, sv[t], si[t], sv[t + s], si[t + s])) {
        sv[t] = sv[t + s];
        si[t] = si[t + s];
      }
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    int idx = si[0] < 0 ? 0 : si[0];
    if (op == R_ARGMAX || op == R_ARGMIN) store_i(out, outType, row, (i64)idx);
    else if (sizeof(T) == sizeof(i64) && (T)0.5 == (T)0) store_i(out, outType, row, (i64)sv[0]);
    else store_f(out, outType, row, (double)sv[0]);
  }
}

extern "C" __global__ void reduce_minmax_f32(int op, const float* x, int outer, int inner, void* out, int outType) {
  reduce_minmax_impl<float>(op, x, outer, inner, out, outType);
}
extern "C" __global__ void reduce_minmax_f64(int op, const double* x, int outer, int inner, void* out, int outType) {
  reduce_minmax_impl<double>(op, x, outer, inner, out, outType);
}
extern "C" __global__ void reduce_minmax_i64(int op, const i64* x, int outer, int inner, void* out, int outType) {
  reduce_minmax_impl<i64>(op, x, outer, inner, out, outType);
}
extern "C" __global__ void reduce_minmax_u8(int op, const u8* x, int outer, int inner, void* out, int outType) {
  reduce_minmax_impl<u8>(op, x, outer, inner, out, outType);
}

// ---------------------------------------------------------------------------------------- int64 GEMM
// Row-major C_b = op(A_b) op(B_b) (+ C_b), one thread per element of C over all batches.
extern "C" __global__ void gemm_i64(int transA, int transB, int batch, int m, int n, int k,
                                    const i64* a, i64 aOff, i64 aBatchStride, int lda,
                                    const i64* b, i64 bOff, i64 bBatchStride, int ldb,
                                    i64* c, i64 cOff, i64 cBatchStride, int ldc, int accumulate) {
  i64 total = (i64)batch * m * n;
  GRID_STRIDE(e, total) {
    int j = (int)(e % n);
    int i = (int)((e / n) % m);
    i64 bt = e / ((i64)m * n);
    const i64* A = a + aOff + bt * aBatchStride;
    const i64* B = b + bOff + bt * bBatchStride;
    i64* C = c + cOff + bt * cBatchStride;
    i64 s = accumulate ? C[(i64)i * ldc + j] : 0;
    for (int p = 0; p < k; p++) {
      i64 av = A[transA ? (i64)p * lda + i : (i64)i * lda + p];
      i64 bv = B[transB ? (i64)j * ldb + p : (i64)p * ldb + j];
      s += av * bv;
    }
    C[(i64)i * ldc + j] = s;
  }
}
