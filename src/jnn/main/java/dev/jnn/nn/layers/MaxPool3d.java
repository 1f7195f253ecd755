package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.TensorWithIndices;
import dev.jnn.tensor.Tensor;

/**
 * 3-D max pooling ({@code torch.nn.MaxPool3d}): each output element is the maximum of a {@code kD
 * x kH x kW} window of its input volume, padded with {@code -inf} by {@code padding} on each side.
 *
 * <p>Shape: input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}; output {@code [N, C, D_out,
 * H_out, W_out]}, each size {@code floor((in + 2 * padding - dilation * (kernel - 1) - 1) / stride
 * + 1)} (rounded up with {@code ceil_mode}). Hyperparameters print as given ({@code kernel_size=3}
 * or {@code kernel_size=(1, 2, 3)}); PyTorch's {@code return_indices=True} is {@link
 * #forwardWithIndices}.
 *
 * <pre>{@code
 * MaxPool3d pool = new MaxPool3d(3, 2);   // MaxPool3d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)
 * Tensor y = pool.call(Tensor.randn(20, 16, 50, 44, 31));
 * MaxPool3d p2 = MaxPool3d.builder(3, 2, 2).stride(2, 1, 2).build();
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.MaxPool3d.html">torch.nn.MaxPool3d</a>
 */
public final class MaxPool3d extends Module {
  private final IntTuple kernelSize;
  private final IntTuple stride;
  private final IntTuple padding;
  private final IntTuple dilation;
  private final boolean ceilMode;

  /**
   * {@code nn.MaxPool3d(kernelSize)}: a cubic window, stride = kernel size, no padding.
   *
   * @param kernelSize side of the window
   */
  public MaxPool3d(int kernelSize) {
    this(builder(kernelSize));
  }

  /**
   * {@code nn.MaxPool3d(kernelSize, stride)}.
   *
   * @param kernelSize side of the window
   * @param stride step between windows
   */
  public MaxPool3d(int kernelSize, int stride) {
    this(builder(kernelSize).stride(stride));
  }

  private MaxPool3d(Builder b) {
    this.kernelSize = b.kernelSize;
    this.stride = b.stride == null ? b.kernelSize : b.stride;
    this.padding = b.padding;
    this.dilation = b.dilation;
    this.ceilMode = b.ceilMode;
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
   * A builder for a {@code kD x kH x kW} window ({@code kernel_size=(kD, kH, kW)}).
   *
   * @param kernelD window depth
   * @param kernelH window height
   * @param kernelW window width
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int kernelD, int kernelH, int kernelW) {
    return new Builder(IntTuple.of(kernelD, kernelH, kernelW));
  }

  /** Max-pools {@code input} ({@code [N, C, D, H, W]} or {@code [C, D, H, W]}). */
  @Override
  public Tensor forward(Tensor input) {
    return forwardWithIndices(input).output();
  }

  /**
   * The pooled output with the flat index of each maximum inside its volume (PyTorch's {@code
   * return_indices=True}, the input of {@code MaxUnpool3d}). Unlike {@link #call}, this runs no
   * hooks.
   *
   * @param input {@code [N, C, D, H, W]} or {@code [C, D, H, W]}
   * @return the output and the int64 indices
   */
  public TensorWithIndices forwardWithIndices(Tensor input) {
    return Functional.maxPool3dWithIndices(input, kernelSize.toArray(), stride.toArray(),
        padding.toArray(), dilation.toArray(), ceilMode);
  }

  /** {@code kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False}. */
  @Override
  protected String extraRepr() {
    return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding
        + ", dilation=" + dilation + ", ceil_mode=" + Py.bool(ceilMode);
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

  /** {@code dilation} as {@code {dD, dH, dW}}. */
  public int[] dilation() {
    return dilation.toArray();
  }

  /** {@code ceil_mode}. */
  public boolean ceilMode() {
    return ceilMode;
  }

  /** Options of a {@link MaxPool3d}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final IntTuple kernelSize;
    private IntTuple stride;
    private IntTuple padding = IntTuple.of(0, 3);
    private IntTuple dilation = IntTuple.of(1, 3);
    private boolean ceilMode;

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

    /** {@code padding=p} (default 0): implicit {@code -inf}, at most half the window. */
    public Builder padding(int p) {
      this.padding = IntTuple.of(p, 3);
      return this;
    }

    /** {@code padding=(pD, pH, pW)}. */
    public Builder padding(int padD, int padH, int padW) {
      this.padding = IntTuple.of(padD, padH, padW);
      return this;
    }

    /** {@code dilation=d} (default 1). */
    public Builder dilation(int d) {
      this.dilation = IntTuple.of(d, 3);
      return this;
    }

    /** {@code dilation=(dD, dH, dW)}. */
    public Builder dilation(int dilationD, int dilationH, int dilationW) {
      this.dilation = IntTuple.of(dilationD, dilationH, dilationW);
      return this;
    }

    /** {@code ceil_mode} (default false): round the output sizes up. */
    public Builder ceilMode(boolean ceilMode) {
      this.ceilMode = ceilMode;
      return this;
    }

    /** The layer. */
    public MaxPool3d build() {
      return new MaxPool3d(this);
    }
  }
}
