package dev.jnn.tensor;

/**
 * The element-wise ops of {@link Tensor}: arithmetic with broadcasting and type promotion,
 * comparisons and logic, activations, unary math under PyTorch's names, binary math ({@code
 * atan2}, {@code remainder}, {@code fmod}, {@code clamp} with tensor bounds) and the special-value
 * tests ({@code isnan}, {@code isinf}, {@code nanToNum}); PyTorch's docs list them under
 * "Pointwise Ops" and "Comparison Ops". {@code torch.where} is the static {@link
 * Tensor#where(Tensor, Tensor, Tensor)}.
 *
 * <p>One of the facade interfaces that {@link Tensor} implements, one per family of ops, so that
 * its methods can be read by family (as PyTorch's documentation groups them) and no file of the
 * facade grows past about 1,000 lines. It is sealed to {@code Tensor}: users never implement it
 * and never need to name it, since every method is called on a {@code Tensor} ({@code x.relu()},
 * {@code Tensor::relu}) and a subclass of {@code Tensor} may override any of them. Each method is
 * one line into the package's op family that holds the op's body (here {@code UnaryOps}, {@code
 * BinaryOps}, {@code BinaryMathOps}, {@code MaskOps}); see "Op families" in
 * docs/ARCHITECTURE.md.
 */
public sealed interface TensorPointwise permits Tensor {
  /** This object as the {@link Tensor} it is (the only permitted implementation). */
  private Tensor self() {
    return (Tensor) this;
  }

  // ------------------------------------------------------------------ arithmetic

  /** {@code this + other} with broadcasting. */
  default Tensor add(Tensor other) {
    return BinaryOps.add(self(), other);
  }

  /** {@code this + alpha * other} ({@code torch.add(x, y, alpha=)}). */
  default Tensor add(Tensor other, double alpha) {
    return alpha == 1.0 ? add(other) : add(other.mul(alpha));
  }

  /** {@code this + s}. */
  default Tensor add(double s) {
    return add(Checks.wrapScalar(self(), s));
  }

  /** {@code this - other}. */
  default Tensor sub(Tensor other) {
    return BinaryOps.sub(self(), other);
  }

  /** {@code this - s}. */
  default Tensor sub(double s) {
    return sub(Checks.wrapScalar(self(), s));
  }

  /** {@code s - this} ({@code torch.rsub}). */
  default Tensor rsub(double s) {
    return BinaryOps.rsub(self(), s);
  }

  /** {@code this * other}. */
  default Tensor mul(Tensor other) {
    return BinaryOps.mul(self(), other);
  }

  /** {@code this * s}. */
  default Tensor mul(double s) {
    return BinaryOps.mul(self(), s);
  }

  /** {@code this / other} (true division: integers promote to float32). */
  default Tensor div(Tensor other) {
    return BinaryOps.div(self(), other);
  }

  /** {@code this / s}. */
  default Tensor div(double s) {
    // a true division, as PyTorch does (x * (1/s) can differ in the last bit)
    return div(Checks.wrapScalar(self(), s));
  }

  /** {@code -this}. */
  default Tensor neg() {
    return UnaryOps.neg(self());
  }

  /** {@code this ^ exponent} element-wise. */
  default Tensor pow(Tensor exponent) {
    return BinaryOps.pow(self(), exponent);
  }

  /** {@code this ^ p}. */
  default Tensor pow(double p) {
    return UnaryOps.pow(self(), p);
  }

  /** e^x. */
  default Tensor exp() {
    return UnaryOps.exp(self());
  }

  /** Natural log. */
  default Tensor log() {
    return UnaryOps.log(self());
  }

  /** Square root. */
  default Tensor sqrt() {
    return UnaryOps.sqrt(self());
  }

  /** |x|. */
  default Tensor abs() {
    return UnaryOps.abs(self());
  }

  /** sign(x) (not differentiable: zero gradient). */
  default Tensor sign() {
    return UnaryOps.sign(self());
  }

  /** Clamps into [min, max]; pass {@code Double.NaN} for "no bound" ({@code torch.clamp}). */
  default Tensor clamp(double min, double max) {
    return UnaryOps.clamp(self(), min, max);
  }

  /** {@code clamp(min=min)}. */
  default Tensor clampMin(double min) {
    return clamp(min, Double.NaN);
  }

