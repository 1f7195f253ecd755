package dev.jnn.tensor;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import java.util.Arrays;

/**
 * Internal: max unpooling and power-average pooling behind {@code nn.functional.FunctionalPooling}
 * ({@code F.max_unpool1d/2d/3d}, {@code F.lp_pool1d/2d}); use {@code Functional}. Both are
 * compositions of existing tensor ops, so they run on every back end without a kernel of their
 * own:
 *
 * <ul>
 *   <li>unpooling scatters each value to its index inside a zeroed {@code [planes, H * W]} output
 *       ({@code scatter}, assignment) and records PyTorch's node ({@code MaxUnpool2DBackward0},
 *       {@code MaxUnpool3DBackward0}) whose backward is derivatives.yaml's {@code
 *       max_pool_double_backward}, a {@code gather} of the gradient at the indices; the 1-D form
 *       is 1.13's Python, the 2-D op on a width-1 view ({@code SqueezeBackward1});
 *   <li>{@code lp_pool} is 1.13's Python: {@code avg_pool} of {@code x^p}, then {@code sign(out) *
 *       relu(|out|) * (kernel area)} to the power {@code 1/p}.
 * </ul>
 *
 * Public only because {@code Functional} lives in another package.
 */
public final class UnpoolOps {
  private UnpoolOps() {}

  private static int[] expand(int[] v, int n) {
    if (v.length == 1) {
      int[] r = new int[n];
      Arrays.fill(r, v[0]);
      return r;
    }
    if (v.length != n) {
      throw new IllegalArgumentException(
          "expected " + n + " values (or one), but got " + v.length + " in " + Arrays.toString(v));
    }
    return v.clone();
  }

  /** 1.13's {@code _unpool_output_size}. */
  private static long[] unpoolOutputSize(
      Tensor input, int[] k, int[] s, int[] p, long[] outputSize) {
    int n = k.length;
    long[] dflt = new long[n];
    for (int d = 0; d < n; d++) {
      dflt[d] = (input.size(input.dim() - n + d) - 1) * s[d] + k[d] - 2L * p[d];
    }
    if (outputSize == null) {
      return dflt;
    }
    long[] os = outputSize;
    if (os.length == n + 2) {
      os = Arrays.copyOfRange(os, 2, os.length);
    }
    if (os.length != n) {
      throw new IllegalArgumentException(
          "output_size should be a sequence containing " + n + " or " + (n + 2)
              + " elements, but it has a length of '" + os.length + "'");
    }
    for (int d = 0; d < n; d++) {
      long min = dflt[d] - s[d];
      long max = dflt[d] + s[d];
      if (!(min < os[d] && os[d] < max)) {
        throw new IllegalArgumentException(
            "invalid output_size \"" + Arrays.toString(os) + "\" (dim " + d + " must be between "
                + min + " and " + max + ")");
      }
    }
    return os.clone();
  }

  /**
   * {@code F.max_unpool1d/2d/3d} ({@code dims} 1, 2 or 3); {@code stride} null means the kernel
   * size, {@code outputSize} null the default size (it may also hold {@code N} and {@code C}).
   */
  public static Tensor maxUnpool(
      Tensor input, Tensor indices, int dims, int[] kernelSize, int[] stride, int[] padding,
      long[] outputSize) {
    int n = dims;
    int[] k = expand(kernelSize, n);
    int[] s = stride == null ? k : expand(stride, n);
    int[] p = expand(padding, n);
    long[] os = unpoolOutputSize(input, k, s, p, outputSize);
    if (dims == 1) {
      return unpool2d(input.unsqueeze(-1), indices.unsqueeze(-1), new long[] {os[0], 1})
          .squeeze(-1);
    }
    if (dims == 2) {
      return unpool2d(input, indices, os);
    }
    return unpool3d(input, indices, os, s, p);
  }

