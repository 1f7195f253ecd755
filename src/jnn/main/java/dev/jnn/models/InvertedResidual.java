package dev.jnn.models;

import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's MobileNetV2 {@code InvertedResidual}: {@code conv}, a {@link Sequential} of the
 * 1x1 expansion ({@link Conv2dNormActivation} with ReLU6, absent when {@code expand_ratio} is 1),
 * the 3x3 depthwise {@link Conv2dNormActivation} with ReLU6, and the linear 1x1 projection ({@code
 * Conv2d} without bias, {@code BatchNorm2d}); the input is added when the stride is 1 and the
 * channel counts agree.
 */
public final class InvertedResidual extends Module {
  private final int stride;
  private final boolean useResConnect;
  private final int outChannels;

  /**
   * {@code InvertedResidual(inp, oup, stride, expand_ratio)}.
   *
   * @param inp input channels
   * @param oup output channels
   * @param stride 1 or 2
   * @param expandRatio hidden channels per input channel
   * @throws IllegalArgumentException for a stride other than 1 or 2
   */
  public InvertedResidual(int inp, int oup, int stride, int expandRatio) {
    if (stride != 1 && stride != 2) {
      throw new IllegalArgumentException("stride should be 1 or 2 insted of " + stride);
    }
    this.stride = stride;
    int hiddenDim = (int) Math.round((double) inp * expandRatio); // int(round(inp * t)), exact
    this.useResConnect = stride == 1 && inp == oup;
    List<Module> layers = new ArrayList<>();
    if (expandRatio != 1) {
      layers.add(new Conv2dNormActivation(
          inp, hiddenDim, 1, 1, 1, Conv2dNormActivation.Activation.RELU6));
    }
    layers.add(new Conv2dNormActivation(
        hiddenDim, hiddenDim, 3, stride, hiddenDim, Conv2dNormActivation.Activation.RELU6));
    layers.add(Conv2d.builder(hiddenDim, oup, 1).bias(false).build());
    layers.add(new BatchNorm2d(oup));
    registerModule("conv", new Sequential(layers.toArray(new Module[0])));
    this.outChannels = oup;
  }

  /** {@code x + conv(x)} with the residual connection, else {@code conv(x)}. */
  @Override
  public Tensor forward(Tensor x) {
    Tensor y = conv().call(x);
    return useResConnect ? Residuals.add(this, x, y) : y;
  }

  /** The block's layers. */
  public Sequential conv() {
    return (Sequential) getAttribute("conv");
  }

  /** The depthwise convolution's stride. */
  public int stride() {
    return stride;
  }

  /** {@code use_res_connect}: whether the input is added. */
  public boolean useResConnect() {
    return useResConnect;
  }

  /** {@code out_channels}. */
  public int outChannels() {
    return outChannels;
  }
}
