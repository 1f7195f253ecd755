package dev.jnn.models;

import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.nn.layers.ReLU6;

/**
 * torchvision's {@code Conv2dNormActivation} ({@code torchvision.ops.misc}), a {@link Sequential}
 * of {@code 0}: {@code Conv2d} (padding {@code (kernel_size - 1) / 2 * dilation}, bias only
 * without a norm layer), {@code 1}: {@code BatchNorm2d}, {@code 2}: the in-place activation, so its
 * state-dict keys are {@code 0.weight}, {@code 1.running_mean}, ... and its repr is torchvision's.
 */
public class Conv2dNormActivation extends Sequential {
  /** The activation of a {@link Conv2dNormActivation}. */
  public enum Activation {
    /** {@code activation_layer=nn.ReLU} (torchvision's default). */
    RELU,
    /** {@code activation_layer=nn.ReLU6} (MobileNetV2). */
    RELU6,
    /** {@code activation_layer=None}. */
    NONE
  }

  private final int outChannels;

  /**
   * {@code Conv2dNormActivation(in, out, kernel_size, stride, groups=groups,
   * activation_layer=...)} with {@code nn.BatchNorm2d}, dilation 1, {@code inplace=True}.
   *
   * @param in input channels
   * @param out output channels
   * @param kernelSize side of the square kernel
   * @param stride stride
   * @param groups groups of the convolution
   * @param activation the activation
   */
  public Conv2dNormActivation(
      int in, int out, int kernelSize, int stride, int groups, Activation activation) {
    super(layers(in, out, kernelSize, stride, groups, activation));
    this.outChannels = out;
  }

  private static Module[] layers(
      int in, int out, int kernelSize, int stride, int groups, Activation activation) {
    Conv2d conv = Conv2d.builder(in, out, kernelSize).stride(stride)
        .padding((kernelSize - 1) / 2).groups(groups).bias(false).build();
    BatchNorm2d bn = new BatchNorm2d(out);
    return switch (activation) {
      case RELU -> new Module[] {conv, bn, new ReLU(true)};
      case RELU6 -> new Module[] {conv, bn, new ReLU6(true)};
      case NONE -> new Module[] {conv, bn};
    };
  }

  /** {@code out_channels}. */
  public int outChannels() {
    return outChannels;
  }
}
