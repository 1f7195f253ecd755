package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.checkFloating;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.zeros;

import dev.jnn.backend.SampleKernels;
import dev.jnn.backend.UpsampleSpec;
import dev.jnn.core.Py;
import dev.jnn.core.Shape;
import java.util.Arrays;

/**
 * Internal: the resampling op family behind {@code nn.functional.Functional}'s {@code
 * interpolate}; use {@code Functional}. {@link #interpolate} is 1.13's Python {@code
 * F.interpolate} (its argument checks and messages, in its order, and which scale reaches the
 * kernel), then ATen's {@code upsample_*} checks, the back end's kernel ({@link
 * dev.jnn.backend.SampleKernels}) and the backward recorded beside the forward. Public only because
 * {@code Functional} lives in another package.
 */
public final class SampleOps {
  private SampleOps() {}

  private static final String MODES =
      "nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact";

  /**
   * {@code F.interpolate}. {@code size} and {@code scaleFactor} are Python lists (their length
   * must be the number of spatial dims), or null for None; a Python scalar is passed expanded to
   * the spatial rank by the caller ({@link #spatial}).
   */
  public static Tensor interpolate(
      Tensor input,
      int[] size,
      double[] scaleFactor,
      String mode,
      Boolean alignCorners,
      Boolean recomputeScaleFactor,
      boolean antialias) {
    boolean align;
    if (mode.equals("nearest") || mode.equals("area") || mode.equals("nearest-exact")) {
      if (alignCorners != null) {
        throw new IllegalArgumentException(
            "align_corners option can only be set with the interpolating modes: linear |"
                + " bilinear | bicubic | trilinear");
      }
      align = false;
    } else {
      align = alignCorners != null && alignCorners;
    }
    int dim = input.dim() - 2;
    int[] outputSize;
    double[] scales;
    if (size != null && scaleFactor != null) {
      throw new IllegalArgumentException("only one of size or scale_factor should be defined");
    } else if (size != null) {
      if (size.length != dim) {
        throw new IllegalArgumentException(
            "Input and output must have the same number of spatial dimensions, but got input"
                + " with spatial dimensions of " + spatialDims(input) + " and output size of "
                + Arrays.toString(size) + ". Please provide input tensor in (N, C, d1, d2,"
                + " ...,dK) format and output size in (o1, o2, ...,oK) format.");
      }
      outputSize = size.clone();
      scales = null;
    } else if (scaleFactor != null) {
      if (scaleFactor.length != dim) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < scaleFactor.length; i++) {
          b.append(i > 0 ? ", " : "").append(Py.floatRepr(scaleFactor[i]));
        }
        throw new IllegalArgumentException(
            "Input and scale_factor must have the same number of spatial dimensions, but got"
                + " input with spatial dimensions of " + spatialDims(input) + " and scale_factor"
                + " of shape " + b + "]. Please provide input tensor in (N, C, d1, d2, ...,dK)"
                + " format and scale_factor in (s1, s2, ...,sK) format.");
      }
      outputSize = null;
      scales = scaleFactor.clone();
    } else {
      throw new IllegalArgumentException("either size or scale_factor should be defined");
    }
    boolean recompute = recomputeScaleFactor != null && recomputeScaleFactor;
    if (recompute && size != null) {
      throw new IllegalArgumentException(
          "recompute_scale_factor is not meaningful with an explicit size.");
    }
    if (mode.equals("area") && outputSize == null) {
      recompute = true;
    }
    if (recompute) {
      outputSize = new int[dim];
      for (int i = 0; i < dim; i++) {
        outputSize[i] = (int) Math.floor((double) input.size(i + 2) * scales[i]);
      }
      scales = null;
    }
    if (antialias && !((mode.equals("bilinear") || mode.equals("bicubic")) && input.dim() == 4)) {
      throw new IllegalArgumentException(
          "Anti-alias option is only supported for bilinear and bicubic modes");
    }
    int nd = input.dim();
    String name = switch (mode) {
      case "nearest" -> nd >= 3 && nd <= 5 ? "Nearest" + dim + "D" : null;
      case "nearest-exact" -> nd >= 3 && nd <= 5 ? "NearestExact" + dim + "D" : null;
      case "linear" -> nd == 3 ? "Linear1D" : null;
      case "bilinear" -> nd == 4 ? "Bilinear2D" : null;
      case "trilinear" -> nd == 5 ? "Trilinear3D" : null;
      case "bicubic" -> nd == 4 ? "Bicubic2D" : null;
      case "area" -> nd >= 3 && nd <= 5 ? "area" : null;
      default -> null;
    };
    if (name == null) {
      if (nd >= 3 && nd <= 5 && (mode.equals("linear") || mode.equals("bilinear")
          || mode.equals("trilinear"))) {
        int need = mode.equals("linear") ? 3 : mode.equals("bilinear") ? 4 : 5;
        throw new UnsupportedOperationException(
            "Got " + nd + "D input, but " + mode + " mode needs " + need + "D input");
      }
      throw new UnsupportedOperationException(
          "Input Error: Only 3D, 4D and 5D input Tensors supported (got " + nd + "D) for the"
              + " modes: " + MODES + " (got " + mode + ")");
    }
    if (name.equals("area")) {
      return area(input, outputSize);
    }
    int kmode = switch (mode) {
      case "nearest" -> UpsampleSpec.NEAREST;
      case "nearest-exact" -> UpsampleSpec.NEAREST_EXACT;
      case "bicubic" -> antialias ? UpsampleSpec.CUBIC_AA : UpsampleSpec.CUBIC;
      default -> antialias ? UpsampleSpec.LINEAR_AA : UpsampleSpec.LINEAR;
    };
    String kernel = kmode == UpsampleSpec.NEAREST || kmode == UpsampleSpec.NEAREST_EXACT
        ? "compute_indices_weights_nearest"
        : antialias ? "compute_indices_weights_aa"
        : kmode == UpsampleSpec.CUBIC ? "compute_indices_weights_cubic"
        : "compute_indices_weights_linear";
    return upsample(input, outputSize, scales, kmode, align,
        "Upsample" + name + (antialias ? "Aa" : "") + "Backward0", kernel);
  }

  /**
   * {@code mode='area'}: adaptive average pooling. 4-d input is {@code adaptive_avg_pool2d}; 3-d
   * input is ATen's {@code adaptive_avg_pool1d} (the 2-d pool of {@code unsqueeze(-2)}, then
   * {@code squeeze(-2)}, as ATen composes it); 5-d input is {@code adaptive_avg_pool3d}
   * ({@code AdaptiveAvgPool3DBackward0}, as PyTorch records it).
   */
  private static Tensor area(Tensor input, int[] o) {
    if (input.dim() == 4) {
      return PoolOps.adaptiveAvgPool2d(input, o);
    }
    if (input.dim() == 3) {
      return PoolOps.adaptiveAvgPool2d(input.unsqueeze(-2), new int[] {1, o[0]}).squeeze(-2);
    }
    return PoolNdOps.adaptiveAvgPool3d(input, o);
  }

  /** A Python scalar {@code size} or {@code scale_factor} repeated over the spatial dims. */
  public static int[] spatial(Tensor input, int v) {
    int[] r = new int[Math.max(0, input.dim() - 2)];
    Arrays.fill(r, v);
    return r;
  }

  /** A Python scalar {@code scale_factor} repeated over the spatial dims. */
  public static double[] spatial(Tensor input, double v) {
    double[] r = new double[Math.max(0, input.dim() - 2)];
    Arrays.fill(r, v);
    return r;
  }

  /**
   * ATen's {@code is_contiguous(ChannelsLast / ChannelsLast3d)} of a 4-d or 5-d tensor (strides of
   * size-1 dims ignored): always false for 3-d input, which has no channels-last format.
   */
  private static boolean channelsLastContiguous(Tensor t) {
    int nd = t.dim();
    if (nd != 4 && nd != 5) {
      return false;
    }
    long[] size = t.shape().dims();
    long[] stride = t.strides();
    int[] order = nd == 4 ? new int[] {1, 3, 2, 0} : new int[] {1, 4, 3, 2, 0};
    long expected = 1;
    for (int d : order) {
      if (size[d] != 1) {
        if (stride[d] != expected) {
          return false;
        }
        expected *= size[d];
      }
    }
    return true;
  }

  private static String spatialDims(Tensor input) {
    long[] d = input.shape().dims();
    StringBuilder b = new StringBuilder("[");
    for (int i = 2; i < d.length; i++) {
      b.append(i > 2 ? ", " : "").append(d[i]);
    }
    return b.append("]").toString();
  }

  /** ATen's {@code upsample_*} (the {@code .vec} overloads): checks, kernel, backward. */
  private static Tensor upsample(
      Tensor input, int[] outputSize, double[] scales, int kmode, boolean align, String gradFn,
      String kernelName) {
    int nd = input.dim();
    int dim = nd - 2;
    long[] in = input.shape().dims();
    int[] o = outputSize;
    if (o == null) {
      o = new int[dim];
      for (int i = 0; i < dim; i++) {
        o[i] = (int) (long) (in[i + 2] * scales[i]);
      }
    }
    boolean positive = true;
    for (int i = 0; i < dim; i++) {
      positive &= in[i + 2] > 0 && o[i] > 0;
    }
    if (!positive) {
      String[] names = dim == 1 ? new String[] {"W"} : dim == 2 ? new String[] {"H", "W"}
          : new String[] {"D", "H", "W"};
      StringBuilder a = new StringBuilder();
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < dim; i++) {
        a.append(i > 0 ? ", " : "").append(names[i]).append(": ").append(in[i + 2]);
        b.append(i > 0 ? ", " : "").append(names[i]).append(": ").append(o[i]);
      }
      throw new IllegalArgumentException(
          "Input and output sizes should be greater than 0, but got input (" + a + ")"
              + (dim == 1 ? " and" : "") + " output (" + b + ")");
    }
    if (input.numel() == 0 && in[1] == 0) {
      throw new IllegalArgumentException(
          "Non-empty " + nd + "D data tensor expected but got a tensor with sizes "
              + input.shape());
    }
    checkFloating(kernelName, input);
    int[] pin = {1, 1, 1};
    int[] pout = {1, 1, 1};
    double[] ps = {0, 0, 0};
    for (int i = 0; i < dim; i++) {
      pin[3 - dim + i] = (int) in[i + 2];
      pout[3 - dim + i] = o[i];
      ps[3 - dim + i] = scales == null ? 0 : scales[i];
    }
    final UpsampleSpec spec = new UpsampleSpec(kmode, Math.toIntExact(in[0] * in[1]), pin[0],
        pin[1], pin[2], pout[0], pout[1], pout[2], ps[0], ps[1], ps[2], align);
    // 1.13's nearest forward runs nearest_idx (with its out == in and out == 2 * in cases) only
    // on its channels-last path, its generic path the plain formula; the backward always
    // nearest_idx
    final UpsampleSpec fwd = kmode == UpsampleSpec.NEAREST && !channelsLastContiguous(input)
        ? new UpsampleSpec(UpsampleSpec.NEAREST_PLAIN, spec.planes(), pin[0], pin[1], pin[2],
            pout[0], pout[1], pout[2], ps[0], ps[1], ps[2], align)
        : spec;
    long[] dims = in.clone();
    for (int i = 0; i < dim; i++) {
      dims[i + 2] = o[i];
    }
    final Tensor xc = contig(input);
    final SampleKernels kn = backend(input).sample();
    Tensor out = Tensor.empty(Shape.of(dims), input.dtype(), input.device());
    if (spec.planes() > 0) {
      kn.upsample(xc.view(), buf(out), fwd);
    }
    return Tensor.record(
        gradFn,
        out,
        new Tensor[] {input},
        new Tensor[0],
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gi = zeros(input.shape(), input);
          if (spec.planes() > 0) {
            kn.upsampleBackward(go.view(), buf(gi), spec);
          }
          return new Tensor[] {gi};
        });
  }

  /**
   * {@code F.bilinear} ({@code torch.bilinear}): {@code y[b, o] = x1[b, :] W[o] x2[b, :] + bias[o]}
   * over the flattened leading dims, with ATen's checks and messages; a composite of a GEMM and a
   * batched product (ATen's {@code _trilinear}), so its {@code grad_fn} is the last op's.
   */
  public static Tensor bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor bias) {
    if (input1.dim() != input2.dim()) {
      throw new IllegalArgumentException("bilinear(): input dimensions do not match: got "
          + input1.dim() + " and " + input2.dim());
    }
    for (int i = 0; i < input1.dim() - 1; i++) {
      if (input1.size(i) != input2.size(i)) {
        throw new IllegalArgumentException("bilinear(): input batch dimensions do not match at dim "
            + i + ": got " + input1.size(i) + " and " + input2.size(i));
      }
    }
    if (input1.size(-1) != weight.size(1)) {
      throw new IllegalArgumentException("bilinear(): input1 size does not match weight size: got "
          + input1.size(-1) + " but expected " + weight.size(1));
    }
    if (input2.size(-1) != weight.size(2)) {
      throw new IllegalArgumentException("bilinear(): input2 size does not match weight size: got "
          + input2.size(-1) + " but expected " + weight.size(2));
    }
    if (bias != null && bias.size(0) != weight.size(0)) {
      throw new IllegalArgumentException("bilinear(): bias size does not match weight size: got "
          + bias.size(0) + " but expected " + weight.size(0));
    }
    NnOpSupport.checkSameType(input1, input2);
    NnOpSupport.checkSameType(input1, weight);
    NnOpSupport.checkSameType(input1, bias);
    long o = weight.size(0);
    long i1 = weight.size(1);
    long i2 = weight.size(2);
    long[] outShape = input1.shape().dims();
    outShape[outShape.length - 1] = o;
    Tensor x1 = input1.reshape(-1, i1);
    Tensor x2 = input2.reshape(-1, i2);
    long b = x1.size(0);
    // t[b, o, j] = sum_i x1[b, i] W[o, i, j]; y[b, o] = sum_j t[b, o, j] x2[b, j]
    Tensor t = x1.matmul(weight.permute(1, 0, 2).reshape(i1, o * i2)).reshape(b, o, i2);
    Tensor out = t.matmul(x2.unsqueeze(2)).reshape(outShape);
    return bias == null ? out : out.add(bias);
  }
}
