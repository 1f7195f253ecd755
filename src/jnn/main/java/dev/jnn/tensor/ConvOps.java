package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.checkDevice;
import static dev.jnn.tensor.NnOpSupport.checkSameType;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.lowerTypeName;
import static dev.jnn.tensor.NnOpSupport.needsGrad;
import static dev.jnn.tensor.NnOpSupport.view;
import static dev.jnn.tensor.NnOpSupport.zeros;

import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.ConvKernels;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import java.util.Arrays;

/**
 * Internal: the convolution op family behind {@code nn.functional.Functional.conv2d}; use
 * {@code Functional}. Each op validates its arguments with PyTorch's messages, allocates its
 * output, runs the back end's kernel ({@link dev.jnn.backend.ConvKernels}) and records its backward beside the
 * forward. Public only because {@code Functional} lives in another package.
 */
public final class ConvOps {
  private ConvOps() {}

  /** PyTorch's {@code _pair}: one value for both dims, or two values. */
  private static int[] pair(int[] v, String what) {
    if (v != null && v.length == 1) {
      return new int[] {v[0], v[0]};
    }
    if (v != null && v.length == 2) {
      return v.clone();
    }
    throw new IllegalArgumentException(
        "expected "
            + what
            + " to be a single integer value or a list of 2 values to match the convolution"
            + " dimensions, but got "
            + what
            + "="
            + Arrays.toString(v));
  }

  /**
   * {@code F.conv2d} with numeric padding: {@code stride}, {@code padding} and {@code dilation}
   * are one value or two.
   */
  public static Tensor conv2d(
      Tensor input,
      Tensor weight,
      Tensor bias,
      int[] stride,
      int[] padding,
      int[] dilation,
      int groups) {
    checkConvInputRank(input);
    int[] s = pair(stride, "stride");
    int[] p = pair(padding, "padding");
    int[] d = pair(dilation, "dilation");
    return conv2dCore(input, weight, bias, s, new int[] {p[0], p[1], p[0], p[1]}, d, groups);
  }

  /** {@code F.conv2d} with {@code padding="same"} or {@code "valid"}. */
  public static Tensor conv2d(
      Tensor input,
      Tensor weight,
      Tensor bias,
      int[] stride,
      String padding,
      int[] dilation,
      int groups) {
    checkConvInputRank(input);
    int[] s = pair(stride, "stride");
    int[] d = pair(dilation, "dilation");
    if ("valid".equals(padding)) {
      return conv2dCore(input, weight, bias, s, new int[] {0, 0, 0, 0}, d, groups);
    }
    if (!"same".equals(padding)) {
      throw new IllegalArgumentException("Invalid padding string: '" + padding + "'");
    }
    if (s[0] != 1 || s[1] != 1) {
      throw new IllegalArgumentException(
          "padding='same' is not supported for strided convolutions");
    }
    if (weight.dim() != 4) {
      checkConvWeightRank(input, weight);
    }
    int[] pads = new int[4];
    for (int i = 0; i < 2; i++) {
      long total = (long) d[i] * (weight.size(2 + i) - 1);
      int lo = (int) (total / 2);
      pads[i] = lo;
      pads[2 + i] = (int) (total - lo);
    }
    return conv2dCore(input, weight, bias, s, pads, d, groups);
  }

  private static void checkConvInputRank(Tensor input) {
    if (input.dim() != 3 && input.dim() != 4) {
      throw new IllegalArgumentException(
          "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
              + input.shape());
    }
  }

  private static void checkConvWeightRank(Tensor input, Tensor weight) {
    if (weight.dim() != 4) {
      throw new IllegalArgumentException(
          "Expected "
              + weight.dim()
              + "-dimensional input for "
              + weight.dim()
              + "-dimensional weight "
              + weight.shape()
              + ", but got 4-dimensional input of size "
              + (input.dim() == 3 ? input.unsqueeze(0).shape() : input.shape())
              + " instead");
    }
  }

