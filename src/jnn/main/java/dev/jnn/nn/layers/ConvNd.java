package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.Tensor;
import java.util.Arrays;

/**
 * PyTorch's {@code _ConvNd} and {@code _ConvTransposeNd}: the options, parameters,
 * initialisation and {@code extra_repr} that {@link Conv1d}, {@link Conv3d}, {@link
 * ConvTranspose1d}, {@link ConvTranspose2d} and {@link ConvTranspose3d} share. ({@link Conv2d}
 * predates it and keeps its own copy.)
 */
abstract sealed class ConvNd extends Module
    permits Conv1d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d {
  final int nd;
  final boolean transposed;
  private final int inChannels;
  private final int outChannels;
  final int[] kernelSize;
  final int[] stride;
  final int[] padding; // zeros when paddingString is set
  final String paddingString; // "same" / "valid", or null
  final int[] dilation;
  final int[] outputPadding;
  final int groups;
  final String paddingMode;

  /** F.pad's amounts for a non-zeros padding mode: last dim first, {lo, hi} each. */
  final int[] reversedPadding;

  ConvNd(ConvBuilder<?> b, String className) {
    this.nd = b.nd;
    this.transposed = b.transposed;
    if (transposed && !b.paddingMode.equals("zeros")) {
      throw new IllegalArgumentException(
          "Only \"zeros\" padding mode is supported for " + className);
    }
    if (b.groups <= 0) {
      throw new IllegalArgumentException("groups must be a positive integer");
    }
    if (b.inChannels % b.groups != 0) {
      throw new IllegalArgumentException("in_channels must be divisible by groups");
    }
    if (b.outChannels % b.groups != 0) {
      throw new IllegalArgumentException("out_channels must be divisible by groups");
    }
    this.kernelSize = expand(b.kernelSize, "kernel_size");
    this.stride = expand(b.stride, "stride");
    this.dilation = expand(b.dilation, "dilation");
    this.outputPadding = expand(b.outputPadding, "output_padding");
    if (b.paddingString != null) {
      if (!b.paddingString.equals("same") && !b.paddingString.equals("valid")) {
        throw new IllegalArgumentException(
            "Invalid padding string " + Py.str(b.paddingString)
                + ", should be one of {'valid', 'same'}");
      }
      if (b.paddingString.equals("same")) {
        for (int s : stride) {
          if (s != 1) {
            throw new IllegalArgumentException(
                "padding='same' is not supported for strided convolutions");
          }
        }
      }
    }
    if (!Arrays.asList("zeros", "reflect", "replicate", "circular").contains(b.paddingMode)) {
      throw new IllegalArgumentException(
          "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got"
              + " padding_mode='" + b.paddingMode + "'");
    }
    checkPositive("kernel_size", kernelSize);
    checkPositive("stride", stride);
    checkPositive("dilation", dilation);
    this.paddingString = b.paddingString;
    this.padding = b.paddingString == null ? expand(b.padding, "padding") : new int[nd];
    for (int p : padding) {
      if (p < 0) {
        throw new IllegalArgumentException("negative padding is not supported");
      }
    }
    this.inChannels = b.inChannels;
    this.outChannels = b.outChannels;
    this.groups = b.groups;
    this.paddingMode = b.paddingMode;
    this.reversedPadding = new int[2 * nd];
    for (int i = 0; i < nd; i++) {
      int lo = padding[i];
      int hi = padding[i];
      if ("same".equals(paddingString)) {
        int total = dilation[i] * (kernelSize[i] - 1);
        lo = total / 2;
        hi = total - lo;
      }
      reversedPadding[2 * (nd - 1 - i)] = lo;
      reversedPadding[2 * (nd - 1 - i) + 1] = hi;
    }
    long[] ws = new long[nd + 2];
    ws[0] = transposed ? inChannels : outChannels;
    ws[1] = (transposed ? outChannels : inChannels) / groups;
    for (int i = 0; i < nd; i++) {
      ws[2 + i] = kernelSize[i];
    }
    registerParameter("weight", new Parameter(Tensor.empty(Shape.of(ws), b.dtype, b.device)));
    registerParameter(
        "bias",
        b.bias ? new Parameter(Tensor.empty(Shape.of(outChannels), b.dtype, b.device)) : null);
    resetParameters();
  }

  private int[] expand(int[] v, String what) {
    if (v.length == 1) {
      int[] r = new int[nd];
      Arrays.fill(r, v[0]);
      return r;
    }
    if (v.length != nd) {
      throw new IllegalArgumentException(
          what + " must be one value or " + nd + " values, but got " + Arrays.toString(v));
    }
    return v.clone();
  }

  private static void checkPositive(String what, int[] v) {
    for (int x : v) {
      if (x <= 0) {
        throw new IllegalArgumentException(
            what + " must be positive, but got " + what + "=" + Py.tuple(v));
      }
    }
  }

  /**
   * Re-initialises the parameters as PyTorch's {@code _ConvNd.reset_parameters}: {@code
   * kaiming_uniform_(weight, a=sqrt(5))} and the bias from {@code U(-1/sqrt(fanIn),
   * 1/sqrt(fanIn))}, {@code fanIn} computed from the weight ({@code weight.size(1) *
   * prod(kernel_size)}, also for the transposed layers).
   */
  public void resetParameters() {
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

  /** The plain convolution's forward (PyTorch's {@code _conv_forward}). */
  Tensor convForward(Tensor input) {
    Tensor w = weight();
    Tensor b = bias();
    if (!paddingMode.equals("zeros")) {
      // F.pad first, as PyTorch: a wrong rank gets F.pad's message
      return functional(Functional.pad(input, reversedPadding, paddingMode), w, b, new int[nd]);
    }
    if (paddingString != null) {
      return nd == 1
          ? Functional.conv1d(input, w, b, stride, paddingString, dilation, groups)
          : Functional.conv3d(input, w, b, stride, paddingString, dilation, groups);
    }
    return functional(input, w, b, padding);
  }

  private Tensor functional(Tensor input, Tensor w, Tensor b, int[] pad) {
    return nd == 1
        ? Functional.conv1d(input, w, b, stride, pad, dilation, groups)
        : Functional.conv3d(input, w, b, stride, pad, dilation, groups);
  }

  /**
   * The transposed convolution's forward: PyTorch's {@code _ConvTransposeNd._output_padding}
   * (from {@code outputSize}, or the layer's {@code output_padding} when null), then {@code
   * F.conv_transposeNd}.
   */
  Tensor transposedForward(Tensor input, int[] outputSize) {
    int[] op = outputSize == null ? outputPadding : outputPaddingFor(input, outputSize);
    Tensor w = weight();
    Tensor b = bias();
    return switch (nd) {
      case 1 -> Functional.convTranspose1d(input, w, b, stride, padding, op, groups, dilation);
      case 2 -> Functional.convTranspose2d(input, w, b, stride, padding, op, groups, dilation);
      default -> Functional.convTranspose3d(input, w, b, stride, padding, op, groups, dilation);
    };
  }

  /** A forward's {@code output_size} argument: null, {@code int[]}, {@code long[]} or a list. */
  static int[] outputSize(Object v) {
    if (v == null || v instanceof int[]) {
      return (int[]) v;
    }
    if (v instanceof long[] l) {
      return Arrays.stream(l).mapToInt(Math::toIntExact).toArray();
    }
    if (v instanceof java.util.List<?> l) {
      return l.stream().mapToInt(e -> ((Number) e).intValue()).toArray();
    }
    throw new IllegalArgumentException(
        "output_size must be a list of ints, but got " + v.getClass().getSimpleName());
  }

  private int[] outputPaddingFor(Tensor input, int[] outputSize) {
    boolean batched = input.dim() == nd + 2;
    int nonSpatial = batched ? 2 : 1;
    int[] size = outputSize;
    if (size.length == nonSpatial + nd) {
      size = Arrays.copyOfRange(size, nonSpatial, size.length);
    }
    if (size.length != nd) {
      throw new IllegalArgumentException(
          "ConvTranspose" + nd + "D: for " + input.dim() + "D input, output_size must have " + nd
              + " or " + (nonSpatial + nd) + " elements (got " + size.length + ")");
    }
    long[] min = new long[nd];
    long[] max = new long[nd];
    for (int d = 0; d < nd; d++) {
      min[d] = (input.size(d + nonSpatial) - 1) * stride[d] - 2L * padding[d]
          + (long) dilation[d] * (kernelSize[d] - 1) + 1;
      max[d] = min[d] + stride[d] - 1;
    }
    for (int i = 0; i < nd; i++) {
      if (size[i] < min[i] || size[i] > max[i]) {
        long[] rest = input.dim() > 2
            ? Arrays.copyOfRange(input.shape().dims(), 2, input.dim()) : new long[0];
        throw new IllegalArgumentException(
            "requested an output size of " + Arrays.toString(size) + ", but valid sizes range"
                + " from " + Arrays.toString(min) + " to " + Arrays.toString(max)
                + " (for an input of torch.Size(" + Arrays.toString(rest) + "))");
      }
    }
    int[] r = new int[nd];
    for (int d = 0; d < nd; d++) {
      r[d] = (int) (size[d] - min[d]);
    }
    return r;
  }

  /**
   * PyTorch's text: {@code 16, 33, kernel_size=(3, 5), stride=(2, 1)} followed by the padding,
   * dilation, output padding, groups, bias and padding mode where they differ from the defaults.
   */
  @Override
  protected String extraRepr() {
    StringBuilder s = new StringBuilder();
    s.append(inChannels).append(", ").append(outChannels);
    s.append(", kernel_size=").append(Py.tuple(kernelSize));
    s.append(", stride=").append(Py.tuple(stride));
    if (paddingString != null) {
      s.append(", padding=").append(paddingString);
    } else if (Arrays.stream(padding).anyMatch(v -> v != 0)) {
      s.append(", padding=").append(Py.tuple(padding));
    }
    if (Arrays.stream(dilation).anyMatch(v -> v != 1)) {
      s.append(", dilation=").append(Py.tuple(dilation));
    }
    if (Arrays.stream(outputPadding).anyMatch(v -> v != 0)) {
      s.append(", output_padding=").append(Py.tuple(outputPadding));
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

  /**
   * The weight: {@code [C_out, C_in / groups, *kernel_size]}, or {@code [C_in, C_out / groups,
   * *kernel_size]} for a transposed convolution.
   */
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

  /** {@code kernel_size}, one value per spatial dim. */
  public int[] kernelSize() {
    return kernelSize.clone();
  }

  /** {@code stride}, one value per spatial dim. */
  public int[] stride() {
    return stride.clone();
  }

  /** {@code padding}, one value per spatial dim (zeros when a padding string was given). */
  public int[] padding() {
    return padding.clone();
  }

  /** The padding string ({@code "same"} or {@code "valid"}), or null for numeric padding. */
  public String paddingString() {
    return paddingString;
  }

  /** {@code dilation}, one value per spatial dim. */
  public int[] dilation() {
    return dilation.clone();
  }

  /** {@code output_padding}, one value per spatial dim (zeros for a plain convolution). */
  public int[] outputPadding() {
    return outputPadding.clone();
  }

  /** {@code groups}. */
  public int groups() {
    return groups;
  }

  /** {@code padding_mode}: {@code zeros}, {@code reflect}, {@code replicate} or {@code circular}. */
  public String paddingMode() {
    return paddingMode;
  }

  /** {@code transposed}: whether this is a transposed convolution. */
  public boolean transposed() {
    return transposed;
  }
}
