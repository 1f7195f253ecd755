package dev.jnn.backend;

/** Element-wise binary ops (inputs already broadcast to the output shape). */
public enum BinaryOp {
  /** a + b. */
  ADD(false),
  /** a - b. */
  SUB(false),
  /** a * b. */
  MUL(false),
  /** a / b. */
  DIV(false),
  /** a ^ b. */
  POW(false),
  /** max(a, b), NaN-propagating ({@code torch.maximum}). */
  MAXIMUM(false),
  /** min(a, b), NaN-propagating ({@code torch.minimum}). */
  MINIMUM(false),
  /** a == b. */
  EQ(true),
  /** a != b. */
  NE(true),
  /** a &lt; b. */
  LT(true),
  /** a &lt;= b. */
  LE(true),
  /** a &gt; b. */
  GT(true),
  /** a &gt;= b. */
  GE(true),
  /** Backward of relu/threshold: a = grad, b = input; b &gt; 0 ? a : 0. */
  THRESHOLD_BACKWARD(false),
  /** Backward of exact gelu: a = grad, b = input. */
  GELU_BACKWARD(false),
  /** Backward of tanh-gelu: a = grad, b = input. */
  GELU_TANH_BACKWARD(false),
  /** logical and. */
  AND(true),
  /** logical or. */
  OR(true);

  private final boolean comparison;

  BinaryOp(boolean comparison) {
    this.comparison = comparison;
  }

  /** True when the result is bool. */
  public boolean isComparison() {
    return comparison;
  }
}
