package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * A 2-D convolution over images ({@code torch.nn.Conv2d}):
 *
 * <pre>
 * out(N_i, C_out_j) = bias(C_out_j) + sum_{k &lt; C_in / groups} xcorr2d(weight(C_out_j, k), input(N_i, k))
 * </pre>
 *
 * where {@code xcorr2d} is 2-D cross-correlation with the layer's stride, padding and dilation,
 * and the input channels are split into {@code groups} independent groups.
 *
 * <p>Shape: input {@code [N, C_in, H, W]} or unbatched {@code [C_in, H, W]}; output {@code [N,
 * C_out, H_out, W_out]} with {@code H_out = floor((H + 2 * padding[0] - dilation[0] *
 * (kernel_size[0] - 1) - 1) / stride[0] + 1)}, likewise for {@code W_out}.
 *
 * <p>Parameters: {@code weight} {@code [C_out, C_in / groups, kH, kW]} and {@code bias} {@code
 * [C_out]} (absent with {@code bias(false)}), both initialised from {@code U(-sqrt(k), sqrt(k))}
 * with {@code k = groups / (C_in * kH * kW)}, as in PyTorch.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(1, 20, 5);                     // Conv2d(1, 20, kernel_size=(5, 5), stride=(1, 1))
 * Conv2d down = Conv2d.builder(20, 40, 3).stride(2).padding(1).bias(false).build();
 * Tensor y = conv.call(Tensor.randn(64, 1, 28, 28));      // [64, 20, 24, 24]
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Conv2d.html">torch.nn.Conv2d</a>
 */
public final class Conv2d extends Module {
  private final int inChannels;
  private final int outChannels;
  private final int[] kernelSize;
  private final int[] stride;
  private final int[] padding; // {padH, padW}; zeros when paddingString is set
  private final String paddingString; // "same" / "valid", or null
  private final int[] dilation;
  private final int groups;
  private final String paddingMode;

  /** {top, bottom, left, right} for a non-zeros padding mode (PyTorch's reversed padding). */
  private final int[] modePads;

  /**
   * {@code nn.Conv2d(inChannels, outChannels, kernelSize)}: square kernel, stride 1, no padding,
   * with bias.
   *
   * @param inChannels channels of the input
   * @param outChannels channels produced
   * @param kernelSize side of the square kernel
   */
  public Conv2d(int inChannels, int outChannels, int kernelSize) {
    this(builder(inChannels, outChannels, kernelSize));
  }

