package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.checkDevice;
import static dev.jnn.tensor.NnOpSupport.checkSameType;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.lowerTypeName;
import static dev.jnn.tensor.NnOpSupport.needsGrad;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.ConvKernels;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import java.util.Arrays;

/**
 * Internal: the convolutions behind {@code Functional.conv1d}, {@code conv3d} and {@code
 * convTranspose1d/2d/3d}; use {@code Functional}. One op, ATen's {@code at::convolution}, for 1 to
 * 3 spatial dimensions, plain or transposed, recorded as {@code ConvolutionBackward0} as in
 * PyTorch. It runs on the 2-D kernels of {@link ConvKernels} only, so every back end with a 2-D
 * convolution runs it (cuDNN on CUDA):
 *
 * <ul>
 *   <li>1-D inputs are 2-D inputs of height 1 (PyTorch does the same on CPU);
 *   <li>a transposed convolution's forward is the backward-data pass of the convolution it
 *       transposes, its input gradient that convolution's forward and its weight gradient the
 *       backward-filter pass with the roles of input and output gradient swapped;
 *   <li>3-D convolutions are sums over the kernel's depth of 2-D convolutions: for kernel slice
 *       {@code kd}, the input's depth planes {@code od * strideD - padD + kd * dilationD} (zero
 *       outside the input) are stacked into the batch and convolved with {@code weight[:, :, kd]}.
 * </ul>
 *
 * <p>Public only because {@code Functional} lives in another package.
 */
public final class ConvNdOps {
  private ConvNdOps() {}

