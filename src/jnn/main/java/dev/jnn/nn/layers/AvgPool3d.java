package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * 3-D average pooling ({@code torch.nn.AvgPool3d}): each output element is the mean of a {@code
 * kD x kH x kW} window of its input volume, zero-padded by {@code padding} on each side, divided
 * by the window size ({@code count_include_pad}), by the cells inside the input, or by {@code
 * divisor_override}.
 *
 * <p>Shape: input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}; output sizes {@code floor((in +
 * 2 * padding - kernel) / stride + 1)} (rounded up with {@code ceil_mode}). Hyperparameters print
 * as given: {@code AvgPool3d(kernel_size=2, stride=2, padding=0)}.
 *
 * <pre>{@code
 * AvgPool3d pool = AvgPool3d.builder(3, 2, 2).stride(2, 1, 2).build();
 * Tensor y = pool.call(Tensor.randn(20, 16, 50, 44, 31));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.AvgPool3d.html">torch.nn.AvgPool3d</a>
 */
public final class AvgPool3d extends Module {
  private final IntTuple kernelSize;
  private final IntTuple stride;
  private final IntTuple padding;
  private final boolean ceilMode;
  private final boolean countIncludePad;
  private final Integer divisorOverride;

  /**
   * {@code nn.AvgPool3d(kernelSize)}: a cubic window, stride = kernel size, no padding.
   *
   * @param kernelSize side of the window
   */
  public AvgPool3d(int kernelSize) {
    this(builder(kernelSize));
  }

  /**
   * {@code nn.AvgPool3d(kernelSize, stride)}.
   *
   * @param kernelSize side of the window
   * @param stride step between windows
   */
  public AvgPool3d(int kernelSize, int stride) {
    this(builder(kernelSize).stride(stride));
  }

  private AvgPool3d(Builder b) {
    this.kernelSize = b.kernelSize;
    this.stride = b.stride == null ? b.kernelSize : b.stride;
    this.padding = b.padding;
    this.ceilMode = b.ceilMode;
    this.countIncludePad = b.countIncludePad;
    this.divisorOverride = b.divisorOverride;
  }

  /**
   * A builder for a cubic window.
   *
   * @param kernelSize side of the window
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int kernelSize) {
    return new Builder(IntTuple.of(kernelSize, 3));
  }

  /**
   * A builder for a {@code kD x kH x kW} window.
   *
   * @param kernelD window depth
   * @param kernelH window height
   * @param kernelW window width
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int kernelD, int kernelH, int kernelW) {
    return new Builder(IntTuple.of(kernelD, kernelH, kernelW));
  }

  /** Average-pools {@code input} ({@code [N, C, D, H, W]} or {@code [C, D, H, W]}). */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.avgPool3d(input, kernelSize.toArray(), stride.toArray(), padding.toArray(),
        ceilMode, countIncludePad, divisorOverride);
  }

  /** {@code kernel_size=2, stride=2, padding=0}. */
  @Override
  protected String extraRepr() {
    return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding;
  }

  // ---------------------------------------------------------------- accessors

  /** {@code kernel_size} as {@code {kD, kH, kW}}. */
  public int[] kernelSize() {
    return kernelSize.toArray();
  }

  /** {@code stride} as {@code {sD, sH, sW}}. */
  public int[] stride() {
    return stride.toArray();
  }

  /** {@code padding} as {@code {pD, pH, pW}}. */
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

  /** Options of an {@link AvgPool3d}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final IntTuple kernelSize;
    private IntTuple stride;
    private IntTuple padding = IntTuple.of(0, 3);
    private boolean ceilMode;
    private boolean countIncludePad = true;
    private Integer divisorOverride;

    private Builder(IntTuple kernelSize) {
      this.kernelSize = kernelSize;
    }

    /** {@code stride=s} (default: the kernel size). */
    public Builder stride(int s) {
      this.stride = IntTuple.of(s, 3);
      return this;
    }

    /** {@code stride=(sD, sH, sW)}. */
    public Builder stride(int strideD, int strideH, int strideW) {
      this.stride = IntTuple.of(strideD, strideH, strideW);
      return this;
    }

    /** {@code padding=p} (default 0): zeros on every side, at most half the window. */
    public Builder padding(int p) {
      this.padding = IntTuple.of(p, 3);
      return this;
    }

    /** {@code padding=(pD, pH, pW)}. */
    public Builder padding(int padD, int padH, int padW) {
      this.padding = IntTuple.of(padD, padH, padW);
      return this;
    }

    /** {@code ceil_mode} (default false): round the output sizes up. */
    public Builder ceilMode(boolean ceilMode) {
      this.ceilMode = ceilMode;
      return this;
    }

    /** {@code count_include_pad} (default true): whether padded zeros count in the divisor. */
    public Builder countIncludePad(boolean countIncludePad) {
      this.countIncludePad = countIncludePad;
      return this;
    }

    /** {@code divisor_override} (default null): a fixed divisor. */
    public Builder divisorOverride(Integer divisorOverride) {
      this.divisorOverride = divisorOverride;
      return this;
    }

    /** The layer. */
    public AvgPool3d build() {
      return new AvgPool3d(this);
    }
  }
}
