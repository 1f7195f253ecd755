package dev.jnn.backend;

/**
 * The geometry of one resampling ({@link SampleKernels#upsample}): input {@code [planes, inD, inH,
 * inW]}, output {@code [planes, outD, outH, outW]}, both contiguous; a 1-d or 2-d resampling has
 * size 1 in its missing leading dims. Each output coordinate reads a few input taps per dim,
 * computed as ATen 1.13's CPU kernels do ({@code aten/src/ATen/native/UpSample.h}): the scale is
 * the user's {@code 1 / scale_factor} when one reaches the kernel ({@code scale > 0}), else {@code
 * in / out}; it is a float for {@link #NEAREST} and {@link #NEAREST_EXACT} and the element type's
 * precision for the interpolating modes.
 *
 * @param mode {@link #NEAREST}, {@link #NEAREST_PLAIN}, {@link #NEAREST_EXACT}, {@link
 *     #LINEAR_AA}, {@link #CUBIC_AA}, {@link #LINEAR} (linear, bilinear,
 *     trilinear) or {@link #CUBIC} (bicubic)
 * @param planes {@code N * C}
 * @param inD input depth (1 for 1-d and 2-d)
 * @param inH input height (1 for 1-d)
 * @param inW input width
 * @param outD output depth
 * @param outH output height
 * @param outW output width
 * @param scaleD the scale factor that reaches the kernel for depth, or 0 for none
 * @param scaleH likewise for height
 * @param scaleW likewise for width
 * @param alignCorners PyTorch's {@code align_corners} (interpolating modes only)
 */
public record UpsampleSpec(
    int mode,
    int planes,
    int inD,
    int inH,
    int inW,
    int outD,
    int outH,
    int outW,
    double scaleD,
    double scaleH,
    double scaleW,
    boolean alignCorners) {
  /** {@code mode='nearest'} (ATen's {@code nearest_idx}). */
  public static final int NEAREST = 0;

  /** {@code mode='nearest-exact'} (ATen's {@code nearest_exact_idx}). */
  public static final int NEAREST_EXACT = 1;

  /** {@code mode='linear'}, {@code 'bilinear'}, {@code 'trilinear'}: two taps per dim. */
  public static final int LINEAR = 2;

  /** {@code mode='bicubic'}: four taps per dim, clamped to the border, {@code A = -0.75}. */
  public static final int CUBIC = 3;

  /**
   * {@code mode='nearest'} without {@code nearest_idx}'s {@code out == in} and {@code out == 2 *
   * in} cases (the plain {@code floor(i * scale)}): what PyTorch 1.13's generic nearest forward
   * runs (every input that is not channels-last contiguous), while its channels-last forward and
   * its backward run {@link #NEAREST}; the two differ where a user's scale factor gives {@code out
   * == in} or {@code out == 2 * in} without being 1 or 2.
   */
  public static final int NEAREST_PLAIN = 4;

  /**
   * {@code mode='bilinear', antialias=True} (ATen's {@code _upsample_bilinear2d_aa}): the
   * triangle filter, stretched by the scale when downsampling, over a window of input pixels,
   * normalised.
   */
  public static final int LINEAR_AA = 5;

  /**
   * {@code mode='bicubic', antialias=True} (ATen's {@code _upsample_bicubic2d_aa}): Keys' cubic
   * filter with {@code a = -0.5}, stretched when downsampling, normalised.
   */
  public static final int CUBIC_AA = 6;

  /** Number of output elements. */
  public long outputNumel() {
    return (long) planes * outD * outH * outW;
  }
}
