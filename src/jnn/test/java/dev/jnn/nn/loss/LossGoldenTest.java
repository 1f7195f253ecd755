package dev.jnn.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.core.DType;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.nn.layers.LayerZoo;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The loss modules against PyTorch 1.13 ({@code scripts/golden/layers.py}): repr, state-dict keys
 * (the {@code weight} / {@code pos_weight} buffers), forward and backward for every reduction and
 * option, and error messages.
 */
class LossGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("layers.txt");
  static final Set<String> LOSS_PREFIXES = Set.of("ce", "nll", "mse", "l1", "bce");

  static boolean isLoss(String id) {
    return LOSS_PREFIXES.contains(id.split("_")[0]);
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

  @TestFactory
  Stream<DynamicTest> reprAndKeysMatchPyTorch() {
    return LayerZoo.ZOO.keySet().stream()
        .filter(LossGoldenTest::isLoss)
        .map(
            id ->
                DynamicTest.dynamicTest(
                    id,
                    () -> {
                      Module m = LayerZoo.create(id);
                      assertEquals(G.get("repr").text(id), m.toString(), id);
                      assertEquals(G.get("keys").text(id), keysText(m), id);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> forwardBackwardMatchPyTorch() {
    return G.values().stream()
        .filter(c -> c.name().startsWith("fb_") && isLoss(c.attr("module")))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> LayerZoo.checkForwardBackward(c)));
  }

  @Test
  void errorMessagesMatchPyTorch() {
    Golden.Case c = G.get("errors");
    assertEquals(
        c.text("ce_target"),
        message(
            () ->
                new CrossEntropyLoss()
                    .call(Tensor.zeros(2, 3), Tensor.fromArray(new long[] {0, 3}))));
    assertEquals(
        c.text("nll_target"),
        message(() -> new NLLLoss().call(Tensor.zeros(2, 3), Tensor.fromArray(new long[] {0, 5}))));
    assertEquals(c.text("loss_no_target"), message(() -> new MSELoss().call(Tensor.zeros(2))));
    assertEquals(
        c.text("bce_shape"),
        message(() -> new BCEWithLogitsLoss().call(Tensor.zeros(3), Tensor.zeros(2))));
  }

  @Test
  void optionsAreKeptAndWeightsAreBuffers() {
    Tensor w = Tensor.fromArray(new float[] {1f, 2f, 3f});
    CrossEntropyLoss ce =
        CrossEntropyLoss.builder()
            .weight(w)
            .ignoreIndex(2)
            .reduction(Reduction.SUM)
            .labelSmoothing(0.2)
            .build();
    assertSame(w, ce.weight());
    assertEquals(2, ce.ignoreIndex());
    assertEquals(Reduction.SUM, ce.reduction());
    assertEquals(0.2, ce.labelSmoothing());
    assertEquals(List.of("weight"), List.copyOf(ce.stateDict().keySet()));
    assertNull(new CrossEntropyLoss().weight());
    assertEquals(List.of(), List.copyOf(new CrossEntropyLoss().stateDict().keySet()));
    assertEquals(Reduction.MEAN, new MSELoss().reduction());
    // weights move with the module
    ce.to(DType.FLOAT64);
    assertEquals(DType.FLOAT64, ce.weight().dtype());
    Tensor l = ce.call(Tensor.zeros(2, 3).toDouble(), Tensor.fromArray(new long[] {0, 1}));
    assertEquals(DType.FLOAT64, l.dtype());
    // sum: 0.8 * (w0 + w1) * log 3 + 0.2 / 3 * 2 * (w0 + w1 + w2) * log 3 = 3.2 log 3
    assertEquals(3.2 * Math.log(3), l.item(), 1e-12);
  }

  @Test
  void badOptionsFailAtConstruction() {
    assertEquals(
        "label_smoothing must be between 0.0 and 1.0. Got: 1.5",
        message(() -> CrossEntropyLoss.builder().labelSmoothing(1.5).build()));
    assertThrows(NullPointerException.class, () -> new MSELoss(null));
  }

  @Test
  void lossBackwardReachesInput() {
    Tensor x = Tensor.randn(4, 3).requiresGrad(true);
    Tensor t = Tensor.fromArray(new long[] {0, 2, 1, 2});
    new CrossEntropyLoss().call(x, t).backward();
    assertEquals(x.shape(), x.grad().shape());
    // the rows of d(CE)/dx sum to zero
    for (double s : x.grad().sum(1, false).toDoubleArray()) {
      assertEquals(0.0, s, 1e-6);
    }
  }
}
