package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.nn.Module;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 20 part 1's convolution layers (and Fold, Unfold) against PyTorch 1.13 ({@code
 * scripts/golden/conv_layers.py}): repr text byte for byte, state-dict keys and shapes, forward
 * and backward on fixed weights (input, weight and bias gradients), a transposed convolution's
 * {@code output_size}, and PyTorch's error messages. The ids are the script's.
 */
class ConvLayersGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("conv_layers.txt");
  static final Map<String, Supplier<Module>> ZOO = new LinkedHashMap<>();

  static {
    ZOO.put("convt2d_doc",
        () -> ConvTranspose2d.builder(16, 33, 3, 5).stride(2, 1).padding(4, 2).build());
    ZOO.put("convt2d_default", () -> new ConvTranspose2d(2, 3, 3));
    ZOO.put("convt2d_full", () -> ConvTranspose2d.builder(4, 6, 3, 2).stride(2, 3).padding(1, 0)
        .outputPadding(1, 2).groups(2).dilation(1, 2).bias(false).build());
    ZOO.put("convt2d_up", () -> new ConvTranspose2d(3, 2, 3, 2, 1));
    ZOO.put("conv1d_default", () -> new Conv1d(3, 4, 3));
    ZOO.put("conv1d_full", () -> Conv1d.builder(4, 6, 3).stride(2).padding(2).dilation(2)
        .groups(2).bias(false).build());
    ZOO.put("conv1d_same", () -> Conv1d.builder(2, 3, 4).padding("same").dilation(2).build());
    ZOO.put("conv1d_valid", () -> Conv1d.builder(2, 3, 2).padding("valid").build());
    ZOO.put("conv1d_reflect",
        () -> Conv1d.builder(2, 3, 3).padding(2).paddingMode("reflect").build());
    ZOO.put("conv1d_replicate",
        () -> Conv1d.builder(2, 3, 3).padding(1).paddingMode("replicate").build());
    ZOO.put("conv1d_circular",
        () -> Conv1d.builder(2, 3, 2).padding(1).paddingMode("circular").build());
    ZOO.put("conv1d_same_circular",
        () -> Conv1d.builder(2, 3, 4).padding("same").paddingMode("circular").build());
    ZOO.put("convt1d_default", () -> new ConvTranspose1d(3, 2, 3));
    ZOO.put("convt1d_full", () -> ConvTranspose1d.builder(4, 6, 3).stride(2).padding(1)
        .outputPadding(1).groups(2).dilation(2).build());
    ZOO.put("conv3d_default", () -> new Conv3d(2, 3, 2));
    ZOO.put("conv3d_pos", () -> new Conv3d(2, 3, 3, 2, 1));
    ZOO.put("convt1d_pos", () -> new ConvTranspose1d(3, 2, 4, 2, 1));
    ZOO.put("conv3d_full", () -> Conv3d.builder(4, 4, 2, 3, 2).stride(2, 1, 2).padding(1, 1, 0)
        .dilation(2, 1, 1).groups(2).build());
    ZOO.put("conv3d_same", () -> Conv3d.builder(2, 2, 2, 3, 1).padding("same").build());
    ZOO.put("conv3d_reflect",
        () -> Conv3d.builder(2, 2, 2).padding(1, 0, 1).paddingMode("reflect").build());
    ZOO.put("conv3d_circular", () -> Conv3d.builder(2, 2, 2).padding(1).paddingMode("circular")
        .bias(false).build());
    ZOO.put("convt3d_default", () -> new ConvTranspose3d(2, 3, 2));
    ZOO.put("convt3d_full", () -> ConvTranspose3d.builder(2, 4, 2, 1, 2).stride(2, 1, 3)
        .padding(1, 0, 0).outputPadding(1, 0, 2).groups(2).dilation(1, 1, 2).build());
    ZOO.put("unfold_default", () -> new Unfold(new int[] {2, 3}));
    ZOO.put("unfold_full",
        () -> new Unfold(new int[] {2}, new int[] {2, 1}, new int[] {1}, new int[] {1, 2}));
    ZOO.put("fold_default", () -> new Fold(new int[] {4, 5}, new int[] {2}));
    ZOO.put("fold_full", () -> new Fold(new int[] {5}, new int[] {2, 3}, new int[] {1, 2},
        new int[] {1, 0}, new int[] {2}));
  }

  static final Map<String, Executable> ERRORS = new LinkedHashMap<>();

  static {
    ERRORS.put("convt_padding_mode",
        () -> ConvTranspose2d.builder(2, 3, 3).paddingMode("reflect").build());
    ERRORS.put("convt1d_padding_mode",
        () -> ConvTranspose1d.builder(2, 3, 3).paddingMode("circular").build());
    ERRORS.put("convt_groups", () -> ConvTranspose2d.builder(2, 3, 3).groups(2).build());
    ERRORS.put("convt_groups_zero", () -> ConvTranspose3d.builder(2, 4, 3).groups(0).build());
    ERRORS.put("conv1d_groups_in", () -> Conv1d.builder(3, 4, 3).groups(2).build());
    ERRORS.put("conv3d_same_strided",
        () -> Conv3d.builder(2, 2, 3).padding("same").stride(2).build());
    ERRORS.put("convt_output_size", () -> ConvTranspose2d.builder(2, 3, 3).stride(2).build()
        .forward(Tensor.zeros(1, 2, 4, 4), 12, 10));
    ERRORS.put("convt_output_size_unbatched", () -> ConvTranspose2d.builder(2, 3, 3).stride(2)
        .build().call(List.of(Tensor.zeros(2, 4, 4)), Map.of("output_size", new int[] {12, 10})));
    ERRORS.put("convt_output_size_len", () -> ConvTranspose2d.builder(2, 3, 3).stride(2).build()
        .forward(Tensor.zeros(1, 2, 4, 4), 10, 10, 10));
    ERRORS.put("convt_channels", () -> new ConvTranspose2d(2, 3, 3).call(Tensor.zeros(1, 3, 4, 4)));
    ERRORS.put("conv1d_rank", () -> Conv1d.builder(2, 3, 3).paddingMode("reflect").build()
        .call(Tensor.zeros(1, 2, 4, 4)));
    ERRORS.put("conv3d_rank", () -> new Conv3d(2, 3, 3).call(Tensor.zeros(2, 4, 4)));
    ERRORS.put("fold_blocks",
        () -> new Fold(new int[] {5, 5}, new int[] {2}).call(Tensor.zeros(1, 8, 15)));
    ERRORS.put("unfold_rank", () -> new Unfold(new int[] {2}).call(Tensor.zeros(1, 2, 3, 4, 5)));
  }

  static Module create(String id) {
    Supplier<Module> s = ZOO.get(id);
    assertNotNull(s, "no layer for id " + id);
    return s.get();
  }

  @TestFactory
  Stream<DynamicTest> reprAndKeysMatchPyTorch() {
    assertEquals(G.get("repr").textKeys(), List.copyOf(ZOO.keySet()));
    return ZOO.keySet().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
      Module m = create(id);
      assertEquals(G.get("repr").text(id), m.toString(), id);
      assertEquals(G.get("keys").text(id), LayersGoldenTest.keysText(m), id);
    }));
  }

  @TestFactory
  Stream<DynamicTest> forwardBackwardMatchPyTorch() {
    return G.values().stream().filter(c -> c.name().startsWith("fb_"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> checkForwardBackward(c)));
  }

  @TestFactory
  Stream<DynamicTest> errorsMatchPyTorch() {
    assertEquals(G.get("errors").textKeys(), List.copyOf(ERRORS.keySet()));
    return ERRORS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      RuntimeException x = assertThrows(RuntimeException.class, e.getValue());
      assertEquals(G.get("errors").text(e.getKey()), x.getMessage(), e.getKey());
    }));
  }

  static void checkForwardBackward(Golden.Case c) {
    Module m = create(c.attr("module"));
    Map<String, Tensor> sd = new LinkedHashMap<>();
    c.tensors().forEach((k, v) -> {
      if (k.startsWith("sd.")) {
        sd.put(k.substring(3), v);
      }
    });
    m.loadStateDict(sd);
    Tensor x = c.tensor("x").clone().detach().requiresGrad(true);
    Tensor y;
    if (c.attr("output_size", null) != null) {
      int[] size = c.intsAttr("output_size");
      y = m.call(List.of(x), Map.of("output_size", size));
    } else {
      y = m.call(x);
    }
    assertTensorClose(c.tensor("y"), y, c.name() + " y");
    y.backward(c.tensor("gy"));
    assertTensorClose(c.tensor("gx"), x.grad(), c.name() + " gx");
    c.tensors().forEach((k, v) -> {
      if (k.startsWith("g.")) {
        Tensor g = m.getParameter(k.substring(2)).grad();
        assertNotNull(g, c.name() + " " + k);
        assertTensorClose(v, g, c.name() + " " + k);
      }
    });
  }
}
