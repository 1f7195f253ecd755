package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Behaviour of the Transformer layers beyond the golden values: float64 gradient checks of the
 * inputs and every parameter, PyTorch's argument binding and messages, the keyword arguments
 * their children's hooks see, the stacks' copies of the layer, module activations, custom
 * encoders, dropout modes, and that bad input changes no state.
 */
class TransformerLayersTest {
  static Tensor rnd(long seed, long... shape) {
    return Tensor.randn(Shape.of(shape), DType.FLOAT64, new Generator(seed));
  }

  static void gradcheck(Module m, List<Tensor> inputs, Map<String, Object> kwargs) {
    List<Tensor> all = new ArrayList<>(inputs);
    all.addAll(m.parameters());
    GradCheck.check(
        a -> m.call(a.subList(0, inputs.size()), kwargs), all.toArray(new Tensor[0]));
  }

  @Test
  void encoderLayerPassesGradcheckWithMasks() {
    TransformerEncoderLayer m = TransformerEncoderLayer.builder(4, 2).dimFeedforward(6)
        .dropout(0.0).activation("gelu").normFirst(true).dtype(DType.FLOAT64).build();
    Tensor kpm = Tensor.fromArray(new boolean[] {false, false, true, false, false, false}, 2, 3);
    gradcheck(m, List.of(rnd(1, 3, 2, 4).requiresGrad(true)),
        Map.of("src_mask", Transformer.generateSquareSubsequentMask(3, dev.jnn.core.Device.CPU,
            DType.FLOAT64), "src_key_padding_mask", kpm));
  }

  @Test
  void decoderLayerPassesGradcheck() {
    TransformerDecoderLayer m = TransformerDecoderLayer.builder(4, 2).dimFeedforward(6)
        .dropout(0.0).batchFirst(true).dtype(DType.FLOAT64).build();
    gradcheck(m, List.of(rnd(2, 2, 3, 4).requiresGrad(true), rnd(3, 2, 5, 4).requiresGrad(true)),
        Map.of());
  }

