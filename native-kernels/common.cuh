// Shared definitions of jnn's CUDA kernels (see README.md in this folder).
//
// Rules every kernel here follows, so that the same source runs in the CPU emulator used by the
// unit tests (emu/cuda_emu.h) and behaves identically on a GPU:
//   * entry points are extern "C" __global__ functions named <op>_<dtype>; parameters are int,
//     long long, float, double, pointers, or the all-int structs below passed by value;
//   * cooperation inside a block uses __shared__ arrays and __syncthreads() only (no warp
//     shuffles, no warp-synchronous code), block sizes are powers of two <= 256;
//   * overlapping writes use atomics; everything else writes each output element from exactly one
//     thread;
//   * only PTX ISA 8.0 features (the committed PTX is rewritten to .version 8.0 for older drivers).
#pragma once

#ifdef JNN_EMU
#include "emu/cuda_emu.h"
#endif

typedef long long i64;
typedef unsigned char u8;

// dtype codes: the ordinals of dev.jnn.core.DType
#define DT_F32 0
#define DT_F64 1
#define DT_I64 2
#define DT_BOOL 3

// ---------------------------------------------------------------------------------------- Iter
// Up to four same-shaped strided operands, dims already coalesced on the host (rank <= MAXD).
// Element offsets include each operand's base offset; pointers are buffer starts.
#define MAXD 6
struct Iter {
  int rank;  // >= 1
  int n;     // number of elements (product of size)
  int size[MAXD];
  int stride[4][MAXD];
  int offset[4];
};

// offsets of operands 0..NOPS-1 for linear (row-major) element i
template <int NOPS>
__device__ __forceinline__ void iter_offsets(const Iter& it, int i, int* off) {
#pragma unroll
  for (int k = 0; k < NOPS; k++) off[k] = it.offset[k];
  if (it.rank == 1) {
#pragma unroll
    for (int k = 0; k < NOPS; k++) off[k] += i * it.stride[k][0];
    return;
  }
  for (int d = it.rank - 1; d >= 0; d--) {
    int sz = it.size[d];
    int c = i % sz;
    i /= sz;
#pragma unroll
    for (int k = 0; k < NOPS; k++) off[k] += c * it.stride[k][d];
  }
}

#define GRID_STRIDE(i, n) \
  for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (i64)(n); i += (i64)blockDim.x * gridDim.x)

// ---------------------------------------------------------------------------------------- IdxGeo
// Geometry of index_select / index_add / gather / scatter_add: iterate over `shape` (rank <= MAXR);
// `xs`, `is`, `ts` are the element strides of the data operand, the index operand and the written
// operand; `dim` is the indexed dim and `dimSize` the size the index is checked against.
#define MAXR 8
struct IdxGeo {
  int rank, dim, dimSize, n;
  int shape[MAXR];
  int xs[MAXR];
  int is[MAXR];
  int ts[MAXR];
  int xoff, ioff, toff;
};

// ---------------------------------------------------------------------------------------- errors
// Data-dependent errors (an index out of range) are recorded in a per-device word block
// err[0..3] = {code, value, dim, size}; the first error wins; the host checks it on its next read.
#define ERR_INDEX_SELECT 1
#define ERR_INDEX_ADD 2
#define ERR_GATHER 3
#define ERR_SCATTER_ADD 4
#define ERR_NLL_TARGET 5
#define ERR_EMBEDDING 6
#define ERR_INDEX_SELECT_DIM1 7  // index_select along dim 1 of a rank > 1 tensor (PyTorch's other text)

__device__ __forceinline__ void report_error(i64* err, i64 code, i64 value, i64 dim, i64 size) {
  if (err == 0) return;
  unsigned long long prev = atomicCAS((unsigned long long*)err, 0ULL, (unsigned long long)code);
  if (prev == 0ULL) {
    err[1] = value;
    err[2] = dim;
    err[3] = size;
  }
}

