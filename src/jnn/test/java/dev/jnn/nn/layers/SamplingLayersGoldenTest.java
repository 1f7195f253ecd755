package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.nn.Module;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The resampling layers and {@link Bilinear} against PyTorch 1.13 ({@code
 * scripts/golden/sampling_layers.py}): repr (PyTorch 2.x's {@code Upsample} repr, which the script
 * installs), state-dict keys, forward and backward on fixed weights, Bilinear's initialisation
 * statistics and error messages.
 */
class SamplingLayersGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("sampling_layers.txt");

  private static int[] i(int... v) {
    return v;
  }

  private static double[] d(double... v) {
    return v;
  }

  /** id -> constructor, as the script's ZOO. */
  static final Map<String, Supplier<Module>> ZOO = new LinkedHashMap<>();

  static {
    ZOO.put("up_nearest_scale", () -> new Upsample(null, d(2), "nearest"));
    ZOO.put("up_nearest_exact", () -> new Upsample(i(4, 5), null, "nearest-exact"));
    ZOO.put("up_linear", () -> new Upsample(i(6), null, "linear"));
    ZOO.put("up_bilinear_size", () -> new Upsample(i(5, 7), null, "bilinear"));
    ZOO.put("up_bilinear_align",
        () -> new Upsample(null, d(1.5, 2.0), "bilinear", true, null));
    ZOO.put("up_bicubic", () -> new Upsample(null, d(2), "bicubic"));
    ZOO.put("up_trilinear", () -> new Upsample(null, d(1.5), "trilinear", null, true));
    ZOO.put("up_area", () -> new Upsample(null, d(0.5), "area"));
    ZOO.put("upsampling_nearest2d", () -> new UpsamplingNearest2d(null, d(2)));
    ZOO.put("upsampling_bilinear2d", () -> new UpsamplingBilinear2d(i(5, 6), null));
    ZOO.put("bilinear", () -> new Bilinear(3, 4, 5));
    ZOO.put("bilinear_nobias", () -> new Bilinear(3, 4, 2, false));
    ZOO.put("bilinear_float64",
        () -> Bilinear.builder(3, 4, 2).dtype(dev.jnn.core.DType.FLOAT64).build());
  }

  @TestFactory
  Stream<DynamicTest> reprAndKeysMatchPyTorch() {
    return ZOO.keySet().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
      Module m = ZOO.get(id).get();
      assertEquals(G.get("repr").text(id), m.toString(), id);
      assertEquals(G.get("keys").text(id), LayersGoldenTest.keysText(m), id);
    }));
  }

  @TestFactory
  Stream<DynamicTest> forwardBackwardMatchPyTorch() {
    return G.values().stream().filter(c -> c.name().startsWith("fb_"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> checkForwardBackward(c)));
  }

  @Test
  void everyModuleHasAForwardBackwardCase() {
    for (String id : ZOO.keySet()) {
      assertTrue(G.containsKey("fb_" + id), id);
    }
  }

  private static void checkForwardBackward(Golden.Case c) {
    Module m = ZOO.get(c.attr("module")).get();
    Map<String, Tensor> sd = new LinkedHashMap<>();
    c.tensors().forEach((k, v) -> {
      if (k.startsWith("sd.")) {
        sd.put(k.substring(3), v);
      }
    });
    m.loadStateDict(sd);
    int n = c.intAttr("inputs");
    List<String> names = n == 1 ? List.of("x") : List.of("x1", "x2");
    List<Tensor> xs = new ArrayList<>();
    for (String nm : names) {
      Tensor x = c.tensor(nm).clone().detach();
      x.requiresGrad(true);
      xs.add(x);
    }
    Tensor y = m.call(xs.toArray(new Tensor[0]));
    assertTensorClose(c.tensor("y"), y, c.name() + " y");
    y.backward(c.tensor("gy"));
    for (int k = 0; k < n; k++) {
      assertNotNull(xs.get(k).grad(), c.name() + " g" + names.get(k));
      assertTensorClose(c.tensor("g" + names.get(k)), xs.get(k).grad(),
          c.name() + " g" + names.get(k));
    }
    for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
      if (e.getKey().startsWith("g.")) {
        Tensor g = m.getParameter(e.getKey().substring(2)).grad();
        assertNotNull(g, c.name() + " " + e.getKey());
        assertTensorClose(e.getValue(), g, c.name() + " " + e.getKey());
      }
    }
  }

  /** PyTorch's U(-1/sqrt(in1), 1/sqrt(in1)) for weight and bias: same bound and spread. */
  @Test
  void bilinearInitialisationMatchesPyTorchsDistribution() {
    Golden.Case c = G.get("init_bilinear");
    double bound = c.doubleAttr("bound");
    Bilinear m = new Bilinear(20, 30, 40);
    double[] w = m.weight().toDoubleArray();
    double[] b = m.bias().toDoubleArray();
    double sum = 0;
    double sq = 0;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : w) {
      sum += v;
      sq += v * v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / w.length;
    double std = Math.sqrt((sq - w.length * mean * mean) / (w.length - 1));
    assertTrue(min >= -bound && max <= bound, "weight within the bound");
    assertEquals(c.doubleAttr("weight_min"), min, 0.002);
    assertEquals(c.doubleAttr("weight_max"), max, 0.002);
    // 24,000 uniforms: the standard deviations agree to well under 2 %
    assertEquals(c.doubleAttr("weight_std"), std, 0.02 * bound);
    assertEquals(c.doubleAttr("weight_mean"), mean, 0.02 * bound);
    for (double v : b) {
      assertTrue(v >= -bound && v <= bound, "bias within the bound");
    }
    assertEquals(c.doubleAttr("bias_max") - c.doubleAttr("bias_min"),
        java.util.Arrays.stream(b).max().getAsDouble()
            - java.util.Arrays.stream(b).min().getAsDouble(), 0.3 * bound);
  }

  private static String message(Executable e) {
    return assertThrows(RuntimeException.class, e).getMessage();
  }

  @Test
  void errorsMatchPyTorch() {
    Golden.Case c = G.get("errors");
    Tensor x = Tensor.zeros(1, 1, 2, 2);
    assertEquals(c.text("up_both"),
        message(() -> new Upsample(i(4), d(2), "nearest").call(x)));
    assertEquals(c.text("up_neither"), message(() -> new Upsample(null, null, "nearest").call(x)));
    assertEquals(c.text("up_align_nearest"),
        message(() -> new Upsample(null, d(2), "nearest", true, null).call(x)));
    assertEquals(c.text("up_rank"),
        message(() -> new Upsample(null, d(2), "bilinear").call(Tensor.zeros(1, 2, 3))));
    // (a list in the script: jnn prints a size array as Python prints a list)
    assertEquals(c.text("up_size_len"),
        message(() -> new Upsample(i(2, 3, 4), null, "nearest").call(x)));
    assertEquals(c.text("bilinear_in1"),
        message(() -> new Bilinear(3, 4, 5).call(Tensor.zeros(2, 4), Tensor.zeros(2, 4))));
    assertEquals(c.text("bilinear_batch"),
        message(() -> new Bilinear(3, 4, 5).call(Tensor.zeros(2, 3), Tensor.zeros(3, 4))));
  }
}
