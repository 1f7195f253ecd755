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
 * Group normalisation ({@code torch.nn.GroupNorm}): the channels of each sample split into {@code
 * num_groups} groups, each normalised by its own mean and biased variance,
 *
 * <pre>
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias
 * </pre>
 *
 * then scaled and shifted per channel by {@code weight} (ones) and {@code bias} (zeros), which
 * are absent without {@code affine}. The same statistics in training and evaluation mode.
 *
 * <p>Shape: input {@code [N, C, *]}; output the same shape.
 *
 * <pre>{@code
 * GroupNorm gn = new GroupNorm(3, 6);                 // GroupNorm(3, 6, eps=1e-05, affine=True)
 * Tensor y = gn.call(Tensor.randn(20, 6, 10, 10));
 * GroupNorm plain = GroupNorm.builder(6, 6).affine(false).build();   // instance norm, no affine
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.GroupNorm.html">torch.nn.GroupNorm</a>
 */
public final class GroupNorm extends Module {
  private final int numGroups;
  private final int numChannels;
  private final double eps;
  private final boolean affine;

  /**
   * {@code nn.GroupNorm(numGroups, numChannels)}: eps 1e-5, with weight and bias.
   *
   * @param numGroups the number of groups, dividing {@code numChannels}
   * @param numChannels the channel count {@code C}
   * @throws IllegalArgumentException {@code num_channels must be divisible by num_groups}
   */
  public GroupNorm(int numGroups, int numChannels) {
    this(builder(numGroups, numChannels));
  }

  private GroupNorm(Builder b) {
    if (b.numGroups == 0) {
      throw new ArithmeticException("integer modulo by zero"); // Python's %, as in PyTorch
    }
    if (b.numChannels % b.numGroups != 0) {
      throw new IllegalArgumentException("num_channels must be divisible by num_groups");
    }
    this.numGroups = b.numGroups;
    this.numChannels = b.numChannels;
    this.eps = b.eps;
    this.affine = b.affine;
    Shape c = Shape.of(numChannels);
    if (affine) {
      registerParameter("weight", new Parameter(Tensor.empty(c, b.dtype, b.device)));
      registerParameter("bias", new Parameter(Tensor.empty(c, b.dtype, b.device)));
    } else {
      registerParameter("weight", null);
      registerParameter("bias", null);
    }
    resetParameters();
  }

  /**
   * A builder for the other options ({@code eps}, {@code affine}, {@code device}, {@code dtype}).
   *
   * @param numGroups the number of groups
   * @param numChannels the channel count {@code C}
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int numGroups, int numChannels) {
    return new Builder(numGroups, numChannels);
  }

  /** Weight 1, bias 0 (with {@code affine}). */
  public void resetParameters() {
    if (affine) {
      Init.ones(weight());
      Init.zeros(bias());
    }
  }

  /** {@code F.group_norm(input, num_groups, weight, bias, eps)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.groupNorm(input, numGroups, weight(), bias(), eps);
  }

  /** {@code 3, 6, eps=1e-05, affine=True}. */
  @Override
  protected String extraRepr() {
    return numGroups + ", " + numChannels + ", eps=" + Py.floatRepr(eps) + ", affine="
        + Py.bool(affine);
  }

  /** The per-channel scale {@code [C]}, or null without {@code affine}. */
  public Parameter weight() {
    return (Parameter) getAttribute("weight");
  }

  /** The per-channel shift {@code [C]}, or null without {@code affine}. */
  public Parameter bias() {
    return (Parameter) getAttribute("bias");
  }

  /** {@code num_groups}. */
  public int numGroups() {
    return numGroups;
  }

  /** {@code num_channels}. */
  public int numChannels() {
    return numChannels;
  }

  /** {@code eps}, added to the variance. */
  public double eps() {
    return eps;
  }

  /** {@code affine}: whether the layer has {@code weight} and {@code bias}. */
  public boolean affine() {
    return affine;
  }

  /** Options of a {@link GroupNorm}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int numGroups;
    private final int numChannels;
    private double eps = 1e-5;
    private boolean affine = true;
    private Device device = Device.CPU;
    private DType dtype = DType.FLOAT32;

    private Builder(int numGroups, int numChannels) {
      this.numGroups = numGroups;
      this.numChannels = numChannels;
    }

    /** {@code eps} (default 1e-5): added to the variance for numerical stability. */
    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /** {@code affine} (default true): whether to learn {@code weight} and {@code bias}. */
    public Builder affine(boolean affine) {
      this.affine = affine;
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
    public GroupNorm build() {
      return new GroupNorm(this);
    }
  }
}
