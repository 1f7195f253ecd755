package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Py;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * Root-mean-square layer normalisation over the trailing {@code normalized_shape} dims ({@code
 * torch.nn.RMSNorm}, PyTorch 2.4+; torch 1.13 has none):
 *
 * <pre>
 * y = x / sqrt(mean(x^2) + eps) * weight
 * </pre>
 *
 * with the mean over the last {@code D} dims ({@code D} the length of {@code normalized_shape}).
 * Unlike {@link LayerNorm} it neither subtracts the mean nor has a bias. {@code eps} null (the
 * default) means {@code torch.finfo(x.dtype).eps}. {@code weight} (ones, of shape {@code
 * normalized_shape}) is absent without {@code elementwise_affine}. The same in training and
 * evaluation mode.
 *
 * <p>Shape: input {@code [*, normalized_shape...]}; output the same shape.
 *
 * <pre>{@code
 * RMSNorm norm = new RMSNorm(512);          // RMSNorm((512,), eps=None, elementwise_affine=True)
 * Tensor y = norm.call(Tensor.randn(8, 16, 512));
 * RMSNorm n2 = RMSNorm.builder(4, 8).eps(1e-6).elementwiseAffine(false).build();
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/2.4/generated/torch.nn.RMSNorm.html">torch.nn.RMSNorm</a>
 */
public final class RMSNorm extends Module {
  private final long[] normalizedShape;
  private final Double eps;
  private final boolean elementwiseAffine;

  /**
   * {@code nn.RMSNorm(normalizedShape)} over the last dim: {@code eps=None}, with a weight.
   *
   * @param normalizedShape size of the last dim
   */
  public RMSNorm(int normalizedShape) {
    this(builder(normalizedShape));
  }

  /**
   * {@code nn.RMSNorm([d1, d2, ...])} over the last {@code normalizedShape.length} dims.
   *
   * @param normalizedShape sizes of the trailing dims
   */
  public RMSNorm(long[] normalizedShape) {
    this(builder(normalizedShape));
  }

  private RMSNorm(Builder b) {
    this.normalizedShape = b.normalizedShape.clone();
    this.eps = b.eps;
    this.elementwiseAffine = b.elementwiseAffine;
    if (elementwiseAffine) {
      registerParameter(
          "weight", new Parameter(Tensor.empty(Shape.of(normalizedShape), b.dtype, b.device)));
    } else {
      registerParameter("weight", null);
    }
    resetParameters();
  }

  /**
   * A builder for the other options ({@code eps}, {@code elementwiseAffine}, {@code device},
   * {@code dtype}).
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

  /** Sets {@code weight} to ones. */
  public void resetParameters() {
    if (elementwiseAffine) {
      Init.ones(weight());
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
    return Functional.rmsNorm(input, normalizedShape, weight(), eps);
  }

  /** {@code (10,), eps=None, elementwise_affine=True}, as PyTorch 2.4 prints it. */
  @Override
  protected String extraRepr() {
    return Py.tuple(normalizedShape)
        + ", eps="
        + (eps == null ? "None" : Py.floatRepr(eps))
        + ", elementwise_affine="
        + Py.bool(elementwiseAffine);
  }

  // ---------------------------------------------------------------- accessors

  /** The scale, of shape {@code normalized_shape}, or null without {@code elementwise_affine}. */
  public Parameter weight() {
    return (Parameter) getAttribute("weight");
  }

  /** {@code normalized_shape}. */
  public long[] normalizedShape() {
    return normalizedShape.clone();
  }

  /** {@code eps}, added to the mean square, or null for {@code torch.finfo(input.dtype).eps}. */
  public Double eps() {
    return eps;
  }

  /** {@code elementwise_affine}: whether the layer has {@code weight}. */
  public boolean elementwiseAffine() {
    return elementwiseAffine;
  }

  /** Options of an {@link RMSNorm}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final long[] normalizedShape;
    private Double eps;
    private boolean elementwiseAffine = true;
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

    /**
     * {@code eps} (default null: {@code torch.finfo(input.dtype).eps}): added to the mean square
     * for numerical stability.
     */
    public Builder eps(Double eps) {
      this.eps = eps;
      return this;
    }

    /** {@code elementwise_affine} (default true): whether to learn {@code weight}. */
    public Builder elementwiseAffine(boolean elementwiseAffine) {
      this.elementwiseAffine = elementwiseAffine;
      return this;
    }

    /** {@code device} of the weight (default CPU). */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** {@code dtype} of the weight (default float32). */
    public Builder dtype(DType dtype) {
      this.dtype = Objects.requireNonNull(dtype, "dtype");
      return this;
    }

    /** The layer. */
    public RMSNorm build() {
      return new RMSNorm(this);
    }
  }
}
