package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.GradCheck;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Behaviour of the recurrent layers beyond the golden values: float64 gradient checks of every
 * input and parameter, PyTorch's initialisation, dropout between layers, the ways of passing
 * initial states, hooks over the structured outputs.
 */
class RecurrentLayersTest {
  static Tensor rnd(long seed, long... shape) {
    return Tensor.randn(Shape.of(shape), DType.FLOAT64, new Generator(seed));
  }

  static Tensor leaf(long seed, long... shape) {
    return rnd(seed, shape).requiresGrad(true);
  }

  /** All outputs of a zoo-style run, flattened into one vector for {@link GradCheck}. */
  static Tensor flat(Module m, Tensor x, Tensor h0, Tensor c0) {
    List<Tensor> parts = new ArrayList<>();
    for (Tensor t : RecurrentZoo.run(m, x, h0, c0).values()) {
      parts.add(t.reshape(-1));
    }
    return Tensor.cat(parts, 0);
  }

  static void gradcheck(Module m, Tensor x, Tensor h0, Tensor c0) {
    List<Tensor> in = new ArrayList<>(Arrays.asList(x, h0, c0));
    in.removeIf(t -> t == null);
    int states = in.size() - 1;
    in.addAll(m.parameters());
    GradCheck.check(
        a ->
            flat(
                m,
                a.get(0),
                states > 0 ? a.get(1) : null,
                states > 1 ? a.get(2) : null),
        in.toArray(new Tensor[0]));
  }

  @Test
  void lstmWithProjectionBidirectionalTwoLayersPassesGradcheck() {
    LSTM m =
        LSTM.builder(2, 3)
            .numLayers(2)
            .bidirectional(true)
            .projSize(2)
            .batchFirst(true)
            .dtype(DType.FLOAT64)
            .build();
    gradcheck(m, leaf(1, 2, 3, 2), leaf(2, 4, 2, 2), leaf(3, 4, 2, 3));
  }

  @Test
  void lstmWithoutBiasUnbatchedPassesGradcheck() {
    LSTM m = LSTM.builder(2, 3).bias(false).dtype(DType.FLOAT64).build();
    gradcheck(m, leaf(4, 3, 2), leaf(5, 1, 3), leaf(6, 1, 3));
  }

  @Test
  void gruBidirectionalTwoLayersPassesGradcheck() {
    GRU m = GRU.builder(2, 3).numLayers(2).bidirectional(true).dtype(DType.FLOAT64).build();
    gradcheck(m, leaf(7, 3, 2, 2), leaf(8, 4, 2, 3), null);
  }

  @Test
  void rnnTanhAndReluPassGradcheck() {
    RNN tanh = RNN.builder(2, 3).numLayers(2).bidirectional(true).dtype(DType.FLOAT64).build();
    gradcheck(tanh, leaf(9, 3, 2, 2), leaf(10, 4, 2, 3), null);
    RNN relu = RNN.builder(2, 3).nonlinearity("relu").dtype(DType.FLOAT64).build();
    gradcheck(relu, leaf(11, 3, 2, 2), null, null);
  }

  @Test
  void cellsPassGradcheck() {
    gradcheck(RNNCell.builder(3, 2).dtype(DType.FLOAT64).build(), leaf(12, 2, 3), leaf(13, 2, 2), null);
    gradcheck(GRUCell.builder(3, 2).dtype(DType.FLOAT64).build(), leaf(14, 2, 3), leaf(15, 2, 2), null);
    gradcheck(
        LSTMCell.builder(3, 2).dtype(DType.FLOAT64).build(),
        leaf(16, 2, 3),
        leaf(17, 2, 2),
        leaf(18, 2, 2));
    gradcheck(LSTMCell.builder(3, 2).bias(false).dtype(DType.FLOAT64).build(), leaf(19, 3), null, null);
  }

  @Test
  void parametersAreInitialisedUniformlyWithinOneOverSqrtHidden() {
    List<Module> modules =
        List.of(
            LSTM.builder(8, 16).numLayers(2).bidirectional(true).projSize(4).build(),
            GRU.builder(8, 16).numLayers(2).build(),
            RNN.builder(8, 16).numLayers(3).build(),
            new LSTMCell(8, 16),
            new GRUCell(8, 16),
            new RNNCell(8, 16));
    for (Module m : modules) {
      List<Double> values = new ArrayList<>();
      for (Parameter p : m.parameters()) {
        for (double v : p.toDoubleArray()) {
          values.add(v);
        }
      }
      double bound = 0.25;
      double sum = 0;
      double sq = 0;
      for (double v : values) {
        assertTrue(Math.abs(v) <= bound, m + ": " + v);
        sum += v;
        sq += v * v;
      }
      int n = values.size();
      double mean = sum / n;
      double std = Math.sqrt(sq / n - mean * mean);
      // U(-b, b): mean 0, std b / sqrt(3); n >= 1200 samples
      assertEquals(0, mean, 0.02, m + " mean");
      assertEquals(bound / Math.sqrt(3), std, 0.01, m + " std");
    }
  }

