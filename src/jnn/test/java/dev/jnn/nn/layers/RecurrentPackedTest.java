package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.GradCheck;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.utils.rnn.PackedSequence;
import dev.jnn.nn.utils.rnn.RnnUtils;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The recurrent layers on {@link PackedSequence} inputs beyond the golden values: a float64
 * gradient check, agreement with running every sequence alone, and what the hooks see.
 */
class RecurrentPackedTest {
  static Tensor rnd(long seed, long... shape) {
    return Tensor.randn(Shape.of(shape), DType.FLOAT64, new Generator(seed));
  }

  static Tensor leaf(long seed, long... shape) {
    return rnd(seed, shape).requiresGrad(true);
  }

  @Test
  void packedLstmPassesGradcheck() {
    LSTM m =
        LSTM.builder(2, 3)
            .numLayers(2)
            .bidirectional(true)
            .projSize(2)
            .dtype(DType.FLOAT64)
            .build();
    long[] lengths = {2, 3, 1};
    List<Tensor> in = new ArrayList<>(List.of(leaf(1, 3, 3, 2), leaf(2, 4, 3, 2), leaf(3, 4, 3, 3)));
    in.addAll(m.parameters());
    GradCheck.check(
        a -> {
          PackedSequence p = RnnUtils.packPaddedSequence(a.get(0), lengths, false, false);
          PackedLSTMOutput o = m.callPacked(p, a.get(1), a.get(2));
          return Tensor.cat(
              List.of(o.output().data().reshape(-1), o.hN().reshape(-1), o.cN().reshape(-1)), 0);
        },
        in.toArray(new Tensor[0]));
  }

  @Test
  void everySequenceGetsWhatItGetsAlone() {
    GRU m = GRU.builder(3, 4).numLayers(2).bidirectional(true).dtype(DType.FLOAT64).build();
    long[] lengths = {2, 4, 1};
    Tensor x = rnd(4, 4, 3, 3);
    Tensor h0 = rnd(5, 4, 3, 4);
    PackedRNNOutput o =
        m.callPacked(RnnUtils.packPaddedSequence(x, lengths, false, false), h0);
    Tensor y = RnnUtils.padPackedSequence(o.output()).padded();
    for (int b = 0; b < lengths.length; b++) {
      Tensor xb = x.narrow(0, 0, lengths[b]).narrow(1, b, 1);
      RNNOutput alone = m.callOutput(xb, h0.narrow(1, b, 1).contiguous());
      assertTensorClose(alone.output(), y.narrow(0, 0, lengths[b]).narrow(1, b, 1), "y " + b);
      assertTensorClose(alone.hN(), o.hN().narrow(1, b, 1), "h_n " + b);
    }
  }

  @Test
  void hooksSeeTheKeywordInputAndThePackedOutput() {
    GRU m = new GRU(4, 5);
    AtomicReference<List<Tensor>> preArgs = new AtomicReference<>();
    AtomicReference<Map<String, Object>> preKwargs = new AtomicReference<>();
    AtomicReference<Object> seen = new AtomicReference<>();
    AtomicReference<List<Tensor>> gradIn = new AtomicReference<>();
    AtomicReference<List<Tensor>> gradOut = new AtomicReference<>();
    m.registerForwardPreHookWithKwargs(
        (mod, args, kwargs) -> {
          preArgs.set(args);
          preKwargs.set(kwargs);
          return null;
        });
    m.registerForwardHookAny(
        (mod, args, out) -> {
          seen.set(out);
          return null;
        });
    m.registerFullBackwardHook(
        (mod, gi, go) -> {
          gradIn.set(gi);
          gradOut.set(go);
          return null;
        });
    Tensor x = Tensor.randn(3, 2, 4).requiresGrad(true);
    PackedSequence p = RnnUtils.packPaddedSequence(x, new long[] {3, 1}, false, true);
    PackedRNNOutput o = m.callPacked(p);
    assertEquals(List.of(), preArgs.get(), "rnn(input=packed): no positional argument");
    assertSame(p, preKwargs.get().get("input"));
    assertTrue(seen.get() instanceof PackedRNNOutput);
    o.output().data().sum().add(o.hN().sum()).backward();
    // as PyTorch 1.13's full backward hook: grad_input (), grad_output (None, grad h_n)
    assertEquals(0, gradIn.get().size());
    assertEquals(2, gradOut.get().size());
    assertNull(gradOut.get().get(0), "the PackedSequence element is a nested tuple: None");
    assertNotNull(gradOut.get().get(1));
    // the padded-input call still returns an RNNOutput
    assertNotNull(m.callOutput(x).output());
  }

  @Test
  void hookReplacementsAreCheckedAndStatesPairedForLstm() {
    LSTM lstm = new LSTM(4, 5);
    PackedSequence p =
        RnnUtils.packPaddedSequence(Tensor.randn(3, 2, 4), new long[] {1, 3}, false, false);
    assertThrows(
        IllegalArgumentException.class, () -> lstm.callPacked(p, Tensor.zeros(1, 2, 5), null));
    PackedLSTMOutput zero = lstm.callPacked(p);
    PackedLSTMOutput given = lstm.callPacked(p, new LSTMState(Tensor.zeros(1, 2, 5), Tensor.zeros(1, 2, 5)));
    assertTensorClose(zero.output().data(), given.output().data(), "zeros by default");
    assertTensorClose(zero.cN(), given.cN(), "c_n");
    lstm.registerForwardHookAny((mod, args, out) -> "replaced");
    assertThrows(IllegalStateException.class, () -> lstm.callPacked(p));
  }
}
