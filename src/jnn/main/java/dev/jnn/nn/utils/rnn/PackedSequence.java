package dev.jnn.nn.utils.rnn;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.tensor.Tensor;

/**
 * A batch of variable-length sequences packed time step by time step ({@code
 * torch.nn.utils.rnn.PackedSequence}, PyTorch 1.13). Build one with {@link
 * RnnUtils#packPaddedSequence} or {@link RnnUtils#packSequence}; undo it with {@link
 * RnnUtils#padPackedSequence}.
 *
 * <p>The sequences are sorted by decreasing length; {@code data} holds, for each time step
 * {@code t}, the elements of the {@code batchSizes[t]} sequences that are still running at
 * {@code t} (in sorted order), step after step: shape {@code (sum(batchSizes), *)}. For example
 * the sequences {@code [a b c]}, {@code [d e]}, {@code [f]} give {@code data = [a d f b e c]} and
 * {@code batchSizes = [3, 2, 1]}.
 *
 * @param data the packed elements, on any device; gradients flow through it
 * @param batchSizes the number of sequences running at each time step: a 1-D int64 tensor, always
 *     on the CPU (as in PyTorch); see {@link #batchSizesArray()}
 * @param sortedIndices where each sorted sequence was in the original batch ({@code
 *     sorted[i] = original[sortedIndices[i]]}), int64 on {@code data}'s device, or {@code null}
 *     when the batch was already sorted ({@code enforceSorted = true})
 * @param unsortedIndices the inverse permutation of {@code sortedIndices} ({@code original[i] =
 *     sorted[unsortedIndices[i]]}), or {@code null}; computed from {@code sortedIndices} when
 *     passed {@code null} with a non-null {@code sortedIndices}, as PyTorch does
 */
public record PackedSequence(
    Tensor data, Tensor batchSizes, Tensor sortedIndices, Tensor unsortedIndices) {

  /**
   * Checks the parts as PyTorch's constructor does (and, earlier than PyTorch, that {@code
   * batchSizes} is a 1-D int64 tensor, which PyTorch checks when the sequence is used).
   *
   * @throws IllegalArgumentException PyTorch's {@code ValueError} when {@code batchSizes} is not
   *     on the CPU, its {@code RuntimeError} when it is not 1-D int64
   */
  public PackedSequence {
    if (data == null || batchSizes == null) {
      throw new NullPointerException("PackedSequence: data and batchSizes are required");
    }
    if (!batchSizes.device().isCpu()) {
      throw new IllegalArgumentException(
          "batch_sizes should always be on CPU. Instances of PackedSequence should never be "
              + "created manually. They should be instantiated by functions like pack_sequence "
              + "and pack_padded_sequences in nn.utils.rnn. "
              + "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence");
    }
    RnnUtils.checkLongTensor(batchSizes);
    if (unsortedIndices == null && sortedIndices != null) {
      unsortedIndices = RnnUtils.invertPermutation(sortedIndices);
    }
  }

  /** {@code PackedSequence(data, batch_sizes)}: an already sorted batch. */
  public PackedSequence(Tensor data, Tensor batchSizes) {
    this(data, batchSizes, null, null);
  }

  /** {@code PackedSequence(data, batch_sizes, sorted_indices)}: the inverse is computed. */
  public PackedSequence(Tensor data, Tensor batchSizes, Tensor sortedIndices) {
    this(data, batchSizes, sortedIndices, null);
  }

  /**
   * The batch sizes per time step as a Java array, read from {@link #batchSizes()} (a new array
   * each call). For recurrent layers: time step {@code t} runs the first {@code
   * batchSizesArray()[t]} rows of the hidden state on rows {@code [offset(t), offset(t) +
   * batchSizes[t])} of {@link #data()}, where {@code offset(t)} is the sum of the earlier batch
   * sizes; the sizes never increase, so the rows that stop are always the last ones. {@code
   * batchSizesArray()[0]} is the batch size and the array's length the longest sequence's.
   */
  public long[] batchSizesArray() {
    return batchSizes.toLongArray();
  }

  /** The device of {@link #data()} (the index tensors are there too; batch sizes stay on the CPU). */
  public Device device() {
    return data.device();
  }

  /** {@code is_cuda}: whether {@link #data()} is on a CUDA device. */
  public boolean isCuda() {
    return data.device().isCuda();
  }

  /**
   * {@code to(device)}: {@code data} and the index tensors moved to {@code device}; {@code
   * batchSizes} stays on the CPU. Returns this sequence when {@code data} is already there, as
   * PyTorch does. Differentiable through {@code data}.
   */
  public PackedSequence to(Device device) {
    return with(data.to(device));
  }

  /**
   * {@code to(dtype)}: {@code data} converted (the indices and batch sizes keep int64); this
   * sequence when the dtype already matches.
   */
  public PackedSequence to(DType dtype) {
    return with(data.to(dtype));
  }

  /** {@code cpu()}. */
  public PackedSequence cpu() {
    return to(Device.CPU);
  }

  /** {@code cuda()} (device 0). */
  public PackedSequence cuda() {
    return to(Device.cuda(0));
  }

  /** {@code float()}. */
  public PackedSequence toFloat() {
    return to(DType.FLOAT32);
  }

  /** {@code double()}. */
  public PackedSequence toDouble() {
    return to(DType.FLOAT64);
  }

  private PackedSequence with(Tensor newData) {
    if (newData == data) {
      return this;
    }
    Device d = newData.device();
    return new PackedSequence(newData, batchSizes,
        sortedIndices == null ? null : sortedIndices.to(d),
        unsortedIndices == null ? null : unsortedIndices.to(d));
  }

  /** PyTorch's repr: {@code PackedSequence(data=tensor(...), batch_sizes=tensor([2, 1]), ...)}. */
  @Override
  public String toString() {
    return "PackedSequence(data=" + data + ", batch_sizes=" + batchSizes + ", sorted_indices="
        + (sortedIndices == null ? "None" : sortedIndices) + ", unsorted_indices="
        + (unsortedIndices == null ? "None" : unsortedIndices) + ")";
  }
}
