package dev.jnn.backend;

/**
 * The sizes of one batch normalisation ({@link NormKernels}): the input seen as {@code [n, c,
 * spatial]}, statistics per channel over {@code n * spatial} values.
 *
 * @param n batch size
 * @param c channels
 * @param spatial product of the dims after the channel dim (1 for 2-D input)
 * @param eps added to the variance
 */
public record BatchNormShape(int n, int c, int spatial, double eps) {}
