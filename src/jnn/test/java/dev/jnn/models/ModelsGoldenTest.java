package dev.jnn.models;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.io.TorchCheckpoint;
import dev.jnn.nn.LoadResult;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.StateDict;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * ResNet, MobileNetV2 and VGG against torchvision 0.14 ({@code scripts/golden/models.py}): reprs,
 * state-dict keys and shapes of the full-size and small models, logits with formula weights
 * ({@link FormulaWeights}) in eval and training mode with gradients, and a state dict saved by
 * {@code torch.save} loaded strictly.
 */
class ModelsGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("models.txt");
  static final Path PT = Path.of("src/jnn/test/resources/models/mobilenet_v2_w025_c10.pt");

  /** "key [shape] dtype" lines, as keys_text() in the golden script. */
  static String keysText(Module m) {
    List<String> lines = new ArrayList<>();
    m.stateDict().forEach((k, v) ->
        lines.add(k + " " + v.shape() + " " + v.dtype().torchName()));
    return String.join("\n", lines);
  }

  /** |a - e| <= 1e-4 * max(1, max |e|) + 1e-4 |e|: logits within 1e-4 of torchvision's scale. */
  static void assertLogitsClose(Tensor expected, Tensor actual, String what) {
    double scale = 1;
    for (double v : expected.toDoubleArray()) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertTensorClose(expected, actual, 1e-4, 1e-4 * scale, what);
  }

  @TestFactory
  Stream<DynamicTest> reprsAndKeysMatchTorchvision() {
    return ModelZoo.ZOO.keySet().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
      Module m = ModelZoo.create(id);
      assertEquals(G.get("repr").text(id), m.toString(), id + " repr");
      assertEquals(G.get("keys").text(id), keysText(m), id + " keys");
    }));
  }

  @Test
  void everyModelOfTheGoldenScriptIsInTheZoo() {
    assertEquals(G.get("repr").textKeys(), new ArrayList<>(ModelZoo.ZOO.keySet()));
  }

  @TestFactory
  Stream<DynamicTest> formulaWeightsGiveTorchvisionsLogits() {
    return G.values().stream().filter(c -> c.name().startsWith("formula_"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> checkFormula(c)));
  }

  static void checkFormula(Golden.Case c) {
    Module m = ModelZoo.create(c.attr("model"));
    FormulaWeights.load(m);
    int[] xs = c.intsAttr("x");
    Tensor x = FormulaWeights.input(xs[0], xs[1], xs[2], xs[3]);
    m.eval();
    try (NoGrad g = NoGrad.enter()) {
      assertLogitsClose(c.tensor("y"), m.call(x), c.name() + " eval");
    }
    if (!c.has("y_train")) {
      return;
    }
    m.train();
    Tensor xg = x.detach().requiresGrad(true);
    Tensor y = m.call(xg);
    assertLogitsClose(c.tensor("y_train"), y, c.name() + " train");
    Module bn1 = m.getSubmodule("bn1");
    assertTensorClose(c.tensor("rm"), bn1.getBuffer("running_mean"), 1e-4, 1e-5, "running_mean");
    assertTensorClose(c.tensor("rv"), bn1.getBuffer("running_var"), 1e-4, 1e-5, "running_var");
    y.mul(c.tensor("gy")).sum().backward();
    assertLogitsClose(c.tensor("g.x.corner8"),
        xg.grad().narrow(2, 0, 8).narrow(3, 0, 8), c.name() + " grad x");
    for (String k : c.attr("grads").split(" ")) {
      assertLogitsClose(c.tensor("g." + k), m.getParameter(k).grad(), c.name() + " grad " + k);
    }
  }

  @Test
  void mobileNetSavedByTorchvisionLoadsStrictlyAndGivesItsLogits() throws Exception {
    Golden.Case c = G.get("pt_mobilenet");
    StateDict sd = TorchCheckpoint.loadStateDict(PT);
    assertEquals(c.text("keys"), String.join("\n", sd.keySet()));
    MobileNetV2 m = MobileNetV2.builder().widthMult(0.25).numClasses(10).build();
    LoadResult r = m.loadStateDict(sd, true);
    assertEquals(List.of(), r.missingKeys());
    assertEquals(List.of(), r.unexpectedKeys());
    m.eval();
    try (NoGrad g = NoGrad.enter()) {
      assertTensorClose(c.tensor("y"), m.call(c.tensor("x")), 1e-4, 1e-6, "eval logits");
    }
    assertEquals(new ArrayList<>(sd.keySet()), new ArrayList<>(m.stateDict().keySet()));
  }

  /**
   * Eval-mode backward (batch norm affine, so no gradient cancels exactly) reaches every
   * parameter of models whose gradients the golden cases do not cover.
   */
  @Test
  void backwardReachesEveryParameter() {
    for (String id : List.of("mobilenet_v2_opts", "vgg11_bn_c10_d03")) {
      Module m = ModelZoo.create(id);
      m.eval();
      Tensor y = m.call(FormulaWeights.input(2, 3, 32, 32));
      y.pow(2).mean().backward();
      for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
        Tensor g = e.getValue().grad();
        assertNotNull(g, id + " " + e.getKey());
        assertEquals(e.getValue().shape(), g.shape(), id + " " + e.getKey());
        double sum = g.abs().sum().item();
        assertTrue(Double.isFinite(sum) && sum > 0, id + " " + e.getKey() + ": |grad| sums to " + sum);
      }
    }
  }

  /**
   * Training mode: dropout draws from the default generator (same seed, same output; another
   * seed, another output), batch norms update their running statistics, backward reaches the
   * input; eval mode is deterministic and leaves the statistics alone.
   */
  @Test
  void trainingModeUsesDropoutAndBatchStatistics() {
    for (String id : List.of("mobilenet_v2_opts", "vgg11_bn_c10_d03")) {
      Module m = ModelZoo.create(id);
      Tensor x = FormulaWeights.input(2, 3, 32, 32);
      String bn = id.startsWith("vgg") ? "features.1" : "features.0.1";
      Tensor rm0 = m.getSubmodule(bn).getBuffer("running_mean").clone();
      m.train();
      dev.jnn.tensor.Generator.manualSeed(5);
      Tensor a = m.call(x);
      dev.jnn.tensor.Generator.manualSeed(5);
      Tensor b = m.call(x);
      dev.jnn.tensor.Generator.manualSeed(6);
      Tensor c = m.call(x);
      assertEquals(0.0, a.sub(b).abs().max().item(), id + ": same seed, same dropout");
      assertTrue(a.sub(c).abs().max().item() > 0, id + ": dropout is active in training");
      Tensor rm1 = m.getSubmodule(bn).getBuffer("running_mean").clone();
      assertTrue(rm1.sub(rm0).abs().max().item() > 0, id + ": running mean updated");
      Tensor xg = x.detach().requiresGrad(true);
      m.call(xg).sum().backward();
      assertTrue(xg.grad().abs().sum().item() > 0, id + ": gradient reaches the input");
      m.eval();
      Tensor rm2 = m.getSubmodule(bn).getBuffer("running_mean").clone();
      try (NoGrad g = NoGrad.enter()) {
        Tensor e1 = m.call(x);
        Tensor e2 = m.call(x);
        assertEquals(0.0, e1.sub(e2).abs().max().item(), id + ": eval is deterministic");
      }
      assertTensorClose(rm2, m.getSubmodule(bn).getBuffer("running_mean"), 0, 0,
          id + ": eval leaves the running mean");
    }
  }
}
