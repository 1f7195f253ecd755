package dev.jnn.nn.utils.rnn;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's {@code torch.nn.utils.rnn} functions (1.13): packing padded batches of
 * variable-length sequences for the recurrent layers and padding them back.
 *
 * <p>Each conversion is one {@link Tensor#indexSelect} over the rows of the source (the padded
 * input's {@code (time, batch)} rows, or the packed rows plus one row holding the padding value),
 * with the row indices computed on the CPU from the lengths; so the functions run on every back
 * end, and gradients flow from the packed {@code data} back to the padded input and from a padded
 * output back to {@code data} ({@code IndexSelectBackward0}, where PyTorch records {@code
 * PackPaddedSequenceBackward0} or {@code CopySlices}; the gradients are the same). The index
 * tensors of a {@link PackedSequence} live on its data's device and its batch sizes on the CPU,
 * as in PyTorch.
 *
 * <p>Bad input raises PyTorch's message (its {@code RuntimeError} and {@code ValueError} as
 * {@link IllegalArgumentException}, its {@code IndexError} as {@link IndexOutOfBoundsException})
 * and changes nothing. Where PyTorch 1.13 does not check, jnn does (documented on each method):
 * a length longer than the padded input, a length list of the wrong size with {@code
 * enforceSorted = false}, a {@link PackedSequence} whose data does not match its batch sizes.
 */
public final class RnnUtils {
  private RnnUtils() {}

  // ------------------------------------------------------------------ pack_padded_sequence

  /** {@code pack_padded_sequence(input, lengths)}: time-major input, sorted lengths. */
  public static PackedSequence packPaddedSequence(Tensor input, long[] lengths) {
    return packPaddedSequence(input, lengths, false, true);
  }

  /**
   * {@code pack_padded_sequence(input, lengths, batch_first, enforce_sorted)}: packs a padded
   * batch of sequences.
   *
   * @param input {@code (T, B, *)}, or {@code (B, T, *)} with {@code batchFirst}; any dtype and
   *     device; sequence {@code b} is {@code input[:lengths[b], b]}
   * @param lengths the length of each sequence, each in {@code [1, T]}; decreasing when {@code
   *     enforceSorted}
   * @param batchFirst whether the batch is dim 0
   * @param enforceSorted whether the lengths must already be decreasing (then the result has no
   *     sorted/unsorted indices); otherwise the batch is sorted here (stably, as PyTorch's CPU
   *     sort) and the permutation kept in the result
   * @throws IllegalArgumentException with PyTorch's message: empty input, {@code lengths.length
   *     != B}, a length {@code <= 0}, lengths not decreasing with {@code enforceSorted}; and
   *     (PyTorch 1.13 does not check this and returns a sequence whose data is shorter than its
   *     batch sizes say) a length greater than {@code T}
   * @throws IndexOutOfBoundsException with PyTorch's message when {@code input} has fewer than 2
   *     dims
   */
  public static PackedSequence packPaddedSequence(
      Tensor input, long[] lengths, boolean batchFirst, boolean enforceSorted) {
    return pack(input, lengths.clone(), batchFirst, enforceSorted);
  }

  /**
   * {@link #packPaddedSequence(Tensor, long[], boolean, boolean)} with the lengths as a tensor:
   * converted to int64 as {@code torch.as_tensor(lengths, dtype=torch.int64)} does (so on its
   * device), then it must be 1-D and on the CPU ({@code "'lengths' argument should be a 1D CPU
   * int64 tensor, but got 1D cuda:0 Long tensor"}).
   */
  public static PackedSequence packPaddedSequence(
      Tensor input, Tensor lengths, boolean batchFirst, boolean enforceSorted) {
    Tensor l = lengths.detach().to(DType.INT64);
    checkBatchDim(input);
    checkLongTensor(l);
    return pack(input, l.toLongArray(), batchFirst, enforceSorted);
  }

  private static void checkBatchDim(Tensor input) {
    // PyTorch reads input.size(1) (or transposes dims 0 and 1): its IndexError for fewer dims
    Shape.normalizeDim(1, input.dim());
  }

