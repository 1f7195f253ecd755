package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.core.DType;
import dev.jnn.nn.Module;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The modules of {@code scripts/golden/rnn.py}'s {@code ZOO} table, by the same ids, and the
 * replay of its forward/backward cases.
 */
public final class RecurrentZoo {
  private RecurrentZoo() {}

  /** id to factory, in the script's order. */
  public static final Map<String, Supplier<Module>> ZOO = new LinkedHashMap<>();

  static {
    ZOO.put("rnn", () -> new RNN(4, 5));
    ZOO.put("rnn_relu2", () -> RNN.builder(4, 5).numLayers(2).nonlinearity("relu").build());
    ZOO.put(
        "rnn_bi2",
        () ->
            RNN.builder(3, 4)
                .numLayers(2)
                .bias(false)
                .batchFirst(true)
                .bidirectional(true)
                .build());
    ZOO.put("rnn_drop1", () -> RNN.builder(3, 4).numLayers(3).dropout(1.0).build());
    ZOO.put("lstm", () -> new LSTM(4, 5));
    ZOO.put(
        "lstm_bi2",
        () -> LSTM.builder(3, 4).numLayers(2).batchFirst(true).bidirectional(true).build());
    ZOO.put(
        "lstm_proj_bi2",
        () -> LSTM.builder(3, 5).numLayers(2).bidirectional(true).projSize(2).build());
    ZOO.put(
        "lstm_proj_nobias",
        () -> LSTM.builder(3, 5).bias(false).projSize(2).batchFirst(true).build());
    ZOO.put("lstm_drop", () -> LSTM.builder(3, 4).numLayers(2).dropout(0.5).build());
    ZOO.put(
        "lstm_drop1",
        () -> LSTM.builder(3, 4).numLayers(2).dropout(1.0).bidirectional(true).build());
    ZOO.put("gru", () -> new GRU(4, 5));
    ZOO.put(
        "gru_bi2",
        () -> GRU.builder(3, 4).numLayers(2).batchFirst(true).bidirectional(true).build());
    ZOO.put(
        "gru_nobias", () -> GRU.builder(3, 4).numLayers(2).bias(false).dropout(0.25).build());
    ZOO.put("gru_drop1", () -> GRU.builder(3, 4).numLayers(2).dropout(1.0).build());
    ZOO.put("rnncell", () -> new RNNCell(4, 5));
    ZOO.put("rnncell_relu", () -> new RNNCell(4, 5, false, "relu"));
    ZOO.put("lstmcell", () -> new LSTMCell(4, 5));
    ZOO.put("lstmcell_nobias", () -> LSTMCell.builder(3, 4).bias(false).build());
    ZOO.put("grucell", () -> new GRUCell(4, 5));
    ZOO.put("grucell_nobias", () -> new GRUCell(3, 4, false));
    ZOO.put(
        "pt_lstm",
        () ->
            LSTM.builder(5, 7)
                .numLayers(2)
                .batchFirst(true)
                .bidirectional(true)
                .projSize(3)
                .build());
  }

  /** The module of {@code id}. */
  public static Module create(String id) {
    Supplier<Module> f = ZOO.get(id);
    if (f == null) {
      throw new IllegalArgumentException("no recurrent module " + id);
    }
    return f.get();
  }

  /**
   * Runs any recurrent module of the zoo on {@code x} with the initial states {@code h0}, {@code
   * c0} (null: none given) and returns {@code y}, {@code hn}, {@code cn} as the script names them
   * (absent keys for outputs the module does not have).
   */
  public static Map<String, Tensor> run(Module m, Tensor x, Tensor h0, Tensor c0) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    if (m instanceof LSTM l) {
      LSTMOutput o = h0 == null ? l.callOutput(x) : l.callOutput(x, h0, c0);
      out.put("y", o.output());
      out.put("hn", o.hN());
      out.put("cn", o.cN());
    } else if (m instanceof RNNBase<?> r) {
      RNNOutput o = (RNNOutput) (h0 == null ? r.callOutput(x) : r.callOutput(x, h0));
      out.put("y", o.output());
      out.put("hn", o.hN());
    } else if (m instanceof LSTMCell l) {
      LSTMState s = h0 == null ? l.callOutput(x) : l.callOutput(x, h0, c0);
      out.put("y", s.h());
      out.put("cn", s.c());
    } else {
      out.put("y", h0 == null ? m.call(x) : m.call(x, h0));
    }
    return out;
  }

  static Tensor leaf(Golden.Case c, String key) {
    return c.has(key) ? c.tensor(key).clone().detach().requiresGrad(true) : null;
  }

  /** Replays one {@code fb_*} case: PyTorch's weights, outputs, and all gradients. */
  public static void checkForwardBackward(Golden.Case c) {
    Module m = create(c.attr("module"));
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
    m.train(c.intAttr("train") == 1);
    Tensor x = leaf(c, "x");
    Tensor h0 = leaf(c, "h0");
    Tensor c0 = leaf(c, "c0");
    Map<String, Tensor> out = run(m, x, h0, c0);
    String what = c.name();
    List<Tensor> terms = new ArrayList<>();
    for (String k : List.of("y", "hn", "cn")) {
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
