package dev.jnn.nn.layers;

import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The shared body of {@link InstanceNorm1d}, {@link InstanceNorm2d} and {@link InstanceNorm3d}
 * (PyTorch 1.13's {@code _InstanceNorm}, a {@code _NormBase} like batch norm): the same parameters,
 * buffers, repr and version-2 loading as {@link BatchNormBase}, PyTorch's defaults {@code
 * affine=False, track_running_stats=False}, and a forward that is {@code F.instance_norm} with
 * {@code use_input_stats = training || !track_running_stats} (an unbatched input gets a batch dim
 * for the call). {@code num_batches_tracked} is registered but never counted, as in PyTorch.
 */
abstract class InstanceNormBase extends BatchNormBase {
  InstanceNormBase(int numFeatures, Options o) {
    super(numFeatures, o);
  }

  /** The rank of an unbatched input ({@code _get_no_batch_dim}). */
  abstract int noBatchDim();

  /** {@link BatchNormBase.Options} with instance norm's defaults. */
  static Options defaults() {
    Options o = new Options();
    o.affine = false;
    o.trackRunningStats = false;
    return o;
  }

  /**
   * Normalises each channel of each sample over its spatial dims ({@code F.instance_norm}); in
   * training mode, or without {@code track_running_stats}, with the sample's statistics (updating
   * the running statistics when tracked), else with the running statistics.
   *
   * @throws IllegalArgumentException for a wrong rank ({@code expected 2D or 3D input (got 4D
   *     input)}), one spatial element, or per-channel tensors that do not match the channels
   */
  @Override
  public Tensor forward(Tensor input) {
    checkInputDim(input);
    if (input.dim() == noBatchDim()) {
      return apply(input.unsqueeze(0)).squeeze(0);
    }
    return apply(input);
  }

  private Tensor apply(Tensor input) {
    return Functional.instanceNorm(input, runningMean(), runningVar(), weight(), bias(),
        isTraining() || !trackRunningStats(), momentum(), eps());
  }

  /**
   * PyTorch's {@code _InstanceNorm._load_from_state_dict}: a checkpoint without a version that
   * holds running statistics for a layer that does not track them (saved before PyTorch 0.4) gets
   * PyTorch's error, and those keys are dropped; then {@link BatchNormBase}'s load.
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
    if (localMetadata.get("version") == null && !trackRunningStats()) {
      List<String> keys = new ArrayList<>();
      for (String name : List.of("running_mean", "running_var")) {
        if (stateDict.containsKey(prefix + name)) {
          keys.add(prefix + name);
        }
      }
      if (!keys.isEmpty()) {
        String klass = getClass().getSimpleName();
        errorMsgs.add("Unexpected running stats buffer(s) "
            + keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(" and "))
            + " for " + klass + " with track_running_stats=False. If state_dict is a"
            + " checkpoint saved before 0.4.0, this may be expected because " + klass
            + " does not track running stats by default since 0.4.0. Please remove these keys"
            + " from state_dict. If the running stats are actually needed, instead set"
            + " track_running_stats=True in " + klass + " to enable them. See the documentation"
            + " of " + klass + " for details.");
        keys.forEach(stateDict::remove);
      }
    }
    super.loadFromStateDict(
        stateDict, prefix, localMetadata, strict, missingKeys, unexpectedKeys, errorMsgs);
  }
}