  private static PackedSequence pack(
      Tensor input, long[] lengths, boolean batchFirst, boolean enforceSorted) {
    checkBatchDim(input);
    int batch = lengths.length;
    long[] sortedIdx = null;
    long[] sorted = lengths;
    if (!enforceSorted) {
      sortedIdx = sortDescending(lengths);
      sorted = new long[batch];
      for (int i = 0; i < batch; i++) {
        sorted[i] = lengths[(int) sortedIdx[i]];
      }
    }
    // the checks of ATen's _pack_padded_sequence, in its order
    if (input.numel() == 0) {
      throw new IllegalArgumentException("Cannot pack empty tensors.");
    }
    int timeDim = batchFirst ? 1 : 0;
    int batchDim = 1 - timeDim;
    long inputBatch = input.size(batchDim);
    long steps = input.size(timeDim);
    if (batch != inputBatch) {
      // PyTorch 1.13 checks this only on its enforce_sorted=True path (with False it index_selects
      // the batch first: too many lengths raise index_select's error, too few drop sequences)
      throw new IllegalArgumentException("Expected `len(lengths)` to be equal to batch_size, but got "
          + batch + " (batch_size=" + inputBatch + ")");
    }
    if (sorted[batch - 1] <= 0) {
      throw new IllegalArgumentException("Length of all samples has to be greater than 0, but found "
          + "an element in 'lengths' that is <= 0");
    }
    for (int i = 0; i < batch - 1; i++) {
      if (sorted[batch - 1 - i] > sorted[batch - 2 - i]) {
        throw new IllegalArgumentException("`lengths` array must be sorted in decreasing order when "
            + "`enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence "
            + "and/or pack_sequence to sidestep this requirement if you do not need ONNX "
            + "exportability.");
      }
    }
    if (sorted[0] > steps) {
      throw new IllegalArgumentException("pack_padded_sequence: a sequence of length " + sorted[0]
          + " does not fit in the " + steps + " time steps of the input of shape " + input.shape()
          + (batchFirst ? " (batch_first)" : "") + " (PyTorch 1.13 does not check this and "
          + "returns a PackedSequence whose data is shorter than its batch sizes say)");
    }

    long maxLen = sorted[0];
    long[] batchSizes = new long[Math.toIntExact(maxLen)];
    long total = 0;
    for (int t = 0; t < maxLen; t++) {
      int n = 0;
      while (n < batch && sorted[n] > t) {
        n++;
      }
      batchSizes[t] = n;
      total += n;
    }
    // row k of data is row (t, b) of the input, flattened over its first two dims
    long[] rows = new long[Math.toIntExact(total)];
    int k = 0;
    for (int t = 0; t < maxLen; t++) {
      for (int b = 0; b < batchSizes[t]; b++) {
        long src = sortedIdx == null ? b : sortedIdx[b];
        rows[k++] = batchFirst ? src * steps + t : t * inputBatch + src;
      }
    }
    Device device = input.device();
    Tensor data = flattenTwo(input).indexSelect(0, indexTensor(rows, device));
    Tensor sortedIndices = sortedIdx == null ? null : indexTensor(sortedIdx, device);
    return new PackedSequence(data, Tensor.fromArray(batchSizes, batchSizes.length), sortedIndices,
        sortedIdx == null ? null : indexTensor(invert(sortedIdx), device));
  }

  /** {@code x.reshape(-1, *x.shape[2:])} (a view when x allows it). */
  private static Tensor flattenTwo(Tensor x) {
    long[] d = x.shape().dims();
    long[] nd = new long[d.length - 1];
    nd[0] = d[0] * d[1];
    System.arraycopy(d, 2, nd, 1, d.length - 2);
    return x.reshape(nd);
  }

  // ------------------------------------------------------------------ pad_packed_sequence

  /** {@code pad_packed_sequence(sequence)}: time-major, padded with 0. */
  public static PaddedSequence padPackedSequence(PackedSequence sequence) {
    return padPackedSequence(sequence, false, 0.0);
  }

  /** {@code pad_packed_sequence(sequence, batch_first)}: padded with 0. */
  public static PaddedSequence padPackedSequence(PackedSequence sequence, boolean batchFirst) {
    return padPackedSequence(sequence, batchFirst, 0.0);
  }

  /**
   * {@code pad_packed_sequence(sequence, batch_first, padding_value)}: the inverse of {@link
   * #packPaddedSequence}, padded to the longest sequence.
   *
   * <p>The result is in the original batch order (the sequence's {@code unsortedIndices} applied).
   * As in PyTorch, a batch-first result of a sorted sequence is the transposed view of the
   * time-major one (strides {@code (1·row, B·row, ...)}); an unsorted one is contiguous.
   *
   * @return the padded tensor ({@code (T, B, *)} or {@code (B, T, *)}, on the data's device) and
   *     the lengths (int64, CPU)
   * @throws IllegalArgumentException when {@code data.size(0)} is not the sum of the batch sizes
   *     (a hand-made sequence; PyTorch 1.13 fails with a view error or reads past the data)
   */
  public static PaddedSequence padPackedSequence(
      PackedSequence sequence, boolean batchFirst, double paddingValue) {
    return pad(sequence, batchFirst, paddingValue, -1);
  }

