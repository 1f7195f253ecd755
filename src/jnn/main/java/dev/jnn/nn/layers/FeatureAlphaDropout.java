package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Feature alpha dropout ({@code torch.nn.FeatureAlphaDropout}): {@link AlphaDropout} of whole
 * channels, one draw per {@code [N, C]} entry (e.g. per feature map of a convolution); in
 * evaluation mode the input is returned itself.
 *
 * <p>Shape: {@code [N, C, *]} (2 or more dims in training); output the same shape.
 *
 * <p>{@code inplace} is stored and shown in the repr, but {@link #forward} does not pass it on:
 * PyTorch's {@code FeatureAlphaDropout.forward} calls {@code F.feature_alpha_dropout(input, p,
 * training)} without it.
 *
 * <pre>{@code
 * FeatureAlphaDropout drop = new FeatureAlphaDropout(0.2);
 * Tensor y = drop.call(Tensor.randn(8, 16, 5, 5));   // whole 5x5 maps dropped
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.FeatureAlphaDropout.html">torch.nn.FeatureAlphaDropout</a>
 */
public final class FeatureAlphaDropout extends Module {
  private final double p;
  private final boolean inplace;

  /** {@code nn.FeatureAlphaDropout()}: p 0.5. */
  public FeatureAlphaDropout() {
    this(0.5, false);
  }

  /** {@code nn.FeatureAlphaDropout(p)}. */
  public FeatureAlphaDropout(double p) {
    this(p, false);
  }

  /**
   * {@code nn.FeatureAlphaDropout(p, inplace)}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= p <= 1} (PyTorch's message)
   */
  public FeatureAlphaDropout(double p, boolean inplace) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException(
          "dropout probability has to be between 0 and 1, but got " + Py.floatRepr(p));
    }
    this.p = p;
    this.inplace = inplace;
  }

  /** {@code F.feature_alpha_dropout(input, p, training)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.featureAlphaDropout(input, p, isTraining());
  }

  /** {@code p=0.5, inplace=False}. */
  @Override
  protected String extraRepr() {
    return "p=" + Py.floatRepr(p) + ", inplace=" + Py.bool(inplace);
  }

  /** {@code p}. */
  public double p() {
    return p;
  }

  /** {@code inplace} (not used by the forward, as in PyTorch). */
  public boolean inplace() {
    return inplace;
  }
}
