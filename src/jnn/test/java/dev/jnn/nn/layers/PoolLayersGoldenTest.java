package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.TensorWithIndices;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 20's pooling layers against PyTorch 1.13 ({@code scripts/golden/pool_layers.py}, whose
 * ZOO {@link #ZOO} mirrors): repr text byte for byte, forward (and the indices of {@code
 * return_indices=True}) and the input gradient, pool-then-unpool round trips (overlapping windows
 * included) and the layers' error messages.
 */
class PoolLayersGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("pool_layers.txt");

  static final Map<String, Supplier<Module>> ZOO = new LinkedHashMap<>();

  static {
    ZOO.put("maxpool1d", () -> new MaxPool1d(3));
    ZOO.put("maxpool1d_full",
        () -> MaxPool1d.builder(3).stride(2).padding(1).dilation(2).ceilMode(true).build());
    ZOO.put("avgpool1d", () -> new AvgPool1d(3));
    ZOO.put("avgpool1d_full", () -> AvgPool1d.builder(4).stride(2).padding(2).ceilMode(true)
        .countIncludePad(false).build());
    ZOO.put("maxpool3d", () -> new MaxPool3d(2));
    ZOO.put("maxpool3d_s", () -> new MaxPool3d(3, 2));
    ZOO.put("maxpool3d_full", () -> MaxPool3d.builder(2, 3, 2).stride(1, 2, 2).padding(1, 1, 0)
        .dilation(2, 1, 1).ceilMode(true).build());
    ZOO.put("avgpool3d", () -> new AvgPool3d(2));
    ZOO.put("avgpool3d_full", () -> AvgPool3d.builder(3, 2, 3).stride(2).padding(1, 1, 0)
        .ceilMode(true).countIncludePad(false).build());
    ZOO.put("avgpool3d_div",
        () -> AvgPool3d.builder(2).stride(1).padding(1).divisorOverride(5).build());
    ZOO.put("adaptivemax1d", () -> new AdaptiveMaxPool1d(4));
    ZOO.put("adaptivemax2d", () -> new AdaptiveMaxPool2d(3));
    ZOO.put("adaptivemax2d_tuple", () -> new AdaptiveMaxPool2d(5, 7));
    ZOO.put("adaptivemax2d_none", () -> new AdaptiveMaxPool2d(null, 3));
    ZOO.put("adaptivemax3d", () -> new AdaptiveMaxPool3d(2));
    ZOO.put("adaptivemax3d_none", () -> new AdaptiveMaxPool3d(3, null, 2));
    ZOO.put("adaptiveavg1d", () -> new AdaptiveAvgPool1d(3));
    ZOO.put("adaptiveavg3d", () -> new AdaptiveAvgPool3d(2));
    ZOO.put("adaptiveavg3d_tuple", () -> new AdaptiveAvgPool3d(1, 3, 2));
    ZOO.put("adaptiveavg3d_none", () -> new AdaptiveAvgPool3d(null, 2, null));
    ZOO.put("adaptiveavg3d_one", () -> new AdaptiveAvgPool3d(1));
    ZOO.put("unpool1d", () -> new MaxUnpool1d(3, 1, 0));
    ZOO.put("unpool2d", () -> new MaxUnpool2d(2));
    ZOO.put("unpool2d_overlap", () -> new MaxUnpool2d(3, 1, 1));
    ZOO.put("unpool3d", () -> new MaxUnpool3d(new int[] {2}, new int[] {1, 2, 2}, new int[] {0}));
    ZOO.put("lppool1d", () -> new LPPool1d(2.0, 3));
    ZOO.put("lppool1d_full", () -> new LPPool1d(1.5, 2, 3, true));
    ZOO.put("lppool2d", () -> new LPPool2d(2.0, 2));
    ZOO.put("lppool2d_full",
        () -> new LPPool2d(3.0, new int[] {3, 2}, new int[] {2, 1}, true));
  }

  /** The max pooling the unpooling cases invert, by the script's id. */
  static TensorWithIndices pool(String id, Tensor src) {
    return switch (id) {
      case "pool1d_s1" -> new MaxPool1d(3, 1).forwardWithIndices(src);
      case "pool2d" -> new MaxPool2d(2).forwardWithIndices(src);
      case "pool2d_overlap" -> MaxPool2d.builder(3).stride(1).padding(1).build()
          .forwardWithIndices(src);
      case "pool3d" -> MaxPool3d.builder(2).stride(1, 2, 2).build().forwardWithIndices(src);
      default -> throw new IllegalArgumentException(id);
    };
  }

  static TensorWithIndices withIndices(Module m, Tensor x) {
    if (m instanceof MaxPool1d p) {
      return p.forwardWithIndices(x);
    } else if (m instanceof MaxPool3d p) {
      return p.forwardWithIndices(x);
    } else if (m instanceof AdaptiveMaxPool1d p) {
      return p.forwardWithIndices(x);
    } else if (m instanceof AdaptiveMaxPool2d p) {
      return p.forwardWithIndices(x);
    } else if (m instanceof AdaptiveMaxPool3d p) {
      return p.forwardWithIndices(x);
    }
    throw new IllegalArgumentException(m.toString());
  }

  @TestFactory
  Stream<DynamicTest> reprMatchesPyTorch() {
    return ZOO.keySet().stream().map(id -> DynamicTest.dynamicTest(id,
        () -> assertEquals(G.get("repr").text(id), ZOO.get(id).get().toString(), id)));
  }

  @Test
  void everyLayerOfTheScriptIsMirrored() {
    assertEquals(G.get("repr").textKeys(), ZOO.keySet().stream().toList());
  }

  @TestFactory
  Stream<DynamicTest> forwardBackwardMatchPyTorch() {
    return G.values().stream().filter(c -> c.name().startsWith("fb_"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  static void check(Golden.Case c) {
    String what = c.name();
    Module m = ZOO.get(c.attr("module")).get();
    Tensor x = c.tensor("x").clone().detach().requiresGrad(true);
    Tensor y;
    if (c.has("src")) {
      TensorWithIndices p = pool(c.attr("pool"), c.tensor("src"));
      assertEquals(c.tensor("idx").toLongArray().length, p.indices().numel(), what);
      assertTensorClose(c.tensor("x"), p.output(), what + " pooled");
      assertTensorClose(c.tensor("idx"), p.indices(), what + " pooled indices");
      long[] os = null;
      if (!c.attr("output_size", "").isEmpty()) {
        os = java.util.Arrays.stream(c.intsAttr("output_size")).asLongStream().toArray();
      }
      y = os == null ? m.call(x, p.indices()) : forwardUnpool(m, x, p.indices(), os);
    } else {
      y = m.call(x);
      if (c.has("idx")) {
        TensorWithIndices r = withIndices(m, c.tensor("x"));
        assertTensorClose(c.tensor("y"), r.output(), what + " y (with indices)");
        assertTensorClose(c.tensor("idx"), r.indices(), what + " idx");
      }
    }
    assertTensorClose(c.tensor("y"), y, what + " y");
    // the same forward on an input that needs no gradient (1.13's max_pool1d takes another path)
    Tensor plain = c.tensor("x");
    Tensor y0 = c.has("src") ? null : m.call(plain);
    if (y0 != null) {
      assertTensorClose(c.tensor("y"), y0, what + " y (no grad)");
    }
    y.backward(c.tensor("gy"));
    assertTensorClose(c.tensor("gx"), x.grad(), what + " gx");
  }

  static Tensor forwardUnpool(Module m, Tensor x, Tensor idx, long[] os) {
    if (m instanceof MaxUnpool1d u) {
      return u.forward(x, idx, os);
    } else if (m instanceof MaxUnpool2d u) {
      return u.forward(x, idx, os);
    }
    return ((MaxUnpool3d) m).forward(x, idx, os);
  }

  static String message(Executable e) {
    return assertThrows(RuntimeException.class, e).getMessage();
  }

  @Test
  void hyperparametersReadBackWithPyTorchsDefaults() {
    assertEquals(3, new MaxPool1d(3).stride());
    assertEquals(1, new MaxPool1d(3).dilation());
    assertEquals(3, new AvgPool1d(3).stride());
    assertArrayEquals(new int[] {2, 3, 2}, MaxPool3d.builder(2, 3, 2).build().stride());
    assertArrayEquals(new int[] {0, 0, 0}, new AvgPool3d(2).padding());
    assertEquals(null, new AvgPool3d(2).divisorOverride());
    assertArrayEquals(new int[] {3, 3}, new MaxUnpool2d(3).stride());
    assertArrayEquals(new int[] {2, 2, 2}, new MaxUnpool3d(2).kernelSize());
    assertEquals(null, new LPPool2d(2.0, 2).stride());
    assertArrayEquals(new Integer[] {null, 3}, new AdaptiveMaxPool2d(null, 3).outputSize());
  }

  @Test
  void maxPool1dOfAnInputWithoutGradientMayBeEmpty() {
    Golden.Case c = G.get("maxpool1d_nograd_empty");
    Tensor y = Functional.maxPool1d(c.tensor("x"), 3);
    assertEquals(c.tensor("y").shape(), y.shape());
    assertEquals(G.get("errors").text("maxpool1d_grad_empty"),
        message(() -> Functional.maxPool1d(c.tensor("x").clone().requiresGrad(true), 3)));
  }

  @Test
  void errorsMatchPyTorch() {
    Golden.Case c = G.get("errors");
    assertEquals(c.text("maxpool1d_rank"),
        message(() -> new MaxPool1d(2).call(Tensor.zeros(1, 2, 3, 4))));
    assertEquals(c.text("avgpool1d_rank"),
        message(() -> new AvgPool1d(2).call(Tensor.zeros(1, 2, 3, 4))));
    assertEquals(c.text("maxpool3d_rank"),
        message(() -> new MaxPool3d(2).call(Tensor.zeros(2, 3, 4))));
    assertEquals(c.text("avgpool3d_small"),
        message(() -> new AvgPool3d(3).call(Tensor.zeros(1, 2, 2, 4, 4))));
    assertEquals(c.text("adaptivemax2d_none_rank"),
        message(() -> new AdaptiveMaxPool2d(null, 3).call(Tensor.zeros(4, 4))));
    assertEquals(c.text("adaptivemax3d_none_rank"),
        message(() -> new AdaptiveMaxPool3d(2, null, 3).call(Tensor.zeros(4, 4, 4))));
    assertEquals(c.text("adaptiveavg3d_rank"),
        message(() -> new AdaptiveAvgPool3d(2).call(Tensor.zeros(4, 4, 4))));
    TensorWithIndices p = new MaxPool2d(2).forwardWithIndices(Tensor.zeros(1, 1, 4, 4));
    assertEquals(c.text("unpool2d_size"),
        message(() -> new MaxUnpool2d(2).forward(p.output(), p.indices(), new long[] {9, 4})));
  }
}
