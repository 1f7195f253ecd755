package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * A forward hook that sees a module's whole output, whatever its structure ({@code hook(module,
 * args, output)} of {@code register_forward_hook}, for modules whose {@link Module#forwardAny}
 * returns a record, a map, a list or nested combinations, see {@link StructuredModule}).
 */
@FunctionalInterface
public interface ForwardHookAny {
  /**
   * Sees the (possibly pre-hook-replaced) positional arguments and the output; returns null to keep
   * the output, or its replacement (any value; a typed {@link StructuredModule#callOutput} then
   * requires it to be of the module's output type). When registered with {@code alwaysCall} and
   * the call threw, {@code output} is whatever was computed so far (null when forward threw).
   */
  Object apply(Module module, List<Tensor> args, Object output);
}
