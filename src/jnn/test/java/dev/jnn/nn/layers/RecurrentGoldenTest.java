package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.io.TorchCheckpoint;
import dev.jnn.nn.LoadResult;
import dev.jnn.nn.Module;
import dev.jnn.nn.StateDict;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.nio.file.Path;
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
 * The recurrent layers against PyTorch 1.13 ({@code scripts/golden/rnn.py}): reprs, state-dict
 * keys in order, forward outputs, final states and every gradient (input, initial states, each
 * parameter) with PyTorch's weights, a state dict saved by {@code torch.save}, and PyTorch's error
 * messages.
 */
class RecurrentGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("rnn.txt");

  static String message(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @TestFactory
  Stream<DynamicTest> reprMatchesPyTorch() {
    return RecurrentZoo.ZOO.keySet().stream()
        .map(
            id ->
                DynamicTest.dynamicTest(
                    id,
                    () ->
                        assertEquals(
                            G.get("repr").text(id), RecurrentZoo.create(id).toString(), id)));
  }

  @TestFactory
  Stream<DynamicTest> stateDictKeysMatchPyTorch() {
    return RecurrentZoo.ZOO.keySet().stream()
        .map(
            id ->
                DynamicTest.dynamicTest(
                    id,
                    () -> {
                      Module m = RecurrentZoo.create(id);
                      assertEquals(G.get("keys").text(id), LayersGoldenTest.keysText(m), id);
                      assertEquals(
                          G.get("keys").intAttr("version_" + id),
                          m.stateDict().metadata().get("").get("version"),
                          id);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> forwardBackwardMatchPyTorch() {
    return G.values().stream()
        .filter(c -> c.name().startsWith("fb_"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> RecurrentZoo.checkForwardBackward(c)));
  }

  @Test
  void everyModuleHasGoldenCases() {
    for (String id : RecurrentZoo.ZOO.keySet()) {
      if (!id.equals("pt_lstm")) {
        assertEquals(
            true,
            G.values().stream().anyMatch(c -> c.name().startsWith("fb_" + id + "_")),
            id);
      }
    }
  }

  @Test
  void stateDictSavedByPyTorchLoadsStrictlyAndGivesPyTorchsOutputs() throws Exception {
    StateDict sd =
        TorchCheckpoint.loadStateDict(Path.of("src/jnn/test/resources/interop/lstm.pt"));
    Golden.Case c = G.get("pt_lstm");
    assertEquals(c.text("keys"), String.join("\n", sd.keySet()));
    LSTM lstm = (LSTM) RecurrentZoo.create("pt_lstm");
    LoadResult r = lstm.loadStateDict(sd, true);
    assertEquals(List.of(), r.missingKeys());
    assertEquals(List.of(), r.unexpectedKeys());
    lstm.eval();
    LSTMOutput out = lstm.callOutput(c.tensor("x"));
    assertTensorClose(c.tensor("y"), out.output(), "output");
    assertTensorClose(c.tensor("hn"), out.hN(), "h_n");
    assertTensorClose(c.tensor("cn"), out.cN(), "c_n");
    // and the keys jnn writes are the ones PyTorch wrote, in the same order
    assertEquals(new ArrayList<>(sd.keySet()), new ArrayList<>(lstm.stateDict().keySet()));
  }

  @Test
  void errorMessagesMatchPyTorch() {
    Golden.Case c = G.get("errors");
    Map<String, Executable> cases = new LinkedHashMap<>();
    RNN rnn = new RNN(5, 4, 2);
    LSTM lstm = LSTM.builder(5, 4).numLayers(2).projSize(2).build();
    GRU gru = GRU.builder(5, 4).batchFirst(true).build();
    RNNCell cell = new RNNCell(5, 4);
    LSTMCell lcell = new LSTMCell(5, 4);
    cases.put("ctor_dropout", () -> RNN.builder(5, 4).dropout(1.5).build());
    cases.put("ctor_dropout_neg", () -> LSTM.builder(5, 4).dropout(-0.1).build());
    cases.put("ctor_nonlinearity", () -> RNN.builder(5, 4).nonlinearity("sigmoid").build());
    cases.put("ctor_proj_neg", () -> LSTM.builder(5, 4).projSize(-1).build());
    cases.put("ctor_proj_big", () -> LSTM.builder(5, 4).projSize(4).build());
    cases.put("ctor_hidden0", () -> new GRU(5, 0));
    cases.put("rnn_rank4", () -> rnn.callOutput(Tensor.zeros(2, 3, 5, 1)));
    cases.put("rnn_rank1", () -> rnn.callOutput(Tensor.zeros(5)));
    cases.put("rnn_input_size", () -> rnn.callOutput(Tensor.zeros(2, 3, 6)));
    cases.put(
        "rnn_hidden_size", () -> rnn.callOutput(Tensor.zeros(2, 3, 5), Tensor.zeros(2, 4, 4)));
    cases.put(
        "rnn_hidden_layers", () -> rnn.callOutput(Tensor.zeros(2, 3, 5), Tensor.zeros(1, 3, 4)));
    cases.put(
        "rnn_hx_rank_batched", () -> rnn.callOutput(Tensor.zeros(2, 3, 5), Tensor.zeros(4, 4)));
    cases.put(
        "rnn_hx_rank_unbatched",
        () -> rnn.callOutput(Tensor.zeros(3, 5), Tensor.zeros(2, 1, 4)));
    cases.put(
        "rnn_hidden_unbatched", () -> rnn.callOutput(Tensor.zeros(3, 5), Tensor.zeros(2, 5)));
    cases.put("rnn_empty_seq", () -> rnn.callOutput(Tensor.zeros(0, 3, 5)));
    cases.put("rnn_dtype", () -> rnn.callOutput(Tensor.zeros(2, 3, 5).toDouble()));
    cases.put(
        "gru_hidden_batch_first",
        () -> gru.callOutput(Tensor.zeros(3, 2, 5), Tensor.zeros(1, 2, 4)));
    cases.put("gru_empty_seq", () -> gru.callOutput(Tensor.zeros(3, 0, 5)));
    cases.put(
        "lstm_h_size",
        () -> lstm.callOutput(Tensor.zeros(2, 3, 5), Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 4)));
    cases.put(
        "lstm_c_size",
        () -> lstm.callOutput(Tensor.zeros(2, 3, 5), Tensor.zeros(2, 3, 2), Tensor.zeros(2, 3, 2)));
    cases.put(
        "lstm_hx_rank_batched",
        () -> lstm.callOutput(Tensor.zeros(2, 3, 5), Tensor.zeros(3, 2), Tensor.zeros(2, 3, 2)));
    cases.put(
        "lstm_hx_rank_unbatched",
        () -> lstm.callOutput(Tensor.zeros(3, 5), Tensor.zeros(2, 3, 2), Tensor.zeros(2, 3, 4)));
    cases.put("lstm_input_size", () -> lstm.callOutput(Tensor.zeros(2, 3, 4)));
    cases.put("lstm_empty_seq", () -> lstm.callOutput(Tensor.zeros(0, 3, 5)));
    cases.put("cell_rank3", () -> cell.call(Tensor.zeros(2, 3, 5)));
    cases.put("cell_rank0", () -> cell.call(Tensor.scalar(0)));
    cases.put("cell_input_size", () -> cell.call(Tensor.zeros(3, 6)));
    cases.put("cell_hidden_batch", () -> cell.call(Tensor.zeros(3, 5), Tensor.zeros(2, 4)));
    cases.put("cell_hidden_size", () -> cell.call(Tensor.zeros(3, 5), Tensor.zeros(3, 5)));
    cases.put("cell_unbatched_hidden", () -> cell.call(Tensor.zeros(5), Tensor.zeros(3, 4)));
    cases.put(
        "cell_nonlinearity", () -> new RNNCell(5, 4, true, "x").call(Tensor.zeros(3, 5)));
    cases.put("lstmcell_rank3", () -> lcell.callOutput(Tensor.zeros(2, 3, 5)));
    cases.put(
        "lstmcell_h_batch",
        () -> lcell.callOutput(Tensor.zeros(3, 5), Tensor.zeros(2, 4), Tensor.zeros(3, 4)));
    cases.put(
        "lstmcell_c_size",
        () -> lcell.callOutput(Tensor.zeros(3, 5), Tensor.zeros(3, 4), Tensor.zeros(3, 3)));
    cases.put("grucell_input_size", () -> new GRUCell(5, 4).call(Tensor.zeros(3, 6)));
    cases.put("grucell_rank3", () -> new GRUCell(5, 4).call(Tensor.zeros(1, 3, 5)));
    assertEquals(c.textKeys(), new ArrayList<>(cases.keySet()), "every PyTorch message checked");
    for (Map.Entry<String, Executable> e : cases.entrySet()) {
      assertEquals(c.text(e.getKey()), message(e.getValue()), e.getKey());
    }
  }
}
