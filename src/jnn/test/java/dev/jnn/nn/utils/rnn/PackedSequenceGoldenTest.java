package dev.jnn.nn.utils.rnn;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jnn.autograd.GradCheck;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link RnnUtils} and {@link PackedSequence} against PyTorch 1.13's {@code torch.nn.utils.rnn}
 * ({@code scripts/golden/packed_sequence.py} writes {@code golden/packed_sequence.txt}): packed
 * data, batch sizes, sorted/unsorted indices, padded outputs (values and strides), lengths, the
 * gradients both ways, and PyTorch's messages for bad input.
 */
class PackedSequenceGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("packed_sequence.txt");

  static List<Golden.Case> kind(String prefix) {
    List<Golden.Case> r = new ArrayList<>();
    for (Golden.Case c : G.values()) {
      if (c.name().startsWith(prefix + "/")) {
        r.add(c);
      }
    }
    assertFalse(r.isEmpty(), "no golden cases " + prefix);
    return r;
  }

  /** Same shape, dtype and values, bit for bit (packing and padding only move values). */
  static void exact(Tensor expected, Tensor actual, String what) {
    assertNotNull(actual, what + " is null");
    assertEquals(expected.shape(), actual.shape(), what + ": shape");
    assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
    if (expected.dtype() == DType.INT64) {
      assertArrayEquals(expected.toLongArray(), actual.toLongArray(), what);
    } else {
      assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), what);
    }
  }

  static Tensor input(Golden.Case c, String key) {
    Tensor t = c.tensor(key);
    return t.isFloatingPoint() ? t.detach().requiresGrad(true) : t;
  }

  static boolean flag(Golden.Case c, String key) {
    return c.intAttr(key) != 0;
  }

  static void checkPacked(Golden.Case c, PackedSequence p) {
    exact(c.tensor("data"), p.data(), c.name() + " data");
    exact(c.tensor("batch_sizes"), p.batchSizes(), c.name() + " batch_sizes");
    assertTrue(p.batchSizes().device().isCpu());
    assertArrayEquals(c.tensor("batch_sizes").toLongArray(), p.batchSizesArray());
    if (c.has("sorted_indices")) {
      exact(c.tensor("sorted_indices"), p.sortedIndices(), c.name() + " sorted_indices");
      exact(c.tensor("unsorted_indices"), p.unsortedIndices(), c.name() + " unsorted_indices");
    } else {
      assertNull(p.sortedIndices(), c.name() + " sorted_indices");
      assertNull(p.unsortedIndices(), c.name() + " unsorted_indices");
    }
  }

  static PackedSequence packedOf(Golden.Case c, Tensor data) {
    return new PackedSequence(data, c.tensor("batch_sizes"),
        c.has("sorted_indices") ? c.tensor("sorted_indices") : null,
        c.has("unsorted_indices") ? c.tensor("unsorted_indices") : null);
  }

  static List<Tensor> seqs(Golden.Case c, String prefix) {
    List<Tensor> r = new ArrayList<>();
    for (int i = 0; c.has(prefix + i); i++) {
      r.add(input(c, prefix + i));
    }
    return r;
  }

  // ------------------------------------------------------------------ forward and backward

  @TestFactory
  Stream<DynamicTest> packPaddedSequence() {
    return kind("pack").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Tensor x = input(c, "input");
      boolean bf = flag(c, "batch_first");
      boolean es = flag(c, "enforce_sorted");
      Tensor lengths = c.tensor("lengths");
      PackedSequence p = flag(c, "lengths_as_tensor")
          ? RnnUtils.packPaddedSequence(x, lengths, bf, es)
          : RnnUtils.packPaddedSequence(x, lengths.toLongArray(), bf, es);
      checkPacked(c, p);
      if (c.has("gdata")) {
        p.data().backward(c.tensor("gdata"));
        exact(c.tensor("ginput"), x.grad(), c.name() + " input gradient");
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> padPackedSequence() {
    return kind("pad").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Tensor data = input(c, "data");
      PackedSequence p = packedOf(c, data);
      boolean bf = flag(c, "batch_first");
      double pv = c.doubleAttr("padding_value");
      PaddedSequence r = c.attr("total_length", null) == null
          ? RnnUtils.padPackedSequence(p, bf, pv)
          : RnnUtils.padPackedSequence(p, bf, pv, c.intAttr("total_length"));
      exact(c.tensor("padded"), r.padded(), c.name() + " padded");
      assertArrayEquals(longs(c.intsAttr("padded_strides")), r.padded().strides(),
          c.name() + " strides (as PyTorch: a transposed view, or contiguous)");
      exact(c.tensor("lengths"), r.lengths(), c.name() + " lengths");
      assertTrue(r.lengths().device().isCpu());
      r.padded().backward(c.tensor("gpadded"));
      exact(c.tensor("gdata"), data.grad(), c.name() + " data gradient");
    }));
  }

  @TestFactory
  Stream<DynamicTest> packSequence() {
    return kind("packseq").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      List<Tensor> s = seqs(c, "seq");
      assertEquals(c.intAttr("count"), s.size());
      PackedSequence p = RnnUtils.packSequence(s, flag(c, "enforce_sorted"));
      checkPacked(c, p);
      p.data().backward(c.tensor("gdata"));
      for (int i = 0; i < s.size(); i++) {
        exact(c.tensor("gseq" + i), s.get(i).grad(), c.name() + " gradient of sequence " + i);
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> padSequence() {
    return kind("padseq").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      boolean bf = flag(c, "batch_first");
      double pv = c.doubleAttr("padding_value");
      if (c.has("sequences")) {
        exact(c.tensor("padded"), RnnUtils.padSequence(c.tensor("sequences"), bf, pv),
            c.name() + " padded");
        return;
      }
      List<Tensor> s = seqs(c, "seq");
      assertEquals(c.intAttr("count"), s.size());
      Tensor padded = RnnUtils.padSequence(s, bf, pv);
      exact(c.tensor("padded"), padded, c.name() + " padded");
      if (c.has("gpadded")) {
        padded.backward(c.tensor("gpadded"));
        for (int i = 0; i < s.size(); i++) {
          // broadcast sequences sum their gradient: compare within the dtype's tolerance
          assertTensorClose(c.tensor("gseq" + i), s.get(i).grad(), c.name() + " gradient " + i);
          assertEquals(s.get(i).dtype(), s.get(i).grad().dtype());
        }
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> unpadAndUnpackSequence() {
    List<DynamicTest> r = new ArrayList<>();
    for (Golden.Case c : kind("unpad")) {
      r.add(DynamicTest.dynamicTest(c.name(), () -> {
        Tensor padded = c.tensor("padded");
        Tensor before = padded.clone();
        List<Tensor> out = RnnUtils.unpadSequence(padded, c.tensor("lengths"), flag(c, "batch_first"));
        assertEquals(c.intAttr("count"), out.size());
        for (int i = 0; i < out.size(); i++) {
          exact(c.tensor("out" + i), out.get(i), c.name() + " sequence " + i);
        }
        exact(before, padded, c.name() + ": the argument is left as it was");
      }));
    }
    for (Golden.Case c : kind("unpack")) {
      r.add(DynamicTest.dynamicTest(c.name(), () -> {
        Golden.Case src = G.get("pack/" + c.attr("pack"));
        List<Tensor> out = RnnUtils.unpackSequence(packedOf(src, src.tensor("data")));
        assertEquals(c.intAttr("count"), out.size());
        for (int i = 0; i < out.size(); i++) {
          exact(c.tensor("out" + i), out.get(i), c.name() + " sequence " + i);
        }
      }));
    }
    return r.stream();
  }

  // ------------------------------------------------------------------ bad input

  static final Tensor X32 = Tensor.zeros(3, 2);

  /** The inputs of each golden error case (written here; the messages are PyTorch's). */
  static Map<String, Supplier<Object>> errorCalls() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("pack_unsorted_lengths", () -> RnnUtils.packPaddedSequence(X32, new long[] {2, 3}));
    m.put("pack_zero_length_sorted", () -> RnnUtils.packPaddedSequence(X32, new long[] {2, 0}));
    m.put("pack_zero_length_unsorted",
        () -> RnnUtils.packPaddedSequence(X32, new long[] {0, 2}, false, false));
    m.put("pack_negative_length", () -> RnnUtils.packPaddedSequence(X32, new long[] {3, -1}));
    m.put("pack_zero_then_unsorted", () -> RnnUtils.packPaddedSequence(X32, new long[] {0, 2}));
    m.put("pack_too_many_lengths", () -> RnnUtils.packPaddedSequence(X32, new long[] {3, 2, 1}));
    m.put("pack_too_few_lengths", () -> RnnUtils.packPaddedSequence(X32, new long[] {3}));
    m.put("pack_empty_input",
        () -> RnnUtils.packPaddedSequence(Tensor.zeros(0, 2), new long[] {2, 1}));
    m.put("pack_1d_input", () -> RnnUtils.packPaddedSequence(Tensor.zeros(3), new long[] {2, 1}));
    m.put("pack_1d_input_batch_first",
        () -> RnnUtils.packPaddedSequence(Tensor.zeros(3), new long[] {2, 1}, true, true));
    m.put("pack_2d_lengths", () -> RnnUtils.packPaddedSequence(X32,
        Tensor.fromArray(new long[] {3, 2}, 1, 2), false, true));
    PackedSequence packed31 = RnnUtils.packPaddedSequence(X32, new long[] {3, 1});
    m.put("pad_total_length_too_short", () -> RnnUtils.padPackedSequence(packed31, false, 0, 2));
    m.put("pad_total_length_negative", () -> RnnUtils.padPackedSequence(packed31, false, 0, -1));
    m.put("padseq_empty_list", () -> RnnUtils.padSequence(List.of()));
    m.put("padseq_trailing_mismatch",
        () -> RnnUtils.padSequence(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4))));
    m.put("padseq_higher_rank",
        () -> RnnUtils.padSequence(List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 2, 3))));
    m.put("padseq_broadcast_grows",
        () -> RnnUtils.padSequence(List.of(Tensor.zeros(3), Tensor.zeros(3, 3))));
    m.put("padseq_scalar",
        () -> RnnUtils.padSequence(List.of(Tensor.zeros(3), Tensor.scalar(0.0))));
    m.put("packseq_unsorted",
        () -> RnnUtils.packSequence(List.of(Tensor.zeros(2), Tensor.zeros(3))));
    m.put("packseq_empty_sequence",
        () -> RnnUtils.packSequence(List.of(Tensor.zeros(2), Tensor.zeros(0)), false));
    m.put("packseq_empty_list", () -> RnnUtils.packSequence(List.of()));
    m.put("packseq_scalar",
        () -> RnnUtils.packSequence(List.of(Tensor.zeros(2), Tensor.scalar(0.0))));
    m.put("packseq_all_empty",
        () -> RnnUtils.packSequence(List.of(Tensor.zeros(0, 2), Tensor.zeros(0, 2))));
    return m;
  }

  /** Cases that need a non-CPU tensor: run by jnn-cuda's parity suite. */
  static final List<String> DEVICE_ERRORS = List.of("packed_batch_sizes_not_cpu_is_checked");

  static void expectPyTorchError(Golden.Case c, Runnable call) {
    String message = c.text("message");
    RuntimeException e = assertThrows(RuntimeException.class, call::run, c.name());
    if (c.attr("type").equals("IndexError")) {
      assertInstanceOf(IndexOutOfBoundsException.class, e, c.name() + ": PyTorch raises IndexError");
    } else {
      assertInstanceOf(IllegalArgumentException.class, e, c.name());
    }
    assertTrue(e.getMessage().startsWith(message),
        c.name() + ":\n  PyTorch: " + message + "\n  jnn:     " + e.getMessage());
  }

  @TestFactory
  Stream<DynamicTest> badInputRaisesPyTorchsMessage() {
    Map<String, Supplier<Object>> calls = errorCalls();
    List<DynamicTest> r = new ArrayList<>();
    for (Golden.Case c : kind("error")) {
      String name = c.name().substring("error/".length());
      if (DEVICE_ERRORS.contains(name)) {
        continue;
      }
      Supplier<Object> call = calls.remove(name);
      if (call == null) {
        fail("golden error case " + name + " has no Java call");
      }
      r.add(DynamicTest.dynamicTest(c.name(), () -> {
        long[] before = X32.toLongArray();
        int version = X32.version();
        expectPyTorchError(c, call::get);
        assertArrayEquals(before, X32.toLongArray());
        assertEquals(version, X32.version(), "bad input changes no state");
      }));
    }
    assertTrue(calls.isEmpty(), "Java error calls without a golden case: " + calls.keySet());
    return r.stream();
  }

  // ------------------------------------------------------------------ where jnn checks more

  @Test
  void lengthsLongerThanTheInputAreRejected() {
    // PyTorch 1.13 returns PackedSequence(data of 5 rows, batch_sizes [2, 2, 1, 1]) here
    Tensor x = Tensor.zeros(3, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RnnUtils.packPaddedSequence(x, new long[] {4, 2}));
    assertTrue(e.getMessage().startsWith(
        "pack_padded_sequence: a sequence of length 4 does not fit in the 3 time steps"),
        e.getMessage());
  }

  @Test
  void unsortedLengthsOfTheWrongCountGetTheSortedPathsMessage() {
    // PyTorch 1.13 index_selects the batch before it checks: 3 lengths raise index_select's
    // IndexError, 1 length silently packs only the first sequence
    Golden.Case few = G.get("error/pack_too_few_lengths");
    expectPyTorchError(few,
        () -> RnnUtils.packPaddedSequence(X32, new long[] {3}, false, false));
    Golden.Case many = G.get("error/pack_too_many_lengths");
    expectPyTorchError(many,
        () -> RnnUtils.packPaddedSequence(X32, new long[] {3, 2, 1}, false, false));
  }

  @Test
  void handMadeSequencesMustMatchTheirBatchSizes() {
    PackedSequence p = new PackedSequence(Tensor.zeros(4), Tensor.fromArray(new long[] {2, 1}, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RnnUtils.padPackedSequence(p));
    assertTrue(e.getMessage().startsWith("pad_packed_sequence: data of shape [4] does not match"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new PackedSequence(Tensor.zeros(3), Tensor.zeros(2)),
        "batch sizes must be int64");
  }

  // ------------------------------------------------------------------ PackedSequence itself

  @Test
  void constructorInvertsTheSortedIndicesAsPyTorch() {
    Tensor sorted = Tensor.fromArray(new long[] {2, 0, 3, 1}, 4);
    PackedSequence p = new PackedSequence(Tensor.zeros(4), Tensor.fromArray(new long[] {4}, 1),
        sorted);
    assertArrayEquals(new long[] {1, 3, 0, 2}, p.unsortedIndices().toLongArray());
    assertSame(sorted, p.sortedIndices());
    assertNull(new PackedSequence(Tensor.zeros(1), Tensor.fromArray(new long[] {1}, 1))
        .unsortedIndices());
  }

  @Test
  void conversionsAndRepr() {
    Golden.Case c = G.get("pack/time_major_unsorted");
    PackedSequence p = packedOf(c, c.tensor("data"));
    assertSame(p, p.to(DType.FLOAT64), "already float64: the same sequence, as PyTorch");
    assertSame(p, p.cpu());
    assertFalse(p.isCuda());
    assertEquals(Device.CPU, p.device());
    PackedSequence f = p.toFloat();
    assertEquals(DType.FLOAT32, f.data().dtype());
    assertSame(p.batchSizes(), f.batchSizes());
    exact(p.sortedIndices(), f.sortedIndices(), "indices keep their values");
    assertEquals(DType.INT64, f.sortedIndices().dtype());
    String s = new PackedSequence(Tensor.fromArray(new long[] {1, 4, 2}, 3),
        Tensor.fromArray(new long[] {2, 1}, 2)).toString();
    // PyTorch: PackedSequence(data=tensor([1, 4, 2]), batch_sizes=tensor([2, 1]),
    //          sorted_indices=None, unsorted_indices=None)
    assertEquals("PackedSequence(data=tensor([1, 4, 2]), batch_sizes=tensor([2, 1]), "
        + "sorted_indices=None, unsorted_indices=None)", s);
  }

  @Test
  void roundTripsAndFloat64GradientChecks() {
    Tensor x = Tensor.randn(Shape.of(5, 4, 3), DType.FLOAT64, new Generator(7));
    long[] lengths = {2, 5, 1, 4};
    PackedSequence p = RnnUtils.packPaddedSequence(x, lengths, false, false);
    PaddedSequence back = RnnUtils.padPackedSequence(p);
    assertArrayEquals(lengths, back.lengthsArray());
    for (int b = 0; b < 4; b++) {
      exact(x.select(1, b).narrow(0, 0, lengths[b]),
          back.padded().select(1, b).narrow(0, 0, lengths[b]), "sequence " + b);
      double[] rest = back.padded().select(1, b).narrow(0, lengths[b], 5 - lengths[b])
          .toDoubleArray();
      for (double v : rest) {
        assertEquals(0.0, v, "padding");
      }
    }
    GradCheck.check(in -> RnnUtils.packPaddedSequence(in.get(0), lengths, true, false).data(),
        Tensor.randn(Shape.of(4, 5, 2), DType.FLOAT64, new Generator(8)).requiresGrad(true));
    GradCheck.check(in -> RnnUtils.padPackedSequence(
            new PackedSequence(in.get(0), p.batchSizes(), p.sortedIndices()), true, -1.0, 7)
            .padded(),
        p.data().detach().requiresGrad(true));
    GradCheck.check(in -> RnnUtils.padSequence(List.of(in.get(0), in.get(1)), true, 2.0),
        Tensor.randn(Shape.of(2, 3), DType.FLOAT64, new Generator(9)).requiresGrad(true),
        Tensor.randn(Shape.of(4, 1), DType.FLOAT64, new Generator(10)).requiresGrad(true));
    GradCheck.check(in -> RnnUtils.packSequence(List.of(in.get(0), in.get(1)), false).data(),
        Tensor.randn(Shape.of(2, 3), DType.FLOAT64, new Generator(11)).requiresGrad(true),
        Tensor.randn(Shape.of(4, 3), DType.FLOAT64, new Generator(12)).requiresGrad(true));
  }

  static long[] longs(int[] a) {
    long[] r = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i];
    }
    return r;
  }
}
