package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;

/**
 * The output of {@link LSTM}, PyTorch's nested tuple {@code (output, (h_n, c_n))}: a record
 * {@code (output, state)} whose {@code state} is an {@link LSTMState}, with the shortcuts {@link
 * #hN()} and {@link #cN()}.
 *
 * <pre>{@code
 * LSTMOutput out = lstm.callOutput(x);          // output, (h_n, c_n) = lstm(x)
 * Tensor y = out.output();                      // [T, B, D * H_out]
 * Tensor h = out.hN(), c = out.cN();            // [D * num_layers, B, H_out], [.., B, H]
 * LSTMOutput next = lstm.callOutput(x2, out.state());   // carry the state on
 * }</pre>
 *
 * @param output the last layer's hidden state at every time step, {@code [T, B, D * H_out]}
 *     ({@code [B, T, D * H_out]} with {@code batch_first}, {@code [T, D * H_out]} for unbatched
 *     input), {@code H_out} being {@code proj_size} when set, else {@code hidden_size}
 * @param state the final hidden and cell states {@code (h_n, c_n)} of every layer and direction
 */
public record LSTMOutput(Tensor output, LSTMState state) {
  /** {@code h_n}: {@code state().h()}, {@code [D * num_layers, B, H_out]}. */
  public Tensor hN() {
    return state.h();
  }

  /** {@code c_n}: {@code state().c()}, {@code [D * num_layers, B, hidden_size]}. */
  public Tensor cN() {
    return state.c();
  }
}
