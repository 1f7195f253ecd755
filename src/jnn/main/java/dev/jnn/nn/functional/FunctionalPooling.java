package dev.jnn.nn.functional;

import dev.jnn.tensor.PoolNdOps;
import dev.jnn.tensor.Tensor;
import dev.jnn.tensor.UnpoolOps;

/**
 * {@link Functional}'s pooling beyond the 2-D max, average and adaptive average pools ({@code
 * torch.nn.functional}'s "Pooling functions"), a section of its facade kept in its own file: call
 * them as {@code Functional.maxPool1d(...)}. The class is sealed and abstract: it exists only so
 * that {@code Functional}, which extends it, stays readable by family, as Tensor's instance ops
 * are grouped in its {@code Tensor*} interfaces.
 *
 * <p>As in PyTorch 1.13, the 1-D forms are the 2-D ops on a height-1 view (their {@code grad_fn}
 * is {@code SqueezeBackward1}); indices are flat positions inside each plane (or volume), int64.
 */
public abstract sealed class FunctionalPooling extends FunctionalConvolution
    permits FunctionalSampling {
  FunctionalPooling() {}

  // ================================================================== 1-D

  /** {@code F.max_pool1d(input, kernel_size)}: stride = kernel size, no padding. */
  public static Tensor maxPool1d(Tensor input, int kernelSize) {
    return maxPool1d(input, kernelSize, null, 0, 1, false);
  }

  /**
   * 1-D max pooling ({@code F.max_pool1d}). As in PyTorch 1.13, an input that needs a gradient
   * (or lives on a GPU) is pooled, and checked, as {@code max_pool2d} of a height-1 view; any
   * other input gets {@code max_pool1d}'s own checks, which allow an empty output.
   *
   * @param input {@code [N, C, L]} or {@code [C, L]}
   * @param kernelSize window length
   * @param stride step between windows, or null for the kernel size
   * @param padding implicit {@code -inf} on each side, at most half the window
   * @param dilation spacing between window elements
   * @param ceilMode round the output length up instead of down
   * @return {@code [N, C, L_out]} (or {@code [C, L_out]})
   */
  public static Tensor maxPool1d(
      Tensor input, int kernelSize, Integer stride, int padding, int dilation, boolean ceilMode) {
    return PoolNdOps.maxPool1d(input, kernelSize, stride, padding, dilation, ceilMode);
  }

  /**
   * {@link #maxPool1d(Tensor, int, Integer, int, int, boolean)} that also returns where each
   * maximum came from ({@code return_indices=True}): its position along {@code L}.
   */
  public static TensorWithIndices maxPool1dWithIndices(
      Tensor input, int kernelSize, Integer stride, int padding, int dilation, boolean ceilMode) {
    Tensor[] r =
        PoolNdOps.maxPool1dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    return new TensorWithIndices(r[0], r[1]);
  }

  /** {@code F.avg_pool1d(input, kernel_size)}: stride = kernel size, no padding. */
  public static Tensor avgPool1d(Tensor input, int kernelSize) {
    return avgPool1d(input, kernelSize, null, 0, false, true);
  }

  /**
   * 1-D average pooling ({@code F.avg_pool1d}).
   *
   * @param input {@code [N, C, L]} or {@code [C, L]}
   * @param kernelSize window length
   * @param stride step between windows, or null for the kernel size
   * @param padding zero padding on each side, at most half the window
   * @param ceilMode round the output length up
   * @param countIncludePad whether padded zeros count in the divisor
   * @return {@code [N, C, L_out]} (or {@code [C, L_out]})
   */
  public static Tensor avgPool1d(
      Tensor input, int kernelSize, Integer stride, int padding, boolean ceilMode,
      boolean countIncludePad) {
    return PoolNdOps.avgPool1d(input, kernelSize, stride, padding, ceilMode, countIncludePad);
  }

  // ================================================================== 3-D

  /** {@code F.max_pool3d(input, kernel_size)}: a cubic window, stride = kernel size. */
  public static Tensor maxPool3d(Tensor input, int kernelSize) {
    return maxPool3d(input, new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
  }

  /**
   * 3-D max pooling ({@code F.max_pool3d}).
   *
   * @param input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}
   * @param kernelSize one value or {@code {kD, kH, kW}}
   * @param stride one value, three, or null/empty for the kernel size
   * @param padding one value or three (implicit {@code -inf}, at most half the kernel)
   * @param dilation one value or three
   * @param ceilMode round the output sizes up instead of down
   * @return the pooled volumes
   */
  public static Tensor maxPool3d(
      Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
      boolean ceilMode) {
    return maxPool3dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).output();
  }

  /**
   * {@link #maxPool3d(Tensor, int[], int[], int[], int[], boolean)} with the flat index {@code (d
   * * H + h) * W + w} of each maximum inside its volume ({@code return_indices=True}).
   */
  public static TensorWithIndices maxPool3dWithIndices(
      Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
      boolean ceilMode) {
    Tensor[] r =
        PoolNdOps.maxPool3dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    return new TensorWithIndices(r[0], r[1]);
  }

  /** {@code F.avg_pool3d(input, kernel_size)}: a cubic window, stride = kernel size. */
  public static Tensor avgPool3d(Tensor input, int kernelSize) {
    return avgPool3d(input, new int[] {kernelSize}, null, new int[] {0}, false, true, null);
  }

  /**
   * 3-D average pooling ({@code F.avg_pool3d}).
   *
   * @param input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}
   * @param kernelSize one value or three
   * @param stride one value, three, or null/empty for the kernel size
   * @param padding one value or three (zero padding, at most half the kernel)
   * @param ceilMode round the output sizes up
   * @param countIncludePad whether padded zeros count in the divisor
   * @param divisorOverride a fixed divisor, or null
   * @return the pooled volumes
   */
  public static Tensor avgPool3d(
      Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
      boolean countIncludePad, Integer divisorOverride) {
    return PoolNdOps.avgPool3d(
        input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
  }

  // ================================================================== adaptive

  /** {@code F.adaptive_max_pool1d(input, output_size)}. */
  public static Tensor adaptiveMaxPool1d(Tensor input, int outputSize) {
    return adaptiveMaxPool1dWithIndices(input, outputSize).output();
  }

  /**
   * Adaptive 1-D max pooling with indices ({@code F.adaptive_max_pool1d(..., return_indices=True)}):
   * output cell {@code i} is the maximum of input positions {@code floor(i * L / L_out)} to {@code
   * ceil((i + 1) * L / L_out)} (exclusive).
   *
   * @param input {@code [N, C, L]} or {@code [C, L]}
   * @param outputSize {@code L_out}
   * @return the output and the int64 positions of the maxima along {@code L}
   */
  public static TensorWithIndices adaptiveMaxPool1dWithIndices(Tensor input, int outputSize) {
    Tensor[] r = PoolNdOps.adaptiveMaxPool1d(input, outputSize);
    return new TensorWithIndices(r[0], r[1]);
  }

  /** {@code F.adaptive_max_pool2d(input, output_size)}; one value or {@code {OH, OW}}. */
  public static Tensor adaptiveMaxPool2d(Tensor input, int[] outputSize) {
    return adaptiveMaxPool2dWithIndices(input, outputSize).output();
  }

  /**
   * Adaptive 2-D max pooling with indices ({@code F.adaptive_max_pool2d(...,
   * return_indices=True)}); the windows are {@link Functional#adaptiveAvgPool2d(Tensor, int[])}'s.
   *
   * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
   * @param outputSize one value or {@code {OH, OW}} (the layer resolves PyTorch's {@code None})
   * @return the output and the int64 flat positions {@code row * W + column} of the maxima
   */
  public static TensorWithIndices adaptiveMaxPool2dWithIndices(Tensor input, int[] outputSize) {
    Tensor[] r = PoolNdOps.adaptiveMaxPool2d(input, outputSize);
    return new TensorWithIndices(r[0], r[1]);
  }

  /** {@code F.adaptive_max_pool3d(input, output_size)}; one value or {@code {OD, OH, OW}}. */
  public static Tensor adaptiveMaxPool3d(Tensor input, int[] outputSize) {
    return adaptiveMaxPool3dWithIndices(input, outputSize).output();
  }

  /**
   * Adaptive 3-D max pooling with indices ({@code F.adaptive_max_pool3d(...,
   * return_indices=True)}).
   *
   * @param input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}
   * @param outputSize one value or {@code {OD, OH, OW}}
   * @return the output and the int64 flat positions of the maxima inside each volume
   */
  public static TensorWithIndices adaptiveMaxPool3dWithIndices(Tensor input, int[] outputSize) {
    Tensor[] r = PoolNdOps.adaptiveMaxPool3d(input, outputSize);
    return new TensorWithIndices(r[0], r[1]);
  }

  /**
   * Adaptive 1-D average pooling ({@code F.adaptive_avg_pool1d}).
   *
   * @param input {@code [N, C, L]} or {@code [C, L]}
   * @param outputSize {@code L_out}
   * @return {@code [N, C, L_out]} (or {@code [C, L_out]})
   */
  public static Tensor adaptiveAvgPool1d(Tensor input, int outputSize) {
    return PoolNdOps.adaptiveAvgPool1d(input, outputSize);
  }

  /**
   * Adaptive 3-D average pooling ({@code F.adaptive_avg_pool3d}); a {@code 1 x 1 x 1} output is
   * the mean over the last three dims, as in PyTorch.
   *
   * @param input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}
   * @param outputSize one value or {@code {OD, OH, OW}}
   * @return the pooled volumes
   */
  public static Tensor adaptiveAvgPool3d(Tensor input, int[] outputSize) {
    return PoolNdOps.adaptiveAvgPool3d(input, outputSize);
  }

  // ================================================================== unpooling

  /**
   * 1-D max unpooling ({@code F.max_unpool1d}): puts each value at its index along a zeroed
   * output of length {@code (L - 1) * stride + kernel_size - 2 * padding} (or {@code outputSize}).
   *
   * @param input {@code [N, C, L]} or {@code [C, L]}
   * @param indices int64 positions from {@link #maxPool1dWithIndices}, input's shape
   * @param kernelSize window length
   * @param stride step, or null for the kernel size
   * @param padding padding of the pooling
   * @param outputSize {@code {L_out}} (or {@code {N, C, L_out}}), or null for the default
   * @return the unpooled tensor
   */
  public static Tensor maxUnpool1d(
      Tensor input, Tensor indices, int kernelSize, Integer stride, int padding,
      long[] outputSize) {
    return UnpoolOps.maxUnpool(input, indices, 1, new int[] {kernelSize},
        stride == null ? null : new int[] {stride}, new int[] {padding}, outputSize);
  }

  /**
   * 2-D max unpooling ({@code F.max_unpool2d}), the partial inverse of {@link
   * Functional#maxPool2dWithIndices}: each value goes to its flat index inside a zeroed output
   * plane of {@code (H - 1) * stride + kernel_size - 2 * padding} per dim (or {@code
   * outputSize}, which must lie within a stride of that).
   *
   * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
   * @param indices int64 flat indices, input's shape
   * @param kernelSize one value or two
   * @param stride one value, two, or null for the kernel size
   * @param padding one value or two
   * @param outputSize {@code {OH, OW}} (or {@code {N, C, OH, OW}}), or null for the default
   * @return the unpooled tensor
   */
  public static Tensor maxUnpool2d(
      Tensor input, Tensor indices, int[] kernelSize, int[] stride, int[] padding,
      long[] outputSize) {
    return UnpoolOps.maxUnpool(input, indices, 2, kernelSize, stride, padding, outputSize);
  }

  /**
   * 3-D max unpooling ({@code F.max_unpool3d}), the partial inverse of {@link
   * #maxPool3dWithIndices}.
   *
   * @param input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}
   * @param indices int64 flat indices, input's shape
   * @param kernelSize one value or three
   * @param stride one value, three, or null for the kernel size
   * @param padding one value or three
   * @param outputSize {@code {OD, OH, OW}} (or with {@code N, C} in front), or null
   * @return the unpooled tensor
   */
  public static Tensor maxUnpool3d(
      Tensor input, Tensor indices, int[] kernelSize, int[] stride, int[] padding,
      long[] outputSize) {
    return UnpoolOps.maxUnpool(input, indices, 3, kernelSize, stride, padding, outputSize);
  }

  // ================================================================== power-average

  /**
   * 1-D power-average pooling ({@code F.lp_pool1d}): {@code (sum over the window of x^p)^(1/p)},
   * computed as 1.13 does through {@code avg_pool1d} of {@code x^p}.
   *
   * @param input {@code [N, C, L]} or {@code [C, L]}
   * @param normType {@code p}
   * @param kernelSize window length
   * @param stride step, or null for the kernel size
   * @param ceilMode round the output length up
   * @return the pooled tensor
   */
  public static Tensor lpPool1d(
      Tensor input, double normType, int kernelSize, Integer stride, boolean ceilMode) {
    return UnpoolOps.lpPool1d(input, normType, kernelSize, stride, ceilMode);
  }

  /**
   * 2-D power-average pooling ({@code F.lp_pool2d}), through {@code avg_pool2d} of {@code x^p}.
   *
   * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
   * @param normType {@code p}
   * @param kernelSize one value or two
   * @param stride one value, two, or null for the kernel size
   * @param ceilMode round the output size up
   * @return the pooled tensor
   */
  public static Tensor lpPool2d(
      Tensor input, double normType, int[] kernelSize, int[] stride, boolean ceilMode) {
    return UnpoolOps.lpPool2d(input, normType, kernelSize, stride, ceilMode);
  }
}
