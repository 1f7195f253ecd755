// Element-wise kernels: fill, strided copy with dtype conversion, unary and binary ops, where.
// Semantics follow dev.jnn.backend.cpu.CpuBackend (op codes are the ordinals of
// dev.jnn.backend.UnaryOp / BinaryOp; a CPU unit test checks the two lists agree).
#pragma once
#include "common.cuh"

// ---------------------------------------------------------------------------------------- op codes
#define U_NEG 0
#define U_EXP 1
#define U_LOG 2
#define U_SQRT 3
#define U_ABS 4
#define U_RELU 5
#define U_SIGMOID 6
#define U_TANH 7
#define U_GELU 8
#define U_GELU_TANH 9
#define U_SIGN 10
#define U_RECIPROCAL 11
#define U_CLAMP 12
#define U_POW_SCALAR 13
#define U_MUL_SCALAR 14
#define U_ADD_SCALAR 15
#define U_LEAKY_RELU 16
#define U_SOFTPLUS 17
#define U_NOT 18
#define U_SIN 19
#define U_COS 20
#define U_TAN 21
#define U_ASIN 22
#define U_ACOS 23
#define U_ATAN 24
#define U_SINH 25
#define U_COSH 26
#define U_EXP2 27
#define U_EXPM1 28
#define U_LOG1P 29
#define U_LOG2 30
#define U_LOG10 31
#define U_ERF 32
#define U_RSQRT 33
#define U_FLOOR 34
#define U_CEIL 35
#define U_ROUND 36
#define U_TRUNC 37

#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_POW 4
#define B_MAXIMUM 5
#define B_MINIMUM 6
#define B_EQ 7
#define B_NE 8
#define B_LT 9
#define B_LE 10
#define B_GT 11
#define B_GE 12
#define B_THRESHOLD_BACKWARD 13
#define B_GELU_BACKWARD 14
#define B_GELU_TANH_BACKWARD 15
#define B_AND 16
#define B_OR 17

// sqrt(2 / pi) and the cubic coefficient of the tanh approximation of gelu (PyTorch's kBeta, kKappa)
#define K_BETA 0.7978845608028654
#define K_KAPPA 0.044715
#define SQRT1_2 0.7071067811865476
#define INV_SQRT_2PI 0.3989422804014327

// ---------------------------------------------------------------------------------------- conversion
template <typename D, typename S>
__device__ __forceinline__ D cvt(S v) {
  return (D)v;
}
template <>
__device__ __forceinline__ i64 cvt<i64, float>(float v) {
  return to_i64((double)v);
}
template <>
__device__ __forceinline__ i64 cvt<i64, double>(double v) {
  return to_i64(v);
}
template <>
__device__ __forceinline__ u8 cvt<u8, float>(float v) {
  return v != 0.0f ? 1 : 0;
}
template <>
__device__ __forceinline__ u8 cvt<u8, double>(double v) {
  return v != 0.0 ? 1 : 0;
}
template <>
__device__ __forceinline__ u8 cvt<u8, i64>(i64 v) {
  return v != 0 ? 1 : 0;
}
template <>
__device__ __forceinline__ u8 cvt<u8, u8>(u8 v) {
  return v != 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------- fill / copy
#define DEFINE_FILL(NAME, T, PT)                                                        \
  extern "C" __global__ void fill_##NAME(Iter it, T* __restrict__ out, PT value) {      \
    T v = (T)value;                                                                     \
    GRID_STRIDE(i, it.n) {                                                              \
      int off[1];                                                                       \
      iter_offsets<1>(it, (int)i, off);                                                 \
      out[off[0]] = v;                                                                  \
    }                                                                                   \
  }
DEFINE_FILL(f32, float, float)
DEFINE_FILL(f64, double, double)
DEFINE_FILL(i64, i64, i64)
DEFINE_FILL(u8, u8, int)

