package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Dropout ({@code torch.nn.Dropout}): in training mode, zeroes each element independently with
 * probability {@code p} and scales the survivors by {@code 1 / (1 - p)}, so that evaluation mode,
 * where the layer is the identity, needs no rescaling. The mask is drawn from the default {@link
 * dev.jnn.tensor.Generator} (same distribution as PyTorch, different stream).
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * Dropout drop = new Dropout(0.2);   // Dropout(p=0.2, inplace=False)
 * Tensor y = drop.call(x);           // training: ~20 % zeros, the rest times 1.25
 * drop.eval();                       // now y == x
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Dropout.html">torch.nn.Dropout</a>
 */
public final class Dropout extends Module {
  private final double p;

  /** {@code nn.Dropout()}: {@code p = 0.5}. */
  public Dropout() {
    this(0.5);
  }

  /**
   * {@code nn.Dropout(p)}.
   *
   * @param p probability of an element being zeroed, in {@code [0, 1]}
   * @throws IllegalArgumentException {@code dropout probability has to be between 0 and 1, but got
   *     1.5}
   */
  public Dropout(double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException(
          "dropout probability has to be between 0 and 1, but got " + Py.floatRepr(p));
    }
    this.p = p;
  }

  /** Drops elements in training mode; returns {@code input} itself in evaluation mode. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.dropout(input, p, isTraining());
  }

  /** {@code p=0.5, inplace=False} (jnn has no in-place dropout). */
  @Override
  protected String extraRepr() {
    return "p=" + Py.floatRepr(p) + ", inplace=False";
  }

  /** {@code p}: the drop probability. */
  public double p() {
    return p;
  }
}
