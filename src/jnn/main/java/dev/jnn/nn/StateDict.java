package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of {@link Module#stateDict()} ({@code state_dict()}): an insertion-ordered map from
 * dotted keys ({@code "conv1.weight"}, {@code "0.bias"}) to tensors, plus PyTorch's {@code
 * _metadata}: one entry per module path without the trailing dot ({@code ""} for the root, {@code
 * "layer1.0"}), holding at least {@code "version"} (the module class's {@link Module#version()}).
 *
 * <p>The values are live: detached aliases sharing storage with the parameters and buffers (or the
 * parameters themselves with {@code keepVars}), not copies. Iteration order is the module's
 * registration order, depth-first, parameters before buffers within a module.
 */
public final class StateDict extends LinkedHashMap<String, Tensor> {
  private static final long serialVersionUID = 1L;

  /** Per-module metadata ({@code state_dict._metadata}). */
  private final LinkedHashMap<String, Map<String, Object>> metadata;

  /** An empty state dict with empty metadata. */
  public StateDict() {
    this.metadata = new LinkedHashMap<>();
  }

  /**
   * A copy of {@code entries} (same order). When {@code entries} is a {@code StateDict} its
   * metadata is copied too (one level deep: the per-module maps are copied).
   */
  public StateDict(Map<String, ? extends Tensor> entries) {
    super(entries);
    this.metadata = new LinkedHashMap<>();
    if (entries instanceof StateDict sd) {
      for (Map.Entry<String, Map<String, Object>> e : sd.metadata.entrySet()) {
        metadata.put(e.getKey(), new LinkedHashMap<>(e.getValue()));
      }
    }
  }

  /**
   * The mutable, insertion-ordered metadata: module path (no trailing dot) to that module's map
   * ({@code {"version": 1}}). Load hooks and {@link Module#loadFromStateDict} read it.
   */
  public Map<String, Map<String, Object>> metadata() {
    return metadata;
  }
}
