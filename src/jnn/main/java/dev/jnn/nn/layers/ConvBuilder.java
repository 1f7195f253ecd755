package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.nn.Module;
import java.util.Objects;
import java.util.function.Function;

/**
 * Options of {@link Conv1d}, {@link Conv3d}, {@link ConvTranspose1d}, {@link ConvTranspose2d} and
 * {@link ConvTranspose3d}, named after PyTorch's keyword arguments, with PyTorch's defaults. Each
 * size option takes one value (used for every spatial dim, as PyTorch's {@code _single}, {@code
 * _pair}, {@code _triple}) or one value per spatial dim:
 *
 * <pre>{@code
 * ConvTranspose2d up = ConvTranspose2d.builder(16, 33, 3, 5).stride(2, 1).padding(4, 2).build();
 * Conv3d c = Conv3d.builder(4, 8, 3).padding(1).groups(2).bias(false).build();
 * }</pre>
 *
 * @param <L> the layer built
 */
public final class ConvBuilder<L extends Module> {
  final int nd;
  final boolean transposed;
  final int inChannels;
  final int outChannels;
  final int[] kernelSize;
  int[] stride = {1};
  int[] padding = {0};
  String paddingString;
  int[] outputPadding = {0};
  int[] dilation = {1};
  int groups = 1;
  boolean bias = true;
  String paddingMode = "zeros";
  Device device = Device.CPU;
  DType dtype = DType.FLOAT32;
  private final Function<ConvBuilder<L>, L> factory;

  ConvBuilder(int nd, boolean transposed, int inChannels, int outChannels, int[] kernelSize,
      Function<ConvBuilder<L>, L> factory) {
    this.nd = nd;
    this.transposed = transposed;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize.clone();
    this.factory = factory;
  }

  /** {@code stride} (default 1): one value or one per spatial dim. */
  public ConvBuilder<L> stride(int... stride) {
    this.stride = stride.clone();
    return this;
  }

  /**
   * {@code padding} (default 0): one value or one per spatial dim, added to both sides (for a
   * transposed convolution, {@code dilation * (kernel_size - 1) - padding} is added to the input).
   */
  public ConvBuilder<L> padding(int... padding) {
    this.padding = padding.clone();
    this.paddingString = null;
    return this;
  }

  /**
   * {@code padding='same'} (output as large as the input; stride must be 1; an odd total padding
   * puts the extra element at the end) or {@code padding='valid'} (no padding); plain
   * convolutions only, as in PyTorch.
   *
   * @throws IllegalStateException for a transposed convolution
   */
  public ConvBuilder<L> padding(String mode) {
    if (transposed) {
      throw new IllegalStateException("transposed convolutions take numeric padding only");
    }
    this.paddingString = Objects.requireNonNull(mode, "padding");
    this.padding = new int[] {0};
    return this;
  }

  /**
   * {@code output_padding} (default 0): size added to one side of each output dim; transposed
   * convolutions only.
   *
   * @throws IllegalStateException for a plain convolution
   */
  public ConvBuilder<L> outputPadding(int... outputPadding) {
    if (!transposed) {
      throw new IllegalStateException("output_padding is an option of transposed convolutions");
    }
    this.outputPadding = outputPadding.clone();
    return this;
  }

  /** {@code dilation} (default 1): spacing between kernel elements. */
  public ConvBuilder<L> dilation(int... dilation) {
    this.dilation = dilation.clone();
    return this;
  }

  /** {@code groups} (default 1): blocked connections from input to output channels. */
  public ConvBuilder<L> groups(int groups) {
    this.groups = groups;
    return this;
  }

  /** {@code bias} (default true): whether to add a learnable bias. */
  public ConvBuilder<L> bias(boolean bias) {
    this.bias = bias;
    return this;
  }

  /**
   * {@code padding_mode} (default {@code "zeros"}): {@code "zeros"}, {@code "reflect"}, {@code
   * "replicate"} or {@code "circular"} (transposed convolutions accept {@code "zeros"} only).
   */
  public ConvBuilder<L> paddingMode(String paddingMode) {
    this.paddingMode = Objects.requireNonNull(paddingMode, "paddingMode");
    return this;
  }

  /** {@code device} of the parameters (default CPU). */
  public ConvBuilder<L> device(Device device) {
    this.device = Objects.requireNonNull(device, "device");
    return this;
  }

  /** {@code dtype} of the parameters (default float32). */
  public ConvBuilder<L> dtype(DType dtype) {
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    return this;
  }

  /**
   * The layer.
   *
   * @return the layer, its parameters initialised as in PyTorch
   * @throws IllegalArgumentException {@code in_channels must be divisible by groups} and
   *     PyTorch's other construction errors
   */
  public L build() {
    return factory.apply(this);
  }
}