  /**
   * {@code pad_packed_sequence(sequence, batch_first, padding_value, total_length)}: padded to
   * {@code totalLength} time steps (for a module whose output must keep the input's length, e.g.
   * under data parallelism).
   *
   * @throws IllegalArgumentException PyTorch's {@code ValueError} when {@code totalLength} is less
   *     than the longest sequence
   */
  public static PaddedSequence padPackedSequence(
      PackedSequence sequence, boolean batchFirst, double paddingValue, long totalLength) {
    long longest = sequence.batchSizes().size(0);
    if (totalLength < longest) {
      throw new IllegalArgumentException("Expected total_length to be at least the length of the "
          + "longest sequence in input, but got total_length=" + totalLength
          + " and max sequence length being " + longest);
    }
    return pad(sequence, batchFirst, paddingValue, totalLength);
  }

  private static PaddedSequence pad(
      PackedSequence sequence, boolean batchFirst, double paddingValue, long totalLength) {
    long[] bs = sequence.batchSizesArray();
    Tensor data = sequence.data();
    long count = 0;
    for (long b : bs) {
      count += b;
    }
    if (bs.length == 0 || data.dim() == 0 || data.size(0) != count) {
      throw new IllegalArgumentException("pad_packed_sequence: data of shape " + data.shape()
          + " does not match batch_sizes " + Arrays.toString(bs) + " (expected " + count
          + " rows); build PackedSequences with pack_padded_sequence or pack_sequence");
    }
    int steps = Math.toIntExact(Math.max(totalLength, bs.length));
    int batch = Math.toIntExact(bs[0]);
    long[] offset = new long[bs.length];
    for (int t = 1; t < bs.length; t++) {
      offset[t] = offset[t - 1] + bs[t - 1];
    }
    long[] unsorted = sequence.unsortedIndices() == null
        ? null : sequence.unsortedIndices().toLongArray();
    long padRow = count; // the row of padding appended to data
    boolean padded = false;
    long[] rows = new long[steps * batch];
    // sorted: time-major rows (transposed below for batch_first, as PyTorch returns a view);
    // unsorted: rows in the layout PyTorch's index_select over the batch dim returns
    boolean batchMajor = batchFirst && unsorted != null;
    for (int t = 0; t < steps; t++) {
      for (int j = 0; j < batch; j++) {
        long b = unsorted == null ? j : unsorted[j];
        long row;
        if (t < bs.length && b < bs[t]) {
          row = offset[t] + b;
        } else {
          row = padRow;
          padded = true;
        }
        rows[batchMajor ? j * steps + t : t * batch + j] = row;
      }
    }
    Tensor src = data;
    long[] trailing = Arrays.copyOfRange(data.shape().dims(), 1, data.dim());
    if (padded) {
      long[] padShape = prepend(1, trailing);
      src = Tensor.cat(List.of(data,
          Tensor.full(Shape.of(padShape), paddingValue, data.dtype(), data.device())), 0);
    }
    Tensor out = src.indexSelect(0, indexTensor(rows, data.device()));
    Tensor result;
    if (batchMajor) {
      result = out.view(prepend(batch, prepend(steps, trailing)));
    } else {
      result = out.view(prepend(steps, prepend(batch, trailing)));
      if (batchFirst) {
        result = result.transpose(0, 1);
      }
    }
    long[] lengths = new long[batch];
    for (int j = 0; j < batch; j++) {
      long b = unsorted == null ? j : unsorted[j];
      long n = 0;
      while (n < bs.length && bs[(int) n] > b) {
        n++;
      }
      lengths[j] = n;
    }
    return new PaddedSequence(result, Tensor.fromArray(lengths, batch));
  }

  // ------------------------------------------------------------------ pad_sequence

  /** {@code pad_sequence(sequences)}: time-major, padded with 0. */
  public static Tensor padSequence(List<Tensor> sequences) {
    return padSequence(sequences, false, 0.0);
  }

  /** {@code pad_sequence(sequences, batch_first)}: padded with 0. */
  public static Tensor padSequence(List<Tensor> sequences, boolean batchFirst) {
    return padSequence(sequences, batchFirst, 0.0);
  }

