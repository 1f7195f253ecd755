package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * A hook run before {@link Module#forward} by {@link Module#call} ({@code hook(module, args)} of
 * {@code register_forward_pre_hook}).
 */
@FunctionalInterface
public interface ForwardPreHook {
  /**
   * Sees the positional arguments (unmodifiable; null entries are non-tensor arguments) and returns
   * null to keep them, or the replacement argument list. A one-element list replaces all arguments,
   * which is PyTorch's wrapping of a single returned value into a 1-tuple.
   */
  List<Tensor> apply(Module module, List<Tensor> args);
}
