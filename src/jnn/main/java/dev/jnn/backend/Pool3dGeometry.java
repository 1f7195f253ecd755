package dev.jnn.backend;

/**
 * The sizes of one 3-D pooling, already validated: input {@code [planes, d, h, w]} (an NCDHW
 * tensor seen as {@code n * c} volumes), output {@code [planes, od, oh, ow]}, both contiguous.
 * Output cell {@code (t, i, j)} covers input depths {@code t * strideD - padD + a * dilationD}
 * for {@code a < kd} (likewise for rows and columns), as {@link Pool2dGeometry} does in two
 * dimensions.
 *
 * @param planes number of {@code d x h x w} volumes ({@code n * c})
 * @param d input depth
 * @param h input height
 * @param w input width
 * @param kd window depth
 * @param kh window height
 * @param kw window width
 * @param strideD depth stride
 * @param strideH vertical stride
 * @param strideW horizontal stride
 * @param padD padding on each side in depth
 * @param padH padding rows on each side
 * @param padW padding columns on each side
 * @param dilationD depth dilation (1 for average pooling)
 * @param dilationH vertical dilation (1 for average pooling)
 * @param dilationW horizontal dilation (1 for average pooling)
 * @param od output depth
 * @param oh output height
 * @param ow output width
 */
public record Pool3dGeometry(
    int planes,
    int d,
    int h,
    int w,
    int kd,
    int kh,
    int kw,
    int strideD,
    int strideH,
    int strideW,
    int padD,
    int padH,
    int padW,
    int dilationD,
    int dilationH,
    int dilationW,
    int od,
    int oh,
    int ow) {}
