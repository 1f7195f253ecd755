package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.core.DType;
import dev.jnn.nn.Module;
import dev.jnn.nn.utils.rnn.PackedSequence;
import dev.jnn.nn.utils.rnn.RnnUtils;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * RNN, LSTM and GRU fed a {@link PackedSequence} against PyTorch 1.13 ({@code
 * scripts/golden/rnn_packed.py}): {@code pack_padded_sequence} of a padded input, sorted and
 * unsorted, with and without initial states; the packed output (data, batch sizes, indices), the
 * final states in the input's batch order, and the gradients of the padded input, the initial
 * states and every parameter; PyTorch's messages for bad packed inputs.
 */
class RecurrentPackedGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("rnn_packed.txt");

  @TestFactory
  Stream<DynamicTest> packedForwardBackwardMatchPyTorch() {
    return G.values().stream()
        .filter(c -> c.name().startsWith("pk_"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  @Test
  void errorsMatchPyTorch() {
    Golden.Case e = G.get("errors");
    // sequences of lengths [3, 1], sorted: batch sizes [2, 1, 1]
    PackedSequence p =
        RnnUtils.packPaddedSequence(Tensor.randn(3, 2, 4), new long[] {3, 1}, false, true);
    Tensor bs = p.batchSizes();
    assertEquals(
        e.text("data_3d"),
        message(() -> new GRU(4, 5).callPacked(new PackedSequence(Tensor.randn(4, 2, 4), bs))));
    assertEquals(
        e.text("input_size"),
        message(() -> new GRU(4, 5).callPacked(new PackedSequence(Tensor.randn(4, 3), bs))));
    assertEquals(
        e.text("hidden_batch"), message(() -> new RNN(4, 5).callPacked(p, Tensor.randn(1, 3, 5))));
    assertEquals(
        e.text("lstm_hidden1"),
        message(
            () -> new LSTM(4, 5).callPacked(p, Tensor.randn(1, 2, 5), Tensor.randn(1, 3, 5))));
  }

  static String message(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  static void check(Golden.Case c) {
    String what = c.name();
    Module m = RecurrentZoo.create(c.attr("module"));
    if (c.attr("dtype").equals("float64")) {
      m.to(DType.FLOAT64);
    }
    Map<String, Tensor> sd = new LinkedHashMap<>();
    c.tensors()
        .forEach(
            (k, v) -> {
              if (k.startsWith("sd.")) {
                sd.put(k.substring(3), v);
              }
            });
    m.loadStateDict(sd);
    m.eval();
    RNNBase<?> r = (RNNBase<?>) m;
    Tensor x = RecurrentZoo.leaf(c, "x");
    Tensor h0 = RecurrentZoo.leaf(c, "h0");
    Tensor c0 = RecurrentZoo.leaf(c, "c0");
    PackedSequence in =
        RnnUtils.packPaddedSequence(
            x,
            c.tensor("lengths").toLongArray(),
            r.batchFirst(),
            c.intAttr("enforce_sorted") == 1);
    PackedSequence y;
    Map<String, Tensor> out = new LinkedHashMap<>();
    if (m instanceof LSTM l) {
      PackedLSTMOutput o = h0 == null ? l.callPacked(in) : l.callPacked(in, h0, c0);
      y = o.output();
      out.put("hn", o.hN());
      out.put("cn", o.cN());
    } else {
      PackedRNNOutput o =
          m instanceof RNN rnn
              ? (h0 == null ? rnn.callPacked(in) : rnn.callPacked(in, h0))
              : (h0 == null ? ((GRU) m).callPacked(in) : ((GRU) m).callPacked(in, h0));
      y = o.output();
      out.put("hn", o.hN());
    }
    out.put("yd", y.data());
    assertSame(in.batchSizes(), y.batchSizes(), what + " batch sizes");
    assertTensorClose(c.tensor("bs"), y.batchSizes(), what + " bs");
    if (c.has("si")) {
      assertTensorClose(c.tensor("si"), y.sortedIndices(), what + " si");
      assertSame(in.unsortedIndices(), y.unsortedIndices(), what + " unsorted indices");
    } else {
      assertNull(y.sortedIndices(), what + " si");
      assertNull(y.unsortedIndices(), what + " ui");
    }
    List<Tensor> terms = new ArrayList<>();
    for (String k : List.of("yd", "hn", "cn")) {
      assertEquals(c.has(k), out.containsKey(k), what + " has " + k);
      if (c.has(k)) {
        assertEquals(c.tensor(k).dtype(), out.get(k).dtype(), what + " dtype " + k);
        assertTensorClose(c.tensor(k), out.get(k), what + " " + k);
        terms.add(out.get(k).mul(c.tensor("g" + k)).sum());
      }
    }
    Tensor loss = terms.get(0);
    for (int i = 1; i < terms.size(); i++) {
      loss = loss.add(terms.get(i));
    }
    loss.backward();
    assertTensorClose(c.tensor("gx"), x.grad(), what + " gx");
    if (h0 != null) {
      assertTensorClose(c.tensor("gh0"), h0.grad(), what + " gh0");
    }
    if (c0 != null) {
      assertTensorClose(c.tensor("gc0"), c0.grad(), what + " gc0");
    }
    int grads = 0;
    for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
      if (e.getKey().startsWith("g.")) {
        Tensor g = m.getParameter(e.getKey().substring(2)).grad();
        if (g == null) {
          g = Tensor.zerosLike(e.getValue());
        }
        assertTensorClose(e.getValue(), g, what + " " + e.getKey());
        grads++;
      }
    }
    assertEquals(m.parameters().size(), grads, what + ": a gradient per parameter");
  }
}
