// A tiny CPU emulation of the CUDA C subset jnn's kernels use, so that the unit tests can run the
// real kernel sources on a machine without a GPU (g++ -std=c++17 -DJNN_EMU). Blocks run one after
// another; the threads of a block run as cooperative fibers (ucontext) when the kernel contains a
// barrier (bar.sync in its PTX), else as plain calls. Single OS thread: atomics are plain
// read-modify-writes. Not a CUDA implementation: just enough for the kernels in this folder.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

struct dim3 {
  unsigned int x = 1, y = 1, z = 1;
};

extern dim3 threadIdx, blockIdx, blockDim, gridDim;
void jnn_emu_syncthreads();

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__
#define __shared__ static
#define __syncthreads() jnn_emu_syncthreads()

using std::max;
using std::min;

inline unsigned int __umulhi(unsigned int a, unsigned int b) {
  return (unsigned int)(((unsigned long long)a * b) >> 32);
}

inline float atomicAdd(float* p, float v) {
  float o = *p;
  *p = o + v;
  return o;
}
inline double atomicAdd(double* p, double v) {
  double o = *p;
  *p = o + v;
  return o;
}
inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
  unsigned long long o = *p;
  *p = o + v;
  return o;
}
inline int atomicAdd(int* p, int v) {
  int o = *p;
  *p = o + v;
  return o;
}
inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long cmp, unsigned long long v) {
  unsigned long long o = *p;
  if (o == cmp) *p = v;
  return o;
}
inline int atomicCAS(int* p, int cmp, int v) {
  int o = *p;
  if (o == cmp) *p = v;
  return o;
}
inline int __float_as_int(float v) {
  int r;
  std::memcpy(&r, &v, sizeof r);
  return r;
}
inline float __int_as_float(int v) {
  float r;
  std::memcpy(&r, &v, sizeof r);
  return r;
}
inline long long __double_as_longlong(double v) {
  long long r;
  std::memcpy(&r, &v, sizeof r);
  return r;
}
inline double __longlong_as_double(long long v) {
  double r;
  std::memcpy(&r, &v, sizeof r);
  return r;
}
