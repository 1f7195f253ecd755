package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.checkFloating;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.zeros;

import dev.jnn.autograd.GradMode;
import dev.jnn.backend.AdaptivePool3dGeometry;
import dev.jnn.backend.Pool3dGeometry;
import dev.jnn.backend.PoolKernels;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;

/**
 * Internal: issue 20's pooling op family behind {@code nn.functional.FunctionalPooling} (1-D and
 * 3-D max and average pooling, adaptive max pooling, 1-D and 3-D adaptive average pooling); use
 * {@code Functional}. As in PyTorch 1.13, the 1-D forms are the 2-D ops of {@link PoolOps} on a
 * height-1 view ({@code unsqueeze(-2)}, then {@code squeeze(-2)}: their {@code grad_fn} is {@code
 * SqueezeBackward1}); the 3-D forms and adaptive max pooling run the back end's kernels ({@link
 * PoolKernels#maxPool3d} ...), validating their arguments with PyTorch's messages in PyTorch's
 * order ({@code pooling_output_shape}, {@code pool3d_shape_check}). Unpooling and power-average
 * pooling are in {@link UnpoolOps}. Public only because {@code Functional} lives in another
 * package.
 */
public final class PoolNdOps {
  private PoolNdOps() {}

  // ================================================================== 1-D

  /** {@code max_pool1d}'s input check: 2-D or 3-D, only the batch may be empty. */
  private static void checkMaxPool1dInput(Tensor input) {
    int nd = input.dim();
    boolean ok =
        (nd == 2 && input.size(0) != 0 && input.size(1) != 0)
            || (nd == 3 && input.size(1) != 0 && input.size(2) != 0);
    if (!ok) {
      throw new IllegalArgumentException(
          "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for"
              + " input, but got:" + input.shape());
    }
  }

  /** ATen's {@code checkDimRange(op, self, 2, 4)}. */
  private static void checkDims1d(String op, Tensor input) {
    if (input.dim() < 2 || input.dim() > 3) {
      throw new IllegalArgumentException(
          "Expected 2 to 3 dimensions, but got " + input.dim() + "-dimensional tensor for"
              + " argument #1 'self' (while checking arguments for " + op + ")");
    }
  }

  /**
   * {@code F.max_pool1d(..., return_indices=True)}: {@code max_pool2d_with_indices} of the input
   * seen as {@code [N, C, 1, L]}, squeezed back; indices are positions along {@code L}.
   */
  public static Tensor[] maxPool1dWithIndices(
      Tensor input, int kernelSize, Integer stride, int padding, int dilation, boolean ceilMode) {
    checkMaxPool1dInput(input);
    int s = stride == null ? kernelSize : stride;
    Tensor[] r =
        PoolOps.maxPool2dWithIndices(
            input.unsqueeze(-2),
            new int[] {1, kernelSize},
            new int[] {1, s},
            new int[] {0, padding},
            new int[] {1, dilation},
            ceilMode);
    return new Tensor[] {r[0].squeeze(-2), r[1].squeeze(-2)};
  }

