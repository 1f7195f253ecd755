package dev.jnn.nn.layers;

import dev.jnn.nn.utils.rnn.PackedSequence;
import dev.jnn.tensor.Tensor;

/**
 * The output of {@link LSTM} for a {@link PackedSequence} input, PyTorch's nested tuple {@code
 * (output, (h_n, c_n))} whose {@code output} is a {@code PackedSequence}.
 *
 * <pre>{@code
 * PackedLSTMOutput out = lstm.callPacked(x);        // output, (h_n, c_n) = lstm(x)
 * PackedSequence y = out.output();                  // y.data(): [sum(batch_sizes), D * H_out]
 * Tensor h = out.hN(), c = out.cN();                // [D * num_layers, B, H_out], [.., B, H]
 * }</pre>
 *
 * @param output the last layer's hidden state at every time step of every sequence, packed with
 *     the input's {@code batch_sizes}, {@code sorted_indices} and {@code unsorted_indices}
 * @param state the hidden and cell states of every layer and direction after each sequence's last
 *     step, batch in the order of the unpacked input
 */
public record PackedLSTMOutput(PackedSequence output, LSTMState state) {
  /** {@code h_n}: {@code state().h()}, {@code [D * num_layers, B, H_out]}. */
  public Tensor hN() {
    return state.h();
  }

  /** {@code c_n}: {@code state().c()}, {@code [D * num_layers, B, hidden_size]}. */
  public Tensor cN() {
    return state.c();
  }
}