  /**
   * {@code at::convolution} for {@code nd} spatial dims with PyTorch's checks in PyTorch's order.
   *
   * @param op the Python name for the rank message ({@code conv1d}, {@code conv_transpose3d})
   * @param nd spatial dims (1, 2 or 3)
   * @param padding numeric padding, or null when {@code paddingString} is given
   * @param paddingString {@code "same"}, {@code "valid"} or null
   * @param outputPadding the transposed convolution's extra output size (null for a plain one)
   */
  public static Tensor convolution(
      String op,
      int nd,
      Tensor input,
      Tensor weight,
      Tensor bias,
      int[] stride,
      int[] padding,
      String paddingString,
      int[] outputPadding,
      int[] dilation,
      int groups,
      boolean transposed) {
    if (input.dim() != nd + 1 && input.dim() != nd + 2) {
      throw new IllegalArgumentException(
          "Expected " + (nd + 1) + "D (unbatched) or " + (nd + 2) + "D (batched) input to " + op
              + ", but got input of size: " + input.shape());
    }
    int pdim = weight.dim() >= 3 ? weight.dim() - 2 : nd;
    int[] s = expand(stride, "stride", pdim);
    int[] d = expand(dilation, "dilation", pdim);
    int[] op2 = transposed ? expand(outputPadding, "output_padding", pdim) : new int[pdim];
    int[] lo;
    int[] hi;
    if (paddingString == null) {
      lo = expand(padding, "padding", pdim);
      hi = lo.clone();
    } else if ("valid".equals(paddingString)) {
      lo = new int[pdim];
      hi = new int[pdim];
    } else if ("same".equals(paddingString)) {
      for (int v : s) {
        if (v != 1) {
          throw new IllegalArgumentException(
              "padding='same' is not supported for strided convolutions");
        }
      }
      lo = new int[pdim];
      hi = new int[pdim];
      if (weight.dim() == pdim + 2) {
        for (int i = 0; i < pdim; i++) {
          long total = (long) d[i] * (weight.size(2 + i) - 1);
          lo[i] = (int) (total / 2);
          hi[i] = (int) (total - lo[i]);
        }
      }
    } else {
      throw new IllegalArgumentException("Invalid padding string: '" + paddingString + "'");
    }
    if (groups <= 0) {
      throw new IllegalArgumentException("non-positive groups is not supported");
    }
    for (int i = 0; i < pdim; i++) {
      if (lo[i] < 0) {
        throw new IllegalArgumentException("negative padding is not supported");
      }
    }
    for (int v : op2) {
      if (v < 0) {
        throw new IllegalArgumentException("negative output_padding is not supported");
      }
    }
    for (int v : s) {
      if (v <= 0) {
        throw new IllegalArgumentException("non-positive stride is not supported");
      }
    }
    if (!transposed) {
      for (int v : d) {
        if (v <= 0) {
          throw new IllegalArgumentException(
              "dilation should be greater than zero, but got " + Arrays.toString(d));
        }
      }
    }
    boolean unbatched = input.dim() == nd + 1;
    Tensor x = unbatched ? input.unsqueeze(0) : input;
    if (weight.dim() != x.dim()) {
      throw new IllegalArgumentException(
          "Expected " + weight.dim() + "-dimensional input for " + weight.dim()
              + "-dimensional weight " + weight.shape() + ", but got " + x.dim()
              + "-dimensional input of size " + x.shape() + " instead");
    }
    checkDevice(op, input, weight, bias);
    if (!input.isFloatingPoint()) {
      throw new IllegalArgumentException(
          op + " is not implemented for " + input.dtype() + " input (float32 and float64 only)");
    }
    checkSameType(input, weight);
    if (bias != null && bias.dtype() != input.dtype()) {
      throw new IllegalArgumentException(
          "Input type (" + lowerTypeName(input.dtype()) + ") and bias type ("
              + lowerTypeName(bias.dtype()) + ") should be the same");
    }
    long w0 = weight.size(0);
    if (w0 < groups) {
      throw new IllegalArgumentException(
          "Given groups=" + groups + ", expected weight to be at least " + groups
              + " at dimension 0, but got weight of size " + weight.shape() + " instead");
    }
    if (w0 % groups != 0) {
      throw new IllegalArgumentException(
          "Given groups=" + groups + ", expected weight to be divisible by " + groups
              + " at dimension 0, but got weight of size [" + weight.shape() + "] instead");
    }
    long outChannels = transposed ? weight.size(1) * groups : w0;
    if (!transposed && x.size(1) != weight.size(1) * groups) {
      throw new ShapeMismatchException(
          "Given groups=" + groups + ", weight of size " + weight.shape() + ", expected input"
              + x.shape() + " to have " + (weight.size(1) * groups) + " channels, but got "
              + x.size(1) + " channels instead");
    }
    if (transposed && x.size(1) != w0) {
      throw new ShapeMismatchException(
          "Given transposed=1, weight of size " + weight.shape() + ", expected input"
              + x.shape() + " to have " + w0 + " channels, but got " + x.size(1)
              + " channels instead");
    }
    if (bias != null && (bias.dim() != 1 || bias.size(0) != outChannels)) {
      throw new ShapeMismatchException(
          (transposed ? "Given transposed=1, weight of size " : "Given weight of size ")
              + weight.shape() + ", expected bias to be 1-dimensional with " + outChannels
              + " elements, but got bias of size " + bias.shape() + " instead");
    }
    int[] in = new int[nd];
    int[] k = new int[nd];
    int[] out = new int[nd];
    for (int i = 0; i < nd; i++) {
      in[i] = x.shape().getInt(2 + i);
      k[i] = weight.shape().getInt(2 + i);
    }
    if (transposed) {
      checkTransposed(nd, s, d, op2, in, k, lo, out);
    } else {
      boolean fits = true;
      long[] padded = new long[nd];
      long[] ek = new long[nd];
      for (int i = 0; i < nd; i++) {
        padded[i] = (long) in[i] + lo[i] + hi[i];
        ek[i] = (long) d[i] * (k[i] - 1) + 1;
        fits &= padded[i] >= ek[i];
        out[i] = (int) ((padded[i] - ek[i]) / s[i] + 1);
      }
      if (!fits) {
        throw new ShapeMismatchException(
            "Calculated padded input size per channel: (" + join(padded) + "). Kernel size: ("
                + join(ek) + "). Kernel size can't be greater than actual input size");
      }
    }
    int n = x.shape().getInt(0);
    int cx = x.shape().getInt(1);
    int oc = (int) outChannels;
    // the convolution g of the forward pass (plain) or of which this is the transpose
    Geo g =
        transposed
            ? new Geo(n, oc, pad3(out, 1), cx, pad3(k, 1), pad3(s, 1), pad3(lo, 0), pad3(d, 1),
                groups, pad3(in, 1))
            : new Geo(n, cx, pad3(in, 1), oc, pad3(k, 1), pad3(s, 1), pad3(lo, 0), pad3(d, 1),
                groups, pad3(out, 1));
    long[] outShape = new long[nd + 2];
    outShape[0] = n;
    outShape[1] = oc;
    for (int i = 0; i < nd; i++) {
      outShape[2 + i] = out[i];
    }
    Tensor result = record(x, weight, bias, g, Shape.of(outShape), transposed);
    return unbatched ? result.squeeze(0) : result;
  }

