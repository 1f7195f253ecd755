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
 * An affine map ({@code torch.nn.Linear}): {@code y = x W^T + b}.
 *
 * <p>Shape: input {@code [*, in_features]} (any number of leading dims, including none); output
 * {@code [*, out_features]}.
 *
 * <p>Parameters: {@code weight} {@code [out_features, in_features]} and {@code bias} {@code
 * [out_features]} (absent with {@code bias = false}), both initialised from {@code U(-sqrt(k),
 * sqrt(k))} with {@code k = 1 / in_features}, as in PyTorch.
 *
 * <pre>{@code
 * Linear fc = new Linear(20, 30);          // Linear(in_features=20, out_features=30, bias=True)
 * Tensor y = fc.call(Tensor.randn(128, 20)); // [128, 30]
 * Linear head = Linear.builder(30, 10).bias(false).dtype(DType.FLOAT64).build();
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Linear.html">torch.nn.Linear</a>
 */
public class Linear extends Module {
  private final int inFeatures;
  private final int outFeatures;

  /**
   * {@code nn.Linear(inFeatures, outFeatures)}, with bias.
   *
   * @param inFeatures size of each input sample
   * @param outFeatures size of each output sample
   */
  public Linear(int inFeatures, int outFeatures) {
    this(builder(inFeatures, outFeatures));
  }

  /**
   * {@code nn.Linear(inFeatures, outFeatures, bias=bias)}.
   *
   * @param inFeatures size of each input sample
   * @param outFeatures size of each output sample
   * @param bias whether to add a learnable bias
   */
  public Linear(int inFeatures, int outFeatures, boolean bias) {
    this(builder(inFeatures, outFeatures).bias(bias));
  }

  private Linear(Builder b) {
    this(b.inFeatures, b.outFeatures, b.bias, b.device, b.dtype);
  }

  /**
   * For subclasses, as PyTorch's {@code NonDynamicallyQuantizableLinear} subclasses {@code
   * nn.Linear}: the parameters on {@code device} in {@code dtype}, initialised by {@link
   * #resetParameters()}.
   */
  protected Linear(int inFeatures, int outFeatures, boolean bias, Device device, DType dtype) {
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    registerParameter(
        "weight", new Parameter(Tensor.empty(Shape.of(outFeatures, inFeatures), dtype, device)));
    registerParameter(
        "bias", bias ? new Parameter(Tensor.empty(Shape.of(outFeatures), dtype, device)) : null);
    resetParameters();
  }

  /**
   * A builder for the options beyond the constructors ({@code bias}, {@code device}, {@code
   * dtype}).
   *
   * @param inFeatures size of each input sample
   * @param outFeatures size of each output sample
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int inFeatures, int outFeatures) {
    return new Builder(inFeatures, outFeatures);
  }

  /**
   * Re-initialises the parameters as PyTorch does: {@code kaiming_uniform_(weight, a=sqrt(5))} and
   * the bias from {@code U(-1/sqrt(in_features), 1/sqrt(in_features))} (zeros when {@code
   * in_features} is 0).
   */
  public void resetParameters() {
    // Setting a=sqrt(5) in kaiming_uniform is the same as initialising with
    // uniform(-1/sqrt(in_features), 1/sqrt(in_features)) (pytorch/pytorch#57109).
    Init.kaimingUniform(weight(), Math.sqrt(5));
    Parameter bias = bias();
    if (bias != null) {
      long fanIn = Init.calculateFanInAndFanOut(weight()).fanIn();
      double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      Init.uniform(bias, -bound, bound);
    }
  }

  /**
   * {@code input W^T + b}.
   *
   * @throws IllegalArgumentException {@code mat1 and mat2 shapes cannot be multiplied (3x4 and
   *     5x2)} when the last dim of {@code input} is not {@code in_features}
   */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.linear(input, weight(), bias());
  }

  /** {@code in_features=20, out_features=30, bias=True}. */
  @Override
  protected String extraRepr() {
    return "in_features="
        + inFeatures
        + ", out_features="
        + outFeatures
        + ", bias="
        + Py.bool(bias() != null);
  }

  // ---------------------------------------------------------------- accessors

  /** The weight {@code [out_features, in_features]} (the currently registered parameter). */
  public Parameter weight() {
    return (Parameter) getAttribute("weight");
  }

  /** The bias {@code [out_features]}, or null without bias. */
  public Parameter bias() {
    return (Parameter) getAttribute("bias");
  }

  /** {@code in_features}. */
  public int inFeatures() {
    return inFeatures;
  }

  /** {@code out_features}. */
  public int outFeatures() {
    return outFeatures;
  }

  /** Options of a {@link Linear}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int inFeatures;
    private final int outFeatures;
    private boolean bias = true;
    private Device device = Device.CPU;
    private DType dtype = DType.FLOAT32;

    private Builder(int inFeatures, int outFeatures) {
      this.inFeatures = inFeatures;
      this.outFeatures = outFeatures;
    }

    /** {@code bias} (default true): whether to add a learnable bias. */
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
    public Linear build() {
      return new Linear(this);
    }
  }
}
