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
