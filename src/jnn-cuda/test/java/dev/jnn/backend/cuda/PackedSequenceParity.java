package dev.jnn.backend.cuda;

import static dev.jnn.backend.cuda.CudaParitySuite.F64;
import static dev.jnn.backend.cuda.CudaParitySuite.GPU;
import static dev.jnn.backend.cuda.CudaParitySuite.parity;
import static dev.jnn.backend.cuda.CudaParitySuite.rnd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.nn.utils.rnn.PackedSequence;
import dev.jnn.nn.utils.rnn.PaddedSequence;
import dev.jnn.nn.utils.rnn.RnnUtils;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.List;

/**
 * Packed sequences ({@code dev.jnn.nn.utils.rnn}) on the CUDA back end, called from {@link
 * CudaParitySuite#packedSequences()} (so on the emulated device in its three scheduling modes,
 * and on a GPU under {@code -Pgpu}): packing and padding forward and backward against the CPU,
 * where each part lives (data and indices on the device, batch sizes and lengths on the CPU, as
 * in PyTorch), conversions, and the device-only bad inputs.
 */
final class PackedSequenceParity {
  private PackedSequenceParity() {}

  static void run() {
    long[] unsorted = {2, 5, 1, 4};
    parity("pack_padded_sequence enforce_sorted=False", in -> RnnUtils.packPaddedSequence(
        in[0], unsorted, false, false).data(), rnd(400, 5, 4, 3));
    parity("pack_padded_sequence batch_first", in -> RnnUtils.packPaddedSequence(
        in[0], new long[] {5, 3, 3}, true, true).data(), rnd(401, DType.FLOAT64, 3, 5, 2));
    parity("pad_packed_sequence unsorted batch_first total_length", F64,
        in -> RnnUtils.padPackedSequence(
            RnnUtils.packPaddedSequence(in[0], unsorted, true, false), true, -1.5, 7).padded(),
        rnd(402, DType.FLOAT64, 4, 5, 2));
    parity("pad_packed_sequence sorted (a transposed view)",
        in -> RnnUtils.padPackedSequence(
            RnnUtils.packPaddedSequence(in[0], new long[] {3, 3, 1}), true).padded(),
        rnd(403, 3, 3, 2));
    parity("pad_sequence", in -> RnnUtils.padSequence(List.of(in[0], in[1], in[2]), false, 0.5),
        rnd(404, 2, 3), rnd(405, 4, 3), rnd(406, 1, 1));
    parity("pack_sequence", in -> RnnUtils.packSequence(List.of(in[0], in[1], in[2]), false).data(),
        rnd(407, 2, 3), rnd(408, 4, 3), rnd(409, 3, 3));

    // where the parts live
    Tensor x = rnd(410, 5, 4, 3).to(GPU);
    PackedSequence p = RnnUtils.packPaddedSequence(x, unsorted, false, false);
    assertTrue(p.isCuda());
    assertEquals(GPU, p.data().device());
    assertEquals(GPU, p.sortedIndices().device());
    assertEquals(GPU, p.unsortedIndices().device());
    assertTrue(p.batchSizes().device().isCpu(), "batch sizes stay on the CPU");
    assertArrayEquals(new long[] {4, 3, 2, 2, 1}, p.batchSizesArray());
    PaddedSequence back = RnnUtils.padPackedSequence(p);
    assertEquals(GPU, back.padded().device());
    assertTrue(back.lengths().device().isCpu(), "lengths are returned on the CPU");
    assertArrayEquals(unsorted, back.lengthsArray());
    PackedSequence onCpu = p.cpu();
    assertFalse(onCpu.isCuda());
    assertEquals(Device.CPU, onCpu.sortedIndices().device());
    assertSame(p.batchSizes(), onCpu.batchSizes());
    assertSame(p, p.to(GPU), "already there: the same sequence");
    assertArrayEquals(p.unsortedIndices().cpu().toLongArray(),
        onCpu.cuda().unsortedIndices().cpu().toLongArray());

    // bad input that needs a device tensor
    Golden.Case notCpu = Golden.loadByName("packed_sequence.txt")
        .get("error/packed_batch_sizes_not_cpu_is_checked");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PackedSequence(Tensor.zeros(4).to(GPU),
            Tensor.fromArray(new long[] {2, 1, 1}, 3).to(GPU)));
    assertTrue(e.getMessage().startsWith(notCpu.text("message")), e.getMessage());
    // ATen's checkLongTensor text (PyTorch 1.13 has no CUDA device here to record it)
    e = assertThrows(IllegalArgumentException.class, () -> RnnUtils.packPaddedSequence(
        x, Tensor.fromArray(new long[] {5, 4, 2, 1}, 4).to(GPU), false, true));
    assertEquals("'lengths' argument should be a 1D CPU int64 tensor, but got 1D cuda:0 Long "
        + "tensor", e.getMessage());
  }
}