  /** The checks of ATen's {@code slow_conv_transpose2d/3d_shape_check}, and the output size. */
  private static void checkTransposed(
      int nd, int[] s, int[] d, int[] op, int[] in, int[] k, int[] pad, int[] out) {
    String[] names = nd == 3 ? new String[] {"depth", "height", "width"}
        : new String[] {"height", "width"};
    // 1-d runs as 2-d with a height-1 kernel and input
    int[] s2 = nd == 1 ? new int[] {1, s[0]} : s;
    int[] d2 = nd == 1 ? new int[] {1, d[0]} : d;
    int[] op2 = nd == 1 ? new int[] {0, op[0]} : op;
    int[] in2 = nd == 1 ? new int[] {1, in[0]} : in;
    for (int v : d2) {
      if (v <= 0) {
        StringBuilder m = new StringBuilder("dilation should be greater than zero, but got ");
        for (int i = 0; i < names.length; i++) {
          m.append(i == 0 ? "" : ", ").append("dilation_").append(names[i]).append(": ")
              .append(d2[i]);
        }
        throw new IllegalArgumentException(m.toString());
      }
    }
    for (int i = 0; i < names.length; i++) {
      if (op2[i] >= s2[i] && op2[i] >= d2[i]) {
        StringBuilder m = new StringBuilder(
            "output padding must be smaller than either stride or dilation, but got");
        for (int[] v : new int[][] {op2, s2, d2}) {
          String what = v == op2 ? "output_padding_" : v == s2 ? "stride_" : "dilation_";
          for (int j = 0; j < names.length; j++) {
            m.append(' ').append(what).append(names[j]).append(": ").append(v[j]);
          }
        }
        throw new IllegalArgumentException(m.toString());
      }
    }
    boolean ok = true;
    long[] o = new long[nd];
    for (int i = 0; i < nd; i++) {
      o[i] = (long) (in[i] - 1) * s[i] - 2L * pad[i] + (long) d[i] * (k[i] - 1) + op[i] + 1;
      ok &= o[i] >= 1;
      out[i] = (int) o[i];
    }
    if (!ok) {
      long[] in2l = Arrays.stream(in2).asLongStream().toArray();
      long[] o2 = nd == 1 ? new long[] {1, o[0]} : o;
      throw new ShapeMismatchException(
          "Given input size per channel: (" + join(in2l) + "). Calculated output size per"
              + " channel: (" + join(o2) + "). Output size is too small");
    }
  }

