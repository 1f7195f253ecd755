package dev.jnn.backend;

/**
 * The sizes of one embedding lookup ({@link IndexKernels#embedding}).
 *
 * @param count number of indices
 * @param num rows of the table
 * @param dim row length
 */
public record EmbeddingShape(int count, int num, int dim) {}
