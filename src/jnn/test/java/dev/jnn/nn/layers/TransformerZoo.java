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
 * The modules of {@code scripts/golden/transformer.py}'s {@code ZOO} table, by the same ids, and
 * the replay of its forward/backward cases.
 */
public final class TransformerZoo {
  private TransformerZoo() {}

  static final int E = 8;
  static final int H = 2;
  static final int FF = 16;

  /** id to factory, in the script's order. */
  public static final Map<String, Supplier<Module>> ZOO = new LinkedHashMap<>();

  static {
    ZOO.put("enc", () -> new TransformerEncoderLayer(E, H, FF, 0.0));
    ZOO.put("enc_nf_gelu_bf", () -> TransformerEncoderLayer.builder(E, H).dimFeedforward(FF)
        .dropout(0.0).activation("gelu").layerNormEps(1e-6).batchFirst(true).normFirst(true)
        .build());
    ZOO.put("enc_drop1", () -> new TransformerEncoderLayer(E, H, FF, 1.0));
    ZOO.put("enc_default", () -> new TransformerEncoderLayer(16, 4));
    ZOO.put("dec", () -> new TransformerDecoderLayer(E, H, FF, 0.0));
    ZOO.put("dec_nf_gelu_bf", () -> TransformerDecoderLayer.builder(E, H).dimFeedforward(FF)
        .dropout(0.0).activation("gelu").batchFirst(true).normFirst(true).build());
    ZOO.put("dec_drop1", () -> TransformerDecoderLayer.builder(E, H).dimFeedforward(FF)
        .dropout(1.0).normFirst(true).build());
    ZOO.put("encoder", () -> new TransformerEncoder(
        new TransformerEncoderLayer(E, H, FF, 0.0), 2, new LayerNorm(E)));
    ZOO.put("encoder_nonorm_bf", () -> new TransformerEncoder(
        TransformerEncoderLayer.builder(E, H).dimFeedforward(FF).dropout(0.0).batchFirst(true)
            .build(), 2));
    ZOO.put("decoder", () -> new TransformerDecoder(
        new TransformerDecoderLayer(E, H, FF, 0.0), 2, new LayerNorm(E)));
    ZOO.put("transformer", () -> Transformer.builder().dModel(E).nhead(H).numEncoderLayers(2)
        .numDecoderLayers(1).dimFeedforward(FF).dropout(0.0).build());
    ZOO.put("transformer_bf_nf_gelu", () -> Transformer.builder().dModel(E).nhead(H)
        .numEncoderLayers(1).numDecoderLayers(2).dimFeedforward(FF).dropout(0.0)
        .activation("gelu").layerNormEps(1e-6).batchFirst(true).normFirst(true).build());
    ZOO.put("transformer_default", () -> Transformer.builder().dModel(16).nhead(4)
        .numEncoderLayers(1).numDecoderLayers(1).dimFeedforward(32).build());
    ZOO.put("pt_encoder", () -> new TransformerEncoder(
        TransformerEncoderLayer.builder(16, 4).dimFeedforward(32).batchFirst(true).build(), 2,
        new LayerNorm(16)));
  }

  /** The module of {@code id}. */
  public static Module create(String id) {
    Supplier<Module> f = ZOO.get(id);
    if (f == null) {
      throw new IllegalArgumentException("no transformer module " + id);
    }
    return f.get();
  }

  /** The names of the positional inputs of a module kind, in PyTorch's order. */
  static List<String> positional(Module m) {
    if (m instanceof Transformer) {
      return List.of("src", "tgt");
    }
    if (m instanceof TransformerDecoderLayer || m instanceof TransformerDecoder) {
      return List.of("tgt", "memory");
    }
    return List.of("src");
  }

  /** PyTorch's weights of a case, as a state dict. */
  static Map<String, Tensor> stateDict(Golden.Case c) {
    Map<String, Tensor> sd = new LinkedHashMap<>();
    c.tensors().forEach((k, v) -> {
      if (k.startsWith("sd.")) {
        sd.put(k.substring(3), v);
      }
    });
    return sd;
  }

  /**
   * Runs a case's module with its inputs: the positional tensors positionally (as leaves that
   * require grad), the masks as keyword arguments, as the script called it.
   */
  static Tensor run(Module m, Golden.Case c, Map<String, Tensor> leaves) {
    List<Tensor> args = new ArrayList<>();
    for (String n : positional(m)) {
      Tensor leaf = c.tensor("in." + n).clone().detach().requiresGrad(true);
      leaves.put(n, leaf);
      args.add(leaf);
    }
    Map<String, Object> kwargs = new LinkedHashMap<>();
    c.tensors().forEach((k, v) -> {
      if (k.startsWith("in.") && !leaves.containsKey(k.substring(3))) {
        kwargs.put(k.substring(3), v);
      }
    });
    return m.call(args, kwargs);
  }

  /** Replays one {@code fb_*} case: PyTorch's weights, output, and all gradients. */
  public static void checkForwardBackward(Golden.Case c) {
    Module m = create(c.attr("module"));
    if (c.attr("dtype").equals("float64")) {
      m.to(DType.FLOAT64);
    }
    m.loadStateDict(stateDict(c));
    m.train(c.intAttr("train") == 1);
    Map<String, Tensor> leaves = new LinkedHashMap<>();
    Tensor y = run(m, c, leaves);
    String what = c.name();
    assertEquals(c.tensor("y").dtype(), y.dtype(), what + " dtype");
    assertTensorClose(c.tensor("y"), y, what + " y");
    y.mul(c.tensor("gy")).sum().backward();
    for (Map.Entry<String, Tensor> e : leaves.entrySet()) {
      assertTensorClose(c.tensor("g.in." + e.getKey()), e.getValue().grad(), what + " g." + e.getKey());
    }
    int grads = 0;
    for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
      if (e.getKey().startsWith("g.") && !e.getKey().startsWith("g.in.")) {
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
