// index_select / gather ("read at index") and index_add / scatter_add ("accumulate at index").
// One thread per element of the iteration shape; indices are int64 and range-checked as in
// PyTorch: an index outside [0, dimSize) -- negative ones included, they do not count from the
// end -- is reported through the error block (code errCode, chosen by the host; see
// dev.jnn.backend.IndexErrors) and the element is skipped.
#pragma once
#include "common.cuh"

// coordinates of linear element e of g.shape, and the three operands' offsets
__device__ __forceinline__ void idx_coords(const IdxGeo& g, i64 e, int* c) {
  for (int d = g.rank - 1; d >= 0; d--) {
    int sz = g.shape[d];
    c[d] = (int)(e % sz);
    e /= sz;
  }
}

__device__ __forceinline__ bool idx_fetch(const IdxGeo& g, const i64* idx, const int* c, int errCode, i64* err, int* t) {
  i64 o = g.ioff;
  for (int d = 0; d < g.rank; d++) o += (i64)c[d] * g.is[d];
  i64 v = idx[o];
  if (v < 0 || v >= (i64)g.dimSize) {
    report_error(err, errCode, v, g.dim, g.dimSize);
    return false;
  }
  *t = (int)v;
  return true;
}

// out[c] = x[c with c[dim] = index(c)]   (index_select: is = index stride at dim only; gather: full)
#define DEFINE_INDEX_READ(NAME, T)                                                                  \
  extern "C" __global__ void index_read_##NAME(IdxGeo g, const T* x, const i64* idx, T* out, int errCode, i64* err) { \
    GRID_STRIDE(e, g.n) {                                                                           \
      int c[MAXR];                                                                                  \
      idx_coords(g, e, c);                                                                          \
      int t;                                                                                        \
      if (!idx_fetch(g, idx, c, errCode, err, &t)) continue;                                        \
      i64 xo = g.xoff, to = g.toff;                                                                 \
      for (int d = 0; d < g.rank; d++) {                                                            \
        xo += (i64)(d == g.dim ? t : c[d]) * g.xs[d];                                               \
        to += (i64)c[d] * g.ts[d];                                                                  \
      }                                                                                             \
      out[to] = x[xo];                                                                              \
    }                                                                                               \
  }

// target[c with c[dim] = index(c)] += src[c]   (atomic: indices may repeat)
#define DEFINE_INDEX_ACC(NAME, T)                                                                   \
  extern "C" __global__ void index_accumulate_##NAME(IdxGeo g, const T* src, const i64* idx, T* target, int errCode, i64* err) { \
    GRID_STRIDE(e, g.n) {                                                                           \
      int c[MAXR];                                                                                  \
      idx_coords(g, e, c);                                                                          \
      int t;                                                                                        \
      if (!idx_fetch(g, idx, c, errCode, err, &t)) continue;                                        \
      i64 so = g.xoff, to = g.toff;                                                                 \
      for (int d = 0; d < g.rank; d++) {                                                            \
        so += (i64)c[d] * g.xs[d];                                                                  \
        to += (i64)(d == g.dim ? t : c[d]) * g.ts[d];                                               \
      }                                                                                             \
      atomic_add(target + to, src[so]);                                                             \
    }                                                                                               \
  }

DEFINE_INDEX_READ(f32, float)
DEFINE_INDEX_READ(f64, double)
DEFINE_INDEX_READ(i64, i64)
DEFINE_INDEX_READ(u8, u8)
DEFINE_INDEX_ACC(f32, float)
DEFINE_INDEX_ACC(f64, double)
DEFINE_INDEX_ACC(i64, i64)
DEFINE_INDEX_ACC(u8, u8)

