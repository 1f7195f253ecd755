package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * 2-D max unpooling ({@code torch.nn.MaxUnpool2d}), the partial inverse of {@link MaxPool2d}: each
 * value goes to its index (from {@link MaxPool2d#forwardWithIndices}) in a zeroed output plane;
 * the other cells stay zero.
 *
 * <p>Shape: input and indices {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C,
 * H_out, W_out]} with {@code H_out = (H - 1) * stride[0] - 2 * padding[0] + kernel_size[0]}, or
 * the size given to {@link #forward(Tensor, Tensor, long[])}. As PyTorch's, the hyperparameters
 * are kept as pairs: {@code MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))}.
 *
 * <pre>{@code
 * MaxPool2d pool = new MaxPool2d(2);
 * MaxUnpool2d unpool = new MaxUnpool2d(2);
 * TensorWithIndices p = pool.forwardWithIndices(x);
 * Tensor y = unpool.call(p.output(), p.indices());
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.MaxUnpool2d.html">torch.nn.MaxUnpool2d</a>
 */
public final class MaxUnpool2d extends Module {
  private final int[] kernelSize;
  private final int[] stride;
  private final int[] padding;

  /**
   * {@code nn.MaxUnpool2d(kernelSize)}: stride = kernel size, no padding.
   *
   * @param kernelSize side of the pooling window
   */
  public MaxUnpool2d(int kernelSize) {
    this(new int[] {kernelSize}, null, new int[] {0});
  }

  /**
   * {@code nn.MaxUnpool2d(kernelSize, stride, padding)}.
   *
   * @param kernelSize side of the pooling window
   * @param stride its stride
   * @param padding its padding
   */
  public MaxUnpool2d(int kernelSize, int stride, int padding) {
    this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding});
  }

  /**
   * {@code nn.MaxUnpool2d(kernel_size, stride, padding)} with one value or two each.
   *
   * @param kernelSize one value or {@code {kH, kW}}
   * @param stride one value, two, or null for the kernel size
   * @param padding one value or two
   */
  public MaxUnpool2d(int[] kernelSize, int[] stride, int[] padding) {
    this.kernelSize = pair(kernelSize);
    this.stride = stride == null ? this.kernelSize : pair(stride);
    this.padding = pair(padding);
  }

  private static int[] pair(int[] v) {
    if (v.length == 1) {
      return new int[] {v[0], v[0]};
    }
    if (v.length != 2) {
      throw new IllegalArgumentException("MaxUnpool2d: expected one value or two, got "
          + v.length);
    }
    return v.clone();
  }

  /** Unpools {@code input} to the default size. */
  @Override
  public Tensor forward(Tensor input, Tensor indices) {
    return forward(input, indices, null);
  }

  /**
   * Unpools {@code input} to {@code outputSize} ({@code forward(input, indices, output_size)});
   * unlike {@link #call}, this runs no hooks.
   *
   * @param input the pooled values
   * @param indices their int64 flat indices
   * @param outputSize {@code {H_out, W_out}} (or {@code {N, C, H_out, W_out}}), or null
   * @return the unpooled tensor
   */
  public Tensor forward(Tensor input, Tensor indices, long[] outputSize) {
    return Functional.maxUnpool2d(input, indices, kernelSize, stride, padding, outputSize);
  }

  /** {@code kernel_size=(2, 2), stride=(2, 2), padding=(0, 0)}. */
  @Override
  protected String extraRepr() {
    return "kernel_size=" + Py.tuple(kernelSize) + ", stride=" + Py.tuple(stride)
        + ", padding=" + Py.tuple(padding);
  }

  /** {@code kernel_size}, one value per dim. */
  public int[] kernelSize() {
    return kernelSize.clone();
  }

  /** {@code stride}, one value per dim. */
  public int[] stride() {
    return stride.clone();
  }

  /** {@code padding}, one value per dim. */
  public int[] padding() {
    return padding.clone();
  }
}