  /** {@code clamp(max=max)}. */
  default Tensor clampMax(double max) {
    return clamp(Double.NaN, max);
  }

  /** Element-wise maximum, NaN-propagating ({@code torch.maximum}). */
  default Tensor maximum(Tensor other) {
    return BinaryOps.maximum(self(), other);
  }

  /** Element-wise minimum, NaN-propagating ({@code torch.minimum}). */
  default Tensor minimum(Tensor other) {
    return BinaryOps.minimum(self(), other);
  }

  // ------------------------------------------------------------------ comparisons and logic

  /** {@code this == other} (bool). */
  default Tensor eq(Tensor other) {
    return BinaryOps.eq(self(), other);
  }

  /** {@code this == s}. */
  default Tensor eq(double s) {
    return eq(Checks.wrapScalar(self(), s));
  }

  /** {@code this != other}. */
  default Tensor ne(Tensor other) {
    return BinaryOps.ne(self(), other);
  }

  /** {@code this != s}. */
  default Tensor ne(double s) {
    return ne(Checks.wrapScalar(self(), s));
  }

  /** {@code this < other}. */
  default Tensor lt(Tensor other) {
    return BinaryOps.lt(self(), other);
  }

  /** {@code this < s}. */
  default Tensor lt(double s) {
    return lt(Checks.wrapScalar(self(), s));
  }

  /** {@code this <= other}. */
  default Tensor le(Tensor other) {
    return BinaryOps.le(self(), other);
  }

  /** {@code this <= s}. */
  default Tensor le(double s) {
    return le(Checks.wrapScalar(self(), s));
  }

  /** {@code this > other}. */
  default Tensor gt(Tensor other) {
    return BinaryOps.gt(self(), other);
  }

  /** {@code this > s}. */
  default Tensor gt(double s) {
    return gt(Checks.wrapScalar(self(), s));
  }

  /** {@code this >= other}. */
  default Tensor ge(Tensor other) {
    return BinaryOps.ge(self(), other);
  }

  /** {@code this >= s}. */
  default Tensor ge(double s) {
    return ge(Checks.wrapScalar(self(), s));
  }

  /** Element-wise logical and (bool). */
  default Tensor logicalAnd(Tensor other) {
    return BinaryOps.logicalAnd(self(), other);
  }

  /** Element-wise logical or (bool). */
  default Tensor logicalOr(Tensor other) {
    return BinaryOps.logicalOr(self(), other);
  }

  /** Element-wise logical not (bool). */
  default Tensor logicalNot() {
    return UnaryOps.logicalNot(self());
  }

  // ------------------------------------------------------------------ activations

  /** max(x, 0). */
  default Tensor relu() {
    return UnaryOps.relu(self());
  }

  /** 1 / (1 + e^-x). */
  default Tensor sigmoid() {
    return UnaryOps.sigmoid(self());
  }

  /** tanh x. */
  default Tensor tanh() {
    return UnaryOps.tanh(self());
  }

  /** GELU, exact (erf) form ({@code approximate='none'}). */
  default Tensor gelu() {
    return gelu("none");
  }

  /** GELU with {@code approximate} = {@code "none"} or {@code "tanh"}. */
  default Tensor gelu(String approximate) {
    return UnaryOps.gelu(self(), approximate);
  }

  /** x &gt; 0 ? x : slope * x. */
  default Tensor leakyRelu(double negativeSlope) {
    return UnaryOps.leakyRelu(self(), negativeSlope);
  }

  // ------------------------------------------------------------------ unary math (torch names)

  /** {@code torch.sin}. */
  default Tensor sin() {
    return UnaryOps.sin(self());
  }

  /** {@code torch.cos}. */
  default Tensor cos() {
    return UnaryOps.cos(self());
  }

  /** {@code torch.tan}. */
  default Tensor tan() {
    return UnaryOps.tan(self());
  }

  /** {@code torch.asin}. */
  default Tensor asin() {
    return UnaryOps.asin(self());
  }

  /** {@code torch.acos}. */
  default Tensor acos() {
    return UnaryOps.acos(self());
  }

  /** {@code torch.atan}. */
  default Tensor atan() {
    return UnaryOps.atan(self());
  }

