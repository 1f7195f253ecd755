package dev.jnn.models;

import dev.jnn.nn.Module;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The models of {@code scripts/golden/models.py}'s {@code ZOO}, by the same ids. */
public final class ModelZoo {
  private ModelZoo() {}

  /** id -> constructor, as in the golden script. */
  public static final Map<String, Supplier<Module>> ZOO = new LinkedHashMap<>();

  static {
    ZOO.put("resnet18", ResNet::resnet18);
    ZOO.put("resnet34", ResNet::resnet34);
    ZOO.put("resnet50", ResNet::resnet50);
    ZOO.put("resnext50_32x4d", ResNet::resnext50_32x4d);
    ZOO.put("wide_resnet50_2", ResNet::wideResnet50_2);
    ZOO.put("resnet_basic_1111_c10",
        () -> ResNet.builder(ResNet.Block.BASIC, 1, 1, 1, 1).numClasses(10).build());
    ZOO.put("resnet_bottleneck_opts",
        () -> ResNet.builder(ResNet.Block.BOTTLENECK, 1, 2, 1, 1).numClasses(7)
            .zeroInitResidual(true).groups(2).widthPerGroup(16)
            .replaceStrideWithDilation(false, true, true).build());
    ZOO.put("mobilenet_v2", MobileNetV2::mobilenetV2);
    ZOO.put("mobilenet_v2_w025_c10",
        () -> MobileNetV2.builder().widthMult(0.25).numClasses(10).build());
    ZOO.put("mobilenet_v2_opts",
        () -> MobileNetV2.builder().numClasses(5).widthMult(0.5).roundNearest(4).dropout(0.3)
            .build());
    ZOO.put("vgg11", VGG::vgg11);
    ZOO.put("vgg11_bn", VGG::vgg11Bn);
    ZOO.put("vgg13", VGG::vgg13);
    ZOO.put("vgg16_bn", VGG::vgg16Bn);
    ZOO.put("vgg19", VGG::vgg19);
    ZOO.put("vgg11_bn_c10_d03", () -> VGG.of("A", true, 10, 0.3));
  }

  /** A new model for {@code id}. */
  public static Module create(String id) {
    Supplier<Module> s = ZOO.get(id);
    if (s == null) {
      throw new IllegalArgumentException("no model " + id);
    }
    return s.get();
  }
}