  private static void checkIndices(Tensor indices) {
    if (indices.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          "elements in indices should be type int64 but got: "
              + NnOpSupport.typeName(indices.dtype()));
    }
  }

  private static void checkSameShape(Tensor input, Tensor indices) {
    if (!input.shape().equals(indices.shape())) {
      throw new IllegalArgumentException(
          "Expected shape of indices to be same as that of the input tensor (" + input.shape()
              + ") but got indices tensor with shape: " + indices.shape());
    }
  }

  private static void checkNonEmpty(String fn, Tensor input) {
    for (int i = 1; i < input.dim(); i++) {
      if (input.size(i) == 0) {
        throw new IllegalArgumentException(
            fn + ": Expected input to have non-zero size for non-batch dimensions, but got "
                + input.shape() + " with dimension " + i + " being empty.");
      }
    }
  }

  /** {@code max_unpool2d} (1.13's {@code max_unpooling2d_forward_out_cpu} checks). */
  private static Tensor unpool2d(Tensor input, Tensor indices, long[] os) {
    checkIndices(indices);
    if (input.dim() != 3 && input.dim() != 4) {
      throw new IllegalArgumentException(
          "Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with "
              + input.dim() + " dimensions.");
    }
    checkSameShape(input, indices);
    checkNonEmpty("max_unpooling2d_forward_out_cpu()", input);
    String size = " (output volumes are of size " + os[0] + "x" + os[1];
    return unpool(input, indices, os, "MaxUnpool2DBackward0", size);
  }

  /** {@code max_unpool3d} (1.13's {@code max_unpooling3d_shape_check}). */
  private static Tensor unpool3d(Tensor input, Tensor indices, long[] os, int[] s, int[] p) {
    checkIndices(indices);
    if (input.dim() != 4 && input.dim() != 5) {
      throw new IllegalArgumentException(
          "Input to max_unpooling3d should be a 4d or 5d Tensor, but got a tensor with "
              + input.dim() + " dimensions.");
    }
    checkSameShape(input, indices);
    checkNonEmpty("max_unpooling3d_forward_out_cpu()", input);
    if (s[0] <= 0 || s[1] <= 0 || s[2] <= 0) {
      throw new IllegalArgumentException(
          "strides should be greater than zero, but got stride: " + Arrays.toString(s));
    }
    String size = " (output volumes are of size " + os[0] + "x" + os[1] + "x" + os[2];
    return unpool(input, indices, os, "MaxUnpool3DBackward0", size);
  }

  /**
   * Scatters {@code input} to {@code indices} inside zeroed output planes of {@code os} (the last
   * {@code os.length} dims); every index is checked first (on the host), with PyTorch's message.
   */
  private static Tensor unpool(
      Tensor input, Tensor indices, long[] os, String gradFn, String sizeText) {
    NnOpSupport.checkFloating("max_unpooling", input);
    Checks.checkSameDevice("max_unpool", input, indices);
    int n = os.length;
    long[] dims = input.shape().dims();
    int lead = dims.length - n;
    long planes = 1;
    for (int i = 0; i < lead; i++) {
      planes *= dims[i];
    }
    long plane = 1;
    for (long d : os) {
      plane *= d;
    }
    long[] outDims = Arrays.copyOf(dims, dims.length);
    System.arraycopy(os, 0, outDims, lead, n);
    final Shape outShape = Shape.of(outDims);
    for (long v : indices.toLongArray()) {
      if (v < 0 || v >= plane) {
        throw new IllegalArgumentException(
            "Found an invalid max index: " + v + sizeText);
      }
    }
    final long cells = input.numel() / Math.max(1, planes);
    final long fPlanes = planes;
    final long fPlane = plane;
    Tensor out;
    try (var ng = NoGrad.enter()) {
      Tensor z = Tensor.zeros(Shape.of(planes, plane), input.dtype(), input.device());
      if (planes > 0 && cells > 0 && plane > 0) {
        z = z.scatter(1, indices.reshape(planes, cells), input.reshape(planes, cells));
      }
      out = z.reshape(outShape.dims());
    }
    final Tensor idx = indices;
    final Shape inShape = input.shape();
    return Tensor.record(
        gradFn,
        out,
        new Tensor[] {input},
        new Tensor[] {idx},
        gr -> {
          if (fPlanes == 0 || cells == 0 || fPlane == 0) {
            return new Tensor[] {Tensor.zeros(inShape, input.dtype(), input.device())};
          }
          Tensor g = gr[0].reshape(fPlanes, fPlane).gather(1, idx.reshape(fPlanes, cells));
          return new Tensor[] {g.reshape(inShape.dims())};
        });
  }

  // ================================================================== power-average pooling

  /** {@code F.lp_pool1d} (1.13's Python). */
  public static Tensor lpPool1d(
      Tensor input, double normType, int kernelSize, Integer stride, boolean ceilMode) {
    Tensor out =
        PoolNdOps.avgPool1d(input.pow(normType), kernelSize, stride, 0, ceilMode, true);
    return out.sign().mul(out.abs().relu()).mul(kernelSize).pow(1.0 / normType);
  }

  /** {@code F.lp_pool2d} (1.13's Python); {@code stride} null means the kernel size. */
  public static Tensor lpPool2d(
      Tensor input, double normType, int[] kernelSize, int[] stride, boolean ceilMode) {
    if (kernelSize == null || kernelSize.length < 1 || kernelSize.length > 2) {
      throw new IllegalArgumentException(
          "lp_pool2d: kernel_size must either be a single int, or a tuple of two ints");
    }
    int kh = kernelSize[0];
    int kw = kernelSize.length == 2 ? kernelSize[1] : kernelSize[0];
    Tensor out =
        PoolOps.avgPool2d(input.pow(normType), kernelSize, stride, new int[] {0}, ceilMode, true,
            null);
    return out.sign().mul(out.abs().relu()).mul(kw * kh).pow(1.0 / normType);
  }
}
