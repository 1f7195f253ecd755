package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * The gated linear unit ({@code torch.nn.GLU}): the input is split in halves {@code a}, {@code b}
 * along {@code dim}, the output is {@code a * sigmoid(b)}.
 *
 * <p>Shape: input {@code [*, 2N, *]} (the size of {@code dim} must be even); output {@code [*, N,
 * *]}.
 *
 * <pre>{@code
 * GLU glu = new GLU();   // GLU(dim=-1)
 * Tensor y = glu.call(Tensor.randn(4, 2));   // [4, 1]
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.GLU.html">torch.nn.GLU</a>
 */
public final class GLU extends Module {
  private final int dim;

  /** {@code nn.GLU()}: the last dim. */
  public GLU() {
    this(-1);
  }

  /** {@code nn.GLU(dim)}. */
  public GLU(int dim) {
    this.dim = dim;
  }

  /** {@code F.glu(input, dim)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.glu(input, dim);
  }

  /** {@code dim=-1}. */
  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }

  /** {@code dim}. */
  public int dim() {
    return dim;
  }
}
