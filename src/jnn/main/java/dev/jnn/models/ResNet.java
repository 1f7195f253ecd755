package dev.jnn.models;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.init.Init;
import dev.jnn.nn.layers.AdaptiveAvgPool2d;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Linear;
import dev.jnn.nn.layers.MaxPool2d;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's ResNet ({@code torchvision.models.resnet.ResNet}, 0.14): a 7x7 stem, four stages of
 * {@link BasicBlock}s or {@link Bottleneck}s ({@code layer1} ... {@code layer4}), global average
 * pooling and a linear classifier {@code fc}. Submodule names, state-dict keys ({@code
 * layer1.0.conv1.weight}, {@code layer2.0.downsample.1.running_mean}, ...), the repr and the
 * forward are torchvision's, so its saved state dicts load strictly.
 *
 * <p>Initialisation as torchvision: every convolution {@code kaiming_normal_(mode="fan_out",
 * nonlinearity="relu")}, batch norms weight 1 and bias 0, {@code fc} PyTorch's default {@code
 * Linear} initialisation; with {@code zeroInitResidual} the last batch norm of each block starts at
 * weight 0, so every block starts as the identity.
 *
 * <pre>{@code
 * ResNet r = ResNet.resnet50();                                   // 1000 ImageNet classes
 * ResNet small = ResNet.builder(ResNet.Block.BASIC, 1, 1, 1, 1).numClasses(10).build();
 * Tensor logits = r.call(Tensor.randn(1, 3, 224, 224));           // [1, 1000]
 * }</pre>
 *
 * @see <a href="https://pytorch.org/vision/0.14/models/resnet.html">torchvision ResNet</a>
 */
public final class ResNet extends Module {
  /** The residual block type ({@code block=BasicBlock} or {@code block=Bottleneck}). */
  public enum Block {
    /** {@link BasicBlock}: two 3x3 convolutions, {@code expansion = 1}. */
    BASIC(1),
    /** {@link Bottleneck}: 1x1, 3x3, 1x1 convolutions, {@code expansion = 4} (ResNet V1.5). */
    BOTTLENECK(4);

    private final int expansion;

    Block(int expansion) {
      this.expansion = expansion;
    }

    /** The block's {@code expansion}: output channels per {@code planes}. */
    public int expansion() {
      return expansion;
    }
  }

  private final Block block;
  private final int groups;
  private final int baseWidth;
  private int inplanes = 64;
  private int dilation = 1;

  private ResNet(Builder b) {
    if (b.layers.length != 4) {
      throw new IllegalArgumentException(
          "ResNet: layers should have 4 elements (blocks per stage), got " + Py.tuple(b.layers));
    }
    for (int n : b.layers) {
      if (n < 0) {
        throw new IllegalArgumentException(
            "ResNet: layers must be non-negative, got " + Py.tuple(b.layers));
      }
    }
    if (b.replaceStrideWithDilation.length != 3) {
      throw new IllegalArgumentException(
          "replace_stride_with_dilation should be None or a 3-element tuple, got "
              + pyList(b.replaceStrideWithDilation));
    }
    if (b.numClasses <= 0 || b.groups <= 0 || b.widthPerGroup <= 0) {
      throw new IllegalArgumentException("ResNet: num_classes, groups and width_per_group must be"
          + " positive, got " + b.numClasses + ", " + b.groups + ", " + b.widthPerGroup);
    }
    this.block = b.block;
    this.groups = b.groups;
    this.baseWidth = b.widthPerGroup;
    registerModule("conv1",
        Conv2d.builder(3, inplanes, 7).stride(2).padding(3).bias(false).build());
    registerModule("bn1", new BatchNorm2d(inplanes));
    registerModule("relu", new ReLU(true));
    registerModule("maxpool", MaxPool2d.builder(3).stride(2).padding(1).build());
    registerModule("layer1", makeLayer(64, b.layers[0], 1, false));
    registerModule("layer2", makeLayer(128, b.layers[1], 2, b.replaceStrideWithDilation[0]));
    registerModule("layer3", makeLayer(256, b.layers[2], 2, b.replaceStrideWithDilation[1]));
    registerModule("layer4", makeLayer(512, b.layers[3], 2, b.replaceStrideWithDilation[2]));
    registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
    registerModule("fc", new Linear(512 * block.expansion(), b.numClasses));
    for (Module m : modules()) {
      if (m instanceof Conv2d c) {
        Init.kaimingNormal(c.weight(), 0.0, "fan_out", "relu");
      } else if (m instanceof BatchNorm2d bn) {
        Init.constant(bn.weight(), 1);
        Init.constant(bn.bias(), 0);
      }
    }
    if (b.zeroInitResidual) {
      for (Module m : modules()) {
        if (m instanceof Bottleneck bl) {
          Init.constant(bl.bn3().weight(), 0);
        } else if (m instanceof BasicBlock bl) {
          Init.constant(bl.bn2().weight(), 0);
        }
      }
    }
  }

