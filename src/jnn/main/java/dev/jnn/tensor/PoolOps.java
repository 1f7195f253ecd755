package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.checkFloating;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.zeros;

import dev.jnn.backend.AdaptivePool2dGeometry;
import dev.jnn.backend.Pool2dGeometry;
import dev.jnn.backend.PoolKernels;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;

/**
 * Internal: the pooling op family behind {@code nn.functional.Functional}'s {@code maxPool2d},
 * {@code avgPool2d} and {@code adaptiveAvgPool2d}; use {@code Functional}. Each op validates its
 * arguments with PyTorch's messages ({@code pool2d_shape_check}), allocates its output, runs the
 * back end's kernel ({@link dev.jnn.backend.PoolKernels}) and records its backward beside the forward. Public only
 * because {@code Functional} lives in another package.
 */
public final class PoolOps {
  private PoolOps() {}

  /** Pooling output size (PyTorch's {@code pooling_output_shape}), with its argument checks. */
  static long poolOut(long in, int k, int pad, int stride, int dil, boolean ceil) {
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

  /**
   * {@code F.max_pool2d(..., return_indices=True)}: {@code {output, indices}}, the indices being
   * flat positions {@code row * W + column} inside each {@code H x W} plane.
   */
  public static Tensor[] maxPool2dWithIndices(
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
    return new Tensor[] {out, idx};
  }

  /** {@code F.avg_pool2d}; {@code divisorOverride} may be null. */
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

  /** {@code F.adaptive_avg_pool2d}; {@code outputSize} is one value or two. */
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
}
