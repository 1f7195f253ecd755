package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * 2-D average pooling ({@code torch.nn.AvgPool2d}): each output element is the mean of a {@code kH
 * x kW} window of its input plane,
 *
 * <pre>
 * out(N_i, C_j, h, w) = 1 / (kH * kW) * sum_{m &lt; kH, n &lt; kW} input(N_i, C_j, stride[0] * h + m, stride[1] * w + n)
 * </pre>
 *
 * over the input zero-padded by {@code padding}; with {@code count_include_pad=False} the divisor
 * counts only the non-padded elements, and {@code divisor_override} replaces it altogether.
 *
 * <p>Shape: input {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, H_out, W_out]}
 * with {@code H_out = floor((H + 2 * padding[0] - kernel_size[0]) / stride[0] + 1)} (rounded up
 * with {@code ceil_mode}).
 *
 * <pre>{@code
 * AvgPool2d pool = new AvgPool2d(2);   // AvgPool2d(kernel_size=2, stride=2, padding=0)
 * AvgPool2d p2 = AvgPool2d.builder(3).stride(2).padding(1).countIncludePad(false).build();
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.AvgPool2d.html">torch.nn.AvgPool2d</a>
 */
public final class AvgPool2d extends Module {
  private final IntPair kernelSize;
  private final IntPair stride;
  private final IntPair padding;
  private final boolean ceilMode;
  private final boolean countIncludePad;
  private final Integer divisorOverride;

  /**
   * {@code nn.AvgPool2d(kernelSize)}: stride = kernel size, no padding.
   *
   * @param kernelSize side of the square window
   */
  public AvgPool2d(int kernelSize) {
    this(builder(kernelSize));
  }

  /**
   * {@code nn.AvgPool2d(kernelSize, stride)}.
   *
   * @param kernelSize side of the square window
   * @param stride step between windows
   */
  public AvgPool2d(int kernelSize, int stride) {
    this(builder(kernelSize).stride(stride));
  }

  private AvgPool2d(Builder b) {
    this.kernelSize = b.kernelSize;
    this.stride = b.stride == null ? b.kernelSize : b.stride;
    this.padding = b.padding;
    this.ceilMode = b.ceilMode;
    this.countIncludePad = b.countIncludePad;
    this.divisorOverride = b.divisorOverride;
  }

  /**
   * A builder for a square window ({@code stride}, {@code padding}, {@code ceilMode}, {@code
   * countIncludePad}, {@code divisorOverride}).
   *
   * @param kernelSize side of the square window
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int kernelSize) {
    return new Builder(IntPair.of(kernelSize));
  }

  /**
   * A builder for a {@code kH x kW} window.
   *
   * @param kernelH window height
   * @param kernelW window width
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int kernelH, int kernelW) {
    return new Builder(IntPair.of(kernelH, kernelW));
  }

  /**
   * Average-pools {@code input}.
   *
   * @throws IllegalArgumentException {@code non-empty 3D or 4D (batch mode) tensor expected for
   *     input}, or a padding above half the window
   */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.avgPool2d(
        input,
        kernelSize.toArray(),
        stride.toArray(),
        padding.toArray(),
        ceilMode,
        countIncludePad,
        divisorOverride);
  }

  /** {@code kernel_size=2, stride=2, padding=0} (PyTorch prints no other option). */
  @Override
  protected String extraRepr() {
    return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding;
  }

  // ---------------------------------------------------------------- accessors

  /** {@code kernel_size} as {@code {kH, kW}}. */
  public int[] kernelSize() {
    return kernelSize.toArray();
  }

  /** {@code stride} as {@code {sH, sW}}. */
  public int[] stride() {
    return stride.toArray();
  }

  /** {@code padding} as {@code {padH, padW}}. */
  public int[] padding() {
    return padding.toArray();
  }

  /** {@code ceil_mode}. */
  public boolean ceilMode() {
    return ceilMode;
  }

  /** {@code count_include_pad}. */
  public boolean countIncludePad() {
    return countIncludePad;
  }

  /** {@code divisor_override}, or null. */
  public Integer divisorOverride() {
    return divisorOverride;
  }

  /** Options of an {@link AvgPool2d}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final IntPair kernelSize;
    private IntPair stride;
    private IntPair padding = IntPair.of(0);
    private boolean ceilMode;
    private boolean countIncludePad = true;
    private Integer divisorOverride;

    private Builder(IntPair kernelSize) {
      this.kernelSize = kernelSize;
    }

    /** {@code stride=s} (default: the kernel size). */
    public Builder stride(int s) {
      this.stride = IntPair.of(s);
      return this;
    }

    /** {@code stride=(sH, sW)}. */
    public Builder stride(int strideH, int strideW) {
      this.stride = IntPair.of(strideH, strideW);
      return this;
    }

    /** {@code padding=p} (default 0): zeros on every side, at most half the window. */
    public Builder padding(int p) {
      this.padding = IntPair.of(p);
      return this;
    }

    /** {@code padding=(pH, pW)}. */
    public Builder padding(int padH, int padW) {
      this.padding = IntPair.of(padH, padW);
      return this;
    }

    /** {@code ceil_mode} (default false): round the output size up instead of down. */
    public Builder ceilMode(boolean ceilMode) {
      this.ceilMode = ceilMode;
      return this;
    }

    /** {@code count_include_pad} (default true): whether padded zeros count in the divisor. */
    public Builder countIncludePad(boolean countIncludePad) {
      this.countIncludePad = countIncludePad;
      return this;
    }

    /** {@code divisor_override} (default null): a fixed divisor instead of the window size. */
    public Builder divisorOverride(Integer divisorOverride) {
      this.divisorOverride = divisorOverride;
      return this;
    }

    /** The layer. */
    public AvgPool2d build() {
      return new AvgPool2d(this);
    }
  }
}
