package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.io.TorchCheckpoint;
import dev.jnn.nn.LoadResult;
import dev.jnn.nn.Module;
import dev.jnn.nn.StateDict;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The Transformer layers against PyTorch 1.13 ({@code scripts/golden/transformer.py}): reprs,
 * state-dict keys, forward outputs and every gradient (inputs and each parameter) with PyTorch's
 * weights for each option and mask combination, the square subsequent mask, a {@code
 * TransformerEncoder} state dict saved by {@code torch.save}, and PyTorch's error messages.
 */
class TransformerGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("transformer.txt");

  @TestFactory
  Stream<DynamicTest> reprMatchesPyTorch() {
    return TransformerZoo.ZOO.keySet().stream()
        .map(id -> DynamicTest.dynamicTest(id, () ->
            assertEquals(G.get("repr").text(id), TransformerZoo.create(id).toString(), id)));
  }

  @TestFactory
  Stream<DynamicTest> stateDictKeysMatchPyTorch() {
    return TransformerZoo.ZOO.keySet().stream()
        .map(id -> DynamicTest.dynamicTest(id, () -> assertEquals(
            G.get("keys").text(id), LayersGoldenTest.keysText(TransformerZoo.create(id)), id)));
  }

  @TestFactory
  Stream<DynamicTest> forwardBackwardMatchPyTorch() {
    return G.values().stream()
        .filter(c -> c.name().startsWith("fb_"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> TransformerZoo.checkForwardBackward(c)));
  }

  @Test
  void everyTrainableModuleHasGoldenCases() {
    for (String id : TransformerZoo.ZOO.keySet()) {
      if (!List.of("enc_default", "transformer_default", "pt_encoder").contains(id)) {
        assertTrue(G.values().stream().anyMatch(c -> c.name().startsWith("fb_" + id + "_")), id);
      }
    }
  }

  @Test
  void squareSubsequentMaskMatchesPyTorch() {
    for (int n : new int[] {1, 4}) {
      assertTensorClose(
          G.get("square_mask_" + n).tensor("mask"), Transformer.generateSquareSubsequentMask(n),
          "size " + n);
    }
  }

  @Test
  void encoderSavedByPyTorchLoadsStrictlyAndGivesPyTorchsOutputs() throws Exception {
    StateDict sd = TorchCheckpoint.loadStateDict(
        Path.of("src/jnn/test/resources/interop/transformer_encoder.pt"));
    Golden.Case c = G.get("pt_encoder");
    assertEquals(c.text("keys"), String.join("\n", sd.keySet()));
    Module enc = TransformerZoo.create("pt_encoder");
    LoadResult r = enc.loadStateDict(sd, true);
    assertEquals(List.of(), r.missingKeys());
    assertEquals(List.of(), r.unexpectedKeys());
    enc.eval();
    Tensor x = c.tensor("x");
    assertTensorClose(c.tensor("y"), enc.call(x), "eval output");
    Tensor mask = Transformer.generateSquareSubsequentMask(x.size(1));
    assertTensorClose(
        c.tensor("y_causal"), enc.call(List.of(x), Map.of("mask", mask)), "eval output, causal");
    assertEquals(new ArrayList<>(sd.keySet()), new ArrayList<>(enc.stateDict().keySet()));
  }

  @Test
  void errorMessagesMatchPyTorch() {
    Golden.Case c = G.get("errors");
    Map<String, Executable> cases = new LinkedHashMap<>();
    int e = TransformerZoo.E;
    TransformerEncoderLayer enc = new TransformerEncoderLayer(e, 2, 16, 0.0);
    Transformer tr = Transformer.builder().dModel(e).nhead(2).numEncoderLayers(1)
        .numDecoderLayers(1).dimFeedforward(16).dropout(0.0).build();
    cases.put("ctor_heads", () -> new TransformerEncoderLayer(e, 3));
    cases.put("ctor_activation",
        () -> TransformerEncoderLayer.builder(e, 2).activation("tanh").build());
    cases.put("enc_feature", () -> enc.call(Tensor.zeros(5, 2, 6)));
    cases.put("enc_mask_shape",
        () -> enc.call(List.of(Tensor.zeros(5, 2, e)), Map.of("src_mask", Tensor.zeros(4, 4))));
    cases.put("tr_batch", () -> tr.call(Tensor.zeros(5, 2, e), Tensor.zeros(4, 3, e)));
    cases.put("tr_feature", () -> tr.call(Tensor.zeros(5, 2, e), Tensor.zeros(4, 2, 6)));
    assertEquals(c.textKeys(), new ArrayList<>(cases.keySet()), "every PyTorch message checked");
    for (Map.Entry<String, Executable> en : cases.entrySet()) {
      assertEquals(c.text(en.getKey()),
          assertThrows(IllegalArgumentException.class, en.getValue()).getMessage(), en.getKey());
    }
  }
}
