package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.tensor.Tensor;

/**
 * Instance normalisation ({@code torch.nn.InstanceNorm3d}): each channel of each sample normalised
 * over its 3 spatial dims,
 *
 * <pre>
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias
 * </pre>
 *
 * with the sample's mean and biased variance. By default ({@code affine=False,
 * track_running_stats=False}) there are no parameters and no running statistics; with {@code
 * trackRunningStats(true)} training updates running estimates (the mean over the batch of the
 * per-sample statistics, blended with {@code momentum}) that evaluation mode then uses.
 *
 * <p>Shape: input {@code [N, C, D, H, W]} or {@code [C, D, H, W]} (unbatched); output the same
 * shape. PyTorch 1.13 does not check the channel count against {@code num_features} unless there
 * are parameters or running statistics (their size check then fails); 2.x's warning for a mismatch
 * is not 1.13's.
 *
 * <p>State dict (only with {@code affine} / {@code track_running_stats}): {@code weight}, {@code
 * bias}, {@code running_mean}, {@code running_var}, {@code num_batches_tracked} (never counted).
 *
 * <pre>{@code
 * InstanceNorm3d m = new InstanceNorm3d(100);   // InstanceNorm3d(100, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)
 * Tensor y = m.call(Tensor.randn(20, 100, 35, 45, 10));
 * InstanceNorm3d tracked = InstanceNorm3d.builder(100).affine(true).trackRunningStats(true).build();
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.InstanceNorm3d.html">torch.nn.InstanceNorm3d</a>
 */
public final class InstanceNorm3d extends InstanceNormBase {
  /**
   * {@code nn.InstanceNorm3d(numFeatures)}: eps 1e-5, momentum 0.1, no affine parameters, no
   * running statistics.
   *
   * @param numFeatures the channel count {@code C}
   */
  public InstanceNorm3d(int numFeatures) {
    this(numFeatures, defaults());
  }

  private InstanceNorm3d(int numFeatures, Options options) {
    super(numFeatures, options);
  }

  /**
   * A builder for the other options ({@code eps}, {@code momentum}, {@code affine}, {@code
   * trackRunningStats}, {@code device}, {@code dtype}).
   *
   * @param numFeatures the channel count {@code C}
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int numFeatures) {
    return new Builder(numFeatures);
  }

  /** Throws {@code expected 4D or 5D input (got 6D input)} for a wrong rank. */
  @Override
  void checkInputDim(Tensor input) {
    if (input.dim() != 4 && input.dim() != 5) {
      throw new IllegalArgumentException(
          "expected 4D or 5D input (got " + input.dim() + "D input)");
    }
  }

  @Override
  int noBatchDim() {
    return 4;
  }

  /** Options of an {@link InstanceNorm3d}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int numFeatures;
    private final Options options = defaults();

    private Builder(int numFeatures) {
      this.numFeatures = numFeatures;
    }

    /** {@code eps} (default 1e-5): added to the variance for numerical stability. */
    public Builder eps(double eps) {
      options.eps = eps;
      return this;
    }

    /** {@code momentum} (default 0.1) of the running statistics. */
    public Builder momentum(double momentum) {
      options.momentum = momentum;
      return this;
    }

    /** {@code affine} (default false): whether to learn {@code weight} and {@code bias}. */
    public Builder affine(boolean affine) {
      options.affine = affine;
      return this;
    }

    /**
     * {@code track_running_stats} (default false): whether to keep running statistics, which
     * evaluation mode then uses.
     */
    public Builder trackRunningStats(boolean trackRunningStats) {
      options.trackRunningStats = trackRunningStats;
      return this;
    }

    /** {@code device} of the parameters and buffers (default CPU). */
    public Builder device(Device device) {
      options.device(device);
      return this;
    }

    /** {@code dtype} of the parameters and running statistics (default float32). */
    public Builder dtype(DType dtype) {
      options.dtype(dtype);
      return this;
    }

    /** The layer. */
    public InstanceNorm3d build() {
      return new InstanceNorm3d(numFeatures, options);
    }
  }
}
