package dev.jnn.nn.functional;

import dev.jnn.tensor.Tensor;

/**
 * The result of multi-head attention, PyTorch's tuple {@code (attn_output, attn_output_weights)}:
 * what {@link Functional#multiHeadAttentionForward} and {@code nn.layers.MultiheadAttention}
 * return.
 *
 * <pre>{@code
 * AttentionOutput out = mha.callOutput(q, k, v);   // attn_output, attn_output_weights = mha(q, k, v)
 * Tensor y = out.output();                         // [L, N, E] ([N, L, E] with batch_first)
 * Tensor w = out.weights();                        // [N, L, S], averaged over the heads
 * }</pre>
 *
 * @param output the attention output {@code [L, N, E]} ({@code [N, L, E]} with {@code
 *     batch_first}, {@code [L, E]} for unbatched input)
 * @param weights the attention weights (after dropout, as PyTorch returns them): {@code [N, L, S]}
 *     averaged over the heads, {@code [N, num_heads, L, S]} per head ({@code [L, S]} and {@code
 *     [num_heads, L, S]} for unbatched input); null when {@code need_weights} is false
 */
public record AttentionOutput(Tensor output, Tensor weights) {}
