package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.TensorWithIndices;
import dev.jnn.tensor.Tensor;

/**
 * 2-D max pooling ({@code torch.nn.MaxPool2d}): each output element is the maximum of a {@code kH x
 * kW} window of its input plane,
 *
 * <pre>
 * out(N_i, C_j, h, w) = max_{m &lt; kH, n &lt; kW} input(N_i, C_j, stride[0] * h + dilation[0] * m,
 *                                                 stride[1] * w + dilation[1] * n)
 * </pre>
 *
 * over the input padded with {@code -inf} by {@code padding} on each side.
 *
 * <p>Shape: input {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, H_out, W_out]}
 * with {@code H_out = floor((H + 2 * padding[0] - dilation[0] * (kernel_size[0] - 1) - 1) /
 * stride[0] + 1)} (rounded up instead with {@code ceil_mode}, dropping a last window that would
 * start in the right padding).
 *
 * <p>Hyperparameters print as given: {@code MaxPool2d(2)} prints {@code kernel_size=2}, a builder
 * given {@code kernelSize(2, 3)} prints {@code kernel_size=(2, 3)}; the stride defaults to the
 * kernel size.
 *
 * <pre>{@code
 * MaxPool2d pool = new MaxPool2d(2);   // MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
 * Tensor y = pool.call(Tensor.randn(8, 20, 24, 24));   // [8, 20, 12, 12]
 * MaxPool2d p2 = MaxPool2d.builder(3, 2).stride(2, 1).padding(1).ceilMode(true).build();
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.MaxPool2d.html">torch.nn.MaxPool2d</a>
 */
public final class MaxPool2d extends Module {
  private final IntPair kernelSize;
  private final IntPair stride;
  private final IntPair padding;
  private final IntPair dilation;
  private final boolean ceilMode;

  /**
   * {@code nn.MaxPool2d(kernelSize)}: stride = kernel size, no padding.
   *
   * @param kernelSize side of the square window
   */
  public MaxPool2d(int kernelSize) {
    this(builder(kernelSize));
  }

  /**
   * {@code nn.MaxPool2d(kernelSize, stride)}.
   *
   * @param kernelSize side of the square window
   * @param stride step between windows
   */
  public MaxPool2d(int kernelSize, int stride) {
    this(builder(kernelSize).stride(stride));
  }

  private MaxPool2d(Builder b) {
    this.kernelSize = b.kernelSize;
    this.stride = b.stride == null ? b.kernelSize : b.stride;
    this.padding = b.padding;
    this.dilation = b.dilation;
    this.ceilMode = b.ceilMode;
  }

  /**
   * A builder for a square window ({@code stride}, {@code padding}, {@code dilation}, {@code
   * ceilMode}).
   *
   * @param kernelSize side of the square window
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int kernelSize) {
    return new Builder(IntPair.of(kernelSize));
  }

  /**
   * A builder for a {@code kH x kW} window ({@code kernel_size=(kH, kW)}).
   *
   * @param kernelH window height
   * @param kernelW window width
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int kernelH, int kernelW) {
    return new Builder(IntPair.of(kernelH, kernelW));
  }

  /**
   * Max-pools {@code input}.
   *
   * @throws IllegalArgumentException {@code non-empty 3D or 4D (batch mode) tensor expected for
   *     input}, or a padding above half the window
   */
  @Override
  public Tensor forward(Tensor input) {
    return forwardWithIndices(input).output();
  }

  /**
   * The pooled output together with the flat index ({@code row * W + col} within the plane) of each
   * maximum: PyTorch's {@code return_indices=True}, the input of {@code MaxUnpool2d}. Unlike {@link
   * #call}, this runs no hooks.
   *
   * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
   * @return the output and the int64 indices, both {@code [N, C, H_out, W_out]}
   */
  public TensorWithIndices forwardWithIndices(Tensor input) {
    return Functional.maxPool2dWithIndices(
        input,
        kernelSize.toArray(),
        stride.toArray(),
        padding.toArray(),
        dilation.toArray(),
        ceilMode);
  }

  /** {@code kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False}. */
  @Override
  protected String extraRepr() {
    return "kernel_size="
        + kernelSize
        + ", stride="
        + stride
        + ", padding="
        + padding
        + ", dilation="
        + dilation
        + ", ceil_mode="
        + Py.bool(ceilMode);
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

  /** {@code dilation} as {@code {dH, dW}}. */
  public int[] dilation() {
    return dilation.toArray();
  }

  /** {@code ceil_mode}. */
  public boolean ceilMode() {
    return ceilMode;
  }

  /** Options of a {@link MaxPool2d}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final IntPair kernelSize;
    private IntPair stride;
    private IntPair padding = IntPair.of(0);
    private IntPair dilation = IntPair.of(1);
    private boolean ceilMode;

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

    /**
     * {@code padding=p} (default 0): implicit {@code -inf} on every side, at most half the window.
     */
    public Builder padding(int p) {
      this.padding = IntPair.of(p);
      return this;
    }

    /** {@code padding=(pH, pW)}. */
    public Builder padding(int padH, int padW) {
      this.padding = IntPair.of(padH, padW);
      return this;
    }

    /** {@code dilation=d} (default 1): spacing between window elements. */
    public Builder dilation(int d) {
      this.dilation = IntPair.of(d);
      return this;
    }

    /** {@code dilation=(dH, dW)}. */
    public Builder dilation(int dilationH, int dilationW) {
      this.dilation = IntPair.of(dilationH, dilationW);
      return this;
    }

    /** {@code ceil_mode} (default false): round the output size up instead of down. */
    public Builder ceilMode(boolean ceilMode) {
      this.ceilMode = ceilMode;
      return this;
    }

    /** The layer. */
    public MaxPool2d build() {
      return new MaxPool2d(this);
    }
  }
}
