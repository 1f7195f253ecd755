package dev.jnn.backend;

/**
 * The geometry of one 2-d grid sampling ({@link SampleKernels#gridSample2d}): input {@code [n, c,
 * inH, inW]}, grid {@code [n, outH, outW, 2]} (x, y in {@code [-1, 1]}), output {@code [n, c,
 * outH, outW]}, all contiguous. The arithmetic is ATen's {@code grid_sampler_2d} ({@code
 * aten/src/ATen/native/GridSampler.h}).
 *
 * @param mode {@link #BILINEAR}, {@link #NEAREST} or {@link #BICUBIC} (ATen's enum order)
 * @param padding {@link #ZEROS}, {@link #BORDER} or {@link #REFLECTION}
 * @param alignCorners PyTorch's {@code align_corners}
 * @param n batch size
 * @param c channels
 * @param inH input height
 * @param inW input width
 * @param outH grid height
 * @param outW grid width
 */
public record GridSampleSpec(
    int mode, int padding, boolean alignCorners, int n, int c, int inH, int inW, int outH,
    int outW) {
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

  /** Number of grid points ({@code n * outH * outW}). */
  public long points() {
    return (long) n * outH * outW;
  }
}
