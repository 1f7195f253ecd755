package dev.jnn.models;

import dev.jnn.nn.Module;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.tensor.Tensor;

/**
 * torchvision's {@code BasicBlock} (ResNet-18/34): {@code conv1} (3x3, stride), {@code bn1},
 * {@code relu}, {@code conv2} (3x3), {@code bn2}, plus the shortcut ({@code downsample} when the
 * shape changes), added in place and followed by the in-place ReLU, as torchvision writes it.
 */
public final class BasicBlock extends Module {
  /** {@code expansion = 1}. */
  public static final int EXPANSION = 1;

  private final int stride;

  /**
   * {@code BasicBlock(inplanes, planes, stride, downsample, groups, base_width, dilation)}.
   *
   * @param inplanes input channels
   * @param planes output channels
   * @param stride stride of {@code conv1}
   * @param downsample the shortcut module (null: identity)
   * @param groups must be 1
   * @param baseWidth must be 64
   * @param dilation must be 1
   */
  public BasicBlock(int inplanes, int planes, int stride, Module downsample, int groups,
      int baseWidth, int dilation) {
    if (groups != 1 || baseWidth != 64) {
      throw new IllegalArgumentException("BasicBlock only supports groups=1 and base_width=64");
    }
    if (dilation > 1) {
      throw new UnsupportedOperationException("Dilation > 1 not supported in BasicBlock");
    }
    this.stride = stride;
    registerModule("conv1", conv3x3(inplanes, planes, stride, 1, 1));
    registerModule("bn1", new BatchNorm2d(planes));
    registerModule("relu", new ReLU(true));
    registerModule("conv2", conv3x3(planes, planes, 1, 1, 1));
    registerModule("bn2", new BatchNorm2d(planes));
    if (downsample != null) {
      registerModule("downsample", downsample);
    }
  }

  /** torchvision's {@code conv3x3}: 3x3, padding = dilation, no bias. */
  static Conv2d conv3x3(int in, int out, int stride, int groups, int dilation) {
    return Conv2d.builder(in, out, 3).stride(stride).padding(dilation).groups(groups)
        .bias(false).dilation(dilation).build();
  }

  /** {@code out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))}. */
  @Override
  public Tensor forward(Tensor x) {
    Tensor identity = x;
    Module relu = child("relu");
    Tensor out = child("conv1").call(x);
    out = child("bn1").call(out);
    out = relu.call(out);
    out = child("conv2").call(out);
    out = child("bn2").call(out);
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
   * The second batch norm (zeroed by {@code zero_init_residual}), or null once {@link
   * Fusion#fuseConvBn} has replaced it by an {@code Identity}.
   */
  public BatchNorm2d bn2() {
    return getAttribute("bn2") instanceof BatchNorm2d bn ? bn : null;
  }

  /** The stride of {@code conv1}. */
  public int stride() {
    return stride;
  }
}