// ---------------------------------------------------------------------------------------- math
__device__ __forceinline__ float m_exp(float x) { return expf(x); }
__device__ __forceinline__ double m_exp(double x) { return exp(x); }
__device__ __forceinline__ float m_log(float x) { return logf(x); }
__device__ __forceinline__ double m_log(double x) { return log(x); }
__device__ __forceinline__ float m_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double m_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float m_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double m_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float m_erf(float x) { return erff(x); }
__device__ __forceinline__ double m_erf(double x) { return erf(x); }
__device__ __forceinline__ float m_log1p(float x) { return log1pf(x); }
__device__ __forceinline__ double m_log1p(double x) { return log1p(x); }
__device__ __forceinline__ float m_pow(float x, float y) { return powf(x, y); }
__device__ __forceinline__ double m_pow(double x, double y) { return pow(x, y); }
__device__ __forceinline__ float m_abs(float x) { return fabsf(x); }
__device__ __forceinline__ double m_abs(double x) { return fabs(x); }
__device__ __forceinline__ float m_sin(float x) { return sinf(x); }
__device__ __forceinline__ double m_sin(double x) { return sin(x); }
__device__ __forceinline__ float m_cos(float x) { return cosf(x); }
__device__ __forceinline__ double m_cos(double x) { return cos(x); }
__device__ __forceinline__ float m_tan(float x) { return tanf(x); }
__device__ __forceinline__ double m_tan(double x) { return tan(x); }
__device__ __forceinline__ float m_asin(float x) { return asinf(x); }
__device__ __forceinline__ double m_asin(double x) { return asin(x); }
__device__ __forceinline__ float m_acos(float x) { return acosf(x); }
__device__ __forceinline__ double m_acos(double x) { return acos(x); }
__device__ __forceinline__ float m_atan(float x) { return atanf(x); }
__device__ __forceinline__ double m_atan(double x) { return atan(x); }
__device__ __forceinline__ float m_sinh(float x) { return sinhf(x); }
__device__ __forceinline__ double m_sinh(double x) { return sinh(x); }
__device__ __forceinline__ float m_cosh(float x) { return coshf(x); }
__device__ __forceinline__ double m_cosh(double x) { return cosh(x); }
__device__ __forceinline__ float m_exp2(float x) { return exp2f(x); }
__device__ __forceinline__ double m_exp2(double x) { return exp2(x); }
__device__ __forceinline__ float m_expm1(float x) { return expm1f(x); }
__device__ __forceinline__ double m_expm1(double x) { return expm1(x); }
__device__ __forceinline__ float m_log2(float x) { return log2f(x); }
__device__ __forceinline__ double m_log2(double x) { return log2(x); }
__device__ __forceinline__ float m_log10(float x) { return log10f(x); }
__device__ __forceinline__ double m_log10(double x) { return log10(x); }
__device__ __forceinline__ float m_floor(float x) { return floorf(x); }
__device__ __forceinline__ double m_floor(double x) { return floor(x); }
__device__ __forceinline__ float m_ceil(float x) { return ceilf(x); }
__device__ __forceinline__ double m_ceil(double x) { return ceil(x); }
__device__ __forceinline__ float m_rint(float x) { return rintf(x); }
__device__ __forceinline__ double m_rint(double x) { return rint(x); }
__device__ __forceinline__ float m_trunc(float x) { return truncf(x); }
__device__ __forceinline__ double m_trunc(double x) { return trunc(x); }

