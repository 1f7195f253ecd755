package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * 2-D power-average pooling ({@code torch.nn.LPPool2d}): {@code f(X) = (sum over the window of
 * x^p)^(1/p)}, computed as PyTorch 1.13's {@code F.lp_pool2d}: average pooling of {@code x^p}
 * scaled back by the window area.
 *
 * <p>Shape: input {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, H_out, W_out]}.
 * Kernel size and stride print as given ({@code kernel_size=2} or {@code (2, 3)}, {@code
 * stride=None} when omitted); the norm type prints as a Python float ({@code norm_type=2.0}).
 *
 * <pre>{@code
 * LPPool2d pool = new LPPool2d(2.0, 3);   // LPPool2d(norm_type=2.0, kernel_size=3, stride=None, ceil_mode=False)
 * LPPool2d p2 = new LPPool2d(1.5, new int[] {3, 2}, new int[] {2, 1}, false);
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.LPPool2d.html">torch.nn.LPPool2d</a>
 */
public final class LPPool2d extends Module {
  private final double normType;
  private final IntTuple kernelSize;
  private final IntTuple stride;
  private final boolean ceilMode;

  /**
   * {@code nn.LPPool2d(normType, kernelSize)}: a square window, stride = kernel size.
   *
   * @param normType {@code p}
   * @param kernelSize side of the window
   */
  public LPPool2d(double normType, int kernelSize) {
    this.normType = normType;
    this.kernelSize = IntTuple.of(kernelSize, 2);
    this.stride = null;
    this.ceilMode = false;
  }

  /**
   * {@code nn.LPPool2d(normType, kernel_size, stride, ceil_mode)}.
   *
   * @param normType {@code p}
   * @param kernelSize one value or {@code {kH, kW}}
   * @param stride one value, two, or null for the kernel size
   * @param ceilMode round the output size up
   */
  public LPPool2d(double normType, int[] kernelSize, int[] stride, boolean ceilMode) {
    this.normType = normType;
    this.kernelSize = given(kernelSize);
    this.stride = stride == null ? null : given(stride);
    this.ceilMode = ceilMode;
  }

  private static IntTuple given(int[] v) {
    return v.length == 1 ? IntTuple.of(v[0], 2) : IntTuple.of(v);
  }

  /** Pools {@code input}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.lpPool2d(input, normType, kernelSize.toArray(),
        stride == null ? null : stride.toArray(), ceilMode);
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

  /** {@code kernel_size} as {@code {kH, kW}}. */
  public int[] kernelSize() {
    return kernelSize.toArray();
  }

  /** {@code stride} as {@code {sH, sW}}, or null for the kernel size. */
  public int[] stride() {
    return stride == null ? null : stride.toArray();
  }

  /** {@code ceil_mode}. */
  public boolean ceilMode() {
    return ceilMode;
  }
}
