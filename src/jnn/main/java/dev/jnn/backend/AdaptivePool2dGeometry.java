package dev.jnn.backend;

/**
 * The sizes of one adaptive average pooling ({@link PoolKernels#adaptiveAvgPool2d}): input {@code
 * [planes, h, w]}, output {@code [planes, oh, ow]}, both contiguous.
 *
 * @param planes number of {@code h x w} planes ({@code n * c})
 * @param h input height
 * @param w input width
 * @param oh output height
 * @param ow output width
 */
public record AdaptivePool2dGeometry(int planes, int h, int w, int oh, int ow) {}
