package dev.jnn.nn.functional;

import dev.jnn.tensor.Tensor;

/**
 * A pooling result together with the positions it was taken from ({@code return_indices=True}).
 *
 * @param output the pooled values (differentiable)
 * @param indices int64, same shape as {@code output}: the flat position {@code row * width +
 *     column} of each maximum inside its input plane
 */
public record TensorWithIndices(Tensor output, Tensor indices) {}
