package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Alpha dropout ({@code torch.nn.AlphaDropout}), for self-normalising (SELU) networks: in training
 * each element is dropped with probability {@code p} to SELU's negative saturation value, and the
 * output is scaled and shifted so that an input of zero mean and unit variance keeps them; in
 * evaluation mode the input is returned itself.
 *
 * <p>Shape: any; output the same shape.
 *
 * <p>{@code inplace} is stored and shown in the repr, but {@link #forward} does not pass it on:
 * PyTorch's {@code AlphaDropout.forward} calls {@code F.alpha_dropout(input, p, training)} without
 * it.
 *
 * <pre>{@code
 * AlphaDropout drop = new AlphaDropout(0.2);   // AlphaDropout(p=0.2, inplace=False)
 * Tensor y = drop.call(Tensor.randn(8, 16));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.AlphaDropout.html">torch.nn.AlphaDropout</a>
 */
public final class AlphaDropout extends Module {
  private final double p;
  private final boolean inplace;

  /** {@code nn.AlphaDropout()}: p 0.5. */
  public AlphaDropout() {
    this(0.5, false);
  }

  /** {@code nn.AlphaDropout(p)}. */
  public AlphaDropout(double p) {
    this(p, false);
  }

  /**
   * {@code nn.AlphaDropout(p, inplace)}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= p <= 1} (PyTorch's message)
   */
  public AlphaDropout(double p, boolean inplace) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException(
          "dropout probability has to be between 0 and 1, but got " + Py.floatRepr(p));
    }
    this.p = p;
    this.inplace = inplace;
  }

  /** {@code F.alpha_dropout(input, p, training)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.alphaDropout(input, p, isTraining());
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
