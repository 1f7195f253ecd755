package dev.jnn.backend;

/**
 * The geometry of one grid sampling ({@link SampleKernels#gridSample}): 2-d, input {@code [n, c,
 * inH, inW]}, grid {@code [n, outH, outW, 2]} (x, y in {@code [-1, 1]}), output {@code [n, c,
 * outH, outW]}; or 3-d, input {@code [n, c, inD, inH, inW]}, grid {@code [n, outD, outH, outW,
 * 3]} (x, y, z), output {@code [n, c, outD, outH, outW]}; all contiguous. The arithmetic is
 * ATen's {@code grid_sampler_2d} / {@code grid_sampler_3d} ({@code
 * aten/src/ATen/native/GridSampler.h}).
 *
 * @param dims 2 or 3 (the grid's last size)
 * @param mode {@link #BILINEAR} (trilinear in 3-d), {@link #NEAREST} or {@link #BICUBIC} (2-d
 *     only; ATen's enum order)
 * @param padding {@link #ZEROS}, {@link #BORDER} or {@link #REFLECTION}
 * @param alignCorners PyTorch's {@code align_corners}
 * @param n batch size
 * @param c channels
 * @param inD input depth (1 for 2-d)
 * @param inH input height
 * @param inW input width
 * @param outD grid depth (1 for 2-d)
 * @param outH grid height
 * @param outW grid width
 */
public record GridSampleSpec(
    int dims, int mode, int padding, boolean alignCorners, int n, int c, int inD, int inH,
    int inW, int outD, int outH, int outW) {
  /** {@code mode='bilinear'}. */
  public static final int BILINEAR = 0;

  /** {@code mode='nearest'} (round half to even, as {@code nearbyint}). */
  public static final int NEAREST = 1;

  /** {@code mode='bicubic'} ({@code A = -0.75}, padding applied per tap). */
  public static final int BICUBIC = 2;

  /** {@code padding_mode='zeros'}. */
  public static final int ZEROS = 0;

  /** {@code padding_mode='border'}. */
  public static final int BORDER = 1;

  /** {@code padding_mode='reflection'}. */
  public static final int REFLECTION = 2;

  /** Number of grid points ({@code n * outD * outH * outW}). */
  public long points() {
    return (long) n * outD * outH * outW;
  }
}
