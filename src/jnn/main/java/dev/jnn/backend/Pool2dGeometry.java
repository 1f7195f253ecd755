package dev.jnn.backend;

/**
 * The sizes of one 2-D pooling, already validated: input {@code [planes, h, w]} (an NCHW tensor
 * seen as {@code n * c} planes), output {@code [planes, oh, ow]}, both contiguous. Output cell
 * {@code (i, j)} covers input rows {@code i * strideH - padH + a * dilationH} for {@code a < kh}
 * (likewise for columns).
 *
 * @param planes number of {@code h x w} planes ({@code n * c})
 * @param h input height
 * @param w input width
 * @param kh window height
 * @param kw window width
 * @param strideH vertical stride
 * @param strideW horizontal stride
 * @param padH padding rows on each side
 * @param padW padding columns on each side
 * @param dilationH vertical dilation (1 for average pooling)
 * @param dilationW horizontal dilation (1 for average pooling)
 * @param oh output height
 * @param ow output width
 */
public record Pool2dGeometry(
    int planes,
    int h,
    int w,
    int kh,
    int kw,
    int strideH,
    int strideW,
    int padH,
    int padW,
    int dilationH,
    int dilationW,
    int oh,
    int ow) {}