  @Test
  void stacksCopyTheLayerAsPyTorchsDeepcopy() {
    TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 6, 0.0);
    layer.eval();
    TransformerEncoder enc = new TransformerEncoder(layer, 3);
    assertEquals(3, enc.layers().size());
    assertEquals(3, enc.numLayers());
    assertNull(enc.norm());
    Map<String, Parameter> orig = layer.namedParameters();
    for (Module copy : enc.layers()) {
      assertNotSame(layer, copy);
      assertTrue(!copy.isTraining(), "the copy keeps the training mode");
      copy.namedParameters().forEach((k, p) -> {
        assertNotSame(orig.get(k), p, k);
        assertTensorClose(orig.get(k), p, k);
      });
    }
    // the copies are independent: changing one leaves the others
    Parameter w0 = enc.layers().get(0).getParameter("linear1.weight");
    w0.detach().fill(1.5);
    assertNotEquals(1.5, enc.layers().get(1).getParameter("linear1.weight").toDoubleArray()[0]);
    assertNotEquals(1.5, layer.getParameter("linear1.weight").toDoubleArray()[0]);
    assertEquals(new ArrayList<>(List.of("layers.0.self_attn.in_proj_weight")),
        enc.stateDict().keySet().stream().limit(1).toList());
  }

  @Test
  void childrenHooksSeePyTorchsKeywordArguments() {
    TransformerEncoder enc = new TransformerEncoder(new TransformerEncoderLayer(4, 2, 6, 0.0), 1);
    List<String> seen = new ArrayList<>();
    enc.layers().get(0).registerForwardPreHookWithKwargs((m, args, kwargs) -> {
      seen.add("layer " + args.size() + " " + kwargs.keySet());
      return null;
    });
    enc.layers().get(0).getSubmodule("self_attn").registerForwardPreHookWithKwargs(
        (m, args, kwargs) -> {
          seen.add("self_attn " + args.size() + " " + kwargs);
          return null;
        });
    enc.call(rnd(4, 3, 2, 4).toFloat());
    assertEquals(List.of("layer 1 [src_mask, src_key_padding_mask]",
        "self_attn 3 {attn_mask=null, key_padding_mask=null, need_weights=false}"), seen);
  }

  @Test
  void argumentBindingFollowsPython() {
    TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 6, 0.0);
    Tensor x = rnd(5, 3, 2, 4).toFloat();
    Tensor mask = Transformer.generateSquareSubsequentMask(3);
    // positional and keyword forms agree
    layer.eval();
    assertTensorClose(layer.call(x, mask, null),
        layer.call(List.of(x), Map.of("src_mask", mask)), "positional vs keyword");
    Map<String, Object> kw = new LinkedHashMap<>();
    kw.put("src_mask", mask);
    assertEquals("forward() got multiple values for argument 'src_mask'",
        assertThrows(IllegalArgumentException.class, () -> layer.call(List.of(x, mask), kw))
            .getMessage());
    assertEquals("forward() got an unexpected keyword argument 'mask'",
        assertThrows(IllegalArgumentException.class,
            () -> layer.call(List.of(x), Map.of("mask", mask))).getMessage());
    assertEquals("forward() missing 1 required positional argument: 'src'",
        assertThrows(IllegalArgumentException.class, () -> layer.call(List.of(), Map.of()))
            .getMessage());
    TransformerDecoderLayer dec = new TransformerDecoderLayer(4, 2, 6, 0.0);
    assertEquals("forward() missing 2 required positional arguments: 'tgt' and 'memory'",
        assertThrows(IllegalArgumentException.class, () -> dec.call(List.of(), Map.of()))
            .getMessage());
    assertEquals("forward() takes from 2 to 5 positional arguments but 6 were given",
        assertThrows(IllegalArgumentException.class, () -> layer.call(x, x, x, x, x))
            .getMessage());
    assertEquals("only bool and floating types of key_padding_mask are supported",
        assertThrows(IllegalArgumentException.class, () -> layer.call(List.of(x),
            Map.of("src_key_padding_mask", Tensor.zeros(Shape.of(2, 3), DType.INT64,
                dev.jnn.core.Device.CPU)))).getMessage());
  }

  @Test
  void moduleActivationIsAChildAndIsUsed() {
    GELU act = new GELU("tanh");
    TransformerEncoderLayer layer = TransformerEncoderLayer.builder(4, 2).dimFeedforward(6)
        .dropout(0.0).activation(act).build();
    assertSame(act, layer.getSubmodule("activation"));
    assertNull(layer.activation());
    assertTrue(layer.toString().contains("(activation): GELU(approximate='tanh')"),
        layer.toString());
    int[] calls = {0};
    act.registerForwardHook((m, in, out) -> {
      calls[0]++;
      return null;
    });
    layer.call(rnd(6, 3, 2, 4).toFloat());
    assertEquals(1, calls[0]);
    // and the layer computes with it: same as the "gelu" string only up to the approximation
    TransformerEncoderLayer exact = TransformerEncoderLayer.builder(4, 2).dimFeedforward(6)
        .dropout(0.0).activation("gelu").build();
    exact.loadStateDict(layer.stateDict());
    Tensor x = rnd(7, 3, 2, 4).toFloat();
    Tensor d = layer.call(x).sub(exact.call(x)).abs().max();
    assertTrue(d.item() > 0 && d.item() < 1e-2, "tanh approximation differs a little: " + d);
  }

  @Test
  void trainingDropoutIsRandomAndEvalIsDeterministic() {
    TransformerEncoderLayer layer = TransformerEncoderLayer.builder(8, 2).dimFeedforward(16)
        .dropout(0.5).build();
    Tensor x = rnd(8, 5, 2, 8).toFloat();
    Tensor a = layer.call(x);
    Tensor b = layer.call(x);
    assertTrue(a.sub(b).abs().max().item() > 1e-3, "dropout in training mode");
    layer.eval();
    assertTensorClose(layer.call(x), layer.call(x), "evaluation mode");
  }

  @Test
  void customEncoderIsUsedAndKeysFollowIt() {
    TransformerEncoder custom =
        new TransformerEncoder(new TransformerEncoderLayer(4, 2, 6, 0.0), 1);
    Transformer t = Transformer.builder().dModel(4).nhead(2).numDecoderLayers(1)
        .dimFeedforward(6).dropout(0.0).customEncoder(custom).build();
    assertSame(custom, t.encoder());
    assertTrue(t.stateDict().keySet().stream().noneMatch(k -> k.startsWith("encoder.norm.")));
    assertEquals(2, t.call(rnd(9, 3, 2, 4).toFloat(), rnd(10, 2, 2, 4).toFloat()).dim() - 1);
  }

  @Test
  void badInputChangesNoState() {
    Transformer t = Transformer.builder().dModel(4).nhead(2).numEncoderLayers(1)
        .numDecoderLayers(1).dimFeedforward(6).build();
    Map<String, Tensor> before = new LinkedHashMap<>();
    t.stateDict().forEach((k, v) -> before.put(k, v.clone()));
    assertThrows(IllegalArgumentException.class,
        () -> t.call(rnd(11, 3, 2, 4).toFloat(), rnd(12, 2, 3, 4).toFloat()));
    assertThrows(IllegalArgumentException.class, () -> TransformerDecoderLayer.builder(4, 2)
        .activation("swish").build());
    t.stateDict().forEach((k, v) -> assertTensorClose(before.get(k), v, k));
  }

  @Test
  void squareSubsequentMaskOnDeviceAndDtype() {
    Tensor m = Transformer.generateSquareSubsequentMask(3, dev.jnn.core.Device.CPU, DType.FLOAT64);
    assertEquals(DType.FLOAT64, m.dtype());
    double[] v = m.toDoubleArray();
    assertEquals(0.0, v[2 * 3 + 1]);
    assertEquals(Double.NEGATIVE_INFINITY, v[1 * 3 + 2]);
  }
}