// operand 0 = source, operand 1 = destination
#define DEFINE_COPY(SN, S, DN, D)                                                                  \
  extern "C" __global__ void copy_##SN##_##DN(Iter it, const S* __restrict__ src, D* __restrict__ dst) { \
    GRID_STRIDE(i, it.n) {                                                                         \
      int off[2];                                                                                  \
      iter_offsets<2>(it, (int)i, off);                                                            \
      dst[off[1]] = cvt<D, S>(src[off[0]]);                                                        \
    }                                                                                              \
  }
#define DEFINE_COPY_FROM(SN, S) \
  DEFINE_COPY(SN, S, f32, float) \
  DEFINE_COPY(SN, S, f64, double) \
  DEFINE_COPY(SN, S, i64, i64) \
  DEFINE_COPY(SN, S, u8, u8)
DEFINE_COPY_FROM(f32, float)
DEFINE_COPY_FROM(f64, double)
DEFINE_COPY_FROM(i64, i64)
DEFINE_COPY_FROM(u8, u8)

// ---------------------------------------------------------------------------------------- unary
template <typename T>
__device__ __forceinline__ T unary_fp(int op, T x, double p0, double p1) {
  switch (op) {
    case U_NEG: return -x;
    case U_EXP: return m_exp(x);
    case U_LOG: return m_log(x);
    case U_SQRT: return m_sqrt(x);
    case U_ABS: return m_abs(x);
    case U_RELU: return x > (T)0 ? x : (is_nan(x) ? x : (T)0);
    case U_SIGMOID: return (T)1 / ((T)1 + m_exp(-x));
    case U_TANH: return m_tanh(x);
    case U_GELU: return (T)0.5 * x * ((T)1 + m_erf(x * (T)SQRT1_2));
    case U_GELU_TANH: {
      T inner = (T)K_BETA * (x + (T)K_KAPPA * x * x * x);
      return (T)0.5 * x * ((T)1 + m_tanh(inner));
    }
    case U_SIGN: return is_nan(x) ? x : (x > (T)0 ? (T)1 : (x < (T)0 ? (T)-1 : x));
    case U_RECIPROCAL: return (T)1 / x;
    case U_CLAMP: {
      if (is_nan(x)) return x;
      double y = (double)x;
      if (!is_nan(p0) && y < p0) y = p0;
      if (!is_nan(p1) && y > p1) y = p1;
      return (T)y;
    }
    case U_POW_SCALAR: return p0 == 2.0 ? x * x : m_pow(x, (T)p0);
    case U_MUL_SCALAR: return x * (T)p0;
    case U_ADD_SCALAR: return x + (T)p0;
    case U_LEAKY_RELU: return x > (T)0 ? x : x * (T)p0;
    case U_SOFTPLUS: return (x > (T)0 ? x : (T)0) + m_log1p(m_exp(-m_abs(x)));
    case U_NOT: return x == (T)0 ? (T)1 : (T)0;
    case U_SIN: return m_sin(x);
    case U_COS: return m_cos(x);
    case U_TAN: return m_tan(x);
    case U_ASIN: return m_asin(x);
    case U_ACOS: return m_acos(x);
    case U_ATAN: return m_atan(x);
    case U_SINH: return m_sinh(x);
    case U_COSH: return m_cosh(x);
    case U_EXP2: return m_exp2(x);
    case U_EXPM1: return m_expm1(x);
    case U_LOG1P: return m_log1p(x);
    case U_LOG2: return m_log2(x);
    case U_LOG10: return m_log10(x);
    case U_ERF: return m_erf(x);
    case U_RSQRT: return (T)1 / m_sqrt(x);
    case U_FLOOR: return m_floor(x);
    case U_CEIL: return m_ceil(x);
    case U_ROUND: return m_rint(x);  // half to even, as torch.round
    case U_TRUNC: return m_trunc(x);
    default: return nan_of<T>();
  }
}

extern "C" __global__ void unary_f32(int op, Iter it, const float* __restrict__ x, float* out, double p0, double p1) {
  GRID_STRIDE(i, it.n) {
    int off[2];
    iter_offsets<2>(it, (int)i, off);
    out[off[1]] = unary_fp<float>(op, x[off[0]], p0, p1);
  }
}

