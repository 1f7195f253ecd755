package dev.jnn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.nn.Module;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Linear;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * torchvision's initialisation (in distribution), its constructor errors and PyTorch's messages
 * for bad input, which leave the models' state unchanged.
 */
class ModelsBehaviourTest {
  static final Golden.Case ERRORS = ModelsGoldenTest.G.get("errors");

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double std(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }

  /** std within 5 % of {@code expected} and mean near 0 (tensors of at least 16k elements). */
  static void assertNormal(Tensor t, double expected, String what) {
    double[] v = t.toDoubleArray();
    assertTrue(Math.abs(std(v) / expected - 1) < 0.05, what + ": std " + std(v) + " vs " + expected);
    assertTrue(Math.abs(mean(v)) < 0.05 * expected, what + ": mean " + mean(v));
  }

  @Test
  void resnetIsInitialisedAsTorchvision() {
    ResNet r = ResNet.builder(ResNet.Block.BOTTLENECK, 1, 1, 1, 1).zeroInitResidual(true).build();
    // kaiming_normal_(mode="fan_out", nonlinearity="relu"): std = sqrt(2 / (C_out * kH * kW))
    Conv2d c = (Conv2d) r.getSubmodule("layer3.0.conv2");
    assertNormal(c.weight(), Math.sqrt(2.0 / (256 * 9)), "layer3.0.conv2");
    assertNormal(((Conv2d) r.getSubmodule("conv1")).weight(), Math.sqrt(2.0 / (64 * 49)), "conv1");
    for (Module m : r.modules()) {
      if (m instanceof Bottleneck b) {
        assertEquals(0.0, b.bn3().weight().abs().sum().item(), "zero_init_residual");
        BatchNorm2d bn2 = (BatchNorm2d) b.getSubmodule("bn2");
        assertEquals(bn2.numFeatures(), bn2.weight().sum().item(), 0.0, "other batch norms: 1");
      }
    }
    // fc keeps nn.Linear's default: U(-1/sqrt(2048), 1/sqrt(2048))
    double bound = 1 / Math.sqrt(2048);
    assertTrue(r.fc().weight().abs().max().item() <= bound);
    assertTrue(std(r.fc().weight().toDoubleArray()) > 0.9 * bound / Math.sqrt(3));
    ResNet plain = ResNet.builder(ResNet.Block.BASIC, 1, 1, 1, 1).build();
    assertEquals(64.0, ((BasicBlock) plain.getSubmodule("layer1.0")).bn2().weight().sum().item());
  }

  @Test
  void mobileNetAndVggAreInitialisedAsTorchvision() {
    MobileNetV2 m = MobileNetV2.builder().numClasses(100).build();
    Conv2d pw = (Conv2d) m.getSubmodule("features.18.0");
    assertNormal(pw.weight(), Math.sqrt(2.0 / 1280), "features.18.0 (fan_out)");
    Linear fc = (Linear) m.getSubmodule("classifier.1");
    assertNormal(fc.weight(), 0.01, "classifier.1");
    assertEquals(0.0, fc.bias().abs().sum().item());
    VGG v = VGG.of("A", true, 10, 0.5);
    Conv2d c = (Conv2d) v.getSubmodule("features.4");
    assertNormal(c.weight(), Math.sqrt(2.0 / (128 * 9)), "features.4");
    assertEquals(0.0, c.bias().abs().sum().item(), "conv bias 0");
    assertNormal(((Linear) v.getSubmodule("classifier.3")).weight(), 0.01, "classifier.3");
  }

  @Test
  void constructorErrorsAreTorchvisions() {
    Map<String, Executable> cases = new LinkedHashMap<>();
    cases.put("basic_groups", () -> new BasicBlock(64, 64, 1, null, 2, 64, 1));
    cases.put("basic_dilation", () -> new BasicBlock(64, 64, 1, null, 1, 64, 2));
    cases.put("resnet_basic_dilation", () -> ResNet.builder(ResNet.Block.BASIC, 1, 1, 1, 2)
        .replaceStrideWithDilation(false, false, true).build());
    cases.put("resnet_dilation_list", () -> ResNet.builder(ResNet.Block.BOTTLENECK, 1, 1, 1, 1)
        .replaceStrideWithDilation(false, true).build());
    cases.put("inverted_residual_stride", () -> new InvertedResidual(8, 8, 3, 6));
    cases.put("mobilenet_setting",
        () -> MobileNetV2.builder().invertedResidualSetting(new int[][] {{1, 16, 1}}).build());
    for (Map.Entry<String, Executable> e : cases.entrySet()) {
      RuntimeException ex = assertThrows(RuntimeException.class, e.getValue(), e.getKey());
      assertEquals(ERRORS.text(e.getKey()), ex.getMessage(), e.getKey());
    }
  }

  @Test
  void wrongInputsGivePyTorchsMessagesAndChangeNothing() {
    Map<String, Module> models = new LinkedHashMap<>();
    models.put("resnet_channels", ResNet.resnet18());
    models.put("mobilenet_channels", MobileNetV2.builder().widthMult(0.25).build());
    models.put("vgg_channels", VGG.vgg11());
    long[][] shapes = {{1, 4, 32, 32}, {1, 1, 32, 32}, {1, 2, 32, 32}};
    int i = 0;
    for (Map.Entry<String, Module> e : models.entrySet()) {
      Module m = e.getValue();
      m.train();
      Map<String, Tensor> before = new LinkedHashMap<>();
      m.stateDict().forEach((k, v) -> before.put(k, v.clone()));
      long[] shape = shapes[i++];
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> m.call(Tensor.zeros(shape)));
      assertEquals(ERRORS.text(e.getKey()), ex.getMessage(), e.getKey());
      IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
          () -> m.call(Tensor.zeros(3, 32, 32)));
      assertTrue(rank.getMessage().contains("but got [3, 32, 32]"), rank.getMessage());
      m.stateDict().forEach((k, v) -> assertEquals(0.0,
          v.toDouble().sub(before.get(k).toDouble()).abs().sum().item(), e.getKey() + " " + k));
    }
  }

  @Test
  void residualShapeMismatchNamesTheBlockAndShapes() {
    // a block whose shortcut cannot match: stride 2 without a downsample
    BasicBlock b = new BasicBlock(8, 8, 2, null, 1, 64, 1);
    b.eval();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b.call(Tensor.zeros(1, 8, 6, 6)));
    assertEquals("BasicBlock: the residual branch's output [1, 8, 3, 3] does not match the"
        + " shortcut's [1, 8, 6, 6]", e.getMessage());
  }
}
