package dev.jnn.nn.loss;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The loss modules of issue 20 against PyTorch 1.13 ({@code scripts/golden/losses.py}): repr,
 * state-dict keys, forward and backward through the module (its options and weight buffers, the
 * three-input modules, the spatial {@code CrossEntropyLoss} / {@code NLLLoss}), and the error
 * messages PyTorch gives at construction and at the call. The functional forms are covered by the
 * op registry.
 */
class LossModulesGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("losses.txt");

  private static Tensor w4() {
    return Tensor.ones(4);
  }

  /** The modules of the script's {@code ZOO}, by the same ids (weights loaded from the case). */
  static final Map<String, Supplier<Module>> ZOO = new LinkedHashMap<>();

  static {
    ZOO.put("bce", BCELoss::new);
    ZOO.put("bce_w_sum", () -> BCELoss.builder().weight(w4()).reduction(Reduction.SUM).build());
    ZOO.put("bce_none", () -> BCELoss.builder().reduction(Reduction.NONE).build());
    ZOO.put("sl1", SmoothL1Loss::new);
    ZOO.put("sl1_beta",
        () -> SmoothL1Loss.builder().reduction(Reduction.NONE).beta(0.5).build());
    ZOO.put("sl1_zero", () -> SmoothL1Loss.builder().reduction(Reduction.SUM).beta(0.0).build());
    ZOO.put("huber", HuberLoss::new);
    ZOO.put("huber_delta", () -> HuberLoss.builder().reduction(Reduction.SUM).delta(0.5).build());
    ZOO.put("kl", KLDivLoss::new);
    ZOO.put("kl_batchmean", () -> KLDivLoss.builder().reduction(Reduction.BATCHMEAN).build());
    ZOO.put("kl_log",
        () -> KLDivLoss.builder().reduction(Reduction.SUM).logTarget(true).build());
    ZOO.put("kl_none", () -> KLDivLoss.builder().reduction(Reduction.NONE).build());
    ZOO.put("poisson", PoissonNLLLoss::new);
    ZOO.put("poisson_full", () -> PoissonNLLLoss.builder().logInput(false).full(true).eps(1e-4)
        .reduction(Reduction.SUM).build());
    ZOO.put("gauss", GaussianNLLLoss::new);
    ZOO.put("gauss_full", () -> GaussianNLLLoss.builder().full(true).eps(1e-3)
        .reduction(Reduction.NONE).build());
    ZOO.put("cos", CosineEmbeddingLoss::new);
    ZOO.put("cos_margin",
        () -> CosineEmbeddingLoss.builder().margin(0.2).reduction(Reduction.NONE).build());
    ZOO.put("mr", MarginRankingLoss::new);
    ZOO.put("mr_margin",
        () -> MarginRankingLoss.builder().margin(0.5).reduction(Reduction.SUM).build());
    ZOO.put("hinge", HingeEmbeddingLoss::new);
    ZOO.put("hinge_margin",
        () -> HingeEmbeddingLoss.builder().margin(2.0).reduction(Reduction.NONE).build());
    ZOO.put("triplet", TripletMarginLoss::new);
    ZOO.put("triplet_opts", () -> TripletMarginLoss.builder().margin(0.5).p(1).eps(1e-4)
        .swap(true).reduction(Reduction.NONE).build());
    ZOO.put("mlsm", MultiLabelSoftMarginLoss::new);
    ZOO.put("mlsm_w", () -> MultiLabelSoftMarginLoss.builder().weight(w4())
        .reduction(Reduction.NONE).build());
    ZOO.put("mm", MultiMarginLoss::new);
    ZOO.put("mm_opts", () -> MultiMarginLoss.builder().p(2).margin(0.5).weight(w4())
        .reduction(Reduction.SUM).build());
    ZOO.put("soft", SoftMarginLoss::new);
    ZOO.put("soft_none", () -> new SoftMarginLoss(Reduction.NONE));
    ZOO.put("ce_spatial", () -> CrossEntropyLoss.builder().weight(w4()).ignoreIndex(1)
        .labelSmoothing(0.1).build());
    ZOO.put("ce_spatial_none", () -> CrossEntropyLoss.builder().reduction(Reduction.NONE).build());
    ZOO.put("ce_spatial_prob", () -> CrossEntropyLoss.builder().weight(w4())
        .reduction(Reduction.SUM).labelSmoothing(0.2).build());
    ZOO.put("nll_spatial", () -> NLLLoss.builder().weight(w4()).ignoreIndex(0)
        .reduction(Reduction.SUM).build());
    ZOO.put("nll_spatial_none", () -> NLLLoss.builder().reduction(Reduction.NONE).build());
  }

  /** jnn fuses log-softmax and NLL (LogSoftmaxNllLossBackward0), a recorded deviation. */
  private static boolean gradFnDeviates(String id) {
    return id.startsWith("ce_");
  }

  static String keysText(Module m) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
      lines.add(e.getKey() + " " + e.getValue().shape() + " " + e.getValue().dtype().torchName());
    }
    return String.join("\n", lines);
  }

  static String message(Executable e) {
    return assertThrows(RuntimeException.class, e).getMessage();
  }

  @Test
  void everyModuleOfTheScriptIsBuilt() {
    Set<String> ids = new HashSet<>();
    for (String k : G.get("repr").textKeys()) {
      ids.add(k);
    }
    assertEquals(ids, ZOO.keySet());
  }

  @TestFactory
  Stream<DynamicTest> reprAndKeysMatchPyTorch() {
    return ZOO.keySet().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
      Module m = ZOO.get(id).get();
      assertEquals(G.get("repr").text(id), m.toString(), id);
      assertEquals(G.get("keys").text(id), keysText(m), id);
    }));
  }

  @TestFactory
  Stream<DynamicTest> forwardBackwardMatchPyTorch() {
    return ZOO.keySet().stream()
        .map(id -> DynamicTest.dynamicTest(id, () -> forwardBackward(G.get("fb_" + id), id)));
  }

  private static void forwardBackward(Golden.Case c, String id) {
    assertNotNull(c, "no case fb_" + id);
    Module m = ZOO.get(id).get();
    Map<String, Tensor> sd = new LinkedHashMap<>();
    List<Tensor> xs = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
      if (e.getKey().startsWith("sd.")) {
        sd.put(e.getKey().substring(3), e.getValue());
      }
    }
    m.loadStateDict(sd);
    for (int k = 0; c.has("in" + k); k++) {
      xs.add(c.tensor("in" + k).clone().detach());
    }
    String grads = c.attr("grads").trim();
    Set<Integer> req = new HashSet<>();
    if (!grads.equals("-")) {
      for (String s : grads.split(" ")) {
        req.add(Integer.parseInt(s));
        xs.get(Integer.parseInt(s)).requiresGrad(true);
      }
    }
    Tensor y = m.call(xs.toArray(new Tensor[0]));
    assertTensorClose(c.tensor("y"), y, id + " y");
    if (!gradFnDeviates(id)) {
      assertEquals(c.attr("grad_fn").trim(), y.gradFn().name(), id + " grad_fn");
    }
    y.backward(c.tensor("gy"));
    for (int k = 0; k < xs.size(); k++) {
      if (!req.contains(k)) {
        continue;
      }
      Tensor g = xs.get(k).grad();
      if (c.has("gin" + k)) {
        assertNotNull(g, id + " gin" + k);
        assertTensorClose(c.tensor("gin" + k), g, id + " gin" + k);
      } else if (g != null) {
        for (double v : g.toDoubleArray()) {
          assertEquals(0.0, v, id + " gin" + k + ": PyTorch has no gradient");
        }
      }
    }
  }

  private static void assertMessage(String key, Executable e) {
    String expected = G.get("errors").text(key);
    String m = message(e);
    assertTrue(m.startsWith(expected), key + "\n  jnn:     " + m + "\n  PyTorch: " + expected);
  }

  @Test
  void errorMessagesMatchPyTorch() {
    Tensor z = Tensor.zeros(3);
    Tensor x34 = Tensor.randn(3, 4);
    Tensor p34 = Tensor.rand(3, 4);
    Tensor labels = Tensor.ones(3, 4);
    assertMessage("mm_p3", () -> MultiMarginLoss.builder().p(3).build());
    assertMessage("cos_no_args", () -> new CosineEmbeddingLoss().call());
    assertMessage("cos_one_arg", () -> new CosineEmbeddingLoss().call(z));
    assertMessage("cos_two_args", () -> new CosineEmbeddingLoss().call(z, z));
    assertMessage("cos_four_args", () -> new CosineEmbeddingLoss().call(z, z, z, z));
    assertMessage("triplet_two_args", () -> new TripletMarginLoss().call(z, z));
    assertMessage("gauss_one_arg", () -> new GaussianNLLLoss().call(z));
    assertMessage("mr_one_arg", () -> new MarginRankingLoss().call(z));
    assertMessage("bce_no_target", () -> new BCELoss().call(z));
    assertMessage("bce_weight_grad",
        () -> BCELoss.builder().weight(Tensor.ones(4).requiresGrad(true)).build().call(p34, p34));
    assertMessage("soft_target_grad",
        () -> new SoftMarginLoss().call(x34, labels.clone().requiresGrad(true)));
    assertMessage("mm_weight_grad",
        () -> MultiMarginLoss.builder().weight(Tensor.ones(4).requiresGrad(true)).build()
            .call(x34, Tensor.fromArray(new long[] {0, 1, 2})));
    assertMessage("mse_batchmean", () -> new MSELoss(Reduction.BATCHMEAN).call(x34, x34));
    assertMessage("sl1_batchmean",
        () -> SmoothL1Loss.builder().reduction(Reduction.BATCHMEAN).build().call(x34, x34));
    assertMessage("gauss_batchmean",
        () -> GaussianNLLLoss.builder().reduction(Reduction.BATCHMEAN).build().call(x34, x34, p34));
    assertMessage("bce_range", () -> new BCELoss().call(x34.mul(10.0), p34));
    assertMessage("sl1_beta", () -> SmoothL1Loss.builder().beta(-0.5).build().call(x34, x34));
    assertMessage("huber_delta", () -> HuberLoss.builder().delta(0.0).build().call(x34, x34));
    assertMessage("gauss_neg_var",
        () -> new GaussianNLLLoss().call(x34, x34, p34.sub(2.0)));
    assertMessage("gauss_var_size",
        () -> new GaussianNLLLoss().call(x34, x34, p34.narrow(1, 0, 2)));
    assertMessage("mm_out_of_range",
        () -> new MultiMarginLoss().call(x34, Tensor.fromArray(new long[] {0, 4, 1})));
    assertMessage("kl_int", () -> KLDivLoss.builder().reduction(Reduction.SUM).build()
        .call(x34, Tensor.ones(3, 4).to(DType.INT64)));
  }

  /** After PyTorch's text, jnn names the op and the shapes where PyTorch's message does not. */
  @Test
  void messagesNameTheOpAndTheShapes() {
    Tensor x34 = Tensor.randn(3, 4);
    Tensor var = Tensor.rand(4);
    Tensor v0 = var.clone();
    String m = message(() -> new GaussianNLLLoss().call(x34, x34, var));
    assertEquals(G.get("errors").text("gauss_var_size")
        + " (gaussian_nll_loss: input [3, 4] float32, var [4] float32)", m);
    assertEquals(v0.toString(), var.toString(), "var unchanged");
    assertTrue(message(() -> new BCELoss().call(x34.mul(10.0), Tensor.rand(3, 4)))
        .endsWith("(binary_cross_entropy: input [3, 4] float32)"));
    Tensor badTarget = Tensor.fromArray(new long[] {0, 4, 1});
    assertTrue(message(() -> new MultiMarginLoss().call(x34, badTarget))
        .endsWith("(multi_margin_loss: input [3, 4] float32, target [3] int64)"));
  }

  @Test
  void optionsAreKeptAndWeightsAreBuffers() {
    Tensor w = Tensor.fromArray(new float[] {1f, 2f, 3f});
    MultiMarginLoss mm = MultiMarginLoss.builder().p(2).margin(0.5).weight(w)
        .reduction(Reduction.SUM).build();
    assertSame(w, mm.weight());
    assertEquals(2, mm.p());
    assertEquals(0.5, mm.margin());
    assertEquals(Reduction.SUM, mm.reduction());
    assertEquals(List.of("weight"), List.copyOf(mm.stateDict().keySet()));
    assertNull(new BCELoss().weight());
    TripletMarginLoss t = TripletMarginLoss.builder().margin(0.5).p(1).eps(1e-3).swap(true)
        .build();
    assertEquals(List.of(0.5, 1.0, 1e-3, true), List.of(t.margin(), t.p(), t.eps(), t.swap()));
    PoissonNLLLoss pn = new PoissonNLLLoss();
    assertEquals(List.of(true, false, 1e-8), List.of(pn.logInput(), pn.full(), pn.eps()));
    assertEquals(1e-6, new GaussianNLLLoss().eps());
    assertEquals(1.0, new SmoothL1Loss().beta());
    assertEquals(1.0, new HuberLoss().delta());
    assertEquals(Reduction.MEAN, new KLDivLoss().reduction());
    // the weight moves with the module
    MultiLabelSoftMarginLoss ml = MultiLabelSoftMarginLoss.builder().weight(w).build();
    ml.to(DType.FLOAT64);
    assertEquals(DType.FLOAT64, ml.weight().dtype());
    assertEquals(DType.FLOAT64,
        ml.call(Tensor.zeros(2, 3).toDouble(), Tensor.ones(2, 3).toDouble()).dtype());
    assertThrows(NullPointerException.class, () -> new SoftMarginLoss(null));
  }
}
