// Optimizer updates, one pass per parameter: torch.optim.SGD and Adam/AdamW single-tensor
// arithmetic. Every operation is rounded to T in the order of jnn's unfused tensor ops (see
// dev.jnn.optim.SGD / Adam and dev.jnn.backend.cpu.FloatKernels.sgd / adam), with the rn_*
// helpers so that nvcc cannot contract a multiply and an add into an FMA; scalars arrive as
// double and are rounded to T first, as the unfused ops round their scalar operands. Parameter,
// gradient and state are contiguous and of one shape.
#pragma once
#include "common.cuh"

#define SGD_NESTEROV 1
#define SGD_MAXIMIZE 2
#define SGD_FIRST 4

template <typename T>
__device__ __forceinline__ void sgd_step(i64 n, T* p, const T* g, T* buf, T lr, T momentum, T damp1, T wd,
                                         int flags) {
  const bool nesterov = flags & SGD_NESTEROV;
  const bool maximize = flags & SGD_MAXIMIZE;
  const bool first = flags & SGD_FIRST;
  const T nlr = -lr;
  GRID_STRIDE(i, n) {
    T d = maximize ? -g[i] : g[i];
    if (wd != (T)0) d = rn_add(d, rn_mul(p[i], wd));
    if (buf != 0) {
      T v;
      if (first) {
        v = d;
      } else if (damp1 == (T)1) {
        v = rn_add(rn_mul(buf[i], momentum), d);
      } else {
        v = rn_add(rn_mul(buf[i], momentum), rn_mul(d, damp1));
      }
      buf[i] = v;
      d = nesterov ? rn_add(d, rn_mul(v, momentum)) : v;
    }
    p[i] = rn_add(p[i], rn_mul(d, nlr));
  }
}

#define ADAM_AMSGRAD 1
#define ADAM_MAXIMIZE 2
#define ADAM_DECOUPLED 4

// wd: the weight decay (L2 term added to the gradient, Adam); decay: 1 - lr * wd (AdamW's
// multiplier of the parameter); both unused when wd == 0.
template <typename T>
__device__ __forceinline__ void adam_step(i64 n, T* p, const T* g, T* expAvg, T* expAvgSq, T* maxExpAvgSq, T wd,
                                          T decay, T oneMinusBeta1, T beta2, T oneMinusBeta2, T bc2Sqrt, T eps,
                                          T negStepSize, int flags) {
  const bool amsgrad = flags & ADAM_AMSGRAD;
  const bool maximize = flags & ADAM_MAXIMIZE;
  const bool decoupled = flags & ADAM_DECOUPLED;
  GRID_STRIDE(i, n) {
    T gi = maximize ? -g[i] : g[i];
    T pi = p[i];
    if (wd != (T)0) {
      if (decoupled) {
        pi = rn_mul(pi, decay);
      } else {
        gi = rn_add(gi, rn_mul(pi, wd));
      }
    }
    T m = rn_add(expAvg[i], rn_mul(rn_sub(gi, expAvg[i]), oneMinusBeta1));
    expAvg[i] = m;
    T v = rn_add(rn_mul(expAvgSq[i], beta2), rn_mul(rn_mul(gi, gi), oneMinusBeta2));
    expAvgSq[i] = v;
    if (amsgrad) {
      T mx = maxExpAvgSq[i];
      // torch.maximum: NaN wins
      mx = (is_nan(mx) || is_nan(v)) ? (is_nan(mx) ? mx : v) : (v > mx ? v : mx);
      maxExpAvgSq[i] = mx;
      v = mx;
    }
    T den = rn_add(rn_div(rn_sqrt(v), bc2Sqrt), eps);
    p[i] = rn_add(pi, rn_mul(rn_div(m, den), negStepSize));
  }
}

#define DEFINE_OPTIM(NAME, T)                                                                                         \
  extern "C" __global__ void sgd_step_##NAME(i64 n, T* p, const T* g, T* buf, double lr, double momentum,           \
                                             double damp1, double wd, int flags) {                                   \
    sgd_step<T>(n, p, g, buf, (T)lr, (T)momentum, (T)damp1, (T)wd, flags);                                          \
  }                                                                                                                   \
  extern "C" __global__ void adam_step_##NAME(i64 n, T* p, const T* g, T* expAvg, T* expAvgSq, T* maxExpAvgSq,      \
                                              double wd, double decay, double oneMinusBeta1, double beta2,          \
                                              double oneMinusBeta2, double bc2Sqrt, double eps, double negStepSize, \
                                              int flags) {                                                           \
    adam_step<T>(n, p, g, expAvg, expAvgSq, maxExpAvgSq, (T)wd, (T)decay, (T)oneMinusBeta1, (T)beta2,               \
                 (T)oneMinusBeta2, (T)bc2Sqrt, (T)eps, (T)negStepSize, flags);                                      \
  }

DEFINE_OPTIM(f32, float)
DEFINE_OPTIM(f64, double)