extern "C" __global__ void unary_f64(int op, Iter it, const double* __restrict__ x, double* out, double p0, double p1) {
  GRID_STRIDE(i, it.n) {
    int off[2];
    iter_offsets<2>(it, (int)i, off);
    out[off[1]] = unary_fp<double>(op, x[off[0]], p0, p1);
  }
}

// int64: neg/abs/sign exactly; everything else through double and back (as the CPU back end)
extern "C" __global__ void unary_i64(int op, Iter it, const i64* __restrict__ x, i64* out, double p0, double p1) {
  GRID_STRIDE(i, it.n) {
    int off[2];
    iter_offsets<2>(it, (int)i, off);
    i64 v = x[off[0]];
    i64 r;
    if (op == U_NEG) r = -v;
    else if (op == U_ABS) r = v < 0 ? -v : v;
    else if (op == U_SIGN) r = v > 0 ? 1 : (v < 0 ? -1 : 0);
    else r = to_i64(unary_fp<double>(op, (double)v, p0, p1));
    out[off[1]] = r;
  }
}

extern "C" __global__ void unary_u8(int op, Iter it, const u8* __restrict__ x, u8* out, double p0, double p1) {
  GRID_STRIDE(i, it.n) {
    int off[2];
    iter_offsets<2>(it, (int)i, off);
    double r = unary_fp<double>(op, x[off[0]] ? 1.0 : 0.0, p0, p1);
    out[off[1]] = r != 0.0 ? 1 : 0;
  }
}

// ---------------------------------------------------------------------------------------- binary
__device__ __forceinline__ bool is_comparison(int op) {
  return (op >= B_EQ && op <= B_GE) || op == B_AND || op == B_OR;
}

template <typename T>
__device__ __forceinline__ bool compare(int op, T a, T b) {
  switch (op) {
    case B_EQ: return a == b;
    case B_NE: return a != b;
    case B_LT: return a < b;
    case B_LE: return a <= b;
    case B_GT: return a > b;
    case B_GE: return a >= b;
    case B_AND: return a != (T)0 && b != (T)0;
    case B_OR: return a != (T)0 || b != (T)0;
    default: return false;
  }
}

template <typename T>
__device__ __forceinline__ T binary_fp(int op, T a, T b) {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_POW: return m_pow(a, b);
    case B_MAXIMUM: return (is_nan(a) || is_nan(b)) ? nan_of<T>() : (a > b ? a : b);
    case B_MINIMUM: return (is_nan(a) || is_nan(b)) ? nan_of<T>() : (a < b ? a : b);
    case B_THRESHOLD_BACKWARD: return b > (T)0 ? a : (T)0;
    case B_GELU_BACKWARD: {
      T cdf = (T)0.5 * ((T)1 + m_erf(b * (T)SQRT1_2));
      T pdf = m_exp((T)-0.5 * b * b) * (T)INV_SQRT_2PI;
      return a * (cdf + b * pdf);
    }
    case B_GELU_TANH_BACKWARD: {
      T x2 = b * b;
      T inner = (T)K_BETA * (b + (T)K_KAPPA * x2 * b);
      T t = m_tanh(inner);
      T left = (T)0.5 * b;
      T right = (T)1 + t;
      T leftD = (T)0.5 * right;
      T rightD = left * ((T)1 - t * t) * (T)K_BETA * ((T)1 + (T)3 * (T)K_KAPPA * x2);
      return a * (leftD + rightD);
    }
    default: return compare<T>(op, a, b) ? (T)1 : (T)0;
  }
}

__device__ __forceinline__ i64 floor_div(i64 a, i64 b) {
  if (b == 0) return 0;  // Java throws; a GPU cannot: 0, like CUDA integer division by zero is undefined
  i64 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

__device__ __forceinline__ i64 binary_i64(int op, i64 a, i64 b) {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_MAXIMUM: return a > b ? a : b;
    case B_MINIMUM: return a < b ? a : b;
    case B_DIV: return floor_div(a, b);
    default: return to_i64(binary_fp<double>(op, (double)a, (double)b));
  }
}

