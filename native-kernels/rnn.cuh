// Fused recurrent-cell steps (dev.jnn.backend.RnnKernels): the point-wise part of one LSTM or GRU
// time step, forward and backward, one thread per unit (b, j) of the [B, H] state; the gate
// pre-activations come from cuBLAS GEMMs. Same arithmetic, in the same order, as the CPU back
// end's dev.jnn.backend.cpu.CpuRnn (PyTorch's _thnn_fused_lstm_cell / _thnn_fused_gru_cell).
// Operands are contiguous (pointers at element 0 of their views); a null bias pointer means no
// bias, a null workspace pointer that no backward follows.
#pragma once
#include "common.cuh"

template <typename T>
__device__ __forceinline__ T rnn_sigmoid(T x) {
  return (T)1 / ((T)1 + m_exp(-x));
}

// gates of unit j of row b: column k * h + j of a [B, 4H] row
template <typename T>
__device__ __forceinline__ void lstm_cell(i64 n, int h, const T* ig, const T* hg, const T* bi, const T* bh,
                                          const T* cx, T* hy, T* cy, T* ws) {
  GRID_STRIDE(u, n) {
    i64 b = u / h;
    int j = (int)(u - b * h);
    i64 g0 = b * 4 * h + j;
    T xi = ig[g0] + hg[g0];
    T xf = ig[g0 + h] + hg[g0 + h];
    T xg = ig[g0 + 2 * h] + hg[g0 + 2 * h];
    T xo = ig[g0 + 3 * h] + hg[g0 + 3 * h];
    if (bi != 0) {
      xi = xi + bi[j] + bh[j];
      xf = xf + bi[h + j] + bh[h + j];
      xg = xg + bi[2 * h + j] + bh[2 * h + j];
      xo = xo + bi[3 * h + j] + bh[3 * h + j];
    }
    T i = rnn_sigmoid(xi);
    T f = rnn_sigmoid(xf);
    T g = m_tanh(xg);
    T o = rnn_sigmoid(xo);
    T c = rn_add(rn_mul(f, cx[u]), rn_mul(i, g));
    cy[u] = c;
    hy[u] = o * m_tanh(c);
    if (ws != 0) {
      ws[g0] = i;
      ws[g0 + h] = f;
      ws[g0 + 2 * h] = g;
      ws[g0 + 3 * h] = o;
    }
  }
}

template <typename T>
__device__ __forceinline__ void lstm_cell_backward(i64 n, int h, const T* gh, const T* gc, const T* cx, const T* cy,
                                                   const T* ws, T* gg, T* gcx) {
  GRID_STRIDE(u, n) {
    i64 b = u / h;
    int j = (int)(u - b * h);
    i64 g0 = b * 4 * h + j;
    T i = ws[g0];
    T f = ws[g0 + h];
    T g = ws[g0 + 2 * h];
    T o = ws[g0 + 3 * h];
    T dh = gh[u];
    T tc = m_tanh(cy[u]);
    T dc = rn_add(rn_mul(rn_mul(dh, o), rn_sub((T)1, rn_mul(tc, tc))), gc[u]);
    gg[g0] = rn_mul(rn_mul(dc, g), rn_mul(rn_sub((T)1, i), i));
    gg[g0 + h] = rn_mul(rn_mul(dc, cx[u]), rn_mul(rn_sub((T)1, f), f));
    gg[g0 + 2 * h] = rn_mul(rn_mul(dc, i), rn_sub((T)1, rn_mul(g, g)));
    gg[g0 + 3 * h] = rn_mul(rn_mul(dh, tc), rn_mul(rn_sub((T)1, o), o));
    gcx[u] = dc * f;
  }
}

