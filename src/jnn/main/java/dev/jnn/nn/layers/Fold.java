package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Combines sliding local blocks into images ({@code torch.nn.Fold}, {@link
 * Functional#fold(Tensor, int[], int[], int[], int[], int[])}), summing overlapping values: {@code
 * [N, C * kH * kW, L]} (or {@code [C * kH * kW, L]}) to {@code [N, C, output_size]} (or {@code [C,
 * output_size]}). Each size is one value (both dims) or two; the repr prints them as given, as
 * PyTorch does.
 *
 * <pre>{@code
 * Fold f = new Fold(new int[] {4, 5}, new int[] {2});   // Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1)
 * Tensor img = f.call(Tensor.randn(1, 12, 12));        // [1, 3, 4, 5]
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Fold.html">torch.nn.Fold</a>
 */
public final class Fold extends Module {
  private final int[] outputSize;
  private final int[] kernelSize;
  private final int[] dilation;
  private final int[] padding;
  private final int[] stride;

  /**
   * {@code nn.Fold(output_size, kernel_size)}: dilation 1, no padding, stride 1.
   *
   * @param outputSize one value or {@code {H, W}}
   * @param kernelSize one value or {@code {kH, kW}}
   */
  public Fold(int[] outputSize, int[] kernelSize) {
    this(outputSize, kernelSize, new int[] {1}, new int[] {0}, new int[] {1});
  }

  /**
   * {@code nn.Fold(output_size, kernel_size, dilation, padding, stride)}.
   *
   * @param outputSize one value or {@code {H, W}}
   * @param kernelSize one value or {@code {kH, kW}}
   * @param dilation one value or two
   * @param padding one value or two
   * @param stride one value or two
   */
  public Fold(int[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
    this.outputSize = outputSize.clone();
    this.kernelSize = kernelSize.clone();
    this.dilation = dilation.clone();
    this.padding = padding.clone();
    this.stride = stride.clone();
  }

  /** The image the blocks of {@code input} sum to; PyTorch's messages for mismatched sizes. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.fold(input, outputSize, kernelSize, dilation, padding, stride);
  }

  /** A size as Python prints the value given: one value as an int, more as a tuple. */
  static String pyValue(int[] v) {
    return v.length == 1 ? Integer.toString(v[0]) : Py.tuple(v);
  }

  /** {@code output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1}. */
  @Override
  protected String extraRepr() {
    return "output_size=" + pyValue(outputSize) + ", kernel_size=" + pyValue(kernelSize)
        + ", dilation=" + pyValue(dilation) + ", padding=" + pyValue(padding) + ", stride="
        + pyValue(stride);
  }
}