  /** {@code torch.sinh}. */
  default Tensor sinh() {
    return UnaryOps.sinh(self());
  }

  /** {@code torch.cosh}. */
  default Tensor cosh() {
    return UnaryOps.cosh(self());
  }

  /** {@code torch.exp2}: 2^x. */
  default Tensor exp2() {
    return UnaryOps.exp2(self());
  }

  /** {@code torch.expm1}: e^x - 1. */
  default Tensor expm1() {
    return UnaryOps.expm1(self());
  }

  /** {@code torch.log1p}: ln(1 + x). */
  default Tensor log1p() {
    return UnaryOps.log1p(self());
  }

  /** {@code torch.log2}. */
  default Tensor log2() {
    return UnaryOps.log2(self());
  }

  /** {@code torch.log10}. */
  default Tensor log10() {
    return UnaryOps.log10(self());
  }

  /** {@code torch.erf}. */
  default Tensor erf() {
    return UnaryOps.erf(self());
  }

  /** {@code torch.rsqrt}: 1 / sqrt(x). */
  default Tensor rsqrt() {
    return UnaryOps.rsqrt(self());
  }

  /** {@code torch.reciprocal}: 1 / x. */
  default Tensor reciprocal() {
    return UnaryOps.reciprocal(self());
  }

  /** {@code torch.floor} (zero gradient; integer tensors are returned as a copy). */
  default Tensor floor() {
    return UnaryOps.floor(self());
  }

  /** {@code torch.ceil} (zero gradient; integer tensors are returned as a copy). */
  default Tensor ceil() {
    return UnaryOps.ceil(self());
  }

  /** {@code torch.round}: half to even (zero gradient; integer tensors are returned as a copy). */
  default Tensor round() {
    return UnaryOps.round(self());
  }

  /** {@code torch.trunc}: toward zero (zero gradient; integer tensors are returned as a copy). */
  default Tensor trunc() {
    return UnaryOps.trunc(self());
  }

  // ------------------------------------------------------------------ binary math (BinaryMathOps)

  /** Element-wise {@code atan2(this, other)} in (-pi, pi] ({@code torch.atan2}). */
  default Tensor atan2(Tensor other) {
    return BinaryMathOps.atan2(self(), other);
  }

  /** Python's modulus: the remainder with the sign of the divisor ({@code torch.remainder}). */
  default Tensor remainder(Tensor other) {
    return BinaryMathOps.mod(self(), other, true, "RemainderBackward1");
  }

  /** {@code torch.remainder(x, s)} with a scalar divisor. */
  default Tensor remainder(double s) {
    return BinaryMathOps.mod(self(), s, true, "RemainderBackward0");
  }

  /** C's fmod: the remainder with the sign of the dividend ({@code torch.fmod}). */
  default Tensor fmod(Tensor other) {
    return BinaryMathOps.mod(self(), other, false, "FmodBackward1");
  }

  /** {@code torch.fmod(x, s)} with a scalar divisor. */
  default Tensor fmod(double s) {
    return BinaryMathOps.mod(self(), s, false, "FmodBackward0");
  }

  /** Clamp into tensor bounds, broadcast; either may be null ({@code torch.clamp(x, min, max)}). */
  default Tensor clamp(Tensor min, Tensor max) {
    return BinaryMathOps.clamp(self(), min, max);
  }

  // ------------------------------------------------------------------ special values

  /** True where the element is NaN ({@code torch.isnan}); never differentiable. */
  default Tensor isnan() {
    return UnaryOps.isnan(self());
  }

  /** True where the element is +-infinity ({@code torch.isinf}); never differentiable. */
  default Tensor isinf() {
    return UnaryOps.isinf(self());
  }

  /** NaN to 0, +-inf to the dtype's largest/lowest finite value ({@code torch.nan_to_num}). */
  default Tensor nanToNum() {
    return MaskOps.nanToNum(self(), 0, null, null);
  }

  /**
   * {@code torch.nan_to_num(x, nan, posinf, neginf)}; a null {@code posinf}/{@code neginf} keeps
   * the dtype's largest/lowest finite value.
   */
  default Tensor nanToNum(double nan, Double posinf, Double neginf) {
    return MaskOps.nanToNum(self(), nan, posinf, neginf);
  }
}
