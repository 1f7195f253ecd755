package dev.jnn.nn.functional;

import dev.jnn.tensor.ConvNdOps;
import dev.jnn.tensor.FoldOps;
import dev.jnn.tensor.Tensor;

/**
 * {@link Functional}'s convolutions beyond {@code conv2d} ({@code torch.nn.functional}'s "Convolution functions": {@code conv1d}, {@code conv3d}, {@code conv_transpose1d/2d/3d}, {@code fold}, {@code unfold}), a section of its facade kept in its own file: call them as
 * {@code Functional.conv1d(...)}. The class is sealed and abstract: it exists only so that {@code Functional},
 * which extends it, stays readable by family, as Tensor's instance ops are grouped in its {@code
 * Tensor*} interfaces.
 */
public abstract sealed class FunctionalConvolution extends FunctionalLosses permits FunctionalPooling {
  FunctionalConvolution() {}

  /** {@code n} ones: the Python argument parser's expansion of a default {@code 1}. */
  private static int[] ones(int n) {
    int[] r = new int[n];
    java.util.Arrays.fill(r, 1);
    return r;
  }

  /** {@code F.conv1d(input, weight)}: stride 1, no padding, no bias. */
  public static Tensor conv1d(Tensor input, Tensor weight) {
    return conv1d(input, weight, null, new int[] {1}, new int[] {0}, new int[] {1}, 1);
  }

