package dev.jnn.models;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.io.TorchCheckpoint;
import dev.jnn.nn.Module;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Identity;
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

/**
 * {@link Fusion} against PyTorch 1.13's {@code fuse_conv_bn_eval} ({@code scripts/golden/models.py},
 * cases {@code fuse_*}) and the whole-model pass against the unfused models.
 */
class FusionTest {
  static final Map<String, Golden.Case> G = ModelsGoldenTest.G;

  /** The modules of the golden script's FUSE table. */
  static final Map<String, Supplier<Module[]>> FUSE = new LinkedHashMap<>();

  static {
    FUSE.put("plain", () -> new Module[] {
        Conv2d.builder(3, 4, 3).bias(false).build(), new BatchNorm2d(4)});
    FUSE.put("bias_stride_pad", () -> new Module[] {
        Conv2d.builder(4, 6, 3).stride(2).padding(1).build(),
        BatchNorm2d.builder(6).eps(1e-3).build()});
    FUSE.put("depthwise_dilated", () -> new Module[] {
        Conv2d.builder(6, 6, 3).padding(2).dilation(2).groups(6).bias(false).build(),
        new BatchNorm2d(6)});
    FUSE.put("no_affine", () -> new Module[] {
        new Conv2d(2, 3, 1), BatchNorm2d.builder(3).affine(false).build()});
  }

  static Map<String, Tensor> prefixed(Golden.Case c, String prefix) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    c.tensors().forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        m.put(k.substring(prefix.length()), v);
      }
    });
    return m;
  }

  @TestFactory
  Stream<DynamicTest> fuseConvBnEvalMatchesPyTorch() {
    return FUSE.keySet().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      Golden.Case c = G.get("fuse_" + name);
      Module[] pair = FUSE.get(name).get();
      Conv2d conv = (Conv2d) pair[0];
      BatchNorm2d bn = (BatchNorm2d) pair[1];
      conv.loadStateDict(prefixed(c, "sd.conv."), true);
      bn.loadStateDict(prefixed(c, "sd.bn."), true);
      conv.eval();
      bn.eval();
      assertEquals(c.text("conv_repr"), conv.toString());
      Conv2d fused = Fusion.fuseConvBnEval(conv, bn);
      assertEquals(c.text("fused_repr"), fused.toString());
      assertTensorClose(c.tensor("weight"), fused.weight(), 1e-6, 1e-7, name + " weight");
      assertTensorClose(c.tensor("bias"), fused.bias(), 1e-6, 1e-7, name + " bias");
      try (NoGrad g = NoGrad.enter()) {
        assertTensorClose(c.tensor("y"), fused.call(c.tensor("x")), 1e-5, 1e-5, name + " y");
        assertTensorClose(c.tensor("y_unfused"), bn.call(conv.call(c.tensor("x"))), 1e-5, 1e-5,
            name + " unfused y");
      }
      // the inputs are left alone
      assertTensorClose(c.tensor("sd.conv.weight"), conv.weight(), 0, 0, "conv unchanged");
      assertEquals(conv.bias() == null, !c.has("sd.conv.bias"));
    }));
  }

  @Test
  void trainingModeIsRefusedWithPyTorchsMessage() {
    String msg = G.get("errors").text("fuse_training");
    Conv2d conv = new Conv2d(3, 4, 3);
    BatchNorm2d bn = new BatchNorm2d(4);
    assertEquals(msg, assertThrows(IllegalStateException.class,
        () -> Fusion.fuseConvBnEval(conv, bn)).getMessage());
    Module m = ModelZoo.create("resnet_basic_1111_c10");
    List<String> keys = new ArrayList<>(m.stateDict().keySet());
    m.eval();
    m.getSubmodule("layer2.0.bn1").train();
    assertEquals(msg, assertThrows(IllegalStateException.class,
        () -> Fusion.fuseConvBn(m)).getMessage());
    assertEquals(keys, new ArrayList<>(m.stateDict().keySet()), "nothing changed");
  }

  @Test
  void mismatchedPairIsRefusedNamingTheShapes() {
    Conv2d conv = new Conv2d(3, 4, 3);
    BatchNorm2d bn = new BatchNorm2d(5);
    conv.eval();
    bn.eval();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Fusion.fuseConvBnEval(conv, bn));
    assertEquals("fuse_conv_bn_eval: BatchNorm2d(5) cannot follow a Conv2d with 4 output"
        + " channels (weight [4, 3, 3, 3])", e.getMessage());
  }

  @Test
  void fusedModelsGiveTheUnfusedOutputs() throws Exception {
    Golden.Case pt = G.get("pt_mobilenet");
    Module mb = MobileNetV2.builder().widthMult(0.25).numClasses(10).build();
    mb.loadStateDict(TorchCheckpoint.loadStateDict(ModelsGoldenTest.PT), true);
    checkFusion(mb, pt.tensor("x"));
    for (String id : List.of("resnet_basic_1111_c10", "resnet_bottleneck_opts")) {
      Module m = ModelZoo.create(id);
      FormulaWeights.load(m);
      checkFusion(m, FormulaWeights.input(2, 3, 32, 32));
    }
  }

  private static void checkFusion(Module m, Tensor x) {
    m.eval();
    long bns = m.modules().stream().filter(BatchNorm2d.class::isInstance).count();
    try (NoGrad g = NoGrad.enter()) {
      Tensor before = m.call(x);
      assertEquals(bns, Fusion.fuseConvBn(m), "every batch norm follows a convolution");
      assertTrue(m.modules().stream().noneMatch(BatchNorm2d.class::isInstance));
      assertEquals(bns, m.modules().stream().filter(Identity.class::isInstance).count());
      assertTrue(m.stateDict().keySet().stream().noneMatch(k -> k.contains("running_mean")));
      double scale = 1;
      for (double v : before.toDoubleArray()) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTensorClose(before, m.call(x), 1e-5, 1e-5 * scale, "fused vs unfused");
      assertEquals(0, Fusion.fuseConvBn(m), "nothing left to fuse");
    }
  }
}
