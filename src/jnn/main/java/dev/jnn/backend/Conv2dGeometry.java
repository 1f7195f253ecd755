package dev.jnn.backend;

/**
 * The sizes of one 2-D convolution, already validated: input {@code [n, c, h, w]}, weight {@code
 * [oc, c / groups, kh, kw]}, output {@code [n, oc, oh, ow]}, all NCHW contiguous.
 *
 * <p>Padding is given as the top and left amounts; the bottom and right amounts are implied by
 * {@code oh} and {@code ow} (so asymmetric padding, as PyTorch's {@code padding="same"} needs for
 * even kernels, is expressed by choosing {@code oh}/{@code ow}). Output row {@code oh} reads input
 * rows {@code oh * strideH - padTop + i * dilationH} for kernel rows {@code i}; rows outside
 * {@code [0, h)} read zero.
 *
 * @param n batch size
 * @param c input channels
 * @param h input height
 * @param w input width
 * @param oc output channels
 * @param kh kernel height
 * @param kw kernel width
 * @param strideH vertical stride
 * @param strideW horizontal stride
 * @param padTop zero rows added above the input
 * @param padLeft zero columns added left of the input
 * @param dilationH vertical dilation
 * @param dilationW horizontal dilation
 * @param groups channel groups ({@code c} and {@code oc} are multiples of it)
 * @param oh output height
 * @param ow output width
 */
public record Conv2dGeometry(
    int n,
    int c,
    int h,
    int w,
    int oc,
    int kh,
    int kw,
    int strideH,
    int strideW,
    int padTop,
    int padLeft,
    int dilationH,
    int dilationW,
    int groups,
    int oh,
    int ow) {

  /** Input channels per group. */
  public int cPerGroup() {
    return c / groups;
  }

  /** Output channels per group. */
  public int ocPerGroup() {
    return oc / groups;
  }

  /** Rows of the im2col matrix of one group: {@code c / groups * kh * kw}. */
  public int kdim() {
    return c / groups * kh * kw;
  }

  /** Whether the convolution is a plain matrix product (1x1 kernel, stride 1, no padding). */
  public boolean isPointwise() {
    return kh == 1 && kw == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0
        && oh == h && ow == w;
  }
}
