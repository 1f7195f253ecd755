package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * 1-D max unpooling ({@code torch.nn.MaxUnpool1d}), the partial inverse of {@link MaxPool1d}: each
 * value goes to its position (from {@link MaxPool1d#forwardWithIndices}) in a zeroed output row;
 * the other cells stay zero.
 *
 * <p>Shape: input and indices {@code [N, C, L]} or {@code [C, L]}; output {@code [N, C, L_out]}
 * with {@code L_out = (L - 1) * stride - 2 * padding + kernel_size}, or the size given to {@link
 * #forward(Tensor, Tensor, long[])}. As PyTorch's, the hyperparameters are kept as 1-tuples:
 * {@code MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))}.
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.MaxUnpool1d.html">torch.nn.MaxUnpool1d</a>
 */
public final class MaxUnpool1d extends Module {
  private final int kernelSize;
  private final int stride;
  private final int padding;

  /**
   * {@code nn.MaxUnpool1d(kernelSize)}: stride = kernel size, no padding.
   *
   * @param kernelSize length of the pooling window
   */
  public MaxUnpool1d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  /**
   * {@code nn.MaxUnpool1d(kernelSize, stride, padding)}.
   *
   * @param kernelSize length of the pooling window
   * @param stride its stride
   * @param padding its padding
   */
  public MaxUnpool1d(int kernelSize, int stride, int padding) {
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
  }

  /** Unpools {@code input} to the default length. */
  @Override
  public Tensor forward(Tensor input, Tensor indices) {
    return forward(input, indices, null);
  }

  /**
   * Unpools {@code input} to {@code outputSize} ({@code forward(input, indices, output_size)});
   * unlike {@link #call}, this runs no hooks.
   *
   * @param input the pooled values
   * @param indices their int64 positions
   * @param outputSize {@code {L_out}} (or {@code {N, C, L_out}}), or null
   * @return the unpooled tensor
   */
  public Tensor forward(Tensor input, Tensor indices, long[] outputSize) {
    return Functional.maxUnpool1d(input, indices, kernelSize, stride, padding, outputSize);
  }

  /** {@code kernel_size=(2,), stride=(2,), padding=(0,)}. */
  @Override
  protected String extraRepr() {
    return "kernel_size=" + Py.tuple(kernelSize) + ", stride=" + Py.tuple(stride)
        + ", padding=" + Py.tuple(padding);
  }

  /** {@code kernel_size}. */
  public int kernelSize() {
    return kernelSize;
  }

  /** {@code stride}. */
  public int stride() {
    return stride;
  }

  /** {@code padding}. */
  public int padding() {
    return padding;
  }
}
