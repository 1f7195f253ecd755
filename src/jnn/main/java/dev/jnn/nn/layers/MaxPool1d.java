package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.TensorWithIndices;
import dev.jnn.tensor.Tensor;

/**
 * 1-D max pooling ({@code torch.nn.MaxPool1d}): each output element is the maximum of a window of
 * {@code kernel_size} elements (spaced by {@code dilation}) of its input row, padded with {@code
 * -inf} by {@code padding} on each side.
 *
 * <p>Shape: input {@code [N, C, L]} or {@code [C, L]}; output {@code [N, C, L_out]} with {@code
 * L_out = floor((L + 2 * padding - dilation * (kernel_size - 1) - 1) / stride + 1)} (rounded up
 * with {@code ceil_mode}). PyTorch's {@code return_indices=True} is {@link #forwardWithIndices}.
 *
 * <pre>{@code
 * MaxPool1d pool = new MaxPool1d(3, 2);   // MaxPool1d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)
 * Tensor y = pool.call(Tensor.randn(20, 16, 50));   // [20, 16, 24]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.MaxPool1d.html">torch.nn.MaxPool1d</a>
 */
public final class MaxPool1d extends Module {
  private final int kernelSize;
  private final int stride;
  private final int padding;
  private final int dilation;
  private final boolean ceilMode;

  /**
   * {@code nn.MaxPool1d(kernelSize)}: stride = kernel size, no padding.
   *
   * @param kernelSize window length
   */
  public MaxPool1d(int kernelSize) {
    this(builder(kernelSize));
  }

  /**
   * {@code nn.MaxPool1d(kernelSize, stride)}.
   *
   * @param kernelSize window length
   * @param stride step between windows
   */
  public MaxPool1d(int kernelSize, int stride) {
    this(builder(kernelSize).stride(stride));
  }

  private MaxPool1d(Builder b) {
    this.kernelSize = b.kernelSize;
    this.stride = b.stride == null ? b.kernelSize : b.stride;
    this.padding = b.padding;
    this.dilation = b.dilation;
    this.ceilMode = b.ceilMode;
  }

  /**
   * A builder ({@code stride}, {@code padding}, {@code dilation}, {@code ceilMode}).
   *
   * @param kernelSize window length
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int kernelSize) {
    return new Builder(kernelSize);
  }

  /** Max-pools {@code input} ({@code [N, C, L]} or {@code [C, L]}). */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.maxPool1d(input, kernelSize, stride, padding, dilation, ceilMode);
  }

  /**
   * The pooled output with the position along {@code L} of each maximum (PyTorch's {@code
   * return_indices=True}, the input of {@code MaxUnpool1d}). Unlike {@link #call}, this runs no
   * hooks.
   *
   * @param input {@code [N, C, L]} or {@code [C, L]}
   * @return the output and the int64 indices
   */
  public TensorWithIndices forwardWithIndices(Tensor input) {
    return Functional.maxPool1dWithIndices(
        input, kernelSize, stride, padding, dilation, ceilMode);
  }

  /** {@code kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False}. */
  @Override
  protected String extraRepr() {
    return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding
        + ", dilation=" + dilation + ", ceil_mode=" + Py.bool(ceilMode);
  }

  // ---------------------------------------------------------------- accessors

  /** {@code kernel_size}. */
  public int kernelSize() {
    return kernelSize;
  }

  /** {@code stride} (the kernel size when not given). */
  public int stride() {
    return stride;
  }

  /** {@code padding}. */
  public int padding() {
    return padding;
  }

  /** {@code dilation}. */
  public int dilation() {
    return dilation;
  }

  /** {@code ceil_mode}. */
  public boolean ceilMode() {
    return ceilMode;
  }

  /** Options of a {@link MaxPool1d}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int kernelSize;
    private Integer stride;
    private int padding;
    private int dilation = 1;
    private boolean ceilMode;

    private Builder(int kernelSize) {
      this.kernelSize = kernelSize;
    }

    /** {@code stride} (default: the kernel size). */
    public Builder stride(int s) {
      this.stride = s;
      return this;
    }

    /** {@code padding} (default 0): implicit {@code -inf}, at most half the window. */
    public Builder padding(int p) {
      this.padding = p;
      return this;
    }

    /** {@code dilation} (default 1): spacing between window elements. */
    public Builder dilation(int d) {
      this.dilation = d;
      return this;
    }

    /** {@code ceil_mode} (default false): round the output length up. */
    public Builder ceilMode(boolean ceilMode) {
      this.ceilMode = ceilMode;
      return this;
    }

    /** The layer. */
    public MaxPool1d build() {
      return new MaxPool1d(this);
    }
  }
}
