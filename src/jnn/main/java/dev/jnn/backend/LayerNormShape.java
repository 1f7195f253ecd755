package dev.jnn.backend;

/**
 * The sizes of one layer normalisation ({@link NormKernels#layerNorm}): the input seen as {@code
 * [rows, cols]}, each row normalised over its {@code cols} values.
 *
 * @param rows number of normalised groups
 * @param cols elements per group
 * @param eps added to the variance
 */
public record LayerNormShape(int rows, int cols, double eps) {}