  private static String pyList(boolean[] v) {
    List<String> s = new ArrayList<>();
    for (boolean x : v) {
      s.add(Py.bool(x));
    }
    return "[" + String.join(", ", s) + "]";
  }

  /** torchvision's {@code _make_layer}: one stage of {@code blocks} blocks. */
  private Sequential makeLayer(int planes, int blocks, int stride, boolean dilate) {
    Module downsample = null;
    int previousDilation = dilation;
    if (dilate) {
      dilation *= stride;
      stride = 1;
    }
    int out = planes * block.expansion();
    if (stride != 1 || inplanes != out) {
      downsample = new Sequential(
          Conv2d.builder(inplanes, out, 1).stride(stride).bias(false).build(),
          new BatchNorm2d(out));
    }
    List<Module> layers = new ArrayList<>();
    layers.add(newBlock(inplanes, planes, stride, downsample, previousDilation));
    inplanes = out;
    for (int i = 1; i < blocks; i++) {
      layers.add(newBlock(inplanes, planes, 1, null, dilation));
    }
    return new Sequential(layers.toArray(new Module[0]));
  }

  private Module newBlock(int in, int planes, int stride, Module downsample, int dil) {
    return block == Block.BASIC
        ? new BasicBlock(in, planes, stride, downsample, groups, baseWidth, dil)
        : new Bottleneck(in, planes, stride, downsample, groups, baseWidth, dil);
  }

  /**
   * A builder for {@code ResNet(block, layers, ...)} with torchvision's options.
   *
   * @param block the residual block type
   * @param layers the number of blocks in each of the four stages, e.g. {@code 3, 4, 6, 3}
   * @return a builder with torchvision's defaults ({@code num_classes=1000})
   */
  public static Builder builder(Block block, int... layers) {
    return new Builder(block, layers);
  }

  /** {@code torchvision.models.resnet18()}: BasicBlock, {@code [2, 2, 2, 2]}, 1000 classes. */
  public static ResNet resnet18() {
    return builder(Block.BASIC, 2, 2, 2, 2).build();
  }

  /** {@code torchvision.models.resnet34()}: BasicBlock, {@code [3, 4, 6, 3]}, 1000 classes. */
  public static ResNet resnet34() {
    return builder(Block.BASIC, 3, 4, 6, 3).build();
  }

  /** {@code torchvision.models.resnet50()}: Bottleneck, {@code [3, 4, 6, 3]}, 1000 classes. */
  public static ResNet resnet50() {
    return builder(Block.BOTTLENECK, 3, 4, 6, 3).build();
  }

  /** {@code torchvision.models.resnet101()}: Bottleneck, {@code [3, 4, 23, 3]}. */
  public static ResNet resnet101() {
    return builder(Block.BOTTLENECK, 3, 4, 23, 3).build();
  }

  /** {@code torchvision.models.resnet152()}: Bottleneck, {@code [3, 8, 36, 3]}. */
  public static ResNet resnet152() {
    return builder(Block.BOTTLENECK, 3, 8, 36, 3).build();
  }