  /**
   * {@code nn.Conv2d(inChannels, outChannels, kernelSize, stride, padding)}, PyTorch's common
   * positional form.
   *
   * @param inChannels channels of the input
   * @param outChannels channels produced
   * @param kernelSize side of the square kernel
   * @param stride stride in both directions
   * @param padding zero padding added to all four sides
   */
  public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
  }

  private Conv2d(Builder b) {
    // validate
    if (b.groups <= 0) {
      throw new IllegalArgumentException("groups must be a positive integer");
    }
    if (b.inChannels % b.groups != 0) {
      throw new IllegalArgumentException("in_channels must be divisible by groups");
    }
    if (b.outChannels % b.groups != 0) {
      throw new IllegalArgumentException("out_channels must be divisible by groups");
    }
    if (b.paddingString != null) {
      if (!b.paddingString.equals("same") && !b.paddingString.equals("valid")) {
        throw new IllegalArgumentException(
            "Invalid padding string "
                + Py.str(b.paddingString)
                + ", should be one of {'valid', 'same'}");
      }
      if (b.paddingString.equals("same") && (b.stride[0] != 1 || b.stride[1] != 1)) {
        throw new IllegalArgumentException(
            "padding='same' is not supported for strided convolutions");
      }
    }
    if (!Arrays.asList("zeros", "reflect", "replicate", "circular").contains(b.paddingMode)) {
      throw new IllegalArgumentException(
          "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got"
              + " padding_mode='"
              + b.paddingMode
              + "'");
    }
    checkPositive("kernel_size", b.kernelSize);
    checkPositive("stride", b.stride);
    checkPositive("dilation", b.dilation);
    if (b.padding[0] < 0 || b.padding[1] < 0) {
      throw new IllegalArgumentException("negative padding is not supported");
    }
    // store
    this.inChannels = b.inChannels;
    this.outChannels = b.outChannels;
    this.kernelSize = b.kernelSize.clone();
    this.stride = b.stride.clone();
    this.paddingString = b.paddingString;
    this.padding = b.paddingString == null ? b.padding.clone() : new int[] {0, 0};
    this.dilation = b.dilation.clone();
    this.groups = b.groups;
    this.paddingMode = b.paddingMode;
    this.modePads = new int[4];
    for (int i = 0; i < 2; i++) {
      int lo = padding[i];
      int hi = padding[i];
      if ("same".equals(paddingString)) {
        int total = dilation[i] * (kernelSize[i] - 1);
        lo = total / 2;
        hi = total - lo;
      }
      modePads[2 * i] = lo;
      modePads[2 * i + 1] = hi;
    }
    // create parameters
    registerParameter(
        "weight",
        new Parameter(
            Tensor.empty(
                Shape.of(outChannels, inChannels / groups, kernelSize[0], kernelSize[1]),
                b.dtype,
                b.device)));
    registerParameter(
        "bias",
        b.bias ? new Parameter(Tensor.empty(Shape.of(outChannels), b.dtype, b.device)) : null);
    resetParameters();
  }

  private static void checkPositive(String what, int[] v) {
    if (v[0] <= 0 || v[1] <= 0) {
      throw new IllegalArgumentException(
          what + " must be positive, but got " + what + "=" + Py.tuple(v));
    }
  }

  /**
   * A builder for the options beyond the common constructor ({@code stride}, {@code padding},
   * {@code dilation}, {@code groups}, {@code bias}, {@code paddingMode}, {@code device}, {@code
   * dtype}).
   *
   * @param inChannels channels of the input
   * @param outChannels channels produced
   * @param kernelSize side of the square kernel
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int inChannels, int outChannels, int kernelSize) {
    return new Builder(inChannels, outChannels, kernelSize, kernelSize);
  }

  /**
   * A builder for a {@code kernelH x kernelW} kernel ({@code kernel_size=(kH, kW)}).
   *
   * @param inChannels channels of the input
   * @param outChannels channels produced
   * @param kernelH kernel height
   * @param kernelW kernel width
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int inChannels, int outChannels, int kernelH, int kernelW) {
    return new Builder(inChannels, outChannels, kernelH, kernelW);
  }

  /**
   * Re-initialises the parameters as PyTorch does: {@code kaiming_uniform_(weight, a=sqrt(5))} and
   * the bias from {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}.
   */
  public void resetParameters() {
    // Setting a=sqrt(5) in kaiming_uniform is the same as initialising with
    // uniform(-1/sqrt(k), 1/sqrt(k)), where k = weight.size(1) * prod(kernel_size)
    // (pytorch/pytorch#15314).
    Init.kaimingUniform(weight(), Math.sqrt(5));
    Parameter bias = bias();
    if (bias != null) {
      long fanIn = Init.calculateFanInAndFanOut(weight()).fanIn();
      if (fanIn != 0) {
        double bound = 1 / Math.sqrt(fanIn);
        Init.uniform(bias, -bound, bound);
      }
    }
  }

  /**
   * Convolves {@code input} ({@code [N, C_in, H, W]} or {@code [C_in, H, W]}) with the layer's
   * weight; see the class documentation for the output shape.
   *
   * @throws IllegalArgumentException with PyTorch's messages, e.g. {@code Given groups=1, weight of
   *     size [20, 1, 5, 5], expected input[64, 3, 28, 28] to have 1 channels, but got 3 channels
   *     instead}
   */
  @Override
  public Tensor forward(Tensor input) {
    Tensor w = weight();
    Tensor b = bias();
    if (!paddingMode.equals("zeros")) {
      if (input.dim() != 3 && input.dim() != 4) {
        throw new IllegalArgumentException(
            "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                + input.shape());
      }
      return Functional.conv2d(
          Functional.pad(input, new int[] {modePads[2], modePads[3], modePads[0], modePads[1]},
              paddingMode),
          w,
          b,
          stride,
          new int[] {0},
          dilation,
          groups);
    }
    if (paddingString != null) {
      return Functional.conv2d(input, w, b, stride, paddingString, dilation, groups);
    }
    return Functional.conv2d(input, w, b, stride, padding, dilation, groups);
  }

  /**
   * PyTorch's text: {@code 1, 20, kernel_size=(5, 5), stride=(1, 1)} followed by the padding,
   * dilation, groups, bias and padding mode where they differ from the defaults.
   */
  @Override
  protected String extraRepr() {
    StringBuilder s = new StringBuilder();
    s.append(inChannels).append(", ").append(outChannels);
    s.append(", kernel_size=").append(Py.tuple(kernelSize));
    s.append(", stride=").append(Py.tuple(stride));
    if (paddingString != null) {
      s.append(", padding=").append(paddingString);
    } else if (padding[0] != 0 || padding[1] != 0) {
      s.append(", padding=").append(Py.tuple(padding));
    }
    if (dilation[0] != 1 || dilation[1] != 1) {
      s.append(", dilation=").append(Py.tuple(dilation));
    }
    if (groups != 1) {
      s.append(", groups=").append(groups);
    }
    if (bias() == null) {
      s.append(", bias=False");
    }
    if (!paddingMode.equals("zeros")) {
      s.append(", padding_mode=").append(paddingMode);
    }
    return s.toString();
  }

  // ---------------------------------------------------------------- accessors

  /** The weight {@code [C_out, C_in / groups, kH, kW]} (the currently registered parameter). */
  public Parameter weight() {
    return (Parameter) getAttribute("weight");
  }

  /** The bias {@code [C_out]}, or null when built with {@code bias(false)}. */
  public Parameter bias() {
    return (Parameter) getAttribute("bias");
  }

  /** {@code in_channels}. */
  public int inChannels() {
    return inChannels;
  }

  /** {@code out_channels}. */
  public int outChannels() {
    return outChannels;
  }

  /** {@code kernel_size} as {@code {kH, kW}}. */
  public int[] kernelSize() {
    return kernelSize.clone();
  }

  /** {@code stride} as {@code {sH, sW}}. */
  public int[] stride() {
    return stride.clone();
  }

  /** {@code padding} as {@code {padH, padW}} ({@code {0, 0}} when a padding string was given). */
  public int[] padding() {
    return padding.clone();
  }

  /** The padding string ({@code "same"} or {@code "valid"}), or null for numeric padding. */
  public String paddingString() {
    return paddingString;
  }

  /** {@code dilation} as {@code {dH, dW}}. */
  public int[] dilation() {
    return dilation.clone();
  }

  /** {@code groups}. */
  public int groups() {
    return groups;
  }

  /**
   * {@code padding_mode}: {@code zeros}, {@code reflect}, {@code replicate} or {@code circular}.
   */
  public String paddingMode() {
    return paddingMode;
  }

  /** Options of a {@link Conv2d}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private int[] stride = {1, 1};
    private int[] padding = {0, 0};
    private String paddingString;
    private int[] dilation = {1, 1};
    private int groups = 1;
    private boolean bias = true;
    private String paddingMode = "zeros";
    private Device device = Device.CPU;
    private DType dtype = DType.FLOAT32;

    private Builder(int inChannels, int outChannels, int kernelH, int kernelW) {
      this.inChannels = inChannels;
      this.outChannels = outChannels;
      this.kernelSize = new int[] {kernelH, kernelW};
    }

    /** {@code stride=s} (default 1). */
    public Builder stride(int s) {
      return stride(s, s);
    }

    /** {@code stride=(sH, sW)}. */
    public Builder stride(int strideH, int strideW) {
      this.stride = new int[] {strideH, strideW};
      return this;
    }

    /** {@code padding=p}: zeros (or the padding mode's values) added to all four sides. */
    public Builder padding(int p) {
      return padding(p, p);
    }

    /** {@code padding=(pH, pW)}: added to top and bottom, and to left and right. */
    public Builder padding(int padH, int padW) {
      this.padding = new int[] {padH, padW};
      this.paddingString = null;
      return this;
    }

    /**
     * {@code padding='same'} (output as large as the input; stride must be 1; odd total padding
     * puts the extra row/column at the bottom/right) or {@code padding='valid'} (no padding).
     */
    public Builder padding(String mode) {
      this.paddingString = Objects.requireNonNull(mode, "padding");
      this.padding = new int[] {0, 0};
      return this;
    }

    /** {@code dilation=d} (default 1): spacing between kernel elements. */
    public Builder dilation(int d) {
      return dilation(d, d);
    }

    /** {@code dilation=(dH, dW)}. */
    public Builder dilation(int dilationH, int dilationW) {
      this.dilation = new int[] {dilationH, dilationW};
      return this;
    }

    /** {@code groups} (default 1): blocked connections from input to output channels. */
    public Builder groups(int groups) {
      this.groups = groups;
      return this;
    }

    /** {@code bias} (default true): whether to add a learnable bias. */
    public Builder bias(boolean bias) {
      this.bias = bias;
      return this;
    }

    /**
     * {@code padding_mode} (default {@code "zeros"}): {@code "zeros"}, {@code "reflect"}, {@code
     * "replicate"} or {@code "circular"}.
     */
    public Builder paddingMode(String paddingMode) {
      this.paddingMode = Objects.requireNonNull(paddingMode, "paddingMode");
      return this;
    }

    /** {@code device} of the parameters (default CPU). */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** {@code dtype} of the parameters (default float32). */
    public Builder dtype(DType dtype) {
      this.dtype = Objects.requireNonNull(dtype, "dtype");
      return this;
    }

    /**
     * The layer.
     *
     * @throws IllegalArgumentException {@code in_channels must be divisible by groups} and
     *     PyTorch's other construction errors
     */
    public Conv2d build() {
      return new Conv2d(this);
    }
  }
}
