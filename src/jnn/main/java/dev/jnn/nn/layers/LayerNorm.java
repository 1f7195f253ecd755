package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Layer normalisation over the trailing {@code normalized_shape} dims ({@code torch.nn.LayerNorm}):
 *
 * <pre>
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias
 * </pre>
 *
 * with the mean and biased variance taken over the last {@code D} dims, where {@code D} is the
 * length of {@code normalized_shape}. Unlike batch norm it uses the same statistics in training and
 * evaluation mode. {@code weight} (ones) and {@code bias} (zeros) have shape {@code
 * normalized_shape}; they are absent without {@code elementwise_affine}, and {@code bias} alone is
 * absent with {@code bias(false)} (PyTorch 2.1's {@code bias=False}: no parameter, no state-dict
 * key; the repr does not show it, as in 2.x).
 *
 * <p>Shape: input {@code [*, normalized_shape...]}; output the same shape.
 *
 * <pre>{@code
 * LayerNorm ln = new LayerNorm(10);                      // LayerNorm((10,), eps=1e-05, elementwise_affine=True)
 * Tensor y = ln.call(Tensor.randn(20, 5, 10));           // [20, 5, 10]
 * LayerNorm ln2 = LayerNorm.builder(5, 10).eps(1e-6).elementwiseAffine(false).build();
 * LayerNorm ln3 = LayerNorm.builder(10).bias(false).build();   // weight only
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.LayerNorm.html">torch.nn.LayerNorm</a>
 */
public final class LayerNorm extends Module {
  private final long[] normalizedShape;
  private final double eps;
  private final boolean elementwiseAffine;

  /**
   * {@code nn.LayerNorm(normalizedShape)} over the last dim: eps 1e-5, with weight and bias.
   *
   * @param normalizedShape size of the last dim
   */
  public LayerNorm(int normalizedShape) {
    this(builder(normalizedShape));
  }

  /**
   * {@code nn.LayerNorm([d1, d2, ...])} over the last {@code normalizedShape.length} dims.
   *
   * @param normalizedShape sizes of the trailing dims
   */
  public LayerNorm(long[] normalizedShape) {
    this(builder(normalizedShape));
  }

  private LayerNorm(Builder b) {
    if (!(b.eps >= 0.0)) {
      throw new IllegalArgumentException("eps must be non-negative, but got eps=" + b.eps);
    }
    this.normalizedShape = b.normalizedShape.clone();
    this.eps = b.eps;
    this.elementwiseAffine = b.elementwiseAffine;
    Shape s = Shape.of(normalizedShape);
    if (elementwiseAffine) {
      registerParameter("weight", new Parameter(Tensor.empty(s, b.dtype, b.device)));
      registerParameter(
          "bias", b.bias ? new Parameter(Tensor.empty(s, b.dtype, b.device)) : null);
    } else {
      registerParameter("weight", null);
      registerParameter("bias", null);
    }
    resetParameters();
  }

  /**
   * A builder for the other options ({@code eps}, {@code elementwiseAffine}, {@code bias}, {@code
   * device}, {@code dtype}).
   *
   * @param normalizedShape sizes of the trailing dims (at least one)
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(long... normalizedShape) {
    return new Builder(normalizedShape);
  }

  /**
   * A builder for normalisation over the last dim.
   *
   * @param normalizedShape size of the last dim
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int normalizedShape) {
    return new Builder(new long[] {normalizedShape});
  }

  /** Sets {@code weight} to ones and {@code bias} (when there is one) to zeros. */
  public void resetParameters() {
    if (elementwiseAffine) {
      Init.ones(weight());
      if (bias() != null) {
        Init.zeros(bias());
      }
    }
  }

  /**
   * Normalises over the trailing dims.
   *
   * @throws IllegalArgumentException {@code Given normalized_shape=[4], expected input with shape
   *     [*, 4], but got input of size[2, 3]}
   */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.layerNorm(input, normalizedShape, weight(), bias(), eps);
  }

  /** {@code (10,), eps=1e-05, elementwise_affine=True} (PyTorch 2.x does not show {@code bias}). */
  @Override
  protected String extraRepr() {
    return Py.tuple(normalizedShape)
        + ", eps="
        + Py.floatRepr(eps)
        + ", elementwise_affine="
        + Py.bool(elementwiseAffine);
  }

  // ---------------------------------------------------------------- accessors

  /** The scale, of shape {@code normalized_shape}, or null without {@code elementwise_affine}. */
  public Parameter weight() {
    return (Parameter) getAttribute("weight");
  }

  /**
   * The shift, of shape {@code normalized_shape}, or null without {@code elementwise_affine} or
   * with {@code bias(false)}.
   */
  public Parameter bias() {
    return (Parameter) getAttribute("bias");
  }

  /** {@code normalized_shape}. */
  public long[] normalizedShape() {
    return normalizedShape.clone();
  }

  /** {@code eps}, added to the variance. */
  public double eps() {
    return eps;
  }

  /** {@code elementwise_affine}: whether the layer has {@code weight} (and {@code bias}). */
  public boolean elementwiseAffine() {
    return elementwiseAffine;
  }

  /** Options of a {@link LayerNorm}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final long[] normalizedShape;
    private double eps = 1e-5;
    private boolean elementwiseAffine = true;
    private boolean bias = true;
    private Device device = Device.CPU;
    private DType dtype = DType.FLOAT32;

    private Builder(long[] normalizedShape) {
      Objects.requireNonNull(normalizedShape, "normalizedShape");
      if (normalizedShape.length == 0) {
        throw new IllegalArgumentException(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least"
                + " one element, but got normalized_shape = []");
      }
      this.normalizedShape = normalizedShape.clone();
    }

    /** {@code eps} (default 1e-5): added to the variance for numerical stability. */
    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /**
     * {@code elementwise_affine} (default true): whether to learn {@code weight} and {@code bias}.
     */
    public Builder elementwiseAffine(boolean elementwiseAffine) {
      this.elementwiseAffine = elementwiseAffine;
      return this;
    }

    /**
     * {@code bias} (default true; PyTorch 2.1+, which torch 1.13 lacks): with false, an affine
     * layer learns {@code weight} only and has no {@code bias} parameter or state-dict key.
     */
    public Builder bias(boolean bias) {
      this.bias = bias;
      return this;
    }

    /** {@code device} of the parameters (default CPU). */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** {@code dtype} of the parameters (default float32). */
    public Builder dtype(DType dtype) {
      this.dtype = Objects.requireNonNull(dtype, "dtype");
      return this;
    }

    /** The layer. */
    public LayerNorm build() {
      return new LayerNorm(this);
    }
  }
}
