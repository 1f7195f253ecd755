package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;

/**
 * An LSTM state, PyTorch's tuple {@code (h, c)}: the final states {@code (h_n, c_n)} of an {@link
 * LSTM} ({@link LSTMOutput#state()}), the initial states {@code (h_0, c_0)} it may be given ({@link
 * LSTM#callOutput(Tensor, LSTMState)}), and the output {@code (h_1, c_1)} of an {@link LSTMCell}.
 *
 * @param h the hidden state ({@code [D * num_layers, B, H_out]} for {@link LSTM}, {@code [B,
 *     hidden_size]} for {@link LSTMCell}; without the batch dim for unbatched input)
 * @param c the cell state ({@code [D * num_layers, B, hidden_size]} for {@link LSTM}, {@code [B,
 *     hidden_size]} for {@link LSTMCell}; without the batch dim for unbatched input)
 */
public record LSTMState(Tensor h, Tensor c) {}
