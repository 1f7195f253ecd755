package dev.jnn.nn.utils.rnn;

import dev.jnn.tensor.Tensor;

/**
 * What {@link RnnUtils#padPackedSequence} returns: PyTorch's tuple {@code (padded, lengths)}.
 *
 * @param padded the sequences padded to a common length: {@code (T, B, *)}, or {@code (B, T, *)}
 *     with {@code batchFirst}, on the packed data's device
 * @param lengths each sequence's length, in the original batch order: int64 on the CPU
 */
public record PaddedSequence(Tensor padded, Tensor lengths) {

  /** {@link #lengths()} as a Java array. */
  public long[] lengthsArray() {
    return lengths.toLongArray();
  }
}
