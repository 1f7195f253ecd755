package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.io.TorchCheckpoint;
import dev.jnn.nn.LoadResult;
import dev.jnn.nn.StateDict;
import dev.jnn.nn.functional.AttentionOutput;
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
 * {@link MultiheadAttention} against PyTorch 1.13 ({@code scripts/golden/attention.py}): reprs,
 * state-dict keys in order, outputs, weights and every gradient (query, key, value, each
 * parameter) for every option that changes the computation, 1.13's NaN rows, a state dict saved by
 * {@code torch.save}, and PyTorch's error messages.
 */
class AttentionGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("attention.txt");

  @TestFactory
  Stream<DynamicTest> reprMatchesPyTorch() {
    return AttentionZoo.ZOO.keySet().stream().map(id -> DynamicTest.dynamicTest(id,
        () -> assertEquals(G.get("repr").text(id), AttentionZoo.create(id).toString(), id)));
  }

  @TestFactory
  Stream<DynamicTest> stateDictKeysMatchPyTorch() {
    return AttentionZoo.ZOO.keySet().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
      MultiheadAttention m = AttentionZoo.create(id);
      assertEquals(G.get("keys").text(id), LayersGoldenTest.keysText(m), id);
      assertEquals(G.get("keys").intAttr("version_" + id),
          m.stateDict().metadata().get("").get("version"), id);
    }));
  }

  @TestFactory
  Stream<DynamicTest> forwardBackwardMatchPyTorch() {
    return G.values().stream()
        .filter(c -> c.name().startsWith("fb_"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> AttentionZoo.checkForwardBackward(c)));
  }

  @Test
  void everyModuleHasGoldenCases() {
    for (String id : AttentionZoo.ZOO.keySet()) {
      if (!id.equals("pt_mha")) {
        assertTrue(G.keySet().stream().anyMatch(n -> n.startsWith("fb_" + id + "_")), id);
      }
    }
  }

  /** A key padding mask that hides every key of a batch element: NaN there, as in 1.13. */
  @Test
  void rowsMaskedEverywhereAreNaNAsInPyTorch113() {
    Golden.Case c = G.get("nan_mha");
    MultiheadAttention m = AttentionZoo.withWeights(c, "mha");
    AttentionOutput out = m.callOutput(c.tensor("q"), c.tensor("k"), c.tensor("v"),
        MultiheadAttention.ForwardOptions.defaults().withKeyPaddingMask(c.tensor("kpm")));
    assertTensorClose(c.tensor("y"), out.output(), "output");
    assertTensorClose(c.tensor("w"), out.weights(), "weights");
    assertTrue(Double.isNaN(out.output().toDoubleArray()[8]), "batch element 1 is NaN");
  }

  @Test
  void stateDictSavedByPyTorchLoadsStrictlyAndGivesPyTorchsOutputs() throws Exception {
    StateDict sd = TorchCheckpoint.loadStateDict(Path.of("src/jnn/test/resources/interop/mha.pt"));
    Golden.Case c = G.get("pt_mha");
    assertEquals(c.text("keys"), String.join("\n", sd.keySet()));
    MultiheadAttention m = AttentionZoo.create("pt_mha");
    LoadResult r = m.loadStateDict(sd, true);
    assertEquals(List.of(), r.missingKeys());
    assertEquals(List.of(), r.unexpectedKeys());
    m.eval();
    AttentionOutput out = m.callOutput(c.tensor("q"), c.tensor("k"), c.tensor("v"),
        MultiheadAttention.ForwardOptions.defaults().withKeyPaddingMask(c.tensor("kpm")));
    assertTensorClose(c.tensor("y"), out.output(), "output");
    assertTensorClose(c.tensor("w"), out.weights(), "weights");
    assertEquals(new ArrayList<>(sd.keySet()), new ArrayList<>(m.stateDict().keySet()));
  }

  private static String message(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  private static Tensor z(long... dims) {
    return Tensor.zeros(dims);
  }

  private static Tensor zb(long... dims) {
    return Tensor.zeros(dims).ne(0);
  }

  @Test
  void errorMessagesMatchPyTorch() {
    Golden.Case c = G.get("errors");
    MultiheadAttention mha = new MultiheadAttention(8, 2);
    MultiheadAttention sep = MultiheadAttention.builder(8, 2).kdim(5).vdim(3).build();
    MultiheadAttention.ForwardOptions d = MultiheadAttention.ForwardOptions.defaults();
    Map<String, Executable> cases = new LinkedHashMap<>();
    cases.put("ctor_divisible", () -> new MultiheadAttention(8, 3));
    cases.put("key_rank", () -> mha.callOutput(z(3, 2, 8), z(4, 8), z(4, 2, 8)));
    cases.put("unbatched_key_rank", () -> mha.callOutput(z(3, 8), z(4, 2, 8), z(4, 8)));
    cases.put("query_rank", () -> mha.callOutput(z(1, 3, 2, 8), z(4, 2, 8), z(4, 2, 8)));
    cases.put("kpm_rank",
        () -> mha.callOutput(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), d.withKeyPaddingMask(zb(4))));
    cases.put("unbatched_kpm_rank",
        () -> mha.callOutput(z(3, 8), z(4, 8), z(4, 8), d.withKeyPaddingMask(zb(1, 4))));
    cases.put("mask_rank",
        () -> mha.callOutput(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), d.withAttnMask(z(4))));
    cases.put("unbatched_mask_rank",
        () -> mha.callOutput(z(3, 8), z(4, 8), z(4, 8), d.withAttnMask(z(1, 2, 3, 4))));
    cases.put("unbatched_mask3_shape",
        () -> mha.callOutput(z(3, 8), z(4, 8), z(4, 8), d.withAttnMask(z(2, 3, 5))));
    cases.put("mask2_shape",
        () -> mha.callOutput(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), d.withAttnMask(z(3, 5))));
    cases.put("mask3_shape",
        () -> mha.callOutput(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), d.withAttnMask(z(2, 3, 4))));
    cases.put("mask_dtype", () -> mha.callOutput(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8),
        d.withAttnMask(z(3, 4).toLong())));
    cases.put("kpm_dtype", () -> mha.callOutput(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8),
        d.withKeyPaddingMask(z(2, 4).toLong())));
    cases.put("kpm_shape", () -> mha.callOutput(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8),
        d.withKeyPaddingMask(zb(2, 5))));
    cases.put("embed_dim", () -> mha.callOutput(z(3, 2, 6), z(4, 2, 6), z(4, 2, 6)));
    cases.put("key_value_shape", () -> mha.callOutput(z(3, 2, 8), z(4, 2, 8), z(5, 2, 8)));
    cases.put("sep_key_value_dims", () -> sep.callOutput(z(3, 2, 8), z(4, 2, 5), z(5, 2, 3)));
    cases.put("sep_key_weights", () -> sep.callOutput(z(3, 2, 8), z(4, 2, 4), z(4, 2, 3)));
    cases.put("sep_value_weights", () -> sep.callOutput(z(3, 2, 8), z(4, 2, 5), z(4, 2, 6)));
    assertEquals(c.textKeys(), new ArrayList<>(cases.keySet()), "every PyTorch message checked");
    for (Map.Entry<String, Executable> e : cases.entrySet()) {
      assertEquals(c.text(e.getKey()), message(e.getValue()), e.getKey());
    }
  }
}
