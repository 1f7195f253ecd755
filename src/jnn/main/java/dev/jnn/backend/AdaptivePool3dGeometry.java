package dev.jnn.backend;

/**
 * The sizes of one adaptive 3-D pooling ({@link PoolKernels#adaptiveMaxPool3d}, {@link
 * PoolKernels#adaptiveAvgPool3d}): input {@code [planes, d, h, w]}, output {@code [planes, od, oh,
 * ow]}, both contiguous. Output cell {@code t} covers input depths {@code [floor(t * d / od),
 * ceil((t + 1) * d / od))}, likewise for rows and columns. The 1-D and 2-D adaptive max poolings
 * are its {@code d = 1} (and {@code h = 1}) cases.
 *
 * @param planes number of {@code d x h x w} volumes ({@code n * c})
 * @param d input depth
 * @param h input height
 * @param w input width
 * @param od output depth
 * @param oh output height
 * @param ow output width
 */
public record AdaptivePool3dGeometry(int planes, int d, int h, int w, int od, int oh, int ow) {}