  /**
   * {@code F.max_pool1d}. As in PyTorch 1.13, an input that needs a gradient (or lives off the
   * CPU) takes {@link #maxPool1dWithIndices}'s path and messages; any other input is checked by
   * {@code max_pool1d}'s own rules, which allow an empty output.
   */
  public static Tensor maxPool1d(
      Tensor input, int kernelSize, Integer stride, int padding, int dilation, boolean ceilMode) {
    checkMaxPool1dInput(input);
    if ((input.requiresGrad() && GradMode.isEnabled()) || !input.device().isCpu()) {
      return maxPool1dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode)[0];
    }
    int s = stride == null ? kernelSize : stride;
    if (kernelSize <= 0) {
      throw new IllegalArgumentException(
          "max_pool1d() kernel_size must be greater than zero, but got " + kernelSize);
    }
    if (s <= 0) {
      throw new IllegalArgumentException(
          "max_pool1d() stride must be greater than zero, but got " + s);
    }
    if (padding < 0) {
      throw new IllegalArgumentException(
          "max_pool1d() padding must be non-negative, but got " + padding);
    }
    if (padding > kernelSize / 2) {
      throw new IllegalArgumentException(
          "max_pool1d() padding should be at most half of kernel size, but got padding="
              + padding + " and kernel_size=" + kernelSize);
    }
    if (dilation <= 0) {
      throw new IllegalArgumentException(
          "max_pool1d() dilation must be greater than zero, but got " + dilation);
    }
    long ow = PoolOps.poolOut(input.size(-1), kernelSize, padding, s, dilation, ceilMode);
    if (ow < 0) {
      throw new IllegalArgumentException("max_pool1d() Invalid computed output size: " + ow);
    }
    if (ow == 0) {
      long[] dims = input.shape().dims();
      dims[dims.length - 1] = 0;
      checkFloating("max_pool1d", input);
      return Tensor.empty(Shape.of(dims), input.dtype(), input.device());
    }
    return maxPool1dWithIndices(input, kernelSize, s, padding, dilation, ceilMode)[0];
  }

  /** {@code F.avg_pool1d}: {@code avg_pool2d} of the input seen as {@code [N, C, 1, L]}. */
  public static Tensor avgPool1d(
      Tensor input, int kernelSize, Integer stride, int padding, boolean ceilMode,
      boolean countIncludePad) {
    checkDims1d("avg_pool1d", input);
    int s = stride == null ? kernelSize : stride;
    return PoolOps.avgPool2d(
            input.unsqueeze(-2),
            new int[] {1, kernelSize},
            new int[] {1, s},
            new int[] {0, padding},
            ceilMode,
            countIncludePad,
            null)
        .squeeze(-2);
  }

  /** {@code F.adaptive_avg_pool1d}: {@code adaptive_avg_pool2d} to {@code (1, outputSize)}. */
  public static Tensor adaptiveAvgPool1d(Tensor input, int outputSize) {
    checkDims1d("adaptive_avg_pool1d", input);
    return PoolOps.adaptiveAvgPool2d(input.unsqueeze(-2), new int[] {1, outputSize}).squeeze(-2);
  }

  /** {@code F.adaptive_max_pool1d(..., return_indices=True)}: the 2-D form on a height-1 view. */
  public static Tensor[] adaptiveMaxPool1d(Tensor input, int outputSize) {
    checkDims1d("adaptive_max_pool1d", input);
    Tensor[] r = adaptiveMaxPool2d(input.unsqueeze(-2), new int[] {1, outputSize});
    return new Tensor[] {r[0].squeeze(-2), r[1].squeeze(-2)};
  }

  // ================================================================== adaptive max

  /** {@code F.adaptive_max_pool2d(..., return_indices=True)}: {@code {output, indices}}. */
  public static Tensor[] adaptiveMaxPool2d(Tensor input, int[] outputSize) {
    int nd = input.dim();
    if (nd != 3 && nd != 4) {
      throw new IllegalArgumentException(
          "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: " + input.shape());
    }
    checkNonEmpty("adaptive_max_pool2d()", input);
    int[] os = expand(outputSize, 2, "adaptive_max_pool2d(): internal error: output_size.size()"
        + " must be 2");
    return adaptiveMax(input, true, new int[] {1, os[0], os[1]}, "AdaptiveMaxPool2DBackward0",
        "adaptive_max_pool2d");
  }

  /** {@code F.adaptive_max_pool3d(..., return_indices=True)}: {@code {output, indices}}. */
  public static Tensor[] adaptiveMaxPool3d(Tensor input, int[] outputSize) {
    int nd = input.dim();
    if (nd != 4 && nd != 5) {
      throw new IllegalArgumentException(
          "adaptive_max_pool3d(): Expected 4D or 5D tensor, but got: " + input.shape());
    }
    checkNonEmpty("adaptive_max_pool3d()", input);
    int[] os = expand(outputSize, 3, "adaptive_max_pool3d(): internal error: output_size.size()"
        + " must be 3");
    return adaptiveMax(input, false, os, "AdaptiveMaxPool3DBackward0", "adaptive_max_pool3d");
  }

  private static void checkNonEmpty(String op, Tensor input) {
    for (int i = 1; i < input.dim(); i++) {
      if (input.size(i) == 0) {
        throw new IllegalArgumentException(
            op + ": Expected input to have non-zero size for non-batch dimensions, but input has"
                + " sizes " + input.shape() + " with dimension " + i + " being empty");
      }
    }
  }

  /** One value for every dim, or exactly {@code n}. */
  private static int[] expand(int[] v, int n, String message) {
    if (v != null && v.length == 1) {
      int[] r = new int[n];
      java.util.Arrays.fill(r, v[0]);
      return r;
    }
    if (v == null || v.length != n) {
      throw new IllegalArgumentException(message);
    }
    return v.clone();
  }

  /** The input's shape with its last {@code os.length} dims replaced (os may hold 1-D/2-D). */
  private static Shape outShape(Tensor input, int[] os) {
    long[] dims = input.shape().dims();
    for (int i = 0; i < os.length; i++) {
      dims[dims.length - os.length + i] = os[i];
    }
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "Trying to create tensor with negative dimension " + d + ": " + Shape.of(dims));
      }
    }
    return Shape.of(dims);
  }

  /**
   * Adaptive max pooling of the last three dims, or of the last two ({@code twoD}, the input
   * seen as depth 1, {@code os3[0] = 1}).
   */
  private static Tensor[] adaptiveMax(
      Tensor input, boolean twoD, int[] os3, String gradFn, String op) {
    final Shape os = outShape(input, twoD ? new int[] {os3[1], os3[2]} : os3);
    checkFloating(op, input);
    final int d = twoD ? 1 : input.shape().getInt(-3);
    final int h = input.shape().getInt(-2);
    final int w = input.shape().getInt(-1);
    final long vol = (long) d * h * w;
    final int planes = Math.toIntExact(input.numel() / vol);
    final AdaptivePool3dGeometry g =
        new AdaptivePool3dGeometry(planes, d, h, w, os3[0], os3[1], os3[2]);
    final int ovol = os3[0] * os3[1] * os3[2];
    final Tensor xc = contig(input);
    final PoolKernels kn = backend(input).pool();
    Tensor out = Tensor.uninitialized(os, input.dtype(), input.device());
    final Tensor idx = Tensor.uninitialized(os, DType.INT64, input.device());
    if (planes > 0 && ovol > 0) {
      kn.adaptiveMaxPool3d(xc.view(), buf(out), buf(idx), g);
    }
    out =
        Tensor.record(
            gradFn,
            out,
            new Tensor[] {input},
            new Tensor[] {idx},
            gr -> {
              Tensor go = contig(gr[0]);
              Tensor gi = zeros(input.shape(), input);
              if (planes > 0 && ovol > 0) {
                kn.indexedPoolBackward(go.view(), idx.view(), buf(gi), planes, (int) vol, ovol);
              }
              return new Tensor[] {gi};
            });
    return new Tensor[] {out, idx};
  }

  // ================================================================== 3-D max and average

  private static int[] triple(int[] v, String message, boolean allowEmpty, int[] dflt) {
    if (v == null || v.length == 0) {
      if (allowEmpty) {
        return dflt.clone();
      }
    } else if (v.length == 1) {
      return new int[] {v[0], v[0], v[0]};
    } else if (v.length == 3) {
      return v.clone();
    }
    throw new IllegalArgumentException(message);
  }

  private static void checkInput3d(Tensor input) {
    if (input.dim() != 4 && input.dim() != 5) {
      throw new IllegalArgumentException(
          "non-empty 4D or 5D (batch mode) tensor expected for input");
    }
  }

  /** PyTorch's {@code pooling_output_shape} per axis, then {@code pool3d_shape_check}. */
  private static Pool3dGeometry geometry3d(
      Tensor input, int[] k, int[] s, int[] p, int[] dil, boolean ceil, String fn,
      boolean checkInputSize) {
    long it = input.size(-3);
    long ih = input.size(-2);
    long iw = input.size(-1);
    long ot = PoolOps.poolOut(it, k[0], p[0], s[0], dil[0], ceil);
    long oh = PoolOps.poolOut(ih, k[1], p[1], s[1], dil[1], ceil);
    long ow = PoolOps.poolOut(iw, k[2], p[2], s[2], dil[2], ceil);
    if (k[0] <= 0 || k[1] <= 0 || k[2] <= 0) {
      throw new IllegalArgumentException(
          "kernel size should be greater than zero, but got kT: " + k[0] + " kH: " + k[1]
              + " kW: " + k[2]);
    }
    if (s[0] <= 0 || s[1] <= 0 || s[2] <= 0) {
      throw new IllegalArgumentException(
          "stride should be greater than zero, but got dT: " + s[0] + " dH: " + s[1] + " dW: "
              + s[2]);
    }
    if (dil[0] <= 0 || dil[1] <= 0 || dil[2] <= 0) {
      throw new IllegalArgumentException(
          "dilation should be greater than zero, but got dilationT: " + dil[0] + " dilationH: "
              + dil[1] + " dilationW: " + dil[2]);
    }
    int nd = input.dim();
    for (int i = 0; i < nd; i++) {
      if (nd == 5 && i == 0) {
        continue;
      }
      if (input.size(i) == 0) {
        throw new IllegalArgumentException(
            fn + ": Expected input's non-batch dimensions to have positive length, but input has"
                + " a shape of " + input.shape() + " and non-batch dimension "
                + input.size(i) + " has length zero!");
      }
    }
    if (checkInputSize && (it < k[0] || ih < k[1] || iw < k[2])) {
      throw new IllegalArgumentException(
          "input image (T: " + it + " H: " + ih + " W: " + iw + ") smaller than kernel size (kT: "
              + k[0] + " kH: " + k[1] + " kW: " + k[2] + ")");
    }
    long c = input.size(-4);
    if (ot < 1 || oh < 1 || ow < 1) {
      throw new IllegalArgumentException(
          "Given input size: (" + c + "x" + it + "x" + ih + "x" + iw + "). Calculated output"
              + " size: (" + c + "x" + ot + "x" + oh + "x" + ow + "). Output size is too small");
    }
    long vol = it * ih * iw;
    int planes = Math.toIntExact(input.numel() / vol);
    return new Pool3dGeometry(planes, (int) it, (int) ih, (int) iw, k[0], k[1], k[2], s[0], s[1],
        s[2], p[0], p[1], p[2], dil[0], dil[1], dil[2], (int) ot, (int) oh, (int) ow);
  }

  /** {@code F.max_pool3d(..., return_indices=True)}: {@code {output, indices}}. */
  public static Tensor[] maxPool3dWithIndices(
      Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
      boolean ceilMode) {
    int[] k = triple(kernelSize,
        "max_pool3d: kernel_size must either be a single int, or a tuple of three ints", false,
        null);
    int[] s = triple(stride,
        "max_pool3d: stride must either be omitted, a single int, or a tuple of three ints", true,
        k);
    int[] p = triple(padding,
        "max_pool3d: padding must be either be a single int, or a tuple of three ints", false, null);
    int[] d = triple(dilation,
        "max_pool3d: dilation must be either a single int, or a tuple of three ints", false, null);
    checkInput3d(input);
    final Pool3dGeometry g =
        geometry3d(input, k, s, p, d, ceilMode, "max_pool3d_with_indices_out_cpu_template()",
            false);
    checkFloating("max_pool3d", input);
    final Shape os = outShape(input, new int[] {g.od(), g.oh(), g.ow()});
    final Tensor xc = contig(input);
    final PoolKernels kn = backend(input).pool();
    Tensor out = Tensor.uninitialized(os, input.dtype(), input.device());
    final Tensor idx = Tensor.uninitialized(os, DType.INT64, input.device());
    if (g.planes() > 0) {
      kn.maxPool3d(xc.view(), buf(out), buf(idx), g);
    }
    final int vol = g.d() * g.h() * g.w();
    final int ovol = g.od() * g.oh() * g.ow();
    out =
        Tensor.record(
            "MaxPool3DWithIndicesBackward0",
            out,
            new Tensor[] {input},
            new Tensor[] {idx},
            gr -> {
              Tensor go = contig(gr[0]);
              Tensor gi = zeros(input.shape(), input);
              if (g.planes() > 0) {
                kn.indexedPoolBackward(go.view(), idx.view(), buf(gi), g.planes(), vol, ovol);
              }
              return new Tensor[] {gi};
            });
    return new Tensor[] {out, idx};
  }

  /** {@code F.avg_pool3d}; {@code divisorOverride} may be null. */
  public static Tensor avgPool3d(
      Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
      boolean countIncludePad, Integer divisorOverride) {
    int[] k = triple(kernelSize,
        "avg_pool3d: kernel_size must be a single int, or a tuple of three ints", false, null);
    int[] s = triple(stride,
        "avg_pool3d: stride must be omitted, a single int, or a tuple of three ints", true, k);
    int[] p = triple(padding,
        "avg_pool3d: padding must be a single int, or a tuple of three ints", false, null);
    checkInput3d(input);
    if (divisorOverride != null && divisorOverride == 0) {
      throw new IllegalArgumentException("divisor must be not zero");
    }
    final Pool3dGeometry g =
        geometry3d(input, k, s, p, new int[] {1, 1, 1}, ceilMode, "avg_pool3d()", true);
    checkFloating("avg_pool3d", input);
    final int div = divisorOverride == null ? 0 : divisorOverride;
    final Tensor xc = contig(input);
    final PoolKernels kn = backend(input).pool();
    Tensor out =
        Tensor.uninitialized(
            outShape(input, new int[] {g.od(), g.oh(), g.ow()}), input.dtype(), input.device());
    if (g.planes() > 0) {
      kn.avgPool3d(xc.view(), buf(out), g, countIncludePad, div);
    }
    return Tensor.record(
        "AvgPool3DBackward0",
        out,
        new Tensor[] {input},
        new Tensor[0],
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gi = zeros(input.shape(), input);
          if (g.planes() > 0) {
            kn.avgPool3dBackward(go.view(), buf(gi), g, countIncludePad, div);
          }
          return new Tensor[] {gi};
        });
  }

  // ================================================================== adaptive average 3-D

  /**
   * {@code F.adaptive_avg_pool3d}; as in PyTorch, a {@code 1 x 1 x 1} output is {@code
   * input.mean((-1, -2, -3), keepdim=True)} ({@code MeanBackward1}).
   */
  public static Tensor adaptiveAvgPool3d(Tensor input, int[] outputSize) {
    int[] os = expand(outputSize, 3, "adaptive_avg_pool3d: output_size must be 3");
    if (os[0] < 0 || os[1] < 0 || os[2] < 0) {
      throw new IllegalArgumentException(
          "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but"
              + " received {" + os[0] + ", " + os[1] + "," + os[2] + "}");
    }
    if (os[0] == 1 && os[1] == 1 && os[2] == 1) {
      return input.mean(new int[] {-1, -2, -3}, true);
    }
    int nd = input.dim();
    if (nd != 4 && nd != 5) {
      throw new IllegalArgumentException(
          "adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got " + input.shape());
    }
    checkNonEmpty("adaptive_avg_pool3d()", input);
    checkFloating("adaptive_avg_pool3d_cpu", input);
    final int d = input.shape().getInt(-3);
    final int h = input.shape().getInt(-2);
    final int w = input.shape().getInt(-1);
    final int planes = Math.toIntExact(input.numel() / ((long) d * h * w));
    final AdaptivePool3dGeometry g = new AdaptivePool3dGeometry(planes, d, h, w, os[0], os[1],
        os[2]);
    final boolean any = planes > 0 && (long) os[0] * os[1] * os[2] > 0;
    final Tensor xc = contig(input);
    final PoolKernels kn = backend(input).pool();
    Tensor out = Tensor.uninitialized(outShape(input, os), input.dtype(), input.device());
    if (any) {
      kn.adaptiveAvgPool3d(xc.view(), buf(out), g);
    }
    return Tensor.record(
        "AdaptiveAvgPool3DBackward0",
        out,
        new Tensor[] {input},
        new Tensor[0],
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gi = zeros(input.shape(), input);
          if (any) {
            kn.adaptiveAvgPool3dBackward(go.view(), buf(gi), g);
          }
          return new Tensor[] {gi};
        });
  }
}
