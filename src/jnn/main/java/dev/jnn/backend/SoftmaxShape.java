package dev.jnn.backend;

/**
 * The sizes of one softmax along the middle dim of {@code [outer, size, inner]} ({@link
 * SoftmaxKernels}).
 *
 * @param outer product of the dims before the softmax dim
 * @param size length of the softmax dim
 * @param inner product of the dims after it
 * @param log log-softmax instead of softmax
 */
public record SoftmaxShape(int outer, int size, int inner, boolean log) {}
