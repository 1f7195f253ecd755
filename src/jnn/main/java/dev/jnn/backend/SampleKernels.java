package dev.jnn.backend;

/**
 * The resampling family of the back-end SPI ({@code F.interpolate}'s kernels and {@code
 * F.grid_sample}'s); conventions: {@link ConvKernels}.
 */
public interface SampleKernels {

  /**
   * Nearest, linear (1-3 d) or bicubic resampling.
   *
   * @param x {@code [planes, inD, inH, inW]}
   * @param out {@code [planes, outD, outH, outW]}
   * @param s the geometry and mode
   */
  void upsample(View x, Buffer out, UpsampleSpec s);

  /**
   * Gradient of {@link #upsample}: each output gradient is added to the input taps it read,
   * with their weights.
   *
   * @param gradOut {@code [planes, outD, outH, outW]}
   * @param gradIn {@code [planes, inD, inH, inW]} (zero-filled on entry)
   * @param s the geometry and mode of the forward
   */
  void upsampleBackward(View gradOut, Buffer gradIn, UpsampleSpec s);
}