// IEEE operations rounded once each, never contracted into an FMA by nvcc: for kernels that must
// reproduce the CPU back end's rounding exactly (the optimizer updates)
#ifdef JNN_EMU
__device__ __forceinline__ float rn_add(float a, float b) { return a + b; }
__device__ __forceinline__ double rn_add(double a, double b) { return a + b; }
__device__ __forceinline__ float rn_sub(float a, float b) { return a - b; }
__device__ __forceinline__ double rn_sub(double a, double b) { return a - b; }
__device__ __forceinline__ float rn_mul(float a, float b) { return a * b; }
__device__ __forceinline__ double rn_mul(double a, double b) { return a * b; }
__device__ __forceinline__ float rn_div(float a, float b) { return a / b; }
__device__ __forceinline__ double rn_div(double a, double b) { return a / b; }
__device__ __forceinline__ float rn_sqrt(float a) { return sqrtf(a); }
__device__ __forceinline__ double rn_sqrt(double a) { return sqrt(a); }
#else
__device__ __forceinline__ float rn_add(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ double rn_add(double a, double b) { return __dadd_rn(a, b); }
__device__ __forceinline__ float rn_sub(float a, float b) { return __fsub_rn(a, b); }
__device__ __forceinline__ double rn_sub(double a, double b) { return __dsub_rn(a, b); }
__device__ __forceinline__ float rn_mul(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ double rn_mul(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ float rn_div(float a, float b) { return __fdiv_rn(a, b); }
__device__ __forceinline__ double rn_div(double a, double b) { return __ddiv_rn(a, b); }
__device__ __forceinline__ float rn_sqrt(float a) { return __fsqrt_rn(a); }
__device__ __forceinline__ double rn_sqrt(double a) { return __dsqrt_rn(a); }
#endif

template <typename T>
__device__ __forceinline__ bool is_nan(T v) {
  return v != v;
}

template <typename T>
__device__ __forceinline__ T nan_of() {
  return (T)NAN;
}

__device__ __forceinline__ void atomic_add(float* p, float v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(double* p, double v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(i64* p, i64 v) {
  atomicAdd((unsigned long long*)p, (unsigned long long)v);
}
// bool accumulation is a logical or: every writer writes the same 1
__device__ __forceinline__ void atomic_add(u8* p, u8 v) {
  if (v) *p = 1;
}

// double -> int64 as Java's (long) cast: truncation, NaN -> 0, saturating at the int64 range
// (a plain C++ cast is undefined outside the range; PTX's cvt.rzi saturates, x86 does not)
__device__ __forceinline__ i64 to_i64(double v) {
  if (v != v) return 0;
  if (v >= 9.2233720368547758e18) return (i64)0x7fffffffffffffffLL;
  if (v <= -9.2233720368547758e18) return (i64)(-0x7fffffffffffffffLL - 1);
  return (i64)v;
}

// stores a floating / integral result into an output of dtype code `dt`
__device__ __forceinline__ void store_f(void* out, int dt, i64 i, double v) {
  switch (dt) {
    case DT_F32: ((float*)out)[i] = (float)v; break;
    case DT_F64: ((double*)out)[i] = v; break;
    case DT_I64: ((i64*)out)[i] = to_i64(v); break;
    default: ((u8*)out)[i] = v != 0.0 ? 1 : 0; break;
  }
}

__device__ __forceinline__ void store_i(void* out, int dt, i64 i, i64 v) {
  switch (dt) {
    case DT_F32: ((float*)out)[i] = (float)v; break;
    case DT_F64: ((double*)out)[i] = (double)v; break;
    case DT_I64: ((i64*)out)[i] = v; break;
    default: ((u8*)out)[i] = v != 0 ? 1 : 0; break;
  }
}

// ---------------------------------------------------------------------------------------- block reductions
// blockDim.x is a power of two <= 256; every thread of the block must call these.
template <typename A>
__device__ __forceinline__ A block_sum(A v) {
  __shared__ A sh[256];
  sh[threadIdx.x] = v;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  A r = sh[0];
  __syncthreads();
  return r;
}

template <typename A>
__device__ __forceinline__ A block_prod(A v) {
  __shared__ A sh[256];
  sh[threadIdx.x] = v;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] *= sh[threadIdx.x + s];
    __syncthreads();
  }
  A r = sh[0];
  __syncthreads();
  return r;
}

// NaN-propagating maximum over the block
template <typename A>
__device__ __forceinline__ A block_max_nan(A v) {
  __shared__ A sh[256];
  sh[threadIdx.x] = v;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      A a = sh[threadIdx.x], b = sh[threadIdx.x + s];
      sh[threadIdx.x] = (is_nan(a) || is_nan(b)) ? (is_nan(a) ? a : b) : (b > a ? b : a);
    }
    __syncthreads();
  }
  A r = sh[0];
  __syncthreads();
  return r;
}