  private static String join(long[] v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : " x ").append(v[i]);
    }
    return b.toString();
  }

  /** ATen's {@code expand_param_if_needed}: one value for every dim, or one value per dim. */
  static int[] expand(int[] v, String what, int dims) {
    if (v != null && v.length == 1) {
      int[] r = new int[dims];
      Arrays.fill(r, v[0]);
      return r;
    }
    if (v != null && v.length == dims) {
      return v.clone();
    }
    throw new IllegalArgumentException(
        "expected " + what + " to be a single integer value or a list of " + dims
            + " values to match the convolution dimensions, but got " + what + "="
            + Arrays.toString(v));
  }

  /** {@code v} padded in front to 3 dims with {@code fill} (depth, height, width). */
  private static int[] pad3(int[] v, int fill) {
    int[] r = new int[] {fill, fill, fill};
    System.arraycopy(v, 0, r, 3 - v.length, v.length);
    return r;
  }

  /** The forward pass and its {@code ConvolutionBackward0} node. */
  private static Tensor record(
      Tensor x, Tensor weight, Tensor bias, Geo g, Shape outShape, boolean transposed) {
    final Tensor xc = contig(x.detach());
    final Tensor wc = contig(weight.detach());
    final Shape xShape = x.shape();
    final Shape wShape = weight.shape();
    Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      out = transposed ? backwardData(xc, wc, g, outShape) : forward(xc, wc, g, outShape);
      if (bias != null && out.numel() > 0) {
        long[] bs = new long[outShape.rank()];
        Arrays.fill(bs, 1);
        bs[1] = outShape.get(1);
        try (Tensor b = bias.detach(); Tensor column = b.reshape(bs)) {
          out.addInPlace(column);
        }
      }
    }
    return Tensor.record(
        "ConvolutionBackward0",
        out,
        new Tensor[] {x, weight, bias},
        new Tensor[] {x, weight},
        gr -> {
          try (NoGrad ignored = NoGrad.enter()) {
            Tensor go = contig(gr[0]);
            Tensor gx = null;
            Tensor gw = null;
            Tensor gb = null;
            if (x.requiresGrad()) {
              gx = transposed ? forward(go, wc, g, xShape) : backwardData(go, wc, g, xShape);
            }
            if (weight.requiresGrad()) {
              gw = transposed ? backwardFilter(xc, go, g, wShape) : backwardFilter(go, xc, g,
                  wShape);
            }
            if (needsGrad(bias)) {
              Geo produced = transposed ? g.transposed() : g;
              gb = backwardBias(go, produced, bias.shape());
            }
            return new Tensor[] {gx, gw, gb};
          }
        });
  }

  /**
   * The sizes of one convolution over {@code (depth, height, width)} (1-d and 2-d have depth 1
   * and height 1): input {@code [n, c, in]}, weight {@code [oc, c / groups, k]}, output {@code
   * [n, oc, out]}; {@code pad} is the front padding (the back one is implied by {@code out}).
   */
  private record Geo(int n, int c, int[] in, int oc, int[] k, int[] s, int[] pad, int[] dil,
      int groups, int[] out) {

    /** The 2-d convolution over height and width with {@code batch} images. */
    Conv2dGeometry plane(int batch) {
      return new Conv2dGeometry(batch, c, in[1], in[2], oc, k[1], k[2], s[1], s[2], pad[1],
          pad[2], dil[1], dil[2], groups, out[1], out[2]);
    }

    /** Whether there is no depth to convolve over (1-d and 2-d). */
    boolean flat() {
      return in[0] == 1 && k[0] == 1 && out[0] == 1 && pad[0] == 0;
    }

    /** Depth of the zero-padded, depth-major input every kernel slice reads from. */
    int paddedDepth() {
      return Math.max(pad[0] + in[0], (out[0] - 1) * s[0] + (k[0] - 1) * dil[0] + 1);
    }

    /** The convolution whose output is this one's input (to read a transposed output's sizes). */
    Geo transposed() {
      return new Geo(n, oc, out, c, k, s, pad, dil, groups, in);
    }

    boolean empty() {
      return n == 0 || c == 0 || oc == 0 || Arrays.stream(in).anyMatch(v -> v == 0)
          || Arrays.stream(out).anyMatch(v -> v == 0);
    }
  }

  private static Tensor zerosOf(Shape s, Tensor like) {
    return Tensor.zeros(s, like.dtype(), like.device());
  }

  /** {@code t} ({@code [n, ch, d, h, w]}) as a fresh contiguous {@code [n, d, ch, h, w]}. */
  private static Tensor depthMajor(Tensor t) {
    try (Tensor p = t.permute(0, 2, 1, 3, 4)) {
      return ViewOps.contiguousRaw(p);
    }
  }

  /** The input planes kernel slice {@code kd} reads, {@code [n * out_d, c, h, w]} contiguous. */
  private static Tensor depthSlice(Tensor padded, Geo g, int kd) {
    int start = kd * g.dil()[0];
    try (Tensor v = padded.slice(1, start, start + (long) (g.out()[0] - 1) * g.s()[0] + 1,
        g.s()[0])) {
      return ViewOps.contiguousRaw(v);
    }
  }

  /** {@code x} zero-padded in depth and depth-major: {@code [n, paddedDepth, c, h, w]}. */
  private static Tensor paddedInput(Tensor x, Geo g) {
    Tensor p = zerosOf(Shape.of(g.n(), g.paddedDepth(), g.c(), g.in()[1], g.in()[2]), x);
    try (Tensor inner = p.narrow(1, g.pad()[0], g.in()[0]);
        Tensor xt = depthMajor(x)) {
      inner.copyFrom(xt);
    }
    return p;
  }

  private static Tensor depthSliceOfWeight(Tensor w, Geo g, int kd) {
    try (Tensor v = w.select(2, kd)) {
      return ViewOps.contiguousRaw(v);
    }
  }

  /*
   * The depth path below runs only for 3-d convolutions, whose tensors are 5-d: x [n, c, D, H, W],
   * w [oc, c / groups, kD, kH, kW], y [n, oc, oD, oH, oW]. Temporaries (copies made with {@code
   * contiguousRaw}, never aliases of an input) are closed as soon as they are used, so that a
   * step's device memory does not wait for the garbage collector.
   */

  /** The convolution {@code g} of {@code x} (no bias), shaped {@code outShape}. */
  private static Tensor forward(Tensor x, Tensor w, Geo g, Shape outShape) {
    ConvKernels k = backend(x).conv();
    if (g.empty()) {
      return zerosOf(outShape, x);
    }
    if (g.flat()) {
      Tensor out = Tensor.uninitialized(outShape, x.dtype(), x.device());
      k.conv2d(x.view(), w.view(), null, buf(out), g.plane(g.n()));
      return out;
    }
    int od = g.out()[0];
    Tensor acc = zerosOf(Shape.of(g.n(), od, g.oc(), g.out()[1], g.out()[2]), x);
    try (Tensor padded = paddedInput(x, g)) {
      for (int kd = 0; kd < g.k()[0]; kd++) {
        try (Tensor xs = depthSlice(padded, g, kd);
            Tensor wk = depthSliceOfWeight(w, g, kd);
            Tensor yk = zerosOf(Shape.of((long) g.n() * od, g.oc(), g.out()[1], g.out()[2]), x)) {
          k.conv2d(xs.view(), wk.view(), null, buf(yk), g.plane(g.n() * od));
          try (Tensor y5 = yk.view(acc.shape().dims())) {
            acc.addInPlace(y5);
          }
        }
      }
    }
    try (acc) {
      return depthMajor(acc); // [n, od, oc, oh, ow] -> [n, oc, od, oh, ow]
    }
  }

  /** The gradient of convolution {@code g} with respect to its input, shaped {@code inShape}. */
  private static Tensor backwardData(Tensor gy, Tensor w, Geo g, Shape inShape) {
    ConvKernels k = backend(gy).conv();
    if (g.empty()) {
      return zerosOf(inShape, gy);
    }
    if (g.flat()) {
      Tensor gx = zerosOf(inShape, gy);
      k.conv2dBackwardData(gy.view(), w.view(), buf(gx), g.plane(g.n()));
      return gx;
    }
    int od = g.out()[0];
    Tensor padded =
        zerosOf(Shape.of(g.n(), g.paddedDepth(), g.c(), g.in()[1], g.in()[2]), gy);
    try (Tensor gyt = depthMajor(gy)) {
      for (int kd = 0; kd < g.k()[0]; kd++) {
        int start = kd * g.dil()[0];
        try (Tensor wk = depthSliceOfWeight(w, g, kd);
            Tensor gk = zerosOf(Shape.of((long) g.n() * od, g.c(), g.in()[1], g.in()[2]), gy);
            Tensor dst = padded.slice(1, start, start + (long) (od - 1) * g.s()[0] + 1,
                g.s()[0])) {
          k.conv2dBackwardData(gyt.view(), wk.view(), buf(gk), g.plane(g.n() * od));
          try (Tensor g5 = gk.view(dst.shape().dims())) {
            dst.addInPlace(g5);
          }
        }
      }
    }
    try (padded; Tensor inner = padded.narrow(1, g.pad()[0], g.in()[0])) {
      return depthMajor(inner); // [n, D, c, H, W] -> [n, c, D, H, W]
    }
  }

  /** The gradient of convolution {@code g} with respect to its weight, shaped {@code wShape}. */
  private static Tensor backwardFilter(Tensor gy, Tensor x, Geo g, Shape wShape) {
    ConvKernels k = backend(gy).conv();
    if (g.empty()) {
      return zerosOf(wShape, gy);
    }
    if (g.flat()) {
      Tensor gw = zerosOf(wShape, gy);
      k.conv2dBackwardFilter(gy.view(), x.view(), buf(gw), g.plane(g.n()));
      return gw;
    }
    int od = g.out()[0];
    Tensor gw = Tensor.uninitialized(wShape, gy.dtype(), gy.device());
    try (Tensor gyt = depthMajor(gy); Tensor padded = paddedInput(x, g)) {
      for (int kd = 0; kd < g.k()[0]; kd++) {
        try (Tensor xs = depthSlice(padded, g, kd);
            Tensor gk = zerosOf(Shape.of(g.oc(), g.c() / g.groups(), g.k()[1], g.k()[2]), gy);
            Tensor dst = gw.select(2, kd)) {
          k.conv2dBackwardFilter(gyt.view(), xs.view(), buf(gk), g.plane(g.n() * od));
          dst.copyFrom(gk);
        }
      }
    }
    return gw;
  }

  /**
   * The gradient of the bias: {@code gy} summed over all dims but 1, by the back end's bias pass
   * on a pointwise 2-d geometry over the flattened spatial dims (a valid convolution, which
   * cuDNN's plan needs).
   */
  private static Tensor backwardBias(Tensor gy, Geo g, Shape bShape) {
    Tensor gb = zerosOf(bShape, gy);
    int spatial = g.out()[0] * g.out()[1];
    if ((long) g.n() * g.oc() * spatial * g.out()[2] == 0) {
      return gb;
    }
    backend(gy).conv().conv2dBackwardBias(gy.view(), buf(gb),
        new Conv2dGeometry(g.n(), g.oc(), spatial, g.out()[2], g.oc(), 1, 1, 1, 1, 0, 0, 1, 1, 1,
            spatial, g.out()[2]));
    return gb;
  }
}
