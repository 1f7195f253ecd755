package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.tensor.Tensor;

/**
 * Batch normalisation over the batch and the three spatial dims ({@code torch.nn.BatchNorm3d}):
 *
 * <pre>
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias
 * </pre>
 *
 * computed per channel {@code C}. In training mode the mean and (biased) variance are the batch's,
 * and the running estimates are updated: {@code running = (1 - momentum) * running + momentum *
 * batch} (unbiased variance), or a cumulative average when {@code momentum} is null; in evaluation
 * mode the running estimates are used. {@code weight} starts at 1 and {@code bias} at 0.
 *
 * <p>Shape: input {@code [N, C, D, H, W]}; output the same shape.
 *
 * <p>State dict, in this order: {@code weight}, {@code bias}, {@code running_mean}, {@code
 * running_var}, {@code num_batches_tracked} (int64, never cast by {@code to(dtype)}); class version
 * 2, and a version-1 checkpoint without {@code num_batches_tracked} loads with it set to 0.
 *
 * <pre>{@code
 * BatchNorm3d bn = new BatchNorm3d(20);             // BatchNorm3d(20, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * Tensor y = bn.call(Tensor.randn(8, 20, 4, 6, 6));   // [8, 20, 4, 6, 6]
 * BatchNorm3d cma = BatchNorm3d.builder(100).momentum(null).affine(false).build();
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.BatchNorm3d.html">torch.nn.BatchNorm3d</a>
 */
public final class BatchNorm3d extends BatchNormBase {
  /**
   * {@code nn.BatchNorm3d(numFeatures)}: eps 1e-5, momentum 0.1, affine, tracking running stats.
   *
   * @param numFeatures the channel count {@code C}
   */
  public BatchNorm3d(int numFeatures) {
    this(numFeatures, new Options());
  }

  private BatchNorm3d(int numFeatures, Options options) {
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

  /** Throws {@code expected 5D input (got 4D input)} for a wrong rank. */
  @Override
  void checkInputDim(Tensor input) {
    if (input.dim() != 5) {
      throw new IllegalArgumentException("expected 5D input (got " + input.dim() + "D input)");
    }
  }

  /** Options of a {@link BatchNorm3d}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int numFeatures;
    private final Options options = new Options();

    private Builder(int numFeatures) {
      this.numFeatures = numFeatures;
    }

    /** {@code eps} (default 1e-5): added to the variance for numerical stability. */
    public Builder eps(double eps) {
      options.eps = eps;
      return this;
    }

    /**
     * {@code momentum} (default 0.1) of the running statistics; null for a cumulative moving
     * average ({@code momentum=None}).
     */
    public Builder momentum(Double momentum) {
      options.momentum = momentum;
      return this;
    }

    /** {@code affine} (default true): whether to learn {@code weight} and {@code bias}. */
    public Builder affine(boolean affine) {
      options.affine = affine;
      return this;
    }

    /**
     * {@code track_running_stats} (default true): whether to keep running statistics; without them
     * the batch statistics are used in evaluation mode too.
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
    public BatchNorm3d build() {
      return new BatchNorm3d(numFeatures, options);
    }
  }
}
