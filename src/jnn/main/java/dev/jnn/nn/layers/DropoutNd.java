package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;

/**
 * What the channel-wise dropout layers share (PyTorch's {@code _DropoutNd}): {@code p}, checked at
 * construction with PyTorch's message, {@code inplace}, and the repr {@code p=0.5,
 * inplace=False}.
 */
abstract class DropoutNd extends Module {
  private final double p;
  private final boolean inplace;

  DropoutNd(double p, boolean inplace) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException(
          "dropout probability has to be between 0 and 1, but got " + Py.floatRepr(p));
    }
    this.p = p;
    this.inplace = inplace;
  }

  /** {@code p=0.5, inplace=False}. */
  @Override
  protected String extraRepr() {
    return "p=" + Py.floatRepr(p) + ", inplace=" + Py.bool(inplace);
  }

  /** {@code p}: the probability of a channel being zeroed. */
  public double p() {
    return p;
  }

  /** {@code inplace}: whether the forward multiplies its input in place and returns it. */
  public boolean inplace() {
    return inplace;
  }
}
