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
 * A bilinear transformation of two inputs ({@code torch.nn.Bilinear}): {@code y = x1^T A x2 + b},
 * one matrix {@code A} per output feature; {@code F.bilinear}.
 *
 * <p>Parameters: {@code weight [out_features, in1_features, in2_features]} and {@code bias
 * [out_features]}, both drawn from {@code U(-1/sqrt(in1_features), 1/sqrt(in1_features))} as
 * PyTorch does. Shape: {@code [*, in1_features]} and {@code [*, in2_features]} (the same leading
 * dims) to {@code [*, out_features]}.
 *
 * <pre>{@code
 * Bilinear m = new Bilinear(20, 30, 40);
 * Tensor y = m.call(Tensor.randn(128, 20), Tensor.randn(128, 30));   // [128, 40]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Bilinear.html">torch.nn.Bilinear</a>
 */
public final class Bilinear extends Module {
  private final int in1Features;
  private final int in2Features;
  private final int outFeatures;

  /**
   * {@code nn.Bilinear(in1_features, in2_features, out_features)}, with bias.
   *
   * @param in1Features size of each first input sample
   * @param in2Features size of each second input sample
   * @param outFeatures size of each output sample
   */
  public Bilinear(int in1Features, int in2Features, int outFeatures) {
    this(in1Features, in2Features, outFeatures, true);
  }

  /**
   * {@code nn.Bilinear(in1_features, in2_features, out_features, bias=bias)}.
   *
   * @param in1Features size of each first input sample
   * @param in2Features size of each second input sample
   * @param outFeatures size of each output sample
   * @param bias whether to add a learnable bias
   */
  public Bilinear(int in1Features, int in2Features, int outFeatures, boolean bias) {
    this(builder(in1Features, in2Features, outFeatures).bias(bias));
  }

  private Bilinear(Builder b) {
    this.in1Features = b.in1Features;
    this.in2Features = b.in2Features;
    this.outFeatures = b.outFeatures;
    registerParameter("weight", new Parameter(Tensor.empty(
        Shape.of(outFeatures, in1Features, in2Features), b.dtype, b.device)));
    registerParameter("bias",
        b.bias ? new Parameter(Tensor.empty(Shape.of(outFeatures), b.dtype, b.device)) : null);
    resetParameters();
  }

  /**
   * A builder for the options beyond the constructors ({@code bias}, {@code device}, {@code
   * dtype}).
   *
   * @param in1Features size of each first input sample
   * @param in2Features size of each second input sample
   * @param outFeatures size of each output sample
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int in1Features, int in2Features, int outFeatures) {
    return new Builder(in1Features, in2Features, outFeatures);
  }

  /**
   * Re-initialises the parameters as PyTorch does: weight and bias from {@code U(-1/sqrt(in1),
   * 1/sqrt(in1))} ({@code bound = 1 / sqrt(weight.size(1))}).
   */
  public void resetParameters() {
    double bound = 1 / Math.sqrt(weight().size(1));
    Init.uniform(weight(), -bound, bound);
    if (bias() != null) {
      Init.uniform(bias(), -bound, bound);
    }
  }

  /** {@code F.bilinear(input1, input2, weight, bias)}. */
  @Override
  public Tensor forward(Tensor input1, Tensor input2) {
    return Functional.bilinear(input1, input2, weight(), bias());
  }

  /** {@code in1_features=20, in2_features=30, out_features=40, bias=True}. */
  @Override
  protected String extraRepr() {
    return "in1_features=" + in1Features + ", in2_features=" + in2Features + ", out_features="
        + outFeatures + ", bias=" + Py.bool(bias() != null);
  }

  /** The weight {@code [out_features, in1_features, in2_features]}. */
  public Parameter weight() {
    return (Parameter) getAttribute("weight");
  }

  /** The bias {@code [out_features]}, or null without bias. */
  public Parameter bias() {
    return (Parameter) getAttribute("bias");
  }

  /** {@code in1_features}. */
  public int in1Features() {
    return in1Features;
  }

  /** {@code in2_features}. */
  public int in2Features() {
    return in2Features;
  }

  /** {@code out_features}. */
  public int outFeatures() {
    return outFeatures;
  }

  /** Options of a {@link Bilinear}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int in1Features;
    private final int in2Features;
    private final int outFeatures;
    private boolean bias = true;
    private Device device = Device.CPU;
    private DType dtype = DType.FLOAT32;

    private Builder(int in1Features, int in2Features, int outFeatures) {
      this.in1Features = in1Features;
      this.in2Features = in2Features;
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
    public Bilinear build() {
      return new Bilinear(this);
    }
  }
}
