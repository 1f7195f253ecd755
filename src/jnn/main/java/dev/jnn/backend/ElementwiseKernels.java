package dev.jnn.backend;

/** The element-wise family of the back-end SPI: unary, binary and ternary ops, dropout masks. */
public interface ElementwiseKernels {
  /** {@code out = op(x)} element-wise; {@code out} has {@code x}'s shape and dtype (may alias x). */
  void unary(UnaryOp op, View x, View out, double p0, double p1);

  /**
   * {@code out = op(a, b)}; {@code a}, {@code b} already broadcast (stride 0) to {@code out}'s
   * shape {@code a.shape()}; both have the compute dtype; {@code out} has that shape (bool for
   * comparisons) and may alias {@code a} exactly (in-place ops).
   */
  void binary(BinaryOp op, View a, View b, View out);

  /** {@code out = cond ? a : b}, all views broadcast to one shape. */
  void where(View cond, View a, View b, View out);

  /**
   * ATen's {@code hardtanh_backward}, one pass: {@code out = (x <= min || x >= max) ? 0 : g}, so
   * the gradient passes only strictly inside {@code (min, max)} and where {@code x} is NaN. {@code
   * g} and {@code x} have one floating dtype (float32 or float64) and {@code out}'s shape (either
   * may be broadcast, stride 0); {@code out} is of that dtype and may alias {@code g} exactly. The
   * bounds are compared in the dtype: for float32 they are first rounded to float, as the scalar
   * of {@code x.le(min)} is.
   */
  void hardtanhBackward(View g, View x, double min, double max, View out);

  /**
   * Fills the contiguous floating view {@code out} with a dropout mask: element {@code i} is
   * {@code scale} when kept and 0 when dropped, the decision being {@link Philox}'s for ({@code
   * seed}, {@code i}) with drop probability {@code p}. Every back end produces the same mask.
   */
  void dropoutMask(View out, double p, double scale, long seed);
}