  /** pads = {top, left, bottom, right}. */
  private static Tensor conv2dCore(
      Tensor input, Tensor weight, Tensor bias, int[] s, int[] pads, int[] d, int groups) {
    if (groups <= 0) {
      throw new IllegalArgumentException("non-positive groups is not supported");
    }
    for (int v : pads) {
      if (v < 0) {
        throw new IllegalArgumentException("negative padding is not supported");
      }
    }
    if (s[0] <= 0 || s[1] <= 0) {
      throw new IllegalArgumentException("non-positive stride is not supported");
    }
    if (d[0] <= 0 || d[1] <= 0) {
      throw new IllegalArgumentException(
          "dilation should be greater than zero, but got " + Arrays.toString(d));
    }
    checkConvWeightRank(input, weight);
    checkDevice("conv2d", input, weight, bias);
    if (!input.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "conv2d is not implemented for " + input.dtype() + " input (float32 and float64 only)");
    }
    checkSameType(input, weight);
    if (bias != null && bias.dtype() != input.dtype()) {
      throw new IllegalArgumentException(
          "Input type ("
              + lowerTypeName(input.dtype())
              + ") and bias type ("
              + lowerTypeName(bias.dtype())
              + ") should be the same");
    }
    boolean unbatched = input.dim() == 3;
    Tensor x = unbatched ? input.unsqueeze(0) : input;
    long oc = weight.size(0);
    if (oc < groups) {
      throw new IllegalArgumentException(
          "Given groups=" + groups + ", expected weight to be at least " + groups
              + " at dimension 0, but got weight of size " + weight.shape() + " instead");
    }
    if (oc % groups != 0) {
      throw new IllegalArgumentException(
          "Given groups=" + groups + ", expected weight to be divisible by " + groups
              + " at dimension 0, but got weight of size [" + weight.shape() + "] instead");
    }
    if (x.size(1) != weight.size(1) * groups) {
      throw new ShapeMismatchException(
          "Given groups=" + groups + ", weight of size " + weight.shape() + ", expected input"
              + x.shape() + " to have " + (weight.size(1) * groups) + " channels, but got "
              + x.size(1) + " channels instead");
    }
    if (bias != null && (bias.dim() != 1 || bias.size(0) != oc)) {
      throw new ShapeMismatchException(
          "Given weight of size " + weight.shape() + ", expected bias to be 1-dimensional with "
              + oc + " elements, but got bias of size " + bias.shape() + " instead");
    }
    long ph = x.size(2) + pads[0] + pads[2];
    long pw = x.size(3) + pads[1] + pads[3];
    long ekh = (long) d[0] * (weight.size(2) - 1) + 1;
    long ekw = (long) d[1] * (weight.size(3) - 1) + 1;
    if (ph < ekh || pw < ekw) {
      throw new ShapeMismatchException(
          "Calculated padded input size per channel: (" + ph + " x " + pw + "). Kernel size: ("
              + ekh + " x " + ekw + "). Kernel size can't be greater than actual input size");
    }
    int oh = (int) ((ph - ekh) / s[0] + 1);
    int ow = (int) ((pw - ekw) / s[1] + 1);
    Conv2dGeometry g =
        new Conv2dGeometry(
            x.shape().getInt(0),
            x.shape().getInt(1),
            x.shape().getInt(2),
            x.shape().getInt(3),
            (int) oc,
            weight.shape().getInt(2),
            weight.shape().getInt(3),
            s[0],
            s[1],
            pads[0],
            pads[1],
            d[0],
            d[1],
            groups,
            oh,
            ow);
    Tensor out = conv2dOp(x, weight, bias, g);
    return unbatched ? out.squeeze(0) : out;
  }

  private static Tensor conv2dOp(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
    final Tensor xc = contig(x);
    final Tensor wc = contig(weight);
    final Tensor bc = contig(bias);
    final ConvKernels k = backend(x).conv();
    // every element is written by the kernel (kdim >= 1)
    Tensor out =
        Tensor.uninitialized(Shape.of(g.n(), g.oc(), g.oh(), g.ow()), x.dtype(), x.device());
    k.conv2d(xc.view(), wc.view(), view(bc), buf(out), g);
    return Tensor.record(
        "ConvolutionBackward0",
        out,
        new Tensor[] {x, weight, bias},
        new Tensor[] {x, weight},
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gx = null;
          Tensor gw = null;
          Tensor gb = null;
          if (x.requiresGrad()) {
            gx = zeros(x.shape(), x);
            k.conv2dBackwardData(go.view(), wc.view(), buf(gx), g);
          }
          if (weight.requiresGrad()) {
            gw = zeros(weight.shape(), weight);
            k.conv2dBackwardFilter(go.view(), xc.view(), buf(gw), g);
          }
          if (needsGrad(bias)) {
            gb = zeros(bias.shape(), bias);
            k.conv2dBackwardBias(go.view(), buf(gb), g);
          }
          return new Tensor[] {gx, gw, gb};
        });
  }
}
