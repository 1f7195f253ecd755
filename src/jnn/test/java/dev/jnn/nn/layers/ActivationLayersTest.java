package dev.jnn.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 20's activation layers beyond {@link LayersGoldenTest}'s reprs, state-dict keys and
 * forward/backward cases: the {@code inplace} modules, the constructor and forward checks with
 * PyTorch 1.13's texts ({@code scripts/golden/layers.py}, case {@code activation_errors}), and
 * PReLU's parameter.
 */
class ActivationLayersTest {
  private static final Golden.Case ERR = Golden.loadByName("layers.txt").get("activation_errors");

  private static String message(Executable e) {
    return assertThrows(RuntimeException.class, e).getMessage();
  }

  private static Tensor input() {
    return Tensor.randn(Shape.of(3, 4), DType.FLOAT32, new Generator(21)).mul(4.0);
  }

  @Test
  void inPlaceModulesWriteTheirInputAndComputeWhatTheOthersDo() {
    Map<String, Module> outOfPlace = Map.ofEntries(
        Map.entry("relu6_inplace", new ReLU6()),
        Map.entry("elu_opts", new ELU(0.5)),
        Map.entry("selu_inplace", new SELU()),
        Map.entry("celu_inplace", new CELU(2.0)),
        Map.entry("silu_inplace", new SiLU()),
        Map.entry("mish_inplace", new Mish()),
        Map.entry("hardswish_inplace", new Hardswish()),
        Map.entry("hardsigmoid_inplace", new Hardsigmoid()),
        Map.entry("hardtanh_inplace", new Hardtanh(-0.5, 0.5)),
        Map.entry("threshold_inplace", new Threshold(-0.5, 2.0)),
        Map.entry("leaky_inplace", new LeakyReLU(0.2)));
    outOfPlace.forEach((id, plain) -> {
      Tensor x = input();
      Tensor expected = plain.call(x);
      assertNotSame(x, expected, id);
      int v = x.version();
      assertSame(x, LayerZoo.create(id).call(x), id);
      assertArrayEquals(expected.toFloatArray(), x.toFloatArray(), id);
      assertEquals(v + 1, x.version(), id);
    });
  }

  @Test
  void constructorAndForwardChecksUsePyTorchsTexts() {
    assertEquals(ERR.text("alpha_dropout_p"), message(() -> new AlphaDropout(1.5)));
    assertEquals(ERR.text("feature_alpha_dropout_p"),
        message(() -> new FeatureAlphaDropout(-0.5)));
    assertEquals(ERR.text("feature_alpha_dropout_1d"),
        message(() -> new FeatureAlphaDropout().call(Tensor.zeros(3))));
    String rank = message(() -> new Softmax2d().call(Tensor.zeros(2, 3)));
    assertTrue(rank.startsWith(ERR.text("softmax2d_rank")) && rank.contains("[2, 3]"), rank);
    assertTrue(message(() -> new Softmax2d().call(Tensor.zeros(1, 2, 3, 4, 5)))
        .startsWith(ERR.text("softmax2d_rank")));
    assertEquals(ERR.text("prelu_channels"),
        message(() -> new PReLU(3).call(Tensor.zeros(2, 4))));
    assertEquals(ERR.text("prelu_dtype"), message(() -> Functional.prelu(Tensor.zeros(2, 3),
        Tensor.ones(Shape.of(3), DType.FLOAT64, Device.CPU))));
    assertEquals(ERR.text("glu_odd"), message(() -> new GLU().call(Tensor.zeros(2, 3))));
    assertEquals(ERR.text("softshrink_negative"),
        message(() -> new Softshrink(-0.5).call(Tensor.zeros(2))));
    assertEquals(ERR.text("celu_zero"), message(() -> new CELU(0.0).call(Tensor.zeros(2))));
    // PyTorch asserts max_val > min_val (an AssertionError without text): jnn names both
    assertEquals("Hardtanh: max_val (-1.0) must be greater than min_val (1.0)",
        message(() -> new Hardtanh(1.0, -1.0)));
    assertThrows(IllegalArgumentException.class, () -> new Hardtanh(0.5, 0.5, true));
    assertEquals("Trying to create tensor with negative dimension -1: [-1]",
        message(() -> new PReLU(-1)));
  }

  @Test
  void reluSixIsAHardtanhFromZeroToSix() {
    ReLU6 r = new ReLU6(true);
    assertInstanceOf(Hardtanh.class, r);
    assertEquals(0.0, r.minVal());
    assertEquals(6.0, r.maxVal());
    assertTrue(r.inplace());
  }

  @Test
  void preluLearnsOneSlopePerChannel() {
    PReLU m = new PReLU(3, 0.1);
    assertEquals(List.of("weight"), List.copyOf(m.stateDict().keySet()));
    assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f}, m.weight().toFloatArray());
    Tensor x = Tensor.fromArray(new float[] {-1, 2, -3, 4, -5, 6}, 1, 3, 2);
    Tensor y = m.call(x);
    assertArrayEquals(new float[] {-0.1f, 2, -0.3f, 4, -0.5f, 6}, y.toFloatArray(), 1e-6f);
    y.sum().backward();
    assertArrayEquals(new float[] {-1, -3, -5}, m.weight().grad().toFloatArray());
    PReLU d = new PReLU(2, 0.5, DType.FLOAT64, Device.CPU);
    assertEquals(DType.FLOAT64, d.weight().dtype());
    d.resetParameters();
    assertArrayEquals(new double[] {0.5, 0.5}, d.weight().toDoubleArray());
  }
}
