package dev.jnn.nn.layers;

import dev.jnn.nn.utils.rnn.PackedSequence;
import dev.jnn.tensor.Tensor;

/**
 * The output of {@link RNN} and {@link GRU} for a {@link PackedSequence} input, PyTorch's tuple
 * {@code (output, h_n)} whose {@code output} is a {@code PackedSequence}.
 *
 * <pre>{@code
 * PackedSequence x = RnnUtils.packPaddedSequence(padded, lengths, false, false);
 * PackedRNNOutput out = gru.callPacked(x);     // output, h_n = gru(x)
 * PackedSequence y = out.output();             // y.data(): [sum(batch_sizes), D * H]
 * Tensor h = out.hN();                         // [D * num_layers, B, H], in the original order
 * }</pre>
 *
 * @param output the last layer's hidden state at every time step of every sequence, packed with
 *     the input's {@code batch_sizes}, {@code sorted_indices} and {@code unsorted_indices}
 * @param hN the hidden state of every layer and direction after each sequence's last step
 *     ({@code [D * num_layers, B, H]}, batch in the order of the unpacked input), ordered {@code
 *     l0, l0_reverse, l1, ...}
 */
public record PackedRNNOutput(PackedSequence output, Tensor hN) {}
