package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jnn.core.DType;
import dev.jnn.nn.functional.AttentionOutput;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The modules of {@code scripts/golden/attention.py}'s {@code ZOO} table, by the same ids, and the
 * replay of its forward/backward cases.
 */
public final class AttentionZoo {
  private AttentionZoo() {}

  /** id to factory, in the script's order. */
  public static final Map<String, Supplier<MultiheadAttention>> ZOO = new LinkedHashMap<>();

  static {
    ZOO.put("mha", () -> new MultiheadAttention(8, 2));
    ZOO.put("mha_nobias", () -> MultiheadAttention.builder(8, 2).bias(false).build());
    ZOO.put("mha_biaskv", () -> MultiheadAttention.builder(8, 2).addBiasKv(true).build());
    ZOO.put("mha_zero", () -> MultiheadAttention.builder(8, 4).addZeroAttn(true).build());
    ZOO.put("mha_kvdim", () -> MultiheadAttention.builder(8, 2).kdim(5).vdim(3).build());
    ZOO.put("mha_bf", () -> MultiheadAttention.builder(6, 3).batchFirst(true).build());
    ZOO.put(
        "mha_all",
        () ->
            MultiheadAttention.builder(6, 2)
                .dropout(0.1)
                .bias(false)
                .addBiasKv(true)
                .addZeroAttn(true)
                .kdim(4)
                .vdim(5)
                .batchFirst(true)
                .build());
    ZOO.put("mha_drop1", () -> new MultiheadAttention(8, 2, 1.0));
    ZOO.put(
        "pt_mha",
        () -> MultiheadAttention.builder(8, 4).addBiasKv(true).kdim(6).vdim(5).batchFirst(true)
            .build());
  }

  /** The module of {@code id}. */
  public static MultiheadAttention create(String id) {
    Supplier<MultiheadAttention> f = ZOO.get(id);
    if (f == null) {
      throw new IllegalArgumentException("no attention module " + id);
    }
    return f.get();
  }

  /** The case's PyTorch weights ({@code sd.<key>}) loaded strictly into the module of its id. */
  static MultiheadAttention withWeights(Golden.Case c, String id) {
    MultiheadAttention m = create(id);
    if (c.attr("dtype", "float32").equals("float64")) {
      m.to(DType.FLOAT64);
    }
    Map<String, Tensor> sd = new LinkedHashMap<>();
    c.tensors().forEach((k, v) -> {
      if (k.startsWith("sd.")) {
        sd.put(k.substring(3), v);
      }
    });
    m.loadStateDict(sd);
    return m;
  }

  private static Tensor leaf(Golden.Case c, String key) {
    return c.tensor(key).clone().detach().requiresGrad(true);
  }

  /**
   * Replays one {@code fb_*} case through the module's hooked call with PyTorch's keyword
   * arguments: outputs, weights, and the gradients of the inputs and of every parameter.
   */
  public static void checkForwardBackward(Golden.Case c) {
    MultiheadAttention m = withWeights(c, c.attr("module"));
    m.train(c.intAttr("train") == 1);
    boolean self = c.intAttr("self") == 1;
    boolean kv = c.intAttr("kv") == 1;
    Tensor q = leaf(c, "q");
    Tensor k = self ? q : leaf(c, "k");
    Tensor v = self ? q : kv ? k : leaf(c, "v");
    MultiheadAttention.ForwardOptions o = MultiheadAttention.ForwardOptions.defaults()
        .withKeyPaddingMask(c.has("kpm") ? c.tensor("kpm") : null)
        .withAttnMask(c.has("mask") ? c.tensor("mask") : null)
        .withNeedWeights(c.intAttr("need_weights") == 1)
        .withAverageAttnWeights(c.intAttr("average") == 1);
    AttentionOutput out = m.callOutput(q, k, v, o);
    String what = c.name();
    assertTensorClose(c.tensor("y"), out.output(), what + " output");
    Tensor loss = out.output().mul(c.tensor("gy")).sum();
    if (c.has("w")) {
      assertTensorClose(c.tensor("w"), out.weights(), what + " weights");
      loss = loss.add(out.weights().mul(c.tensor("gw")).sum());
    } else {
      assertNull(out.weights(), what + ": no weights without need_weights");
    }
    loss.backward();
    assertTensorClose(c.tensor("gq"), q.grad(), what + " gq");
    if (!self) {
      assertTensorClose(c.tensor("gk"), k.grad(), what + " gk");
      if (!kv) {
        assertTensorClose(c.tensor("gv"), v.grad(), what + " gv");
      }
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