  @Test
  void resetParametersRedrawsEveryParameter() {
    LSTM m = LSTM.builder(3, 4).projSize(2).build();
    List<Tensor> before = new ArrayList<>();
    m.parameters().forEach(p -> before.add(p.clone()));
    m.resetParameters();
    for (int i = 0; i < before.size(); i++) {
      assertFalse(
          Arrays.equals(before.get(i).toDoubleArray(), m.parameters().get(i).toDoubleArray()),
          "parameter " + i);
    }
  }

  @Test
  void dropoutActsBetweenLayersInTrainingModeOnly() {
    LSTM drop = LSTM.builder(3, 8).numLayers(2).dropout(0.5).build();
    LSTM plain = LSTM.builder(3, 8).numLayers(2).build();
    plain.loadStateDict(drop.stateDict());
    Tensor x = rnd(20, 5, 4, 3).toFloat();
    Tensor reference = plain.callOutput(x).output();
    drop.train();
    Tensor a = drop.callOutput(x).output();
    Tensor b = drop.callOutput(x).output();
    assertFalse(Arrays.equals(a.toDoubleArray(), b.toDoubleArray()), "fresh masks per call");
    assertFalse(Arrays.equals(a.toDoubleArray(), reference.toDoubleArray()), "dropout applied");
    drop.eval();
    assertTensorClose(reference, drop.callOutput(x).output(), "eval: no dropout");
    // one layer: the dropout option has nothing to act on (PyTorch warns, as jnn does)
    LSTM one = LSTM.builder(3, 8).dropout(0.5).build();
    LSTM onePlain = new LSTM(3, 8);
    onePlain.loadStateDict(one.stateDict());
    one.train();
    assertTensorClose(onePlain.callOutput(x).output(), one.callOutput(x).output(), "one layer");
  }

  @Test
  void initialStatesByPositionStateRecordKeywordOrNull() {
    LSTM lstm = LSTM.builder(3, 4).numLayers(2).build();
    Tensor x = rnd(21, 5, 2, 3).toFloat();
    Tensor h0 = rnd(22, 2, 2, 4).toFloat();
    Tensor c0 = rnd(23, 2, 2, 4).toFloat();
    LSTMOutput pos = lstm.callOutput(x, h0, c0);
    LSTMOutput rec = lstm.callOutput(x, new LSTMState(h0, c0));
    LSTMOutput kw = lstm.callOutput(List.of(x), Map.of("hx", new LSTMState(h0, c0)));
    LSTMOutput kwList = lstm.callOutput(List.of(x), Map.of("hx", List.of(h0, c0)));
    for (LSTMOutput o : List.of(rec, kw, kwList)) {
      assertTensorClose(pos.output(), o.output(), "output");
      assertTensorClose(pos.hN(), o.hN(), "h_n");
      assertTensorClose(pos.cN(), o.state().c(), "c_n");
    }
    LSTMOutput zero = lstm.callOutput(x);
    LSTMOutput zeros =
        lstm.callOutput(x, Tensor.zeros(2, 2, 4), Tensor.zeros(2, 2, 4));
    assertTensorClose(zeros.output(), zero.output(), "absent states are zeros");
    assertTensorClose(zero.output(), lstm.callOutput(x, null, null).output(), "null states");
    assertTensorClose(zero.output(), lstm.callOutput(x, (LSTMState) null).output(), "null");
    // carrying the state on equals running the whole sequence
    LSTMOutput first = lstm.callOutput(x.narrow(0, 0, 2));
    LSTMOutput rest = lstm.callOutput(x.narrow(0, 2, 3), first.state());
    assertTensorClose(zero.hN(), rest.hN(), "state carried across calls");

    GRU gru = new GRU(3, 4);
    Tensor g0 = rnd(24, 1, 2, 4).toFloat();
    assertTensorClose(
        gru.callOutput(x, g0).hN(),
        gru.callOutput(List.of(x), Map.of("hx", g0)).hN(),
        "GRU hx keyword");
    GRUCell cell = new GRUCell(3, 4);
    Tensor x0 = x.select(0, 0);
    Tensor s0 = g0.select(0, 0);
    assertTensorClose(cell.call(x0, s0), cell.call(List.of(x0), Map.of("hx", s0)), "cell hx");
    LSTMCell lcell = new LSTMCell(3, 4);
    LSTMState s = lcell.callOutput(x0, h0.select(0, 0), c0.select(0, 0));
    LSTMState s2 = lcell.callOutput(x0, new LSTMState(h0.select(0, 0), c0.select(0, 0)));
    assertTensorClose(s.c(), s2.c(), "LSTMCell state record");
  }

