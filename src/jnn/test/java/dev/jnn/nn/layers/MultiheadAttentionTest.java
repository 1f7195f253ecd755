package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.AttentionOutput;
import dev.jnn.nn.init.InitStats;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MultiheadAttention} beyond the 1.13 goldens ({@link AttentionGoldenTest}): PyTorch's
 * initialisation, 2.x's {@code is_causal} hint, the keyword-argument path and what hooks see,
 * dropout in training only, two float masks (2.x's sum), and the typed API.
 */
class MultiheadAttentionTest {
  private static final MultiheadAttention.ForwardOptions D =
      MultiheadAttention.ForwardOptions.defaults();

  private static Tensor rnd(long seed, long... shape) {
    return Tensor.randn(Shape.of(shape), DType.FLOAT64, new Generator(seed));
  }

  private static MultiheadAttention mha64(int e, int h) {
    return MultiheadAttention.builder(e, h).dtype(DType.FLOAT64).build();
  }

  @Test
  void initialisationHasPyTorchsDistributions() {
    Map<String, Golden.Case> g = AttentionGoldenTest.G;
    Generator.manualSeed(19);
    MultiheadAttention big = MultiheadAttention.builder(512, 8).addBiasKv(true).build();
    InitStats.check(g.get("init_in_proj_weight"), big.inProjWeight(), 0.01);
    InitStats.check(g.get("init_out_proj_weight"), big.outProj().weight(), 0.01);
    InitStats.check(g.get("init_bias_k"), big.biasK(), 0.15);
    InitStats.check(g.get("init_bias_v"), big.biasV(), 0.15);
    assertEquals(0.0, big.inProjBias().abs().sum().item());
    assertEquals(0.0, big.outProj().bias().abs().sum().item());
    MultiheadAttention sep = MultiheadAttention.builder(512, 8).kdim(256).vdim(128).build();
    InitStats.check(g.get("init_q_proj_weight"), sep.qProjWeight(), 0.02);
    InitStats.check(g.get("init_k_proj_weight"), sep.kProjWeight(), 0.02);
    InitStats.check(g.get("init_v_proj_weight"), sep.vProjWeight(), 0.02);
    assertNull(sep.inProjWeight());
    assertNull(big.qProjWeight());
    assertNull(new MultiheadAttention(8, 2).biasK());
    assertInstanceOf(Linear.class, big.outProj(), "NonDynamicallyQuantizableLinear is a Linear");
  }

  @Test
  void constructorChecks() {
    assertEquals("MultiheadAttention: num_heads must be a positive integer, got 0",
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(8, 0))
            .getMessage());
    MultiheadAttention m = MultiheadAttention.builder(12, 3).kdim(4).vdim(12).batchFirst(true)
        .dropout(0.25).addZeroAttn(true).build();
    assertEquals(4, m.headDim());
    assertEquals(4, m.kdim());
    assertEquals(12, m.vdim());
    assertTrue(m.batchFirst());
    assertTrue(m.addZeroAttn());
    assertEquals(0.25, m.dropout());
    assertEquals(3, m.numHeads());
    assertEquals(12, m.embedDim());
  }

  // ---------------------------------------------------------------- is_causal (PyTorch 2.x)

  @Test
  void isCausalIsAHintThatNeedsTheMask() {
    MultiheadAttention m = mha64(8, 2);
    Tensor x = rnd(1, 4, 2, 8);
    assertEquals("Need attn_mask if specifying the is_causal hint. You may use the Transformer"
            + " module method `generate_square_subsequent_mask` to create this mask.",
        assertThrows(IllegalArgumentException.class,
            () -> m.callOutput(x, x, x, D.withIsCausal(true))).getMessage());
    Tensor causal = Tensor.ones(Shape.of(4, 4), DType.FLOAT64, Device.CPU).triu(1).ne(0);
    AttentionOutput masked = m.callOutput(x, x, x, D.withAttnMask(causal));
    // with the weights asked for, the mask itself is used
    AttentionOutput hinted = m.callOutput(x, x, x, D.withAttnMask(causal).withIsCausal(true));
    assertTensorClose(masked.output(), hinted.output(), "need_weights: the mask");
    assertTensorClose(masked.weights(), hinted.weights(), "weights");
    // without weights and key padding mask, 2.x runs causal attention and ignores the mask's values
    Tensor notCausal = Tensor.zeros(Shape.of(4, 4), DType.FLOAT64, Device.CPU);
    AttentionOutput fast =
        m.callOutput(x, x, x, D.withAttnMask(notCausal).withIsCausal(true).withNeedWeights(false));
    assertTensorClose(masked.output(), fast.output(), "need_weights=False: the causal mask");
    assertNull(fast.weights());
    // with a key padding mask the given mask is merged, as without the hint
    Tensor kpm = Tensor.fromArray(new boolean[] {false, false, true, false, false, false, false,
        true}, 2, 4);
    AttentionOutput a = m.callOutput(x, x, x,
        D.withAttnMask(notCausal).withKeyPaddingMask(kpm).withIsCausal(true).withNeedWeights(false));
    AttentionOutput b = m.callOutput(x, x, x,
        D.withAttnMask(notCausal).withKeyPaddingMask(kpm).withNeedWeights(false));
    assertTensorClose(b.output(), a.output(), "key padding mask: the given mask");
  }

  // ---------------------------------------------------------------- keyword arguments and hooks

  @Test
  void keywordArgumentsAreParsedAsPyTorchsAndHooksSeeThem() {
    MultiheadAttention m = mha64(8, 2);
    Tensor q = rnd(2, 3, 2, 8);
    Tensor k = rnd(3, 5, 2, 8);
    Tensor v = rnd(4, 5, 2, 8);
    Tensor kpm = Tensor.fromArray(new boolean[] {false, true, false, false, false, false, false,
        false, true, false}, 2, 5);
    Tensor mask = rnd(5, 3, 5);
    List<Map<String, Object>> seen = new ArrayList<>();
    m.registerForwardPreHookWithKwargs((mod, args, kwargs) -> {
      seen.add(new LinkedHashMap<>(kwargs));
      return null;
    });
    AttentionOutput typed = m.callOutput(q, k, v,
        D.withKeyPaddingMask(kpm).withAttnMask(mask).withAverageAttnWeights(false));
    assertEquals(List.of("key_padding_mask", "attn_mask", "average_attn_weights"),
        new ArrayList<>(seen.get(0).keySet()));
    Map<String, Object> kw = new LinkedHashMap<>();
    kw.put("attn_mask", mask);
    kw.put("average_attn_weights", false);
    AttentionOutput positional = m.callOutput(List.of(q, k, v, kpm), kw);
    assertArrayEquals(typed.output().toDoubleArray(), positional.output().toDoubleArray());
    assertArrayEquals(typed.weights().toDoubleArray(), positional.weights().toDoubleArray());
    assertEquals(List.of(2L, 2L, 3L, 5L), List.of(typed.weights().size(0),
        typed.weights().size(1), typed.weights().size(2), typed.weights().size(3)));
    kw.put("need_weights", false);
    kw.put("key_padding_mask", kpm);
    assertNull(m.callOutput(List.of(q, k, v), kw).weights());
    AttentionOutput viaVarargs = m.callOutput(q, k, v, kpm);
    assertArrayEquals(
        m.callOutput(q, k, v, D.withKeyPaddingMask(kpm)).output().toDoubleArray(),
        viaVarargs.output().toDoubleArray());

    assertEquals("MultiheadAttention.forward() got an unexpected keyword argument 'mask'",
        assertThrows(IllegalArgumentException.class,
            () -> m.callOutput(List.of(q, k, v), Map.of("mask", mask))).getMessage());
    assertEquals(
        "MultiheadAttention.forward() got multiple values for argument 'key_padding_mask'",
        assertThrows(IllegalArgumentException.class,
            () -> m.callOutput(List.of(q, k, v, kpm), Map.of("key_padding_mask", kpm)))
            .getMessage());
    assertEquals("MultiheadAttention.forward() missing 1 required positional argument: 'value'",
        assertThrows(IllegalArgumentException.class, () -> m.callOutput(q, k)).getMessage());
    assertEquals("MultiheadAttention.forward(): need_weights must be a Boolean, got"
            + " java.lang.Integer",
        assertThrows(IllegalArgumentException.class,
            () -> m.callOutput(List.of(q, k, v), Map.of("need_weights", 1))).getMessage());
    Module asModule = m;
    assertThrows(IllegalStateException.class, () -> asModule.call(q, k, v),
        "a structured module's call refuses: its output is not a tensor");
  }

  // ---------------------------------------------------------------- dropout

  @Test
  void dropoutActsOnTheWeightsInTrainingOnly() {
    MultiheadAttention m = MultiheadAttention.builder(8, 2).dropout(0.5).dtype(DType.FLOAT64)
        .build();
    Tensor x = rnd(6, 40, 3, 8);
    m.eval();
    AttentionOutput e1 = m.callOutput(x, x, x);
    AttentionOutput e2 = m.callOutput(x, x, x);
    assertArrayEquals(e1.output().toDoubleArray(), e2.output().toDoubleArray(), "eval: no dropout");
    m.train();
    AttentionOutput t = m.callOutput(x, x, x, D.withAverageAttnWeights(false));
    double[] w = t.weights().toDoubleArray();
    m.eval();
    double[] we = m.callOutput(x, x, x, D.withAverageAttnWeights(false)).weights().toDoubleArray();
    int zeros = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] == 0) {
        zeros++;
      } else {
        assertEquals(2 * we[i], w[i], 1e-12, "kept weights are scaled by 1 / (1 - p)");
      }
    }
    // 3 * 2 * 40 * 40 = 9600 weights: the standard deviation of the dropped fraction is 0.005
    assertEquals(0.5, zeros / (double) w.length, 0.03, "half the weights dropped");
    assertFalse(java.util.Arrays.equals(e1.output().toDoubleArray(), t.output().toDoubleArray()));
  }

  // ---------------------------------------------------------------- masks

  /**
   * A float attention mask with a float key padding mask: PyTorch 1.13 fails (masked_fill with a
   * float mask), 2.x adds them; jnn adds them.
   */
  @Test
  void twoFloatMasksAreAdded() {
    MultiheadAttention m = mha64(8, 2);
    Tensor q = rnd(7, 3, 2, 8);
    Tensor k = rnd(8, 5, 2, 8);
    Tensor mask = rnd(9, 3, 5);
    Tensor kpm = rnd(10, 2, 5);
    AttentionOutput both = m.callOutput(q, k, k, D.withAttnMask(mask).withKeyPaddingMask(kpm));
    // the same as one [N * num_heads, L, S] mask holding the sum
    Tensor sum = mask.unsqueeze(0).add(kpm.reshape(2, 1, 1, 5))
        .expand(2, 2, 3, 5).reshape(4, 3, 5);
    AttentionOutput one = m.callOutput(q, k, k, D.withAttnMask(sum));
    assertTensorClose(one.output(), both.output(), "output");
    assertTensorClose(one.weights(), both.weights(), "weights");
  }

  @Test
  void batchFirstKeepsTheSelfAttentionIdentityAndMatchesSequenceFirst() {
    MultiheadAttention seqFirst = mha64(8, 2);
    MultiheadAttention batchFirst = MultiheadAttention.builder(8, 2).batchFirst(true)
        .dtype(DType.FLOAT64).build();
    batchFirst.loadStateDict(seqFirst.stateDict());
    Tensor x = rnd(11, 2, 4, 8).requiresGrad(true);
    AttentionOutput b = batchFirst.callOutput(x, x, x);
    Tensor xs = x.detach().transpose(0, 1).requiresGrad(true);
    AttentionOutput s = seqFirst.callOutput(xs, xs, xs);
    assertTensorClose(s.output().transpose(0, 1), b.output(), "output");
    assertTensorClose(s.weights(), b.weights(), "weights (never transposed)");
    b.output().sum().backward();
    s.output().sum().backward();
    assertTensorClose(xs.grad().transpose(0, 1), x.grad(), "gradient");
    assertSame(DType.FLOAT64, b.output().dtype());
  }
}