// ---------------------------------------------------------------------------------------- scatter
// target[c with c[dim] = index(c)] (op)= src[c] over index's shape (scatter / scatter_reduce).
// op: the ordinal of dev.jnn.backend.ScatterSpec.Reduce. Assignment is a plain store (PyTorch
// leaves repeated indices unspecified); sum is an atomic add; prod / amax / amin are CAS loops on
// the bit pattern (no native float atomics for them); amax / amin propagate NaN.
#define SCATTER_ASSIGN 0
#define SCATTER_SUM 1
#define SCATTER_PROD 2
#define SCATTER_AMAX 3
#define SCATTER_AMIN 4

template <typename T>
__device__ __forceinline__ T scatter_combine(T o, T v, int op) {
  switch (op) {
    case SCATTER_PROD: return o * v;
    case SCATTER_AMAX: return (is_nan(o) || is_nan(v)) ? nan_of<T>() : (v > o ? v : o);
    default: return (is_nan(o) || is_nan(v)) ? nan_of<T>() : (v < o ? v : o);
  }
}

__device__ __forceinline__ void scatter_apply(float* p, float v, int op) {
  if (op == SCATTER_ASSIGN) { *p = v; return; }
  if (op == SCATTER_SUM) { atomicAdd(p, v); return; }
  int* a = (int*)p;
  int old = *a, assumed;
  do {
    assumed = old;
    old = atomicCAS(a, assumed, __float_as_int(scatter_combine(__int_as_float(assumed), v, op)));
  } while (old != assumed);
}

__device__ __forceinline__ void scatter_apply(double* p, double v, int op) {
  if (op == SCATTER_ASSIGN) { *p = v; return; }
  if (op == SCATTER_SUM) { atomicAdd(p, v); return; }
  unsigned long long* a = (unsigned long long*)p;
  unsigned long long old = *a, assumed;
  do {
    assumed = old;
    old = atomicCAS(a, assumed,
        (unsigned long long)__double_as_longlong(scatter_combine(__longlong_as_double((long long)assumed), v, op)));
  } while (old != assumed);
}

__device__ __forceinline__ void scatter_apply(i64* p, i64 v, int op) {
  if (op == SCATTER_ASSIGN) { *p = v; return; }
  if (op == SCATTER_SUM) { atomic_add(p, v); return; }
  unsigned long long* a = (unsigned long long*)p;
  unsigned long long old = *a, assumed;
  do {
    assumed = old;
    i64 o = (i64)assumed;
    i64 r = op == SCATTER_PROD ? o * v : op == SCATTER_AMAX ? (v > o ? v : o) : (v < o ? v : o);
    old = atomicCAS(a, assumed, (unsigned long long)r);
  } while (old != assumed);
}

// bool: sum and amax are a logical or, prod and amin a logical and: every writer writes the same byte
__device__ __forceinline__ void scatter_apply(u8* p, u8 v, int op) {
  if (op == SCATTER_ASSIGN) { *p = v; return; }
  if (op == SCATTER_SUM || op == SCATTER_AMAX) {
    if (v) *p = 1;
  } else if (!v) {
    *p = 0;
  }
}

#define DEFINE_SCATTER(NAME, T)                                                                     \
  extern "C" __global__ void index_scatter_##NAME(IdxGeo g, const T* src, const i64* idx, T* target, int op, int errCode, i64* err) { \
    GRID_STRIDE(e, g.n) {                                                                           \
      int c[MAXR];                                                                                  \
      idx_coords(g, e, c);                                                                          \
      int t;                                                                                        \
      if (!idx_fetch(g, idx, c, errCode, err, &t)) continue;                                        \
      i64 so = g.xoff, to = g.toff;                                                                 \
      for (int d = 0; d < g.rank; d++) {                                                            \
        so += (i64)c[d] * g.xs[d];                                                                  \
        to += (i64)(d == g.dim ? t : c[d]) * g.ts[d];                                               \
      }                                                                                             \
      scatter_apply(target + to, src[so], op);                                                      \
    }                                                                                               \
  }

DEFINE_SCATTER(f32, float)
DEFINE_SCATTER(f64, double)
DEFINE_SCATTER(i64, i64)
DEFINE_SCATTER(u8, u8)
