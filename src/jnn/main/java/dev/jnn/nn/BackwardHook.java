package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * A full backward hook ({@code register_full_backward_hook}): runs once per backward through the
 * module, when the gradients with respect to its positional tensor inputs have been computed.
 */
@FunctionalInterface
public interface BackwardHook {
  /**
   * Sees the input gradients (one per positional argument, null for non-tensor arguments and when
   * no input requires grad) and the output gradients (one for a tensor output, one per component
   * of a record output, null for non-tensor components and outputs that received no gradient);
   * returns null to keep the input gradients or a same-length replacement.
   */
  List<Tensor> apply(Module module, List<Tensor> gradInput, List<Tensor> gradOutput);
}
