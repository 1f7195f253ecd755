package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.Hardshrink}: 0 where {@code |x| <= lambd}, else {@code x}, element-wise.
 *
 * <p>Shape: any; output the same shape.
 *
 * <pre>{@code
 * Hardshrink act = new Hardshrink();   // Hardshrink(0.5)
 * Tensor y = act.call(Tensor.randn(2, 3));
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Hardshrink.html">torch.nn.Hardshrink</a>
 */
public final class Hardshrink extends Module {
  private final double lambd;

  /** {@code nn.Hardshrink()}: lambd 0.5. */
  public Hardshrink() {
    this(0.5);
  }

  /** {@code nn.Hardshrink(lambd)}. */
  public Hardshrink(double lambd) {
    this.lambd = lambd;
  }

  /** {@code F.hardshrink(input, lambd)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.hardshrink(input, lambd);
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