  @Test
  void badStateArgumentsAreRefused() {
    LSTM lstm = new LSTM(3, 4);
    Tensor x = Tensor.zeros(5, 2, 3);
    Tensor h = Tensor.zeros(1, 2, 4);
    assertEquals(
        "LSTM.forward(): h_0 and c_0 must be given together (PyTorch's hx=(h_0, c_0))",
        assertThrows(IllegalArgumentException.class, () -> lstm.callOutput(x, h, null))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> lstm.callOutput(x, h));
    assertEquals(
        "LSTM.forward() got an unexpected keyword argument 'h0'",
        assertThrows(
                IllegalArgumentException.class,
                () -> lstm.callOutput(List.of(x), Map.of("h0", h)))
            .getMessage());
    assertEquals(
        "RNN.forward() got multiple values for argument 'hx'",
        assertThrows(
                IllegalArgumentException.class,
                () -> new RNN(3, 4).callOutput(List.of(x, h), Map.of("hx", h)))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new GRU(3, 4).callOutput(x, h, h));
    assertThrows(IllegalArgumentException.class, () -> new LSTMCell(3, 4).callOutput(x.select(0, 0), h.select(0, 0)));
    assertThrows(
        IllegalArgumentException.class, () -> LSTM.builder(3, 4).numLayers(0).build());
  }

  @Test
  void outputsAreRecordsSeenByHooks() {
    LSTM lstm = LSTM.builder(3, 4).bidirectional(true).build();
    AtomicReference<Object> seen = new AtomicReference<>();
    AtomicReference<List<Tensor>> gradOut = new AtomicReference<>();
    AtomicReference<List<Tensor>> gradIn = new AtomicReference<>();
    lstm.registerForwardHookAny((m, args, out) -> {
      seen.set(out);
      return null;
    });
    lstm.registerFullBackwardHook((m, gi, go) -> {
      gradIn.set(gi);
      gradOut.set(go);
      return null;
    });
    Tensor x = rnd(30, 5, 2, 3).toFloat().requiresGrad(true);
    Tensor h0 = rnd(31, 2, 2, 4).toFloat().requiresGrad(true);
    Tensor c0 = rnd(32, 2, 2, 4).toFloat().requiresGrad(true);
    LSTMOutput out = lstm.callOutput(x, h0, c0);
    assertTrue(seen.get() instanceof LSTMOutput);
    assertEquals(List.of(5L, 2L, 8L), Arrays.stream(out.output().shape().dims()).boxed().toList());
    out.output().sum().backward();
    assertEquals(2, gradOut.get().size(), "(output, state)");
    assertNotNull(gradOut.get().get(0));
    assertNull(gradOut.get().get(1), "a nested tuple gets None, as in PyTorch");
    assertEquals(3, gradIn.get().size(), "x, h0, c0");
    assertTensorClose(x.grad(), gradIn.get().get(0), "grad_input[0]");
    // the tensor call refuses the record output, pointing at callOutput
    assertThrows(RuntimeException.class, () -> lstm.call(x));
  }

  @Test
  void accessorsMirrorPyTorchsAttributes() {
    LSTM m = LSTM.builder(3, 6).numLayers(2).bidirectional(true).projSize(2).bias(false).build();
    assertEquals("LSTM", m.mode());
    assertEquals(3, m.inputSize());
    assertEquals(6, m.hiddenSize());
    assertEquals(2, m.projSize());
    assertEquals(
        List.of(
            "weight_ih_l0", "weight_hh_l0", "weight_hr_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "weight_hr_l0_reverse",
            "weight_ih_l1", "weight_hh_l1", "weight_hr_l1",
            "weight_ih_l1_reverse", "weight_hh_l1_reverse", "weight_hr_l1_reverse"),
        m.flatWeightsNames());
    assertEquals(4, m.allWeights().size());
    assertSame(m.getParameter("weight_hr_l1_reverse"), m.allWeights().get(3).get(2));
    assertEquals(List.of(24L, 4L), Arrays.stream(m.getParameter("weight_ih_l1").shape().dims()).boxed().toList());
    assertEquals("RNN_RELU", RNN.builder(2, 3).nonlinearity("relu").build().mode());
    assertEquals("relu", new RNNCell(2, 3, true, "relu").nonlinearity());
  }

  @Test
  void moduleConvertsToFloat64AndRunsThere() {
    GRU gru = GRU.builder(3, 4).numLayers(2).build();
    gru.to(DType.FLOAT64);
    RNNOutput out = gru.callOutput(rnd(40, 5, 2, 3));
    assertEquals(DType.FLOAT64, out.output().dtype());
    assertEquals(DType.FLOAT64, out.hN().dtype());
    // replacing a parameter is seen by the next forward, as PyTorch's _flat_weights
    gru.registerParameter("bias_hh_l1", new Parameter(Tensor.zeros(Shape.of(12), DType.FLOAT64, gru.getParameter("bias_hh_l0").device())));
    assertSame(gru.getParameter("bias_hh_l1"), gru.allWeights().get(1).get(3));
  }
}
