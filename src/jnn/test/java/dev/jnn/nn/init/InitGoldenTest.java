package dev.jnn.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link Init} against PyTorch 1.13's {@code torch.nn.init} ({@code scripts/golden/layers.py}):
 * gains, fans, error messages, and the distributions each initialiser produces.
 */
class InitGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("layers.txt");
  static final Shape W = Shape.of(256, 128, 3, 3); // fan_in 1152, fan_out 2304

  static Tensor empty() {
    return Tensor.empty(W, DType.FLOAT32, Device.CPU);
  }

  static String message(Executable e) {
    return assertThrows(RuntimeException.class, e).getMessage();
  }

  @Test
  void gainsMatchPyTorch() {
    Golden.Case c = G.get("gains");
    for (String nl :
        new String[] {
          "linear", "conv2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"
        }) {
      assertEquals(c.doubleAttr(nl), Init.calculateGain(nl), 1e-15, nl);
    }
    assertEquals(c.doubleAttr("leaky_relu_0.2"), Init.calculateGain("leaky_relu", 0.2), 1e-15);
    assertEquals(
        c.doubleAttr("leaky_relu_sqrt5"), Init.calculateGain("leaky_relu", Math.sqrt(5)), 1e-15);
    assertEquals(5.0 / 3, Init.calculateGain("tanh"));
    assertEquals(Math.sqrt(2), Init.calculateGain("relu"));
    assertEquals(1.0, Init.calculateGain("sigmoid", 7.0)); // param ignored
  }

  @Test
  void fansMatchPyTorch() {
    Golden.Case c = G.get("fans");
    for (long[] s : new long[][] {{3, 5}, {4, 3, 2, 2}, {2, 3, 4, 5, 6}, {7, 0}}) {
      StringBuilder key = new StringBuilder("fans_");
      for (int i = 0; i < s.length; i++) {
        key.append(i > 0 ? "x" : "").append(s[i]);
      }
      Init.Fans f = Init.calculateFanInAndFanOut(Tensor.zeros(s));
      assertEquals(c.attr(key.toString()), f.fanIn() + " " + f.fanOut(), key.toString());
    }
  }

  @Test
  void errorMessagesMatchPyTorch() {
    Golden.Case c = G.get("errors");
    assertEquals(c.text("init_fan_1d"), message(() -> Init.xavierUniform(Tensor.zeros(5))));
    assertEquals(
        c.text("init_mode"),
        message(() -> Init.kaimingUniform(Tensor.zeros(3, 4), 0, "fan_avg", "leaky_relu")));
    assertEquals(c.text("init_nonlinearity"), message(() -> Init.calculateGain("softplus")));
    assertEquals(
        c.text("init_kaiming_nonlinearity"),
        message(() -> Init.kaimingNormal(Tensor.zeros(3, 4), 0, "fan_in", "elu")));
  }

  @Test
  void distributionsMatchPyTorch() {
    Generator.manualSeed(11);
    InitStats.check(
        G.get("init_xavier_uniform"),
        Init.xavierUniform(empty(), Init.calculateGain("relu")),
        0.02);
    InitStats.check(G.get("init_xavier_normal"), Init.xavierNormal(empty(), 0.5), 0.02);
    InitStats.check(
        G.get("init_kaiming_uniform"), Init.kaimingUniform(empty(), 0, "fan_out", "relu"), 0.02);
    InitStats.check(G.get("init_kaiming_normal"), Init.kaimingNormal(empty(), 0.1), 0.02);
    InitStats.check(
        G.get("init_kaiming_normal_tanh"), Init.kaimingNormal(empty(), 0, "FAN_OUT", "tanh"), 0.02);
    InitStats.check(G.get("init_uniform"), Init.uniform(empty(), -2, 3), 0.02);
    InitStats.check(G.get("init_normal"), Init.normal(empty(), 1, 0.5), 0.02);
  }

  @Test
  void explicitGeneratorIsReproducible() {
    Tensor a = Init.kaimingUniform(empty(), Math.sqrt(5), "fan_in", "leaky_relu", new Generator(3));
    Tensor b = Init.kaimingUniform(empty(), Math.sqrt(5), "fan_in", "leaky_relu", new Generator(3));
    assertEquals(0.0, a.sub(b).abs().max().item());
    Tensor n1 = Init.xavierNormal(empty(), 1.0, new Generator(4));
    Tensor n2 = Init.xavierNormal(empty(), 1.0, new Generator(5));
    assertEquals(true, n1.sub(n2).abs().max().item() > 0);
  }
}