// operands: 0 = a, 1 = b, 2 = out (bool for comparisons, else the input dtype)
extern "C" __global__ void binary_f32(int op, Iter it, const float* a, const float* b, void* out) {
  bool cmp = is_comparison(op);
  GRID_STRIDE(i, it.n) {
    int off[3];
    iter_offsets<3>(it, (int)i, off);
    float x = a[off[0]], y = b[off[1]];
    if (cmp) ((u8*)out)[off[2]] = compare<float>(op, x, y) ? 1 : 0;
    else ((float*)out)[off[2]] = binary_fp<float>(op, x, y);
  }
}

extern "C" __global__ void binary_f64(int op, Iter it, const double* a, const double* b, void* out) {
  bool cmp = is_comparison(op);
  GRID_STRIDE(i, it.n) {
    int off[3];
    iter_offsets<3>(it, (int)i, off);
    double x = a[off[0]], y = b[off[1]];
    if (cmp) ((u8*)out)[off[2]] = compare<double>(op, x, y) ? 1 : 0;
    else ((double*)out)[off[2]] = binary_fp<double>(op, x, y);
  }
}

extern "C" __global__ void binary_i64(int op, Iter it, const i64* a, const i64* b, void* out) {
  bool cmp = is_comparison(op);
  GRID_STRIDE(i, it.n) {
    int off[3];
    iter_offsets<3>(it, (int)i, off);
    i64 x = a[off[0]], y = b[off[1]];
    if (cmp) ((u8*)out)[off[2]] = compare<i64>(op, x, y) ? 1 : 0;
    else ((i64*)out)[off[2]] = binary_i64(op, x, y);
  }
}

extern "C" __global__ void binary_u8(int op, Iter it, const u8* a, const u8* b, void* out) {
  bool cmp = is_comparison(op);
  GRID_STRIDE(i, it.n) {
    int off[3];
    iter_offsets<3>(it, (int)i, off);
    double x = a[off[0]] ? 1.0 : 0.0, y = b[off[1]] ? 1.0 : 0.0;
    if (cmp) ((u8*)out)[off[2]] = compare<double>(op, x, y) ? 1 : 0;
    else ((u8*)out)[off[2]] = binary_fp<double>(op, x, y) != 0.0 ? 1 : 0;
  }
}

// ---------------------------------------------------------------------------------------- where
// operands: 0 = cond (bool), 1 = a, 2 = b, 3 = out
#define DEFINE_WHERE(NAME, T)                                                                   \
  extern "C" __global__ void where_##NAME(Iter it, const u8* cond, const T* a, const T* b, T* out) { \
    GRID_STRIDE(i, it.n) {                                                                      \
      int off[4];                                                                               \
      iter_offsets<4>(it, (int)i, off);                                                         \
      out[off[3]] = cond[off[0]] ? a[off[1]] : b[off[2]];                                       \
    }                                                                                           \
  }
DEFINE_WHERE(f32, float)
DEFINE_WHERE(f64, double)
DEFINE_WHERE(i64, i64)
DEFINE_WHERE(u8, u8)

// ---------------------------------------------------------------------------------------- hardtanh backward
// ATen's hardtanh_backward in one pass: out = (x <= lo || x >= hi) ? 0 : g (NaN x passes g); the
// bounds rounded to T first, as the CPU back end compares them. operands: 0 = g, 1 = x, 2 = out
// (out may alias g, so neither is __restrict__)
#define DEFINE_HARDTANH_BACKWARD(NAME, T)                                                       \
  extern "C" __global__ void hardtanh_backward_##NAME(Iter it, const T* g, const T* x, T* out,  \
                                                      double lo, double hi) {                   \
    T l = (T)lo, h = (T)hi;                                                                     \
    GRID_STRIDE(i, it.n) {                                                                      \
      int off[3];                                                                               \
      iter_offsets<3>(it, (int)i, off);                                                         \
      T v = x[off[1]];                                                                          \
      out[off[2]] = (v <= l || v >= h) ? (T)0 : g[off[0]];                                      \
    }                                                                                           \
  }
DEFINE_HARDTANH_BACKWARD(f32, float)
DEFINE_HARDTANH_BACKWARD(f64, double)
