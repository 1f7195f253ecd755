package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * 1-D average pooling ({@code torch.nn.AvgPool1d}): each output element is the mean of a window
 * of {@code kernel_size} elements of its input row, zero-padded by {@code padding} on each side.
 *
 * <p>Shape: input {@code [N, C, L]} or {@code [C, L]}; output {@code [N, C, L_out]} with {@code
 * L_out = floor((L + 2 * padding - kernel_size) / stride + 1)} (rounded up with {@code
 * ceil_mode}). As PyTorch's, the hyperparameters are kept as 1-tuples and print so: {@code
 * AvgPool1d(kernel_size=(3,), stride=(2,), padding=(0,))}.
 *
 * <pre>{@code
 * AvgPool1d pool = new AvgPool1d(3, 2);
 * Tensor y = pool.call(Tensor.randn(20, 16, 50));   // [20, 16, 24]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.AvgPool1d.html">torch.nn.AvgPool1d</a>
 */
public final class AvgPool1d extends Module {
  private final int kernelSize;
  private final int stride;
  private final int padding;
  private final boolean ceilMode;
  private final boolean countIncludePad;

  /**
   * {@code nn.AvgPool1d(kernelSize)}: stride = kernel size, no padding.
   *
   * @param kernelSize window length
   */
  public AvgPool1d(int kernelSize) {
    this(builder(kernelSize));
  }

  /**
   * {@code nn.AvgPool1d(kernelSize, stride)}.
   *
   * @param kernelSize window length
   * @param stride step between windows
   */
  public AvgPool1d(int kernelSize, int stride) {
    this(builder(kernelSize).stride(stride));
  }

  private AvgPool1d(Builder b) {
    this.kernelSize = b.kernelSize;
    this.stride = b.stride == null ? b.kernelSize : b.stride;
    this.padding = b.padding;
    this.ceilMode = b.ceilMode;
    this.countIncludePad = b.countIncludePad;
  }

  /**
   * A builder ({@code stride}, {@code padding}, {@code ceilMode}, {@code countIncludePad}).
   *
   * @param kernelSize window length
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int kernelSize) {
    return new Builder(kernelSize);
  }

  /** Average-pools {@code input} ({@code [N, C, L]} or {@code [C, L]}). */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.avgPool1d(input, kernelSize, stride, padding, ceilMode, countIncludePad);
  }

  /** {@code kernel_size=(3,), stride=(2,), padding=(0,)}. */
  @Override
  protected String extraRepr() {
    return "kernel_size=" + Py.tuple(kernelSize) + ", stride=" + Py.tuple(stride) + ", padding="
        + Py.tuple(padding);
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

  /** {@code ceil_mode}. */
  public boolean ceilMode() {
    return ceilMode;
  }

  /** {@code count_include_pad}. */
  public boolean countIncludePad() {
    return countIncludePad;
  }

  /** Options of an {@link AvgPool1d}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int kernelSize;
    private Integer stride;
    private int padding;
    private boolean ceilMode;
    private boolean countIncludePad = true;

    private Builder(int kernelSize) {
      this.kernelSize = kernelSize;
    }

    /** {@code stride} (default: the kernel size). */
    public Builder stride(int s) {
      this.stride = s;
      return this;
    }

    /** {@code padding} (default 0): zeros on each side, at most half the window. */
    public Builder padding(int p) {
      this.padding = p;
      return this;
    }

    /** {@code ceil_mode} (default false): round the output length up. */
    public Builder ceilMode(boolean ceilMode) {
      this.ceilMode = ceilMode;
      return this;
    }

    /** {@code count_include_pad} (default true): whether padded zeros count in the divisor. */
    public Builder countIncludePad(boolean countIncludePad) {
      this.countIncludePad = countIncludePad;
      return this;
    }

    /** The layer. */
    public AvgPool1d build() {
      return new AvgPool1d(this);
    }
  }
}