// gates of unit j of row b: column k * h + j of a [B, 3H] row; the workspace row is [5H]: r, z, n, hx, hn
template <typename T>
__device__ __forceinline__ void gru_cell(i64 n, int h, const T* ig, const T* hg, const T* bi, const T* bh,
                                         const T* hx, T* hy, T* ws) {
  GRID_STRIDE(u, n) {
    i64 b = u / h;
    int j = (int)(u - b * h);
    i64 g0 = b * 3 * h + j;
    T xr = ig[g0] + hg[g0];
    T xz = ig[g0 + h] + hg[g0 + h];
    T xn = ig[g0 + 2 * h];
    T hn = hg[g0 + 2 * h];
    if (bi != 0) {
      xr = xr + bi[j] + bh[j];
      xz = xz + bi[h + j] + bh[h + j];
      xn = xn + bi[2 * h + j];
      hn = hn + bh[2 * h + j];
    }
    T r = rnn_sigmoid(xr);
    T z = rnn_sigmoid(xz);
    T nn = m_tanh(rn_add(xn, rn_mul(r, hn)));
    T x = hx[u];
    hy[u] = rn_add(nn, rn_mul(z, x - nn));
    if (ws != 0) {
      i64 w0 = b * 5 * h + j;
      ws[w0] = r;
      ws[w0 + h] = z;
      ws[w0 + 2 * h] = nn;
      ws[w0 + 3 * h] = x;
      ws[w0 + 4 * h] = hn;
    }
  }
}

template <typename T>
__device__ __forceinline__ void gru_cell_backward(i64 n, int h, const T* gh, const T* ws, T* gi, T* gw, T* gx) {
  GRID_STRIDE(u, n) {
    i64 b = u / h;
    int j = (int)(u - b * h);
    i64 w0 = b * 5 * h + j;
    i64 g0 = b * 3 * h + j;
    T r = ws[w0];
    T z = ws[w0 + h];
    T nn = ws[w0 + 2 * h];
    T x = ws[w0 + 3 * h];
    T hn = ws[w0 + 4 * h];
    T dh = gh[u];
    T dz = rn_mul(rn_mul(dh, x - nn), rn_mul((T)1 - z, z));
    T dn = rn_mul(rn_mul(dh, (T)1 - z), rn_sub((T)1, rn_mul(nn, nn)));
    T dr = rn_mul(rn_mul(dn, hn), rn_mul((T)1 - r, r));
    gi[g0] = dr;
    gi[g0 + h] = dz;
    gi[g0 + 2 * h] = dn;
    gw[g0] = dr;
    gw[g0 + h] = dz;
    gw[g0 + 2 * h] = dn * r;
    gx[u] = dh * z;
  }
}

#define DEFINE_RNN(NAME, T)                                                                                        \
  extern "C" __global__ void lstm_cell_##NAME(i64 n, int h, const T* ig, const T* hg, const T* bi, const T* bh,    \
                                              const T* cx, T* hy, T* cy, T* ws) {                                  \
    lstm_cell<T>(n, h, ig, hg, bi, bh, cx, hy, cy, ws);                                                            \
  }                                                                                                                \
  extern "C" __global__ void lstm_cell_backward_##NAME(i64 n, int h, const T* gh, const T* gc, const T* cx,       \
                                                       const T* cy, const T* ws, T* gg, T* gcx) {                  \
    lstm_cell_backward<T>(n, h, gh, gc, cx, cy, ws, gg, gcx);                                                      \
  }                                                                                                                \
  extern "C" __global__ void gru_cell_##NAME(i64 n, int h, const T* ig, const T* hg, const T* bi, const T* bh,     \
                                             const T* hx, T* hy, T* ws) {                                          \
    gru_cell<T>(n, h, ig, hg, bi, bh, hx, hy, ws);                                                                 \
  }                                                                                                                \
  extern "C" __global__ void gru_cell_backward_##NAME(i64 n, int h, const T* gh, const T* ws, T* gi, T* gw,       \
                                                      T* gx) {                                                     \
    gru_cell_backward<T>(n, h, gh, ws, gi, gw, gx);                                                                \
  }

DEFINE_RNN(f32, float)
DEFINE_RNN(f64, double)
