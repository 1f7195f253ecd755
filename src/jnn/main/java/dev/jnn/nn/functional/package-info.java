/**
 * PyTorch's {@code torch.nn.functional}: stateless differentiable operations (convolution,
 * pooling, normalisation, activations, dropout, padding, embedding, attention and losses) in
 * {@link dev.jnn.nn.functional.Functional}, each with its backward next to its forward.
 */
package dev.jnn.nn.functional;
