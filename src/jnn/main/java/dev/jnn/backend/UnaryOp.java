package dev.jnn.backend;

/** Element-wise unary ops; {@code p0}/{@code p1} are op parameters where noted. */
public enum UnaryOp {
  /** -x. */
  NEG,
  /** e^x. */
  EXP,
  /** ln x. */
  LOG,
  /** sqrt x. */
  SQRT,
  /** |x|. */
  ABS,
  /** max(x, 0). */
  RELU,
  /** 1 / (1 + e^-x). */
  SIGMOID,
  /** tanh x. */
  TANH,
  /** x * Phi(x), the exact (erf) form, PyTorch's default. */
  GELU,
  /** x * Phi(x) with the tanh approximation ({@code approximate='tanh'}). */
  GELU_TANH,
  /** sign(x). */
  SIGN,
  /** 1 / x. */
  RECIPROCAL,
  /** clamp(x, p0, p1); NaN bounds mean "no bound". */
  CLAMP,
  /** x ^ p0. */
  POW_SCALAR,
  /** x * p0. */
  MUL_SCALAR,
  /** x + p0. */
  ADD_SCALAR,
  /** x &gt; 0 ? x : p0 * x. */
  LEAKY_RELU,
  /** log(1 + e^x), computed stably. */
  SOFTPLUS,
  /** logical not (for bool). */
  NOT,
  /** sin x. */
  SIN,
  /** cos x. */
  COS,
  /** tan x. */
  TAN,
  /** asin x. */
  ASIN,
  /** acos x. */
  ACOS,
  /** atan x. */
  ATAN,
  /** sinh x. */
  SINH,
  /** cosh x. */
  COSH,
  /** 2^x. */
  EXP2,
  /** e^x - 1. */
  EXPM1,
  /** ln(1 + x). */
  LOG1P,
  /** log2 x. */
  LOG2,
  /** log10 x. */
  LOG10,
  /** erf x. */
  ERF,
  /** 1 / sqrt x. */
  RSQRT,
  /** floor x. */
  FLOOR,
  /** ceil x. */
  CEIL,
  /** x rounded half to even. */
  ROUND,
  /** x rounded toward zero. */
  TRUNC
}
