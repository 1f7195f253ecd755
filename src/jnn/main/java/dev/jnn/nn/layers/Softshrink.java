package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Softshrink}: {@code x - lambd} above {@code lambd}, {@code x + lambd} below
 * {@code -lambd}, else 0, element-wise ({@code lambd} must be at least 0, which the forward checks,
 * as PyTorch).
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * Softshrink act = new Softshrink();   // Softshrink(0.5)
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Softshrink.html">torch.nn.Softshrink</a>
 */
public final class Softshrink extends Module {
  private final double lambd;

  /** {@code nn.Softshrink()}: lambd 0.5. */
  public Softshrink() {
    this(0.5);
  }

  /** {@code nn.Softshrink(lambd)}. */
  public Softshrink(double lambd) {
    this.lambd = lambd;
  }

  /** {@code F.softshrink(input, lambd)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.softshrink(input, lambd);
  }

  /** The lambd alone, as PyTorch prints it: {@code 0.5}. */
  @Override
  protected String extraRepr() {
    return Py.floatRepr(lambd);
  }

  /** {@code lambd}. */
  public double lambd() {
    return lambd;
  }
}
