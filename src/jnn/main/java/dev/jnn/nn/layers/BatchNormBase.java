package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shared body of {@link BatchNorm1d}, {@link BatchNorm2d} and {@link BatchNorm3d} (PyTorch's
 * {@code _NormBase} and {@code _BatchNorm}); the subclasses only check the input's rank. The
 * instance norms ({@link InstanceNormBase}) extend it as PyTorch's {@code _InstanceNorm} extends
 * {@code _NormBase}, with their own forward.
 *
 * <p>Registration order is PyTorch's: parameters {@code weight}, {@code bias} (registered as null
 * without {@code affine}), then buffers {@code running_mean} (zeros), {@code running_var} (ones)
 * and {@code num_batches_tracked} (a 0-d int64 zero), registered as null without {@code
 * track_running_stats}. The class version is 2; {@link #loadFromStateDict} upgrades version-1
 * checkpoints that lack {@code num_batches_tracked}.
 */
abstract class BatchNormBase extends Module {
  private final int numFeatures;
  private final double eps;
  private final Double momentum;
  private final boolean affine;
  private final boolean trackRunningStats;

  BatchNormBase(int numFeatures, Options o) {
    if (!(o.eps >= 0.0)) {
      throw new IllegalArgumentException("eps must be non-negative, but got eps=" + o.eps);
    }
    this.numFeatures = numFeatures;
    this.eps = o.eps;
    this.momentum = o.momentum;
    this.affine = o.affine;
    this.trackRunningStats = o.trackRunningStats;
    Shape c = Shape.of(numFeatures);
    if (affine) {
      registerParameter("weight", new Parameter(Tensor.empty(c, o.dtype, o.device)));
      registerParameter("bias", new Parameter(Tensor.empty(c, o.dtype, o.device)));
    } else {
      registerParameter("weight", null);
      registerParameter("bias", null);
    }
    if (trackRunningStats) {
      registerBuffer("running_mean", Tensor.zeros(c, o.dtype, o.device));
      registerBuffer("running_var", Tensor.ones(c, o.dtype, o.device));
      // always int64, whatever the layer's dtype (and never cast by to(dtype))
      registerBuffer("num_batches_tracked", Tensor.zeros(Shape.scalar(), DType.INT64, o.device));
    } else {
      registerBuffer("running_mean", null);
      registerBuffer("running_var", null);
      registerBuffer("num_batches_tracked", null);
    }
    resetParameters();
  }

  /** Resets the running statistics: mean 0, variance 1, zero batches tracked. */
  public void resetRunningStats() {
    if (trackRunningStats) {
      Init.zeros(runningMean());
      Init.ones(runningVar());
      Init.zeros(numBatchesTracked());
    }
  }

  /** Resets the running statistics, then the affine parameters to weight 1, bias 0. */
  public void resetParameters() {
    resetRunningStats();
    if (affine) {
      Init.ones(weight());
      Init.zeros(bias());
    }
  }

  /** Throws PyTorch's message when {@code input} has the wrong number of dims. */
  abstract void checkInputDim(Tensor input);

  /**
   * Normalises {@code input} per channel (dim 1). In training mode it uses the batch's mean and
   * biased variance and, with {@code track_running_stats}, updates the running statistics ({@code
   * running = (1 - m) * running + m * batch}, unbiased variance) and counts the batch; {@code m} is
   * {@code momentum}, or {@code 1 / num_batches_tracked} when momentum is null (cumulative
   * average). In evaluation mode it uses the running statistics (or the batch's when not tracked).
   * The update happens only when the whole forward succeeds: on a bad input nothing changes
   * (PyTorch would already have counted the batch).
   *
   * @throws IllegalArgumentException for a wrong rank ({@code expected 4D input (got 3D input)}), a
   *     wrong channel count ({@code running_mean should contain 4 elements not 3}), or a single
   *     value per channel in training
   */
  @Override
  public Tensor forward(Tensor input) {
    checkInputDim(input);
    boolean training = isTraining();
    Tensor runningMean = runningMean();
    Tensor runningVar = runningVar();
    Tensor count = numBatchesTracked();
    boolean countBatch = training && trackRunningStats && count != null;
    double factor = momentum == null ? 0.0 : momentum;
    if (countBatch && momentum == null) {
      factor = 1.0 / (double) (count.itemLong() + 1); // cumulative moving average
    }
    // batch statistics in training, and in eval when there are no running statistics
    boolean bnTraining = training || (runningMean == null && runningVar == null);
    boolean passStats = !training || trackRunningStats;
    Tensor out =
        Functional.batchNorm(
            input,
            passStats ? runningMean : null,
            passStats ? runningVar : null,
            weight(),
            bias(),
            bnTraining,
            factor,
            eps);
    if (countBatch) {
      try (NoGrad g = NoGrad.enter()) {
        count.fill(count.itemLong() + 1);
      }
    }
    return out;
  }

  /** PyTorch's {@code _version = 2}: version 2 added {@code num_batches_tracked}. */
  @Override
  protected int version() {
    return 2;
  }

  /**
   * PyTorch's backward-compatible load: a checkpoint saved before version 2 (no version in its
   * metadata, or a version below 2) has no {@code num_batches_tracked}; it is filled with 0 so that
   * the checkpoint loads under {@code strict}.
   */
  @Override
  protected void loadFromStateDict(
      Map<String, Tensor> stateDict,
      String prefix,
      Map<String, Object> localMetadata,
      boolean strict,
      List<String> missingKeys,
      List<String> unexpectedKeys,
      List<String> errorMsgs) {
    Object version = localMetadata.get("version");
    if ((version == null || ((Number) version).intValue() < 2) && trackRunningStats) {
      // at version 2: added num_batches_tracked buffer; this should have a default value of 0
      String key = prefix + "num_batches_tracked";
      if (!stateDict.containsKey(key)) {
        stateDict.put(key, Tensor.zeros(Shape.scalar(), DType.INT64, Device.CPU));
      }
    }
    super.loadFromStateDict(
        stateDict, prefix, localMetadata, strict, missingKeys, unexpectedKeys, errorMsgs);
  }

  /** {@code 20, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True}. */
  @Override
  protected String extraRepr() {
    return numFeatures
        + ", eps="
        + Py.floatRepr(eps)
        + ", momentum="
        + (momentum == null ? "None" : Py.floatRepr(momentum))
        + ", affine="
        + Py.bool(affine)
        + ", track_running_stats="
        + Py.bool(trackRunningStats);
  }

  // ---------------------------------------------------------------- accessors

  /** The per-channel scale {@code [C]}, or null without {@code affine}. */
  public Parameter weight() {
    return (Parameter) getAttribute("weight");
  }

  /** The per-channel shift {@code [C]}, or null without {@code affine}. */
  public Parameter bias() {
    return (Parameter) getAttribute("bias");
  }

  /** The {@code running_mean} buffer {@code [C]}, or null without {@code track_running_stats}. */
  public Tensor runningMean() {
    return getBuffer("running_mean");
  }

  /** The {@code running_var} buffer {@code [C]}, or null without {@code track_running_stats}. */
  public Tensor runningVar() {
    return getBuffer("running_var");
  }

  /**
   * The 0-d int64 {@code num_batches_tracked} buffer, or null without {@code track_running_stats}.
   */
  public Tensor numBatchesTracked() {
    return getBuffer("num_batches_tracked");
  }

  /** {@code num_features}: the channel count {@code C}. */
  public int numFeatures() {
    return numFeatures;
  }

  /** {@code eps}, added to the variance. */
  public double eps() {
    return eps;
  }

  /** {@code momentum}, or null for a cumulative moving average. */
  public Double momentum() {
    return momentum;
  }

  /** {@code affine}: whether the layer has {@code weight} and {@code bias}. */
  public boolean affine() {
    return affine;
  }

  /** {@code track_running_stats}: whether the layer keeps running statistics. */
  public boolean trackRunningStats() {
    return trackRunningStats;
  }

  /** The options shared by the batch-norm builders. */
  static final class Options {
    double eps = 1e-5;
    Double momentum = 0.1;
    boolean affine = true;
    boolean trackRunningStats = true;
    Device device = Device.CPU;
    DType dtype = DType.FLOAT32;

    void device(Device d) {
      this.device = Objects.requireNonNull(d, "device");
    }

    void dtype(DType d) {
      this.dtype = Objects.requireNonNull(d, "dtype");
    }
  }
}
