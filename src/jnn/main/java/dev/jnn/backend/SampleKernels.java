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

  /**
   * 2-d grid sampling ({@code grid_sampler_2d}).
   *
   * @param input {@code [n, c, inH, inW]}
   * @param grid {@code [n, outH, outW, 2]}
   * @param out {@code [n, c, outH, outW]}
   * @param s the geometry and options
   */
  void gridSample2d(View input, View grid, Buffer out, GridSampleSpec s);

  /**
   * Gradients of {@link #gridSample2d} ({@code grid_sampler_2d_backward}).
   *
   * @param gradOut {@code [n, c, outH, outW]}
   * @param input the forward's input
   * @param grid the forward's grid
   * @param gradInput {@code [n, c, inH, inW]} (zero-filled on entry), or null when not needed
   * @param gradGrid {@code [n, outH, outW, 2]} (zero-filled on entry)
   * @param s the geometry and options of the forward
   */
  void gridSample2dBackward(
      View gradOut, View input, View grid, Buffer gradInput, Buffer gradGrid, GridSampleSpec s);
}
