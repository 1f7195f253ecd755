package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** A forward pre-hook that also sees the keyword arguments ({@code with_kwargs=True}). */
@FunctionalInterface
public interface ForwardPreHookWithKwargs {
  /** Returns null to keep the arguments, or the replacement {@code (args, kwargs)}. */
  ArgsKwargs apply(Module module, List<Tensor> args, Map<String, Object> kwargs);
}
