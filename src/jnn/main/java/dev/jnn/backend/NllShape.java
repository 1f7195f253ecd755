package dev.jnn.backend;

/**
 * The sizes of one negative log-likelihood ({@link LossKernels}): input {@code [n, c, spatial]},
 * targets {@code [n, spatial]}.
 *
 * @param n batch size
 * @param c classes
 * @param spatial extra dims (1 for {@code [n, c]} input)
 * @param ignoreIndex target value that contributes nothing
 */
public record NllShape(int n, int c, int spatial, long ignoreIndex) {}
