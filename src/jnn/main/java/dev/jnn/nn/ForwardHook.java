package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * A hook run after {@link Module#forward} by {@link Module#call} ({@code hook(module, args,
 * output)} of {@code register_forward_hook}).
 */
@FunctionalInterface
public interface ForwardHook {
  /**
   * Sees the (possibly pre-hook-replaced) positional arguments and the output; returns null to keep
   * the output, or its replacement. When registered with {@code alwaysCall} and forward threw,
   * {@code output} is whatever was computed so far (usually null).
   */
  Tensor apply(Module module, List<Tensor> args, Tensor output);
}