  /**
   * {@code torchvision.models.resnext50_32x4d()}: resnet50's layout with {@code groups=32,
   * width_per_group=4}.
   */
  public static ResNet resnext50_32x4d() {
    return builder(Block.BOTTLENECK, 3, 4, 6, 3).groups(32).widthPerGroup(4).build();
  }

  /** {@code torchvision.models.wide_resnet50_2()}: resnet50's layout, {@code width_per_group=128}. */
  public static ResNet wideResnet50_2() {
    return builder(Block.BOTTLENECK, 3, 4, 6, 3).widthPerGroup(128).build();
  }

  /**
   * torchvision's {@code _forward_impl}: stem, {@code maxpool}, the four stages, {@code avgpool},
   * {@code flatten(1)}, {@code fc}.
   *
   * @param x images {@code [N, 3, H, W]}
   * @return logits {@code [N, num_classes]}
   * @throws IllegalArgumentException for an input that is not 4-D, and {@code conv1}'s (PyTorch's)
   *     message for a wrong channel count; either before any running statistic changes
   */
  @Override
  public Tensor forward(Tensor x) {
    if (x.dim() != 4) {
      throw new IllegalArgumentException(
          "ResNet: expected input of shape [N, 3, H, W], but got " + x.shape());
    }
    x = child("conv1").call(x);
    x = child("bn1").call(x);
    x = child("relu").call(x);
    x = child("maxpool").call(x);
    x = child("layer1").call(x);
    x = child("layer2").call(x);
    x = child("layer3").call(x);
    x = child("layer4").call(x);
    x = child("avgpool").call(x);
    x = x.flatten(1);
    return child("fc").call(x);
  }

  private Module child(String name) {
    return (Module) getAttribute(name);
  }

  /** The residual block type. */
  public Block block() {
    return block;
  }

  /** {@code groups} of the 3x3 convolutions in Bottleneck blocks. */
  public int groups() {
    return groups;
  }

  /** {@code base_width} ({@code width_per_group}). */
  public int baseWidth() {
    return baseWidth;
  }

  /** The classifier {@code fc}. */
  public Linear fc() {
    return (Linear) getAttribute("fc");
  }

  /** Options of a {@link ResNet}, named after torchvision's keyword arguments. */
  public static final class Builder {
    private final Block block;
    private final int[] layers;
    private int numClasses = 1000;
    private boolean zeroInitResidual;
    private int groups = 1;
    private int widthPerGroup = 64;
    private boolean[] replaceStrideWithDilation = {false, false, false};

    private Builder(Block block, int[] layers) {
      this.block = java.util.Objects.requireNonNull(block, "block");
      this.layers = layers.clone();
    }

    /** {@code num_classes} (default 1000): outputs of {@code fc}. */
    public Builder numClasses(int numClasses) {
      this.numClasses = numClasses;
      return this;
    }

    /** {@code zero_init_residual} (default false): last batch norm of each block starts at 0. */
    public Builder zeroInitResidual(boolean zeroInitResidual) {
      this.zeroInitResidual = zeroInitResidual;
      return this;
    }

    /** {@code groups} (default 1) of the Bottleneck 3x3 convolutions (ResNeXt). */
    public Builder groups(int groups) {
      this.groups = groups;
      return this;
    }

    /** {@code width_per_group} (default 64) of the Bottleneck blocks (wide ResNets: 128). */
    public Builder widthPerGroup(int widthPerGroup) {
      this.widthPerGroup = widthPerGroup;
      return this;
    }

    /**
     * {@code replace_stride_with_dilation} (default none): for {@code layer2}, {@code layer3},
     * {@code layer4}, whether to replace the stride 2 by a dilation.
     */
    public Builder replaceStrideWithDilation(boolean... replace) {
      this.replaceStrideWithDilation = replace.clone();
      return this;
    }

    /** Builds the model with torchvision's initialisation. */
    public ResNet build() {
      return new ResNet(this);
    }
  }
}