  /**
   * {@code pad_sequence(sequences, batch_first, padding_value)}: stacks sequences of different
   * lengths ({@code (L_i, *)}) into one tensor padded with {@code paddingValue}: {@code (T, B, *)}
   * or {@code (B, T, *)}, {@code T} the longest {@code L_i}.
   *
   * <p>As PyTorch 1.13 (which copies each sequence into a slice of the result): the trailing dims,
   * dtype and device are the first sequence's; each sequence is broadcast to {@code (L_i, *)} and
   * converted. PyTorch 1.13 has no {@code padding_side} argument (2.x pads on the {@code "right"}
   * by default, which is what this does).
   *
   * @throws IllegalArgumentException PyTorch's message for an empty list or a sequence that does
   *     not broadcast to {@code (L_i, *)}
   * @throws IndexOutOfBoundsException PyTorch's message for a 0-d sequence
   */
  public static Tensor padSequence(List<Tensor> sequences, boolean batchFirst, double paddingValue) {
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("received an empty list of sequences");
    }
    long[] lengths = lengthsOf(sequences);
    Tensor first = sequences.get(0);
    long[] trailing = Arrays.copyOfRange(first.shape().dims(), 1, first.dim());
    DType dtype = first.dtype();
    Device device = first.device();
    int batch = sequences.size();
    long maxLen = 0;
    for (long l : lengths) {
      maxLen = Math.max(maxLen, l);
    }
    // validate every sequence before building anything
    for (int i = 0; i < batch; i++) {
      Shape target = Shape.of(prepend(lengths[i], trailing));
      Shape s = sequences.get(i).shape();
      Shape b = Shape.broadcast(target, s, "pad_sequence");
      if (!b.equals(target)) {
        throw new ShapeMismatchException("output with shape " + target
            + " doesn't match the broadcast shape " + b + " (pad_sequence: sequence " + i + ")");
      }
    }
    List<Tensor> pieces = new ArrayList<>(batch + 1);
    long[] start = new long[batch];
    long rowsIn = 0;
    for (int i = 0; i < batch; i++) {
      Tensor s = sequences.get(i);
      long[] target = prepend(lengths[i], trailing);
      if (!s.shape().equals(Shape.of(target))) {
        s = s.expand(target);
      }
      s = s.to(device).to(dtype);
      pieces.add(s);
      start[i] = rowsIn;
      rowsIn += lengths[i];
    }
    boolean padded = false;
    long[] rows = new long[Math.toIntExact(maxLen * batch)];
    for (int t = 0; t < maxLen; t++) {
      for (int i = 0; i < batch; i++) {
        long row = t < lengths[i] ? start[i] + t : rowsIn;
        padded |= t >= lengths[i];
        rows[batchFirst ? (int) (i * maxLen + t) : t * batch + i] = row;
      }
    }
    if (padded) {
      pieces.add(Tensor.full(Shape.of(prepend(1, trailing)), paddingValue, dtype, device));
    }
    Tensor src = pieces.size() == 1 ? pieces.get(0) : Tensor.cat(pieces, 0);
    Tensor out = src.indexSelect(0, indexTensor(rows, device));
    long[] shape = batchFirst
        ? prepend(batch, prepend(maxLen, trailing)) : prepend(maxLen, prepend(batch, trailing));
    return out.view(shape);
  }

  /**
   * {@code pad_sequence(tensor, ...)}: a tensor is taken as the list of its slices along dim 0
   * ({@code unbind(0)}), as PyTorch does.
   */
  public static Tensor padSequence(Tensor sequences, boolean batchFirst, double paddingValue) {
    return padSequence(sequences.unbind(0), batchFirst, paddingValue);
  }

  private static long[] lengthsOf(List<Tensor> sequences) {
    long[] lengths = new long[sequences.size()];
    for (int i = 0; i < lengths.length; i++) {
      Tensor s = sequences.get(i);
      if (s.dim() == 0) {
        throw new IndexOutOfBoundsException("Dimension specified as 0 but tensor has no dimensions");
      }
      lengths[i] = s.size(0);
    }
    return lengths;
  }

  // ------------------------------------------------------------------ pack_sequence

  /** {@code pack_sequence(sequences)}: the sequences must be sorted by decreasing length. */
  public static PackedSequence packSequence(List<Tensor> sequences) {
    return packSequence(sequences, true);
  }

  /**
   * {@code pack_sequence(sequences, enforce_sorted)}: packs a list of sequences ({@code (L_i, *)},
   * each {@code L_i > 0}), as {@code pack_padded_sequence(pad_sequence(sequences), lengths,
   * enforce_sorted=enforce_sorted)}. Gradients flow from {@code data} back to every sequence.
   */
  public static PackedSequence packSequence(List<Tensor> sequences, boolean enforceSorted) {
    long[] lengths = lengthsOf(sequences);
    return pack(padSequence(sequences, false, 0.0), lengths, false, enforceSorted);
  }

  // ------------------------------------------------------------------ unpad / unpack

  /**
   * {@code unpad_sequence(padded_sequences, lengths, batch_first)}: the list of sequences {@code
   * padded[:lengths[b], b]} (new tensors, differentiable), for as many sequences as both the batch
   * and {@code lengths} have (Python's {@code zip}). Unlike PyTorch 1.13, which transposes a
   * time-major argument in place ({@code transpose_}), the argument is left as it is.
   */
  public static List<Tensor> unpadSequence(Tensor paddedSequences, long[] lengths, boolean batchFirst) {
    Shape.normalizeDim(1, paddedSequences.dim());
    int batchDim = batchFirst ? 0 : 1;
    long maxLen = paddedSequences.size(1 - batchDim);
    long n = Math.min(paddedSequences.size(batchDim), lengths.length);
    List<Tensor> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      long len = Math.max(0, Math.min(maxLen, lengths[b]));
      out.add(paddedSequences.select(batchDim, b).narrow(0, 0, len).clone());
    }
    return out;
  }

  /** {@link #unpadSequence(Tensor, long[], boolean)} with the lengths as a tensor. */
  public static List<Tensor> unpadSequence(Tensor paddedSequences, Tensor lengths, boolean batchFirst) {
    return unpadSequence(paddedSequences, lengths.toLongArray(), batchFirst);
  }

  /**
   * {@code unpack_sequence(packed_sequences)}: the list of sequences in the original batch order,
   * {@code unpad_sequence(*pad_packed_sequence(packed, batch_first=True), batch_first=True)}.
   */
  public static List<Tensor> unpackSequence(PackedSequence packedSequences) {
    PaddedSequence p = padPackedSequence(packedSequences, true);
    return unpadSequence(p.padded(), p.lengthsArray(), true);
  }

  // ------------------------------------------------------------------ helpers

  /**
   * ATen's {@code checkLongTensor} (PackedSequence.cpp): 1-D, CPU, int64, with its message
   * ({@code "'lengths' argument should be a 1D CPU int64 tensor, but got 2D cpu Long tensor"}).
   */
  static void checkLongTensor(Tensor t) {
    if (t.dim() != 1 || !t.device().isCpu() || t.dtype() != DType.INT64) {
      throw new IllegalArgumentException("'lengths' argument should be a 1D CPU int64 tensor, but got "
          + t.dim() + "D " + t.device() + " " + scalarTypeName(t.dtype()) + " tensor");
    }
  }

  /** PyTorch's ScalarType names, as its messages print them. */
  static String scalarTypeName(DType d) {
    switch (d) {
      case FLOAT32:
        return "Float";
      case FLOAT64:
        return "Double";
      case INT64:
        return "Long";
      case BOOL:
        return "Bool";
      default:
        return d.toString();
    }
  }

  /**
   * {@code invert_permutation}: {@code out[perm[i]] = i}, on the permutation's device (PyTorch's
   * {@code scatter_}, with its message for an index out of range).
   */
  static Tensor invertPermutation(Tensor permutation) {
    if (permutation.dtype() != DType.INT64 || permutation.dim() != 1) {
      throw new IllegalArgumentException("invert_permutation: expected a 1-D int64 permutation, got "
          + permutation.dim() + "-D " + permutation.dtype());
    }
    long[] p = permutation.toLongArray();
    for (long v : p) {
      if (v < 0 || v >= p.length) {
        throw new IndexOutOfBoundsException(
            "index " + v + " is out of bounds for dimension 0 with size " + p.length);
      }
    }
    return indexTensor(invert(p), permutation.device());
  }

  private static long[] invert(long[] p) {
    long[] inv = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      inv[(int) p[i]] = i;
    }
    return inv;
  }

  /** Indices of {@code values} sorted by decreasing value, ties in order (a stable sort). */
  private static long[] sortDescending(long[] values) {
    Integer[] idx = new Integer[values.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Long.compare(values[b], values[a]));
    long[] r = new long[idx.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = idx[i];
    }
    return r;
  }

  private static Tensor indexTensor(long[] values, Device device) {
    Tensor t = Tensor.fromArray(values, values.length);
    return device.isCpu() ? t : t.to(device);
  }

  private static long[] prepend(long first, long[] rest) {
    long[] r = new long[rest.length + 1];
    r[0] = first;
    System.arraycopy(rest, 0, r, 1, rest.length);
    return r;
  }
}
