package dev.jnn.models;

import dev.jnn.nn.Module;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.tensor.Tensor;

/**
 * torchvision's {@code Bottleneck} (ResNet-50 and deeper; ResNet V1.5, the stride on the 3x3
 * convolution): {@code conv1} (1x1), {@code bn1}, {@code conv2} (3x3, stride, groups, dilation),
 * {@code bn2}, {@code conv3} (1x1 to {@code 4 * planes}), {@code bn3}, {@code relu}, and the
 * shortcut ({@code downsample} when the shape changes). The inner width is {@code int(planes *
 * (base_width / 64.0)) * groups}.
 */
public final class Bottleneck extends Module {
  /** {@code expansion = 4}. */
  public static final int EXPANSION = 4;

  private final int stride;

  /**
   * {@code Bottleneck(inplanes, planes, stride, downsample, groups, base_width, dilation)}.
   *
   * @param inplanes input channels
   * @param planes the block's base channels (output: {@code 4 * planes})
   * @param stride stride of {@code conv2}
   * @param downsample the shortcut module (null: identity)
   * @param groups groups of {@code conv2}
   * @param baseWidth {@code width_per_group}
   * @param dilation dilation of {@code conv2}
   */
  public Bottleneck(int inplanes, int planes, int stride, Module downsample, int groups,
      int baseWidth, int dilation) {
    int width = (int) (planes * (baseWidth / 64.0)) * groups;
    this.stride = stride;
    registerModule("conv1", conv1x1(inplanes, width, 1));
    registerModule("bn1", new BatchNorm2d(width));
    registerModule("conv2", BasicBlock.conv3x3(width, width, stride, groups, dilation));
    registerModule("bn2", new BatchNorm2d(width));
    registerModule("conv3", conv1x1(width, planes * EXPANSION, 1));
    registerModule("bn3", new BatchNorm2d(planes * EXPANSION));
    registerModule("relu", new ReLU(true));
    if (downsample != null) {
      registerModule("downsample", downsample);
    }
  }

  static Conv2d conv1x1(int in, int out, int stride) {
    return Conv2d.builder(in, out, 1).stride(stride).bias(false).build();
  }

  /** Three convolutions with batch norm (ReLU after the first two), plus the shortcut, ReLU. */
  @Override
  public Tensor forward(Tensor x) {
    Tensor identity = x;
    Module relu = child("relu");
    Tensor out = child("conv1").call(x);
    out = child("bn1").call(out);
    out = relu.call(out);
    out = child("conv2").call(out);
    out = child("bn2").call(out);
    out = relu.call(out);
    out = child("conv3").call(out);
    out = child("bn3").call(out);
    if (hasAttribute("downsample") && getAttribute("downsample") != null) {
      identity = child("downsample").call(x);
    }
    out = Residuals.addInPlace(this, out, identity);
    return relu.call(out);
  }

  private Module child(String name) {
    return (Module) getAttribute(name);
  }

  /**
   * The last batch norm (zeroed by {@code zero_init_residual}), or null once {@link
   * Fusion#fuseConvBn} has replaced it by an {@code Identity}.
   */
  public BatchNorm2d bn3() {
    return getAttribute("bn3") instanceof BatchNorm2d bn ? bn : null;
  }

  /** The stride of {@code conv2}. */
  public int stride() {
    return stride;
  }
}
