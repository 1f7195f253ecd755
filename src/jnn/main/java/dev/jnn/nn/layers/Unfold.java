package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Extracts sliding local blocks from a batch of images ({@code torch.nn.Unfold}, {@link
 * Functional#unfold(Tensor, int[], int[], int[], int[])}): {@code [N, C, H, W]} (or {@code [C, H,
 * W]}) to {@code [N, C * kH * kW, L]} (or {@code [C * kH * kW, L]}). Each size is one value (both
 * dims) or two; the repr prints them as given, as PyTorch does.
 *
 * <pre>{@code
 * Unfold u = new Unfold(new int[] {2, 3});   // Unfold(kernel_size=(2, 3), dilation=1, padding=0, stride=1)
 * Tensor cols = u.call(Tensor.randn(2, 5, 3, 4));   // [2, 30, 4]
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Unfold.html">torch.nn.Unfold</a>
 */
public final class Unfold extends Module {
  private final int[] kernelSize;
  private final int[] dilation;
  private final int[] padding;
  private final int[] stride;

  /**
   * {@code nn.Unfold(kernel_size)}: dilation 1, no padding, stride 1.
   *
   * @param kernelSize one value or {@code {kH, kW}}
   */
  public Unfold(int[] kernelSize) {
    this(kernelSize, new int[] {1}, new int[] {0}, new int[] {1});
  }

  /**
   * {@code nn.Unfold(kernel_size, dilation, padding, stride)}.
   *
   * @param kernelSize one value or {@code {kH, kW}}
   * @param dilation one value or two
   * @param padding one value or two (zeros on both sides)
   * @param stride one value or two
   */
  public Unfold(int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
    this.kernelSize = kernelSize.clone();
    this.dilation = dilation.clone();
    this.padding = padding.clone();
    this.stride = stride.clone();
  }

  /** The blocks of {@code input}; PyTorch's messages for sizes that give none. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.unfold(input, kernelSize, dilation, padding, stride);
  }

  /** {@code kernel_size=(2, 3), dilation=1, padding=0, stride=1}: the values as given. */
  @Override
  protected String extraRepr() {
    return "kernel_size=" + Fold.pyValue(kernelSize) + ", dilation=" + Fold.pyValue(dilation)
        + ", padding=" + Fold.pyValue(padding) + ", stride=" + Fold.pyValue(stride);
  }
}
