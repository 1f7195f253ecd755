package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * A full backward pre-hook ({@code register_full_backward_pre_hook}): runs when the gradients with
 * respect to the module's outputs arrive, before they flow into the module.
 */
@FunctionalInterface
public interface BackwardPreHook {
  /**
   * Sees the output gradients (unmodifiable; one for a tensor output, one per component of a
   * record output; null for non-tensor components and outputs that received no gradient) and
   * returns null to keep them or a same-length replacement.
   */
  List<Tensor> apply(Module module, List<Tensor> gradOutput);
}
