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
   * Grid sampling ({@code grid_sampler_2d} or {@code grid_sampler_3d}).
   *
   * @param input {@code [n, c, (inD,) inH, inW]}
   * @param grid {@code [n, (outD,) outH, outW, dims]}
   * @param out {@code [n, c, (outD,) outH, outW]}
   * @param s the geometry and options
   */
  void gridSample(View input, View grid, Buffer out, GridSampleSpec s);

  /**
   * Gradients of {@link #gridSample} ({@code grid_sampler_2d_backward} / {@code _3d_backward}).
   *
   * @param gradOut {@code [n, c, (outD,) outH, outW]}
   * @param input the forward's input
   * @param grid the forward's grid
   * @param gradInput the input's shape (zero-filled on entry), or null when not needed
   * @param gradGrid the grid's shape (zero-filled on entry)
   * @param s the geometry and options of the forward
   */
  void gridSampleBackward(
      View gradOut, View input, View grid, Buffer gradInput, Buffer gradGrid, GridSampleSpec s);
}