  /** {@code F.conv1d(input, weight, bias)}; {@code bias} may be null. */
  public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) {
    return conv1d(input, weight, bias, new int[] {1}, new int[] {0}, new int[] {1}, 1);
  }

  /**
   * 1-D convolution ({@code F.conv1d}) with zero padding.
   *
   * <p>Shape: input {@code [N, C, L]} or unbatched {@code [C, L]}; weight {@code [OC, C / groups, k]};
   * bias {@code [OC]} or null; output {@code [N, OC, L_out]} with {@code O = (I + 2 * pad - dilation * (k - 1)
   * - 1) / stride + 1} in each spatial dim.
   *
   * @param input the input
   * @param weight the filters
   * @param bias optional per-output-channel bias
   * @param stride one value or 1
   * @param padding one value or 1 (zeros added on both sides)
   * @param dilation one value or 1
   * @param groups channel groups
   * @return the convolution
   * @throws IllegalArgumentException with PyTorch's message for a wrong rank, channel count,
   *     bias size, dtype, or a kernel larger than the padded input
   */
  public static Tensor conv1d(
      Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
      int groups) {
    return ConvNdOps.convolution("conv1d", 1, input, weight, bias, stride, padding, null, null,
        dilation, groups, false);
  }

  /**
   * 1-D convolution with a padding string ({@code "same"}: output as large as the input, stride 1,
   * an odd total padding puts the extra element at the end; {@code "valid"}: no padding).
   *
   * @param input the input
   * @param weight the filters
   * @param bias optional bias
   * @param stride one value or 1
   * @param padding {@code "same"} or {@code "valid"}
   * @param dilation one value or 1
   * @param groups channel groups
   * @return the convolution
   */
  public static Tensor conv1d(
      Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
      int groups) {
    return ConvNdOps.convolution("conv1d", 1, input, weight, bias, stride, null, padding, null,
        dilation, groups, false);
  }

  /** {@code F.conv3d(input, weight)}: stride 1, no padding, no bias. */
  public static Tensor conv3d(Tensor input, Tensor weight) {
    return conv3d(input, weight, null, ones(3), new int[3], ones(3), 1);
  }

  /** {@code F.conv3d(input, weight, bias)}; {@code bias} may be null. */
  public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias) {
    return conv3d(input, weight, bias, ones(3), new int[3], ones(3), 1);
  }

  /**
   * 3-D convolution ({@code F.conv3d}) with zero padding.
   *
   * <p>Shape: input {@code [N, C, D, H, W]} or unbatched {@code [C, D, H, W]}; weight {@code [OC, C / groups, kD, kH, kW]};
   * bias {@code [OC]} or null; output {@code [N, OC, D_out, H_out, W_out]} with {@code O = (I + 2 * pad - dilation * (k - 1)
   * - 1) / stride + 1} in each spatial dim.
   *
   * @param input the input
   * @param weight the filters
   * @param bias optional per-output-channel bias
   * @param stride one value or 3
   * @param padding one value or 3 (zeros added on both sides)
   * @param dilation one value or 3
   * @param groups channel groups
   * @return the convolution
   * @throws IllegalArgumentException with PyTorch's message for a wrong rank, channel count,
   *     bias size, dtype, or a kernel larger than the padded input
   */
  public static Tensor conv3d(
      Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
      int groups) {
    return ConvNdOps.convolution("conv3d", 3, input, weight, bias, stride, padding, null, null,
        dilation, groups, false);
  }

  /**
   * 3-D convolution with a padding string ({@code "same"}: output as large as the input, stride 1,
   * an odd total padding puts the extra element at the end; {@code "valid"}: no padding).
   *
   * @param input the input
   * @param weight the filters
   * @param bias optional bias
   * @param stride one value or 3
   * @param padding {@code "same"} or {@code "valid"}
   * @param dilation one value or 3
   * @param groups channel groups
   * @return the convolution
   */
  public static Tensor conv3d(
      Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
      int groups) {
    return ConvNdOps.convolution("conv3d", 3, input, weight, bias, stride, null, padding, null,
        dilation, groups, false);
  }

  /** {@code F.conv_transpose1d(input, weight)}: stride 1, no padding, no bias. */
  public static Tensor convTranspose1d(Tensor input, Tensor weight) {
    return convTranspose1d(input, weight, null, new int[] {1}, new int[] {0}, new int[] {0}, 1,
        new int[] {1});
  }

  /** {@code F.conv_transpose1d(input, weight, bias)}; {@code bias} may be null. */
  public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias) {
    return convTranspose1d(input, weight, bias, new int[] {1}, new int[] {0}, new int[] {0}, 1,
        new int[] {1});
  }

  /**
   * 1-D transposed convolution ({@code F.conv_transpose1d}, the gradient of {@code conv1d} with
   * respect to its input), PyTorch's argument order ({@code groups} before {@code dilation}).
   *
   * <p>Shape: input {@code [N, C_in, L]} or unbatched {@code [C_in, L]}; weight {@code [C_in, C_out / groups, k]};
   * bias {@code [C_out]} or null; output {@code [N, C_out, L_out]} with {@code O = (I - 1) * stride - 2 * pad
   * + dilation * (k - 1) + output_padding + 1} in each spatial dim.
   *
   * @param input the input
   * @param weight the filters
   * @param bias optional per-output-channel bias
   * @param stride one value or 1
   * @param padding one value or 1: {@code dilation * (k - 1) - padding} zeros added to both
   *     sides of the input
   * @param outputPadding one value or 1: size added to one side of the output (smaller than
   *     the stride or the dilation)
   * @param groups channel groups
   * @param dilation one value or 1
   * @return the transposed convolution
   * @throws IllegalArgumentException with PyTorch's message for a wrong rank, channel count,
   *     bias size, dtype, output padding, or an output smaller than one element
   */
  public static Tensor convTranspose1d(
      Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
      int[] outputPadding, int groups, int[] dilation) {
    return ConvNdOps.convolution("conv_transpose1d", 1, input, weight, bias, stride, padding, null,
        outputPadding, dilation, groups, true);
  }

  /** {@code F.conv_transpose2d(input, weight)}: stride 1, no padding, no bias. */
  public static Tensor convTranspose2d(Tensor input, Tensor weight) {
    return convTranspose2d(input, weight, null, ones(2), new int[2], new int[2], 1,
        ones(2));
  }

  /** {@code F.conv_transpose2d(input, weight, bias)}; {@code bias} may be null. */
  public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias) {
    return convTranspose2d(input, weight, bias, ones(2), new int[2], new int[2], 1,
        ones(2));
  }

  /**
   * 2-D transposed convolution ({@code F.conv_transpose2d}, the gradient of {@code conv2d} with
   * respect to its input), PyTorch's argument order ({@code groups} before {@code dilation}).
   *
   * <p>Shape: input {@code [N, C_in, H, W]} or unbatched {@code [C_in, H, W]}; weight {@code [C_in, C_out / groups, kH, kW]};
   * bias {@code [C_out]} or null; output {@code [N, C_out, H_out, W_out]} with {@code O = (I - 1) * stride - 2 * pad
   * + dilation * (k - 1) + output_padding + 1} in each spatial dim.
   *
   * @param input the input
   * @param weight the filters
   * @param bias optional per-output-channel bias
   * @param stride one value or 2
   * @param padding one value or 2: {@code dilation * (k - 1) - padding} zeros added to both
   *     sides of the input
   * @param outputPadding one value or 2: size added to one side of the output (smaller than
   *     the stride or the dilation)
   * @param groups channel groups
   * @param dilation one value or 2
   * @return the transposed convolution
   * @throws IllegalArgumentException with PyTorch's message for a wrong rank, channel count,
   *     bias size, dtype, output padding, or an output smaller than one element
   */
  public static Tensor convTranspose2d(
      Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
      int[] outputPadding, int groups, int[] dilation) {
    return ConvNdOps.convolution("conv_transpose2d", 2, input, weight, bias, stride, padding, null,
        outputPadding, dilation, groups, true);
  }

  /** {@code F.conv_transpose3d(input, weight)}: stride 1, no padding, no bias. */
  public static Tensor convTranspose3d(Tensor input, Tensor weight) {
    return convTranspose3d(input, weight, null, ones(3), new int[3], new int[3], 1,
        ones(3));
  }

  /** {@code F.conv_transpose3d(input, weight, bias)}; {@code bias} may be null. */
  public static Tensor convTranspose3d(Tensor input, Tensor weight, Tensor bias) {
    return convTranspose3d(input, weight, bias, ones(3), new int[3], new int[3], 1,
        ones(3));
  }

  /**
   * 3-D transposed convolution ({@code F.conv_transpose3d}, the gradient of {@code conv3d} with
   * respect to its input), PyTorch's argument order ({@code groups} before {@code dilation}).
   *
   * <p>Shape: input {@code [N, C_in, D, H, W]} or unbatched {@code [C_in, D, H, W]}; weight {@code [C_in, C_out / groups, kD, kH, kW]};
   * bias {@code [C_out]} or null; output {@code [N, C_out, D_out, H_out, W_out]} with {@code O = (I - 1) * stride - 2 * pad
   * + dilation * (k - 1) + output_padding + 1} in each spatial dim.
   *
   * @param input the input
   * @param weight the filters
   * @param bias optional per-output-channel bias
   * @param stride one value or 3
   * @param padding one value or 3: {@code dilation * (k - 1) - padding} zeros added to both
   *     sides of the input
   * @param outputPadding one value or 3: size added to one side of the output (smaller than
   *     the stride or the dilation)
   * @param groups channel groups
   * @param dilation one value or 3
   * @return the transposed convolution
   * @throws IllegalArgumentException with PyTorch's message for a wrong rank, channel count,
   *     bias size, dtype, output padding, or an output smaller than one element
   */
  public static Tensor convTranspose3d(
      Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
      int[] outputPadding, int groups, int[] dilation) {
    return ConvNdOps.convolution("conv_transpose3d", 3, input, weight, bias, stride, padding, null,
        outputPadding, dilation, groups, true);
  }

  /** {@code F.unfold(input, kernel_size)}: dilation 1, no padding, stride 1. */
  public static Tensor unfold(Tensor input, int... kernelSize) {
    return unfold(input, kernelSize, new int[] {1}, new int[] {0}, new int[] {1});
  }

  /**
   * Extracts sliding local blocks ({@code F.unfold}, ATen's {@code im2col}): every {@code kH x kW}
   * block of every channel becomes a column.
   *
   * <p>Shape: input {@code [N, C, H, W]} or unbatched {@code [C, H, W]}; output {@code [N, C * kH *
   * kW, L]} (or {@code [C * kH * kW, L]}) with {@code L} the number of blocks, {@code floor((H + 2
   * * padH - dilationH * (kH - 1) - 1) / strideH + 1)} times the same for the width. Column
   * entries run over channels, then kernel rows, then kernel columns.
   *
   * @param input the images
   * @param kernelSize one value or {@code {kH, kW}}
   * @param dilation one value or two
   * @param padding one value or two (zeros on both sides)
   * @param stride one value or two
   * @return the blocks
   * @throws IllegalArgumentException with PyTorch's messages for non-positive sizes, a wrong rank
   *     or no block at all
   */
  public static Tensor unfold(
      Tensor input, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
    return FoldOps.unfold(input, kernelSize, dilation, padding, stride);
  }

  /** {@code F.fold(input, output_size, kernel_size)}: dilation 1, no padding, stride 1. */
  public static Tensor fold(Tensor input, int[] outputSize, int[] kernelSize) {
    return fold(input, outputSize, kernelSize, new int[] {1}, new int[] {0}, new int[] {1});
  }

  /**
   * Combines sliding local blocks into an image ({@code F.fold}, ATen's {@code col2im}), the
   * adjoint of {@link #unfold(Tensor, int[], int[], int[], int[])}: overlapping entries are summed.
   *
   * <p>Shape: input {@code [N, C * kH * kW, L]} or unbatched {@code [C * kH * kW, L]}, {@code L}
   * matching the blocks of {@code output_size}; output {@code [N, C, output_size]} (or {@code [C,
   * output_size]}).
   *
   * @param input the blocks
   * @param outputSize one value or {@code {H, W}}
   * @param kernelSize one value or {@code {kH, kW}}
   * @param dilation one value or two
   * @param padding one value or two
   * @param stride one value or two
   * @return the image
   * @throws IllegalArgumentException with PyTorch's messages for non-positive sizes, a wrong rank
   *     or a block count that does not match
   */
  public static Tensor fold(Tensor input, int[] outputSize, int[] kernelSize, int[] dilation,
      int[] padding, int[] stride) {
    return FoldOps.fold(input, outputSize, kernelSize, dilation, padding, stride);
  }
}
