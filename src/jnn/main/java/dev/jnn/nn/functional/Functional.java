package dev.jnn.nn.functional;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.Backend;
import dev.jnn.backend.Backends;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.AdaptivePool2dGeometry;
import dev.jnn.backend.BatchNormShape;
import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.ConvKernels;
import dev.jnn.backend.EmbeddingShape;
import dev.jnn.backend.GemmSpec;
import dev.jnn.backend.IndexKernels;
import dev.jnn.backend.LayerNormShape;
import dev.jnn.backend.NllShape;
import dev.jnn.backend.NormKernels;
import dev.jnn.backend.Pool2dGeometry;
import dev.jnn.backend.PoolKernels;
import dev.jnn.backend.SoftmaxKernels;
import dev.jnn.backend.SoftmaxShape;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import dev.jnn.tensor.FusedOps;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's {@code torch.nn.functional}: stateless, differentiable neural-network operations.
 *
 * <p>Names are PyTorch's, camelCased ({@code F.max_pool2d} is {@link #maxPool2d}); keyword
 * arguments become overloads, an "int or tuple" argument is an {@code int[]} of length 1 or 2 (or
 * a plain {@code int} overload), and {@code None} is {@code null}. Semantics, output shapes,
 * gradients and error messages follow PyTorch 1.13; see <a
 * href="https://pytorch.org/docs/1.13/nn.functional.html">torch.nn.functional</a> for the full
 * definitions.
 *
 * <p>Every operation records an autograd node when grad mode is on and an input requires grad.
 * The heavy operations (convolution, pooling, batch and layer norm, softmax, the negative
 * log-likelihood and the fused cross-entropy) run dedicated back-end kernels (the SPI's {@link ConvKernels}, {@link PoolKernels}, ... families)
 * forward and backward; the rest are compositions of {@link Tensor} operations.
 *
 * <pre>{@code
 * Tensor h = Functional.relu(Functional.conv2d(x, w1, b1));
 * Tensor loss = Functional.crossEntropy(Functional.linear(h.flatten(1, -1), w2, b2), labels);
 * loss.backward();
 * }</pre>
 */
public final class Functional {
  /** PyTorch's default {@code ignore_index} for the classification losses. */
  public static final int DEFAULT_IGNORE_INDEX = -100;

  private Functional() {}

  // ================================================================== helpers

  private static Backend backend(Tensor t) {
    return Backends.forDevice(t.device());
  }

  /** {@code t} itself when contiguous, else a contiguous copy cut from the graph. */
  private static Tensor contig(Tensor t) {
    if (t == null) {
      return null;
    }
    return t.isContiguous() ? t : t.detach().contiguous();
  }

  private static View view(Tensor t) {
    return t == null ? null : t.view();
  }

  private static Buffer buf(Tensor t) {
    return t.storage().buffer();
  }

  private static Tensor zeros(Shape s, Tensor like) {
    return Tensor.zeros(s, like.dtype(), like.device());
  }

  /** For an output the kernel overwrites entirely (no zeroing pass). */
  private static Tensor uninitialized(Shape s, Tensor like) {
    return Tensor.uninitialized(s, like.dtype(), like.device());
  }

  private static boolean needsGrad(Tensor t) {
    return t != null && t.requiresGrad();
  }

  /** PyTorch's scalar-type name for messages ({@code Float}, {@code Double}, {@code Long}). */
  private static String typeName(DType d) {
    return switch (d) {
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      case INT64 -> "Long";
      case BOOL -> "Bool";
    };
  }

  private static String lowerTypeName(DType d) {
    return switch (d) {
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      case INT64 -> "long int";
      case BOOL -> "bool";
    };
  }

  private static void checkFloating(String op, Tensor t) {
    if (!t.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "\"" + op + "\" not implemented for '" + typeName(t.dtype()) + "'");
    }
  }

  /** {@code expected scalar type Float but found Double}, as PyTorch's dtype checks say. */
  private static void checkSameType(Tensor ref, Tensor other) {
    if (other != null && other.dtype() != ref.dtype()) {
      throw new IllegalArgumentException(
          "expected scalar type "
              + typeName(ref.dtype())
              + " but found "
              + typeName(other.dtype()));
    }
  }

  private static void checkDevice(String op, Tensor ref, Tensor... others) {
    for (Tensor o : others) {
      if (o != null && !o.device().equals(ref.device())) {
        throw new IllegalArgumentException(
            "Expected all tensors to be on the same device, but found at least two devices, "
                + ref.device()
                + " and "
                + o.device()
                + "! (when checking argument for "
                + op
                + ")");
      }
    }
  }

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

  /** Reduces a per-element loss tensor. */
  private static Tensor reduce(Tensor loss, Reduction reduction) {
    return switch (reduction) {
      case NONE -> loss;
      case SUM -> loss.sum();
      case MEAN -> loss.mean();
    };
  }

  private static Reduction checkReduction(Reduction r) {
    if (r == null) {
      throw new IllegalArgumentException("None is not a valid value for reduction");
    }
    return r;
  }

  // ================================================================== convolution

  /** {@code F.conv2d(input, weight)}: stride 1, no padding, no bias. */
  public static Tensor conv2d(Tensor input, Tensor weight) {
    return conv2d(input, weight, null, new int[] {1}, new int[] {0}, new int[] {1}, 1);
  }

  /** {@code F.conv2d(input, weight, bias)}; {@code bias} may be null. */
  public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
    return conv2d(input, weight, bias, new int[] {1}, new int[] {0}, new int[] {1}, 1);
  }

  /** {@code F.conv2d(input, weight, bias, stride=stride, padding=padding)}. */
  public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
    return conv2d(
        input, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {1}, 1);
  }

  /**
   * 2-D convolution ({@code F.conv2d}) with zero padding.
   *
   * <p>Shape: input {@code [N, C, H, W]} or unbatched {@code [C, H, W]}; weight {@code [OC, C /
   * groups, kH, kW]}; bias {@code [OC]} or null; output {@code [N, OC, OH, OW]} (or {@code [OC,
   * OH, OW]}) with {@code OH = (H + 2 * padH - dilationH * (kH - 1) - 1) / strideH + 1}.
   *
   * @param input the images
   * @param weight the filters
   * @param bias optional per-output-channel bias
   * @param stride one value or {@code {strideH, strideW}}
   * @param padding one value or {@code {padH, padW}} (zeros added on both sides)
   * @param dilation one value or {@code {dilationH, dilationW}}
   * @param groups channel groups
   * @return the convolution
   * @throws IllegalArgumentException with PyTorch's message for a wrong rank, channel count,
   *     bias size, dtype, or a kernel larger than the padded input
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

  /**
   * 2-D convolution with a padding string ({@code padding="same"} or {@code "valid"}).
   * {@code "same"} pads so that the output has the input's size (stride must be 1); when the
   * total padding {@code dilation * (k - 1)} is odd, the extra row/column goes at the bottom/right,
   * as in PyTorch.
   *
   * @param input the images ({@code [N, C, H, W]} or {@code [C, H, W]})
   * @param weight the filters
   * @param bias optional bias
   * @param stride one value or two
   * @param padding {@code "same"} or {@code "valid"}
   * @param dilation one value or two
   * @param groups channel groups
   * @return the convolution
   */
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

  // ================================================================== linear

  /** {@code F.linear(input, weight)}: {@code input @ weight^T}. */
  public static Tensor linear(Tensor input, Tensor weight) {
    return linear(input, weight, null);
  }

  /**
   * Affine map ({@code F.linear}): {@code y = x W^T + b}.
   *
   * <p>Shape: input {@code [*, in]}, weight {@code [out, in]}, bias {@code [out]} or null, output
   * {@code [*, out]}. A contiguous input with a 2-D weight runs one GEMM with the bias written
   * into the output first; other layouts fall back to {@link Tensor#matmul}.
   *
   * @param input the input
   * @param weight the weight
   * @param bias optional bias
   * @return the affine map
   */
  public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
    checkDevice("linear", input, weight, bias);
    boolean fast =
        input.dim() >= 1
            && weight.dim() == 2
            && input.isFloatingPoint()
            && input.dtype() == weight.dtype()
            && (bias == null || (bias.dim() == 1 && bias.dtype() == input.dtype()))
            && input.size(-1) == weight.size(1)
            && (bias == null || bias.size(0) == weight.size(0));
    if (!fast) {
      if (input.dtype() != weight.dtype() && input.isFloatingPoint()) {
        throw new IllegalArgumentException("mat1 and mat2 must have the same dtype");
      }
      Tensor y = input.matmul(weight.t());
      return bias == null ? y : y.add(bias);
    }
    long in = weight.size(1);
    long outF = weight.size(0);
    long[] outDims = input.shape().dims();
    outDims[outDims.length - 1] = outF;
    long rows = 1;
    for (int i = 0; i < input.dim() - 1; i++) {
      rows *= input.size(i);
    }
    int m = Math.toIntExact(rows);
    final int mm = m;
    final int n = (int) outF;
    final int kk = (int) in;
    final Tensor xc = contig(input);
    final Tensor wc = contig(weight);
    final Backend be = backend(input);
    Tensor out = Tensor.empty(Shape.of(outDims), input.dtype(), input.device());
    if (bias != null && mm > 0) {
      Tensor bc = contig(bias);
      be.copy(
          new View(buf(bc), new int[] {mm, n}, new int[] {0, 1}, bc.view().offset()),
          View.contiguous(buf(out), new int[] {mm, n}));
    }
    if (mm > 0 && n > 0 && kk > 0) {
      be.gemm(GemmSpec.of(false, true, mm, n, kk, GemmSpec.Operand.at(xc.view().offset(), kk),
              GemmSpec.Operand.at(wc.view().offset(), kk), GemmSpec.Operand.at(0, n))
              .accumulating(bias != null),
          buf(xc), buf(wc), buf(out));
    }
    final Shape inShape = input.shape();
    return Tensor.record(
        "AddmmBackward0",
        out,
        new Tensor[] {input, weight, bias},
        new Tensor[] {input, weight},
        gr -> {
          Tensor g = contig(gr[0]);
          int go = g.view().offset();
          Tensor gx = null;
          Tensor gw = null;
          Tensor gb = null;
          boolean product = mm > 0 && kk > 0 && n > 0; // the GEMMs below write every element
          if (input.requiresGrad()) {
            gx = product ? uninitialized(inShape, input) : zeros(inShape, input);
            if (mm > 0 && kk > 0 && n > 0) {
              be.gemm(GemmSpec.of(false, false, mm, kk, n, GemmSpec.Operand.at(go, n),
                      GemmSpec.Operand.at(wc.view().offset(), kk), GemmSpec.Operand.at(0, kk)),
                  buf(g), buf(wc), buf(gx));
            }
          }
          if (weight.requiresGrad()) {
            gw = product ? uninitialized(weight.shape(), weight) : zeros(weight.shape(), weight);
            if (mm > 0 && kk > 0 && n > 0) {
              be.gemm(GemmSpec.of(true, false, n, kk, mm, GemmSpec.Operand.at(go, n),
                      GemmSpec.Operand.at(xc.view().offset(), kk), GemmSpec.Operand.at(0, kk)),
                  buf(g), buf(xc), buf(gw));
            }
          }
          if (needsGrad(bias)) {
            gb = g.reshape(mm, n).sum(0, false);
          }
          return new Tensor[] {gx, gw, gb};
        });
  }

  // ================================================================== activations

  /** {@code F.relu}: {@code max(x, 0)}. */
  public static Tensor relu(Tensor input) {
    return input.relu();
  }

  /**
   * {@code F.relu(input, inplace)}: with {@code inplace}, {@link #relu_} (the input is modified
   * and returned), else {@link #relu(Tensor)}.
   */
  public static Tensor relu(Tensor input, boolean inplace) {
    return inplace ? relu_(input) : input.relu();
  }

  /** {@code F.relu_}: {@code max(x, 0)} in place ({@link Tensor#reluInPlace()}). */
  public static Tensor relu_(Tensor input) {
    return input.reluInPlace();
  }

  /** {@code F.leaky_relu} with PyTorch's default slope 0.01. */
  public static Tensor leakyRelu(Tensor input) {
    return input.leakyRelu(0.01);
  }

  /** {@code F.leaky_relu(input, negative_slope)}: {@code x > 0 ? x : slope * x}. */
  public static Tensor leakyRelu(Tensor input, double negativeSlope) {
    return input.leakyRelu(negativeSlope);
  }

  /** {@code F.gelu}, exact (erf) form. */
  public static Tensor gelu(Tensor input) {
    return input.gelu();
  }

  /** {@code F.gelu(input, approximate)} with {@code approximate} = {@code "none"} or {@code "tanh"}. */
  public static Tensor gelu(Tensor input, String approximate) {
    return input.gelu(approximate);
  }

  /** {@code F.sigmoid} / {@code torch.sigmoid}. */
  public static Tensor sigmoid(Tensor input) {
    return input.sigmoid();
  }

  /** {@code F.tanh} / {@code torch.tanh}. */
  public static Tensor tanh(Tensor input) {
    return input.tanh();
  }

  // ================================================================== softmax

  /**
   * {@code F.softmax(input, dim)}: {@code exp(x) / sum(exp(x))} along {@code dim}, computed with
   * the maximum subtracted first.
   */
  public static Tensor softmax(Tensor input, int dim) {
    return softmaxOp(input, dim, false);
  }

  /**
   * {@code F.log_softmax(input, dim)}: {@code x - max - log(sum(exp(x - max)))} along {@code
   * dim}, numerically stable.
   */
  public static Tensor logSoftmax(Tensor input, int dim) {
    return softmaxOp(input, dim, true);
  }

  /** [outer, size, inner] of {@code t} around {@code dim}. */
  private static int[] around(Tensor t, int dim) {
    if (t.dim() == 0) {
      return new int[] {1, 1, 1};
    }
    long outer = 1;
    long inner = 1;
    for (int i = 0; i < dim; i++) {
      outer *= t.size(i);
    }
    for (int i = dim + 1; i < t.dim(); i++) {
      inner *= t.size(i);
    }
    return new int[] {Math.toIntExact(outer), t.shape().getInt(dim), Math.toIntExact(inner)};
  }

  private static Tensor softmaxOp(Tensor input, int dim, boolean log) {
    int d = Shape.normalizeDim(dim, input.dim());
    checkFloating(log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl", input);
    final int[] osi = around(input, d);
    final Tensor xc = contig(input);
    final SoftmaxKernels k = backend(input).softmax();
    final SoftmaxShape sh = new SoftmaxShape(osi[0], osi[1], osi[2], log);
    final Tensor out = Tensor.empty(input.shape(), input.dtype(), input.device());
    if (input.numel() > 0) {
      k.softmax(xc.view(), sh, buf(out));
    }
    return Tensor.record(
        log ? "LogSoftmaxBackward0" : "SoftmaxBackward0",
        out,
        new Tensor[] {input},
        new Tensor[] {out},
        gr -> {
          Tensor g = contig(gr[0]);
          Tensor gi = zeros(input.shape(), input);
          if (input.numel() > 0) {
            k.softmaxBackward(g.view(), out.view(), sh, buf(gi));
          }
          return new Tensor[] {gi};
        });
  }

  // ================================================================== pooling

  /** Pooling output size (PyTorch's {@code pooling_output_shape}), with its argument checks. */
  private static long poolOut(long in, int k, int pad, int stride, int dil, boolean ceil) {
    if (stride == 0) {
      throw new IllegalArgumentException("stride should not be zero");
    }
    if (pad < 0) {
      throw new IllegalArgumentException("pad must be non-negative, but got pad: " + pad);
    }
    if (pad > k / 2) {
      throw new IllegalArgumentException(
          "pad should be at most half of kernel size, but got pad=" + pad + " and kernel_size="
              + k);
    }
    long num = in + 2L * pad - (long) dil * (k - 1) - 1 + (ceil ? stride - 1 : 0);
    long out = Math.floorDiv(num, (long) stride) + 1;
    if (ceil && (out - 1) * stride >= in + pad) {
      out--;
    }
    return out;
  }

  /** PyTorch's {@code pool2d_shape_check}. */
  private static Pool2dGeometry poolGeometry(
      Tensor input, int[] k, int[] s, int[] p, int[] d, boolean ceil) {
    for (int i = 0; i < 2; i++) {
      // poolOut's first two checks, in its order
      if (s[i] == 0) {
        throw new IllegalArgumentException("stride should not be zero");
      }
      if (p[i] < 0) {
        throw new IllegalArgumentException("pad must be non-negative, but got pad: " + p[i]);
      }
    }
    if (k[0] <= 0 || k[1] <= 0) {
      // before the pad-vs-kernel check: PyTorch checks this later, so that MaxPool2d(-2)
      // complains about the padding there ("pad should be at most half of kernel size")
      throw new IllegalArgumentException(
          "kernel size should be greater than zero, but got kH: " + k[0] + " kW: " + k[1]);
    }
    long oh = poolOut(input.size(-2), k[0], p[0], s[0], d[0], ceil);
    long ow = poolOut(input.size(-1), k[1], p[1], s[1], d[1], ceil);
    if (k[0] <= 0 || k[1] <= 0) {
      throw new IllegalArgumentException(
          "kernel size should be greater than zero, but got kH: " + k[0] + " kW: " + k[1]);
    }
    if (s[0] <= 0 || s[1] <= 0) {
      throw new IllegalArgumentException(
          "stride should be greater than zero, but got dH: " + s[0] + " dW: " + s[1]);
    }
    if (d[0] <= 0 || d[1] <= 0) {
      throw new IllegalArgumentException(
          "dilation should be greater than zero, but got dilationH: " + d[0] + " dilationW: "
              + d[1]);
    }
    int nd = input.dim();
    boolean valid =
        input.size(nd - 3) != 0
            && input.size(nd - 2) != 0
            && input.size(nd - 1) != 0
            && (nd == 4 || input.size(0) != 0);
    if (!valid) {
      throw new IllegalArgumentException(
          "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but"
              + " got:" + input.shape());
    }
    if (oh < 1 || ow < 1) {
      long c = input.size(nd - 3);
      throw new IllegalArgumentException(
          "Given input size: (" + c + "x" + input.size(-2) + "x" + input.size(-1) + "). "
              + "Calculated output size: (" + c + "x" + oh + "x" + ow + "). "
              + "Output size is too small");
    }
    long planes = input.numel() / Math.max(1, input.size(-2) * input.size(-1));
    if (input.size(-2) * input.size(-1) == 0) {
      planes = 0;
    }
    return new Pool2dGeometry(
        Math.toIntExact(planes),
        input.shape().getInt(-2),
        input.shape().getInt(-1),
        k[0],
        k[1],
        s[0],
        s[1],
        p[0],
        p[1],
        d[0],
        d[1],
        (int) oh,
        (int) ow);
  }

  private static int[] poolPair(int[] v, String op, String what, boolean allowEmpty, int[] dflt) {
    if (v == null || v.length == 0) {
      if (allowEmpty) {
        return dflt.clone();
      }
    } else if (v.length == 1) {
      return new int[] {v[0], v[0]};
    } else if (v.length == 2) {
      return v.clone();
    }
    throw new IllegalArgumentException(
        op + ": " + what + " must either be "
            + (allowEmpty ? "omitted, " : "")
            + "a single int, or a tuple of two ints");
  }

  private static void checkPoolInput(Tensor input) {
    if (input.dim() != 3 && input.dim() != 4) {
      throw new IllegalArgumentException(
          "non-empty 3D or 4D (batch mode) tensor expected for input");
    }
  }

  private static Shape pooledShape(Tensor input, Pool2dGeometry g) {
    long[] dims = input.shape().dims();
    dims[dims.length - 2] = g.oh();
    dims[dims.length - 1] = g.ow();
    return Shape.of(dims);
  }

  /** {@code F.max_pool2d(input, kernel_size)}: stride = kernel size, no padding. */
  public static Tensor maxPool2d(Tensor input, int kernelSize) {
    return maxPool2d(input, new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
  }

  /** {@code F.max_pool2d(input, kernel_size, stride)}. */
  public static Tensor maxPool2d(Tensor input, int kernelSize, int stride) {
    return maxPool2d(
        input, new int[] {kernelSize}, new int[] {stride}, new int[] {0}, new int[] {1}, false);
  }

  /** {@code F.max_pool2d(input, kernel_size, stride, padding)}. */
  public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
    return maxPool2d(
        input, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1},
        false);
  }

  /**
   * 2-D max pooling ({@code F.max_pool2d}).
   *
   * <p>Shape: input {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, OH, OW]} with
   * {@code OH = floor_or_ceil((H + 2 * padH - dilationH * (kH - 1) - 1) / strideH) + 1} (with
   * {@code ceilMode}, a window that would start in the right padding is dropped).
   *
   * @param input the images
   * @param kernelSize one value or {@code {kH, kW}}
   * @param stride one value, two, or null/empty for the kernel size
   * @param padding one value or two (implicit {@code -inf} padding, at most half the kernel)
   * @param dilation one value or two
   * @param ceilMode round the output size up instead of down
   * @return the pooled images
   */
  public static Tensor maxPool2d(
      Tensor input,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      int[] dilation,
      boolean ceilMode) {
    return maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).output();
  }

  /**
   * {@link #maxPool2d} that also returns where each maximum came from ({@code
   * return_indices=True}): the flat index {@code row * W + column} inside its {@code H x W}
   * plane, as PyTorch gives to {@code max_unpool2d}.
   */
  public static TensorWithIndices maxPool2dWithIndices(
      Tensor input,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      int[] dilation,
      boolean ceilMode) {
    int[] k = poolPair(kernelSize, "max_pool2d", "kernel_size", false, null);
    int[] s = poolPair(stride, "max_pool2d", "stride", true, k);
    int[] p = poolPair(padding, "max_pool2d", "padding", false, null);
    int[] d = poolPair(dilation, "max_pool2d", "dilation", false, null);
    checkPoolInput(input);
    checkFloating("max_pool2d", input);
    final Pool2dGeometry g = poolGeometry(input, k, s, p, d, ceilMode);
    final Tensor xc = contig(input);
    final PoolKernels kn = backend(input).pool();
    Shape os = pooledShape(input, g);
    Tensor out = Tensor.uninitialized(os, input.dtype(), input.device());
    final Tensor idx = Tensor.uninitialized(os, DType.INT64, input.device());
    if (g.planes() > 0) {
      kn.maxPool2d(xc.view(), buf(out), buf(idx), g);
    }
    out =
        Tensor.record(
            "MaxPool2DWithIndicesBackward0",
            out,
            new Tensor[] {input},
            new Tensor[] {idx},
            gr -> {
              Tensor go = contig(gr[0]);
              Tensor gi = zeros(input.shape(), input);
              if (g.planes() > 0) {
                kn.maxPool2dBackward(go.view(), idx.view(), buf(gi), g);
              }
              return new Tensor[] {gi};
            });
    return new TensorWithIndices(out, idx);
  }

  /** {@code F.avg_pool2d(input, kernel_size)}: stride = kernel size, no padding. */
  public static Tensor avgPool2d(Tensor input, int kernelSize) {
    return avgPool2d(input, new int[] {kernelSize}, null, new int[] {0}, false, true, null);
  }

  /** {@code F.avg_pool2d(input, kernel_size, stride, padding)}, padded zeros counted. */
  public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
    return avgPool2d(
        input, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true, null);
  }

  /**
   * 2-D average pooling ({@code F.avg_pool2d}).
   *
   * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
   * @param kernelSize one value or two
   * @param stride one value, two, or null/empty for the kernel size
   * @param padding one value or two (zero padding, at most half the kernel)
   * @param ceilMode round the output size up
   * @param countIncludePad whether padded zeros count in the divisor
   * @param divisorOverride a fixed divisor, or null
   * @return the pooled images
   */
  public static Tensor avgPool2d(
      Tensor input,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      boolean ceilMode,
      boolean countIncludePad,
      Integer divisorOverride) {
    int[] k = poolPair(kernelSize, "avg_pool2d", "kernel_size", false, null);
    int[] s = poolPair(stride, "avg_pool2d", "stride", true, k);
    int[] p = poolPair(padding, "avg_pool2d", "padding", false, null);
    if (divisorOverride != null && divisorOverride == 0) {
      throw new IllegalArgumentException("divisor must be not zero");
    }
    checkPoolInput(input);
    checkFloating("avg_pool2d", input);
    final Pool2dGeometry g = poolGeometry(input, k, s, p, new int[] {1, 1}, ceilMode);
    final int div = divisorOverride == null ? 0 : divisorOverride;
    final Tensor xc = contig(input);
    final PoolKernels kn = backend(input).pool();
    Tensor out = Tensor.empty(pooledShape(input, g), input.dtype(), input.device());
    if (g.planes() > 0) {
      kn.avgPool2d(xc.view(), buf(out), g, countIncludePad, div);
    }
    return Tensor.record(
        "AvgPool2DBackward0",
        out,
        new Tensor[] {input},
        new Tensor[0],
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gi = zeros(input.shape(), input);
          if (g.planes() > 0) {
            kn.avgPool2dBackward(go.view(), buf(gi), g, countIncludePad, div);
          }
          return new Tensor[] {gi};
        });
  }

  /** {@code F.adaptive_avg_pool2d(input, output_size)} with a square output. */
  public static Tensor adaptiveAvgPool2d(Tensor input, int outputSize) {
    return adaptiveAvgPool2d(input, new int[] {outputSize});
  }

  /**
   * Adaptive average pooling ({@code F.adaptive_avg_pool2d}): output cell {@code i} averages
   * input rows {@code floor(i * H / OH)} to {@code ceil((i + 1) * H / OH)} (exclusive), likewise
   * for columns.
   *
   * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
   * @param outputSize one value or {@code {OH, OW}}
   * @return {@code [N, C, OH, OW]} (or {@code [C, OH, OW]})
   */
  public static Tensor adaptiveAvgPool2d(Tensor input, int[] outputSize) {
    int[] os = poolPair(outputSize, "adaptive_avg_pool2d", "output_size", false, null);
    if (input.dim() != 3 && input.dim() != 4) {
      throw new IllegalArgumentException(
          "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got " + input.shape());
    }
    for (int i = 1; i < input.dim(); i++) {
      if (input.size(i) == 0) {
        throw new IllegalArgumentException(
            "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch"
                + " dimensions, but input has sizes " + input.shape() + " with dimension " + i
                + " being empty");
      }
    }
    if (os[0] < 0 || os[1] < 0) {
      throw new IllegalArgumentException(
          "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but"
              + " received {" + os[0] + ", " + os[1] + "}");
    }
    checkFloating("adaptive_avg_pool2d", input);
    final int h = input.shape().getInt(-2);
    final int w = input.shape().getInt(-1);
    final int planes = Math.toIntExact(input.numel() / ((long) h * w));
    long[] dims = input.shape().dims();
    dims[dims.length - 2] = os[0];
    dims[dims.length - 1] = os[1];
    final Tensor xc = contig(input);
    final PoolKernels kn = backend(input).pool();
    Tensor out = Tensor.empty(Shape.of(dims), input.dtype(), input.device());
    final int oh = os[0];
    final int ow = os[1];
    if (planes > 0 && oh > 0 && ow > 0) {
      kn.adaptiveAvgPool2d(xc.view(), buf(out), new AdaptivePool2dGeometry(planes, h, w, oh, ow));
    }
    return Tensor.record(
        "AdaptiveAvgPool2DBackward0",
        out,
        new Tensor[] {input},
        new Tensor[0],
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gi = zeros(input.shape(), input);
          if (planes > 0 && oh > 0 && ow > 0) {
            kn.adaptiveAvgPool2dBackward(
                go.view(), buf(gi), new AdaptivePool2dGeometry(planes, h, w, oh, ow));
          }
          return new Tensor[] {gi};
        });
  }

  // ================================================================== normalisation

  private static void checkPerChannel(Tensor t, String name, long c, Tensor input) {
    if (t == null) {
      return;
    }
    if (t.numel() != c) {
      throw new ShapeMismatchException(
          name + " should contain " + c + " elements not " + t.numel());
    }
    checkSameType(input, t);
  }

  /**
   * Batch normalisation ({@code F.batch_norm}) over dim 1 of {@code [N, C, *]}.
   *
   * <p>With {@code training}, normalises with the batch's mean and biased variance and, when the
   * running statistics are given, updates them in place (without recording autograd): {@code
   * running = (1 - momentum) * running + momentum * batchStat}, using the <em>unbiased</em>
   * variance for {@code runningVar}. Without {@code training}, normalises with the running
   * statistics, which must be given.
   *
   * <p>{@code momentum} is the effective exponential-average factor, as in PyTorch's {@code
   * F.batch_norm}: a layer with {@code momentum=None} (cumulative moving average) passes {@code
   * 1.0 / numBatchesTracked} after incrementing its counter.
   *
   * @param input {@code [N, C]} or {@code [N, C, *]}
   * @param runningMean {@code [C]} or null
   * @param runningVar {@code [C]} or null
   * @param weight optional scale {@code [C]}
   * @param bias optional shift {@code [C]}
   * @param training use batch statistics (and update the running ones)
   * @param momentum the exponential-average factor for the running statistics
   * @param eps added to the variance
   * @return the normalised input, same shape
   */
  public static Tensor batchNorm(
      Tensor input,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    if (input.dim() < 2) {
      throw new IllegalArgumentException(
          "batch_norm(): expected an input of at least 2 dims [N, C, *], but got input of size "
              + input.shape());
    }
    checkFloating("batch_norm", input);
    checkDevice("batch_norm", input, runningMean, runningVar, weight, bias);
    final long c = input.size(1);
    if (!training && (runningMean == null || runningVar == null)) {
      throw new IllegalArgumentException(
          (runningMean == null ? "running_mean" : "running_var")
              + " must be defined in evaluation mode");
    }
    checkPerChannel(runningMean, "running_mean", c, input);
    checkPerChannel(runningVar, "running_var", c, input);
    checkPerChannel(weight, "weight", c, input);
    checkPerChannel(bias, "bias", c, input);
    final int n = input.shape().getInt(0);
    final int ch = (int) c;
    long spatial = 1;
    for (int i = 2; i < input.dim(); i++) {
      spatial *= input.size(i);
    }
    final int sp = Math.toIntExact(spatial);
    final long count = n * spatial;
    if (training && count == 1) {
      throw new IllegalArgumentException(
          "Expected more than 1 value per channel when training, got input size torch.Size("
              + input.shape() + ")");
    }
    final Tensor xc = contig(input);
    final Tensor wc = contig(weight);
    final Tensor bc = contig(bias);
    final NormKernels k = backend(input).norm();
    final BatchNormShape sh = new BatchNormShape(n, ch, sp, eps);
    final Tensor out = Tensor.empty(input.shape(), input.dtype(), input.device());
    final Tensor mean;
    final Tensor var;
    if (training) {
      mean = Tensor.zeros(Shape.of(c), input.dtype(), input.device());
      var = Tensor.zeros(Shape.of(c), input.dtype(), input.device());
      if (input.numel() > 0) {
        k.batchNormTraining(xc.view(), view(wc), view(bc), sh, buf(out), buf(mean), buf(var));
      }
      if (runningMean != null || runningVar != null) {
        try (NoGrad ignored = NoGrad.enter()) {
          if (runningMean != null) {
            runningMean.copyFrom(runningMean.mul(1.0 - momentum).add(mean.mul(momentum)));
          }
          if (runningVar != null) {
            double unbias = count > 1 ? (double) count / (count - 1) : Double.NaN;
            runningVar.copyFrom(
                runningVar.mul(1.0 - momentum).add(var.mul(unbias * momentum)));
          }
        }
      }
    } else {
      mean = contig(runningMean.detach());
      var = contig(runningVar.detach());
      if (input.numel() > 0) {
        k.batchNormInference(
            xc.view(), view(wc), view(bc), mean.view(), var.view(), sh, buf(out));
      }
    }
    Tensor[] saved;
    if (training) {
      saved = weight == null ? new Tensor[] {input} : new Tensor[] {input, weight};
    } else {
      saved = new Tensor[] {input, runningMean, runningVar};
    }
    return Tensor.record(
        "NativeBatchNormBackward0",
        out,
        new Tensor[] {input, weight, bias},
        saved,
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gi = input.requiresGrad() ? zeros(input.shape(), input) : null;
          Tensor gw = needsGrad(weight) ? zeros(weight.shape(), weight) : null;
          Tensor gb = needsGrad(bias) ? zeros(bias.shape(), bias) : null;
          if (input.numel() > 0) {
            k.batchNormBackward(
                go.view(),
                xc.view(),
                view(wc),
                mean.view(),
                var.view(),
                training,
                sh,
                gi == null ? null : buf(gi),
                gw == null ? null : buf(gw),
                gb == null ? null : buf(gb));
          }
          return new Tensor[] {gi, gw, gb};
        });
  }

  /** {@code F.layer_norm(input, normalized_shape)} without affine parameters, eps 1e-5. */
  public static Tensor layerNorm(Tensor input, long[] normalizedShape) {
    return layerNorm(input, normalizedShape, null, null, 1e-5);
  }

  /**
   * Layer normalisation ({@code F.layer_norm}) over the trailing dims {@code normalizedShape}:
   * {@code (x - mean) / sqrt(var + eps) * weight + bias}, biased variance.
   *
   * @param input {@code [*, normalizedShape]}
   * @param normalizedShape the trailing dims to normalise over (at least one)
   * @param weight optional, of shape {@code normalizedShape}
   * @param bias optional, of shape {@code normalizedShape}
   * @param eps added to the variance
   * @return the normalised input, same shape
   */
  public static Tensor layerNorm(
      Tensor input, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    Shape ns = Shape.of(normalizedShape);
    if (normalizedShape.length == 0) {
      throw new IllegalArgumentException(
          "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one"
              + " element, but got normalized_shape = []");
    }
    if (weight != null && !weight.shape().equals(ns)) {
      throw new ShapeMismatchException(
          "Expected weight to be of same shape as normalized_shape, but got weight of shape "
              + weight.shape() + " and normalized_shape = " + ns);
    }
    if (bias != null && !bias.shape().equals(ns)) {
      throw new ShapeMismatchException(
          "Expected bias to be of same shape as normalized_shape, but got bias of shape "
              + bias.shape() + " and normalized_shape = " + ns);
    }
    int nd = normalizedShape.length;
    boolean match = input.dim() >= nd;
    for (int i = 0; match && i < nd; i++) {
      match = input.size(input.dim() - nd + i) == normalizedShape[i];
    }
    if (!match) {
      StringBuilder exp = new StringBuilder("[*");
      for (long v : normalizedShape) {
        exp.append(", ").append(v);
      }
      exp.append(']');
      throw new ShapeMismatchException(
          "Given normalized_shape=" + ns + ", expected input with shape " + exp
              + ", but got input of size" + input.shape());
    }
    checkFloating("layer_norm", input);
    checkDevice("layer_norm", input, weight, bias);
    checkSameType(input, weight);
    checkSameType(input, bias);
    final int cols = Math.toIntExact(ns.numel());
    final int rows = cols == 0 ? 0 : Math.toIntExact(input.numel() / cols);
    final Tensor xc = contig(input);
    final Tensor wc = contig(weight);
    final Tensor bc = contig(bias);
    final NormKernels k = backend(input).norm();
    final LayerNormShape sh = new LayerNormShape(rows, cols, eps);
    final Tensor out = Tensor.empty(input.shape(), input.dtype(), input.device());
    final Tensor mean = Tensor.zeros(Shape.of(rows), input.dtype(), input.device());
    final Tensor rstd = Tensor.zeros(Shape.of(rows), input.dtype(), input.device());
    if (rows > 0 && cols > 0) {
      k.layerNorm(xc.view(), view(wc), view(bc), sh, buf(out), buf(mean), buf(rstd));
    }
    return Tensor.record(
        "NativeLayerNormBackward0",
        out,
        new Tensor[] {input, weight, bias},
        new Tensor[] {input},
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gi = input.requiresGrad() ? zeros(input.shape(), input) : null;
          Tensor gw = needsGrad(weight) ? zeros(weight.shape(), weight) : null;
          Tensor gb = needsGrad(bias) ? zeros(bias.shape(), bias) : null;
          if (rows > 0 && cols > 0) {
            k.layerNormBackward(
                go.view(),
                xc.view(),
                view(wc),
                mean.view(),
                rstd.view(),
                sh,
                gi == null ? null : buf(gi),
                gw == null ? null : buf(gw),
                gb == null ? null : buf(gb));
          }
          return new Tensor[] {gi, gw, gb};
        });
  }

  // ================================================================== dropout, flatten, embedding

  /** {@code F.dropout(input, p, training)} drawing from the default {@link Generator}. */
  public static Tensor dropout(Tensor input, double p, boolean training) {
    return dropout(input, p, training, Generator.defaultGenerator());
  }

  /**
   * Dropout ({@code F.dropout}): in training, zeroes each element with probability {@code p} and
   * scales the survivors by {@code 1 / (1 - p)} (inverted dropout), so evaluation needs no
   * rescaling; outside training it returns {@code input} itself. The mask takes one 64-bit seed
   * from {@code generator} and is a counter-based Philox4x32-10 stream over the element index
   * (PyTorch's CUDA dropout uses the same generator): the same mask on the CPU and on any GPU for
   * the same generator state, computed on the tensor's device. Same distribution as PyTorch,
   * different random stream.
   *
   * @param input any floating tensor
   * @param p drop probability in {@code [0, 1]}
   * @param training whether to drop
   * @param generator the random source
   * @return the input with dropped elements
   */
  public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException(
          "dropout probability has to be between 0 and 1, but got " + p);
    }
    if (!training || p == 0.0 || input.numel() == 0) {
      return input;
    }
    checkFloating("dropout", input);
    if (p == 1.0) {
      return input.mul(0.0);
    }
    Tensor mask =
        FusedOps.dropoutMask(input.shape(), input.dtype(), input.device(), p, 1.0 / (1.0 - p),
            generator.nextSeed());
    return input.mul(mask);
  }

  // ================================================================== pad

  /** {@code F.pad(input, pad)}: constant zero padding (see {@link #pad(Tensor, int[], String, double)}). */
  public static Tensor pad(Tensor input, int[] pad) {
    return pad(input, pad, "constant", 0.0);
  }

  /** {@code F.pad(input, pad, mode)} (value 0). */
  public static Tensor pad(Tensor input, int[] pad, String mode) {
    return pad(input, pad, mode, 0.0);
  }

  /**
   * {@code F.pad(input, pad, mode, value)}: pads the last {@code pad.length / 2} dims, {@code pad}
   * listing (before, after) pairs from the last dim backwards, as PyTorch does ({@code {left,
   * right, top, bottom, front, back}}).
   *
   * <ul>
   *   <li>{@code "constant"}: any number of dims; fills with {@code value}; negative amounts crop;
   *   <li>{@code "reflect"}, {@code "replicate"}, {@code "circular"}: the last 1, 2 or 3 dims of a
   *       2-3, 3-4 or 4-5 dimensional input; reflect amounts must be smaller than the dim,
   *       circular ones at most the dim (negative amounts crop).
   * </ul>
   *
   * Differentiable (narrow, cat and index-select underneath). Errors carry PyTorch 1.13's text.
   */
  public static Tensor pad(Tensor input, int[] pad, String mode, double value) {
    if (pad.length % 2 != 0) {
      throw new IllegalArgumentException("Padding length must be divisible by 2");
    }
    if (pad.length / 2 > input.dim()) {
      throw new IllegalArgumentException("Padding length too large");
    }
    switch (mode) {
      case "constant" -> {
        return constantPad(input, pad, value);
      }
      case "reflect", "replicate", "circular" -> {
        if (value != 0.0) {
          throw new IllegalArgumentException(
              "Padding mode \"" + mode + "\" doesn't take in value argument");
        }
        int k = pad.length / 2;
        int d = input.dim();
        if (!(k == 1 && (d == 2 || d == 3) || k == 2 && (d == 3 || d == 4) || k == 3 && (d == 4 || d == 5))) {
          throw new UnsupportedOperationException(
              "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
        }
        return indexPad(input, pad, mode);
      }
      default -> throw new UnsupportedOperationException("Unrecognised padding mode " + mode);
    }
  }

  /** {@code at::constant_pad_nd}: crop by narrowing, then surround with blocks of {@code value}. */
  private static Tensor constantPad(Tensor input, int[] pad, double value) {
    Tensor x = input;
    int k = pad.length / 2;
    int first = input.dim() - k;
    for (int i = 0; i < k; i++) {
      int dim = first + i;
      int lo = pad[pad.length - 2 * (i + 1)];
      int hi = pad[pad.length - 2 * (i + 1) + 1];
      if (lo < 0) {
        x = checkedNarrow(x, dim, -lo, x.size(dim) + lo);
      }
      if (hi < 0) {
        x = checkedNarrow(x, dim, 0, x.size(dim) + hi);
      }
    }
    for (int i = 0; i < k; i++) {
      int dim = first + i;
      int lo = Math.max(0, pad[pad.length - 2 * (i + 1)]);
      int hi = Math.max(0, pad[pad.length - 2 * (i + 1) + 1]);
      if (lo == 0 && hi == 0) {
        continue;
      }
      List<Tensor> parts = new ArrayList<>(3);
      if (lo > 0) {
        parts.add(block(x, dim, lo, value));
      }
      parts.add(x);
      if (hi > 0) {
        parts.add(block(x, dim, hi, value));
      }
      x = Tensor.cat(parts, dim);
    }
    return x == input ? input.clone() : x;
  }

  private static Tensor checkedNarrow(Tensor x, int dim, long start, long length) {
    if (length < 0) {
      throw new IllegalArgumentException(
          "start (" + start + ") + length (" + length + ") exceeds dimension size (" + x.size(dim) + ").");
    }
    return x.narrow(dim, start, length);
  }

  /** A tensor like {@code x} with {@code dim} of size {@code n}, filled with {@code value}. */
  private static Tensor block(Tensor x, int dim, int n, double value) {
    long[] shape = x.shape().dims();
    shape[dim] = n;
    return Tensor.full(Shape.of(shape), value, x.dtype(), x.device());
  }

  /** Reflect / replicate / circular padding of the last {@code pad.length / 2} dims, by index maps. */
  private static Tensor indexPad(Tensor input, int[] pad, String mode) {
    int k = pad.length / 2;
    int d = input.dim();
    // PyTorch checks width, then height, then depth, naming "Argument #4, #6, #8"
    for (int i = 0; i < k; i++) {
      int dim = d - 1 - i;
      int lo = pad[2 * i];
      int hi = pad[2 * i + 1];
      long n = input.size(dim);
      if (n == 0) {
        throw new ShapeMismatchException(
            "Expected " + (k + 1) + "D or " + (k + 2) + "D (batch mode) tensor with possibly 0 batch size"
                + " and other non-zero dimensions for input, but got: " + input.shape());
      }
      if (mode.equals("reflect") && !(lo < n && hi < n)) {
        // the 2-d kernels print the input's rank where the 1-d and 3-d ones print its sizes
        String of = k == 2 ? String.valueOf(d) : input.shape().toString();
        throw new ShapeMismatchException(
            "Argument #" + (4 + 2 * i) + ": Padding size should be less than the corresponding input"
                + " dimension, but got: padding (" + lo + ", " + hi + ") at dimension " + dim
                + " of input " + of);
      }
      if (mode.equals("circular") && !(lo <= n && hi <= n)) {
        throw new ShapeMismatchException("Padding value causes wrapping around more than once.");
      }
    }
    Tensor y = input;
    for (int i = 0; i < k; i++) {
      int dim = d - 1 - i;
      int lo = pad[2 * i];
      int hi = pad[2 * i + 1];
      if (lo != 0 || hi != 0) {
        y = y.indexSelect(dim, padIndex(y.size(dim), lo, hi, mode).to(y.device()));
      }
    }
    return y == input ? input.clone() : y;
  }

  /** Where each output position along one dim reads from. */
  private static Tensor padIndex(long n, int lo, int hi, String mode) {
    long[] idx = new long[Math.toIntExact(n + lo + hi)];
    for (int i = 0; i < idx.length; i++) {
      long j = i - lo;
      idx[i] =
          switch (mode) {
            case "reflect" -> j < 0 ? -j : (j >= n ? 2 * (n - 1) - j : j);
            case "circular" -> Math.floorMod(j, n);
            default -> Math.min(Math.max(j, 0), n - 1); // replicate
          };
    }
    return Tensor.fromArray(idx, idx.length);
  }

  /** {@code torch.flatten(input)}: all dims into one. */
  public static Tensor flatten(Tensor input) {
    return input.flatten(0, -1);
  }

  /** {@code torch.flatten(input, start_dim)}: dims {@code startDim..} to the last into one. */
  public static Tensor flatten(Tensor input, int startDim) {
    return input.flatten(startDim, -1);
  }

  /** {@code torch.flatten(input, start_dim, end_dim)}; {@code nn.Flatten} uses {@code (1, -1)}. */
  public static Tensor flatten(Tensor input, int startDim, int endDim) {
    return input.flatten(startDim, endDim);
  }

  /**
   * {@code F.embedding(input, weight)}: rows of {@code weight} picked by int64 indices, each in
   * {@code [0, numEmbeddings)} (a negative index throws "index out of range in self", as in
   * PyTorch).
   */
  public static Tensor embedding(Tensor input, Tensor weight) {
    return embeddingCore(input, weight, -1);
  }

  /**
   * Embedding lookup ({@code F.embedding}) with a padding row: {@code out[..., :] =
   * weight[input[...], :]}; the row {@code paddingIdx} receives no gradient. A negative {@code
   * paddingIdx} counts from the end, as in PyTorch.
   *
   * @param input int64 indices of any shape
   * @param weight {@code [numEmbeddings, dim]}
   * @param paddingIdx the padding row
   * @return {@code [input.shape..., dim]}
   */
  public static Tensor embedding(Tensor input, Tensor weight, int paddingIdx) {
    long num = weight.dim() == 2 ? weight.size(0) : 0;
    if (weight.dim() == 2) {
      if (paddingIdx >= 0 && paddingIdx >= num) {
        throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
      }
      if (paddingIdx < 0) {
        if (paddingIdx < -num) {
          throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
        }
        paddingIdx += (int) num;
      }
    }
    return embeddingCore(input, weight, paddingIdx);
  }

  private static Tensor embeddingCore(Tensor input, Tensor weight, long paddingIdx) {
    if (weight.dim() != 2) {
      throw new IllegalArgumentException("'weight' must be 2-D");
    }
    if (input.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          "Expected tensor for argument #1 'indices' to have one of the following scalar types:"
              + " Long, Int; but got torch." + typeName(input.dtype())
              + "Tensor instead (while checking arguments for embedding)");
    }
    checkDevice("embedding", weight, input);
    final int count = Math.toIntExact(input.numel());
    final int num = weight.shape().getInt(0);
    if (num == 0 && count > 0) {
      // PyTorch's embedding is an index_select on the weight
      throw new IndexOutOfBoundsException(
          "index_select(): self indexing axis dim should be positive");
    }
    final int dim = weight.shape().getInt(1);
    long[] dims = Arrays.copyOf(input.shape().dims(), input.dim() + 1);
    dims[input.dim()] = dim;
    final Tensor ic = contig(input);
    final Tensor wc = contig(weight);
    final IndexKernels k = backend(weight);
    final EmbeddingShape sh = new EmbeddingShape(count, num, dim);
    Tensor out = Tensor.empty(Shape.of(dims), weight.dtype(), weight.device());
    if (count > 0 && dim > 0) {
      k.embedding(wc.view(), ic.view(), sh, buf(out));
    }
    return Tensor.record(
        "EmbeddingBackward0",
        out,
        new Tensor[] {weight},
        new Tensor[] {input},
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gw = zeros(weight.shape(), weight);
          if (count > 0 && dim > 0) {
            k.embeddingBackward(go.view(), ic.view(), sh, paddingIdx, buf(gw));
          }
          return new Tensor[] {gw};
        });
  }

  // ================================================================== classification losses

  /** Validated layout of an NLL problem: input {@code [n, c, s]}, target {@code [n, s]}. */
  private record NllLayout(int n, int c, int s, Shape noneShape) {}

  /** PyTorch's {@code nll_loss_nd} argument checks, in its order. */
  private static NllLayout nllLayout(Tensor input, Tensor target, Tensor weight) {
    if (input.dim() < 1) {
      throw new IllegalArgumentException(
          "Expected 1 or more dimensions (got " + input.dim() + ")");
    }
    if (input.dim() != 1 && (target.dim() == 0 || input.size(0) != target.size(0))) {
      throw new ShapeMismatchException(
          "Expected input batch_size (" + input.size(0) + ") to match target batch_size ("
              + (target.dim() == 0 ? 1 : target.size(0)) + ").");
    }
    if (target.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          "expected scalar type Long but found " + typeName(target.dtype()));
    }
    checkFloating("nll_loss", input);
    checkDevice("nll_loss", input, target, weight);
    int n;
    int c;
    int s;
    if (input.dim() <= 2) {
      if (target.dim() > 1) {
        throw new ShapeMismatchException(
            "0D or 1D target tensor expected, multi-target not supported");
      }
      boolean noBatch = input.dim() == 1 && target.dim() == 0;
      if (!noBatch && (input.dim() == 1 || input.size(0) != target.size(0))) {
        throw new ShapeMismatchException(
            "size mismatch (got input: " + input.shape() + ", target: " + target.shape() + ")");
      }
      n = noBatch ? 1 : input.shape().getInt(0);
      c = input.shape().getInt(-1);
      s = 1;
    } else {
      long[] want = new long[input.dim() - 1];
      want[0] = input.size(0);
      for (int i = 2; i < input.dim(); i++) {
        want[i - 1] = input.size(i);
      }
      if (!target.shape().equals(Shape.of(want))) {
        if (input.dim() == 4) {
          throw new ShapeMismatchException(
              "size mismatch (got input: " + input.shape() + " , target: " + target.shape());
        }
        throw new ShapeMismatchException(
            "Expected target size " + Shape.of(want) + ", got " + target.shape());
      }
      n = input.shape().getInt(0);
      c = input.shape().getInt(1);
      long sp = 1;
      for (int i = 2; i < input.dim(); i++) {
        sp *= input.size(i);
      }
      s = Math.toIntExact(sp);
    }
    if (weight != null) {
      if (weight.dim() != 1 || weight.numel() != c) {
        throw new ShapeMismatchException(
            "weight tensor should be defined either for all " + c
                + " classes or no classes but got weight tensor of shape: " + weight.shape());
      }
      checkSameType(input, weight);
    }
    return new NllLayout(n, c, s, target.shape());
  }

  /** {@code F.nll_loss(input, target)}: mean reduction, no weight, ignore index -100. */
  public static Tensor nllLoss(Tensor input, Tensor target) {
    return nllLoss(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
  }

  /**
   * Negative log-likelihood ({@code F.nll_loss}) of log-probabilities {@code input} ({@code [N,
   * C]}, {@code [C]} or {@code [N, C, d1, ...]}) and int64 class targets ({@code [N]}, {@code []}
   * or {@code [N, d1, ...]}): {@code loss_i = -weight[t_i] * input[i, t_i]}, 0 where {@code t_i ==
   * ignoreIndex}; the mean divides by the sum of {@code weight[t_i]} over non-ignored elements
   * (NaN when that is 0).
   *
   * @param input log-probabilities
   * @param target class indices
   * @param weight optional per-class weights {@code [C]}
   * @param ignoreIndex target value that is skipped
   * @param reduction NONE, MEAN or SUM
   * @return the loss (a scalar, or target-shaped with NONE)
   * @throws IndexOutOfBoundsException {@code "Target 10 is out of bounds."}
   */
  public static Tensor nllLoss(
      Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
    checkReduction(reduction);
    NllLayout lay = nllLayout(input, target, weight);
    return nllOp(input, target, weight, ignoreIndex, reduction, lay, false);
  }

  /**
   * The NLL forward on {@code logp} with a recorded backward. With {@code fused}, {@code input}
   * holds raw scores: the log-softmax is taken here and the backward goes straight to the scores.
   */
  private static Tensor nllOp(
      Tensor input,
      Tensor target,
      Tensor weight,
      long ignoreIndex,
      Reduction reduction,
      NllLayout lay,
      boolean fused) {
    final Backend k = backend(input);
    final Tensor tc = contig(target);
    final Tensor wc = contig(weight);
    final int n = lay.n();
    final int c = lay.c();
    final int s = lay.s();
    final NllShape sh = new NllShape(n, c, s, ignoreIndex);
    final Tensor logp;
    if (fused) {
      Tensor xc = contig(input);
      logp = Tensor.empty(input.shape(), input.dtype(), input.device());
      if (input.numel() > 0) {
        k.softmax().softmax(xc.view(), new SoftmaxShape(n, c, s, true), buf(logp));
      }
    } else {
      logp = contig(input);
    }
    Shape perElem = Shape.of((long) n * s);
    Tensor loss = Tensor.zeros(perElem, input.dtype(), input.device());
    Tensor wts =
        reduction == Reduction.MEAN ? Tensor.zeros(perElem, input.dtype(), input.device()) : null;
    if ((long) n * s > 0) {
      k.loss().nllLoss(logp.view(), tc.view(), view(wc), sh, buf(loss),
          wts == null ? null : buf(wts));
    }
    final Tensor out;
    final double totalWeight;
    try (NoGrad ignored = NoGrad.enter()) {
      switch (reduction) {
        case NONE -> {
          out = loss.reshape(lay.noneShape().dims());
          totalWeight = 1.0;
        }
        case SUM -> {
          out = loss.sum();
          totalWeight = 1.0;
        }
        default -> {
          Tensor tw = wts.sum();
          totalWeight = tw.item();
          out = loss.sum().div(tw);
        }
      }
    }
    final double scale = reduction == Reduction.MEAN ? 1.0 / totalWeight : 1.0;
    return Tensor.record(
        fused ? "LogSoftmaxNllLossBackward0" : "NllLossBackward0",
        out,
        new Tensor[] {input},
        new Tensor[] {target},
        gr -> {
          Tensor g = contig(gr[0]);
          Tensor gi = zeros(input.shape(), input);
          if ((long) n * s > 0) {
            if (fused) {
              k.loss().crossEntropyBackward(g.view(), logp.view(), tc.view(), view(wc), sh,
                  scale, buf(gi));
            } else {
              k.loss().nllLossBackward(g.view(), tc.view(), view(wc), sh, scale, buf(gi));
            }
          }
          return new Tensor[] {gi};
        });
  }

  /** {@code F.cross_entropy(input, target)}: mean reduction, no weight, no smoothing. */
  public static Tensor crossEntropy(Tensor input, Tensor target) {
    return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
  }

  /** {@code F.cross_entropy(input, target, reduction=...)}. */
  public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction) {
    return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, reduction, 0.0);
  }

  /**
   * Cross-entropy of raw scores ({@code F.cross_entropy}), with PyTorch's three paths:
   *
   * <ul>
   *   <li>int64 class-index targets without smoothing: {@code nllLoss(logSoftmax(input, 1))},
   *       fused: one log-softmax kernel forward and one kernel for the whole backward ({@code
   *       (softmax - onehot) * weight[t] * grad});
   *   <li>class-index targets with {@code labelSmoothing = ls > 0}: {@code (1 - ls) * nll + ls / C
   *       * smooth}, where {@code smooth = -sum_c weight[c] * logp[c]} (0 at ignored positions)
   *       reduced like the NLL term (its mean divides by the same total target weight);
   *   <li>floating class-probability targets of the input's shape: {@code -sum_c weight[c] *
   *       target_c * logp_c} with the target smoothed to {@code target * (1 - ls) + ls / C}; the
   *       mean divides by the number of positions ({@code numel / C}); {@code ignoreIndex} must
   *       stay negative.
   * </ul>
   *
   * @param input scores {@code [N, C]}, {@code [C]} or {@code [N, C, d1, ...]}
   * @param target class indices (int64, {@code [N]} etc.) or probabilities (input's shape)
   * @param weight optional per-class weights {@code [C]}
   * @param ignoreIndex class-index target value that is skipped (PyTorch default -100)
   * @param reduction NONE, MEAN or SUM
   * @param labelSmoothing in {@code [0, 1]}
   * @return the loss
   * @throws IndexOutOfBoundsException {@code "Target 10 is out of bounds."}
   */
  public static Tensor crossEntropy(
      Tensor input,
      Tensor target,
      Tensor weight,
      int ignoreIndex,
      Reduction reduction,
      double labelSmoothing) {
    checkReduction(reduction);
    if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0)) {
      throw new IllegalArgumentException(
          "label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
    }
    int classDim = input.dim() == 1 ? 0 : 1;
    if (input.dim() >= 1 && input.shape().equals(target.shape())) {
      if (!target.isFloatingPoint()) {
        throw new IllegalArgumentException(
            "Expected floating point type for target with class probabilities, got "
                + typeName(target.dtype()));
      }
      if (ignoreIndex >= 0) {
        throw new IllegalArgumentException(
            "ignore_index is not supported for floating point target");
      }
      return crossEntropyProbs(input, target, weight, reduction, labelSmoothing, classDim);
    }
    NllLayout lay = nllLayout(input, target, weight);
    if (labelSmoothing > 0.0) {
      return crossEntropySmoothed(
          input, target, weight, ignoreIndex, reduction, labelSmoothing, classDim, lay);
    }
    return nllOp(input, target, weight, ignoreIndex, reduction, lay, true);
  }

  /** Broadcasts a {@code [C]} weight along {@code classDim} of a {@code rank}-dim tensor. */
  private static Tensor classWeight(Tensor weight, int rank, int classDim) {
    long[] dims = new long[rank];
    Arrays.fill(dims, 1);
    dims[classDim] = weight.numel();
    return weight.reshape(dims);
  }

  private static Tensor crossEntropyProbs(
      Tensor input,
      Tensor target,
      Tensor weight,
      Reduction reduction,
      double ls,
      int classDim) {
    long c = input.size(classDim);
    if (weight != null && (weight.dim() != 1 || weight.numel() != c)) {
      throw new ShapeMismatchException(
          "cross_entropy: weight tensor should be defined either for all " + c
              + " classes or no classes but got weight tensor of shape: " + weight.shape());
    }
    checkSameType(input, target);
    Tensor logp = logSoftmax(input, classDim);
    Tensor t = ls > 0 ? target.mul(1.0 - ls).add(ls / c) : target;
    Tensor prod = logp.mul(t);
    if (weight != null) {
      prod = prod.mul(input.dim() > 1 ? classWeight(weight, input.dim(), classDim) : weight);
    }
    return switch (reduction) {
      case NONE -> prod.sum(classDim, false).neg();
      case SUM -> prod.sum().neg();
      case MEAN ->
          input.numel() == 0
              ? prod.sum().mul(Double.NaN)
              : prod.sum().neg().div((double) (input.numel() / c));
    };
  }

  private static Tensor crossEntropySmoothed(
      Tensor input,
      Tensor target,
      Tensor weight,
      int ignoreIndex,
      Reduction reduction,
      double ls,
      int classDim,
      NllLayout lay) {
    Tensor logp = logSoftmax(input, classDim);
    Tensor nll = nllOp(logp, target, weight, ignoreIndex, reduction, lay, false);
    long c = lay.c();
    Tensor smooth =
        weight != null
            ? logp.mul(input.dim() > 1 ? classWeight(weight, input.dim(), classDim) : weight)
                .sum(classDim, false)
                .neg()
            : logp.sum(classDim, false).neg();
    Tensor ignoreMask = target.eq((double) ignoreIndex);
    smooth = Tensor.where(ignoreMask, Tensor.zerosLike(smooth).detach(), smooth);
    Tensor ret;
    switch (reduction) {
      case NONE -> ret = smooth;
      case SUM -> ret = smooth.sum();
      default -> {
        double denom;
        try (NoGrad ignored = NoGrad.enter()) {
          Tensor keep = ignoreMask.logicalNot();
          if (weight != null) {
            Tensor safeTarget = Tensor.where(ignoreMask, Tensor.zerosLike(target), target);
            Tensor tw = weight.detach().indexSelect(0, safeTarget.reshape(-1));
            denom = tw.mul(keep.reshape(-1).to(tw.dtype())).sum().item();
          } else {
            denom = keep.to(DType.FLOAT64).sum().item();
          }
        }
        ret = smooth.sum().div(denom);
      }
    }
    return nll.mul(1.0 - ls).add(ret.mul(ls / c));
  }

  // ================================================================== regression losses

  /** {@code F.mse_loss(input, target)} with mean reduction. */
  public static Tensor mseLoss(Tensor input, Tensor target) {
    return mseLoss(input, target, Reduction.MEAN);
  }

  /**
   * Mean squared error ({@code F.mse_loss}): {@code (input - target)^2}, broadcast, reduced.
   *
   * @param input predictions
   * @param target targets (broadcastable to input)
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    checkReduction(reduction);
    Tensor d = input.sub(target);
    return reduce(d.mul(d), reduction);
  }

  /** {@code F.l1_loss(input, target)} with mean reduction. */
  public static Tensor l1Loss(Tensor input, Tensor target) {
    return l1Loss(input, target, Reduction.MEAN);
  }

  /**
   * Mean absolute error ({@code F.l1_loss}): {@code |input - target|}, broadcast, reduced; the
   * gradient at equality is 0, as in PyTorch.
   *
   * @param input predictions
   * @param target targets
   * @param reduction NONE, MEAN or SUM
   * @return the loss
   */
  public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
    checkReduction(reduction);
    return reduce(input.sub(target).abs(), reduction);
  }

  /** {@code F.binary_cross_entropy_with_logits(input, target)} with mean reduction. */
  public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
    return binaryCrossEntropyWithLogits(input, target, null, Reduction.MEAN, null);
  }

  /**
   * Binary cross-entropy on logits ({@code F.binary_cross_entropy_with_logits}), computed stably
   * with PyTorch's formula: {@code loss = (1 - t) x + lw * (log(exp(-m) + exp(-x - m)) + m)}, with
   * {@code m = max(-x, 0)} and {@code lw = 1 + (posWeight - 1) t} ({@code lw = 1} without {@code
   * posWeight}), times {@code weight}. The backward is fused: {@code d/dx = (lw * sigmoid(x) -
   * posWeight * t)} (i.e. {@code sigmoid(x) - t} without it), and the target also receives a
   * gradient.
   *
   * @param input logits
   * @param target probabilities, same shape as input
   * @param weight optional element weights (broadcast to the input)
   * @param reduction NONE, MEAN or SUM
   * @param posWeight optional weight of positive examples (broadcast along the last dim)
   * @return the loss
   */
  public static Tensor binaryCrossEntropyWithLogits(
      Tensor input, Tensor target, Tensor weight, Reduction reduction, Tensor posWeight) {
    checkReduction(reduction);
    if (!target.shape().equals(input.shape())) {
      throw new ShapeMismatchException(
          "Target size (torch.Size(" + target.shape() + ")) must be the same as input size"
              + " (torch.Size(" + input.shape() + "))");
    }
    checkFloating("binary_cross_entropy_with_logits", input);
    checkDevice("binary_cross_entropy_with_logits", input, target, weight, posWeight);
    final Tensor x = input.detach();
    final Tensor t = target.detach();
    final Tensor w = weight == null ? null : weight.detach();
    final Tensor pw = posWeight == null ? null : posWeight.detach();
    final Tensor lossElem;
    final Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor maxVal = x.neg().clampMin(0.0);
      Tensor softTerm = maxVal.neg().exp().add(x.neg().sub(maxVal).exp()).log().add(maxVal);
      Tensor l;
      if (pw != null) {
        Tensor logWeight = pw.sub(1.0).mul(t).add(1.0);
        l = t.rsub(1.0).mul(x).add(logWeight.mul(softTerm));
      } else {
        l = t.rsub(1.0).mul(x).add(softTerm);
      }
      if (w != null) {
        l = l.mul(w);
      }
      lossElem = l;
      out = reduce(l, reduction);
    }
    final Shape lossShape = lossElem.shape();
    final double scale = reduction == Reduction.MEAN ? 1.0 / Math.max(1, lossElem.numel()) : 1.0;
    final boolean empty = lossElem.numel() == 0;
    return Tensor.record(
        "BinaryCrossEntropyWithLogitsBackward0",
        out,
        new Tensor[] {input, target},
        new Tensor[] {input, target},
        gr -> {
          Tensor g = gr[0];
          if (reduction != Reduction.NONE) {
            g = g.mul(empty ? Double.NaN : scale).expand(lossShape.dims());
          }
          if (w != null) {
            g = g.mul(w);
          }
          Tensor gi = null;
          Tensor gt = null;
          if (input.requiresGrad()) {
            Tensor sig = x.sigmoid();
            Tensor d;
            if (pw != null) {
              Tensor pt = pw.mul(t);
              d = pt.add(1.0).sub(t).mul(sig).sub(pt);
            } else {
              d = sig.sub(t);
            }
            gi = Tensor.sumToShape(d.mul(g), input.shape());
          }
          if (target.requiresGrad()) {
            Tensor d;
            if (pw != null) {
              // d/dt = log(1 - sigmoid(x)) - posWeight * log(sigmoid(x)), written stably.
              Tensor logSig = x.neg().clampMin(0.0).neg()
                  .sub(x.abs().neg().exp().add(1.0).log());
              Tensor log1mSig = logSig.sub(x);
              d = log1mSig.sub(pw.mul(logSig));
            } else {
              d = x.neg();
            }
            gt = Tensor.sumToShape(d.mul(g), target.shape());
          }
          return new Tensor[] {gi, gt};
        });
  }
}
