package dev.jnn.backend;

/** The softmax family of the back-end SPI (conventions: {@link ConvKernels}). */
public interface SoftmaxKernels {

  /**
   * Softmax (or log-softmax) along the middle dim of {@code [outer, size, inner]}, numerically
   * stable (the maximum is subtracted first).
   *
   * @param x {@code [outer, size, inner]}
   * @param s the sizes, and whether it is log-softmax
   * @param out {@code [outer, size, inner]}
   */
  void softmax(View x, SoftmaxShape s, Buffer out);

  /**
   * Gradient of {@link #softmax}: {@code y * (g - sum(g * y))} for softmax, {@code g - exp(y) *
   * sum(g)} for log-softmax, sums along the softmax dim.
   *
   * @param gradOut {@code [outer, size, inner]}
   * @param out the forward output
   * @param s as in the forward
   * @param gradIn {@code [outer, size, inner]}
   */
  void softmaxBackward(View gradOut, View out, SoftmaxShape s, Buffer gradIn);
}
