package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A {@link ForwardHookAny} that also sees the keyword arguments ({@code with_kwargs=True}). Every
 * forward hook is stored in this form: the other three kinds are wrapped into it.
 */
@FunctionalInterface
public interface ForwardHookAnyWithKwargs {
  /** Returns null to keep the output, or its replacement. */
  Object apply(Module module, List<Tensor> args, Map<String, Object> kwargs, Object output);
}
