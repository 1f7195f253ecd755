package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;

/**
 * The output of {@link RNN} and {@link GRU}, PyTorch's tuple {@code (output, h_n)}.
 *
 * <pre>{@code
 * RNNOutput out = gru.callOutput(x);     // output, h_n = gru(x)
 * Tensor y = out.output();               // [T, B, D * H]  (batch_first: [B, T, D * H])
 * Tensor h = out.hN();                   // [D * num_layers, B, H]
 * }</pre>
 *
 * @param output the last layer's hidden state at every time step, {@code [T, B, D * H]} ({@code
 *     [B, T, D * H]} with {@code batch_first}, {@code [T, D * H]} for unbatched input); with
 *     {@code bidirectional}, the forward and reverse states concatenated on the last dim
 * @param hN the final hidden state of every layer and direction, {@code [D * num_layers, B, H]}
 *     ({@code [D * num_layers, H]} for unbatched input), ordered {@code l0, l0_reverse, l1, ...}
 */
public record RNNOutput(Tensor output, Tensor hN) {}
