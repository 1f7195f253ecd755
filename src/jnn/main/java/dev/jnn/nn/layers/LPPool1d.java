package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * 1-D power-average pooling ({@code torch.nn.LPPool1d}): {@code f(X) = (sum over the window of
 * x^p)^(1/p)}; {@code p = 1} is sum pooling, {@code p = inf} would be max pooling. Computed as
 * PyTorch 1.13's {@code F.lp_pool1d}: average pooling of {@code x^p} scaled back by the window.
 *
 * <p>Shape: input {@code [N, C, L]} or {@code [C, L]}; output {@code [N, C, L_out]} with {@code
 * L_out = floor((L - kernel_size) / stride + 1)}. The norm type is a Java {@code double} and
 * prints as a Python float ({@code norm_type=2.0}; PyTorch prints an int given as one as {@code
 * 2}).
 *
 * <pre>{@code
 * LPPool1d pool = new LPPool1d(2.0, 3);   // LPPool1d(norm_type=2.0, kernel_size=3, stride=None, ceil_mode=False)
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.LPPool1d.html">torch.nn.LPPool1d</a>
 */
public final class LPPool1d extends Module {
  private final double normType;
  private final int kernelSize;
  private final Integer stride;
  private final boolean ceilMode;

  /**
   * {@code nn.LPPool1d(normType, kernelSize)}: stride = kernel size.
   *
   * @param normType {@code p}
   * @param kernelSize window length
   */
  public LPPool1d(double normType, int kernelSize) {
    this(normType, kernelSize, null, false);
  }

  /**
   * {@code nn.LPPool1d(normType, kernelSize, stride, ceilMode)}.
   *
   * @param normType {@code p}
   * @param kernelSize window length
   * @param stride step between windows, or null for the kernel size
   * @param ceilMode round the output length up
   */
  public LPPool1d(double normType, int kernelSize, Integer stride, boolean ceilMode) {
    this.normType = normType;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.ceilMode = ceilMode;
  }

  /** Pools {@code input}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.lpPool1d(input, normType, kernelSize, stride, ceilMode);
  }

  /** {@code norm_type=2.0, kernel_size=3, stride=None, ceil_mode=False}. */
  @Override
  protected String extraRepr() {
    return "norm_type=" + Py.floatRepr(normType) + ", kernel_size=" + kernelSize + ", stride="
        + (stride == null ? "None" : stride.toString()) + ", ceil_mode=" + Py.bool(ceilMode);
  }

  /** {@code norm_type}. */
  public double normType() {
    return normType;
  }

  /** {@code kernel_size}. */
  public int kernelSize() {
    return kernelSize;
  }

  /** {@code stride}, or null for the kernel size. */
  public Integer stride() {
    return stride;
  }

  /** {@code ceil_mode}. */
  public boolean ceilMode() {
    return ceilMode;
  }
}
