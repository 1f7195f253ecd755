package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** A forward hook that also sees the keyword arguments ({@code with_kwargs=True}). */
@FunctionalInterface
public interface ForwardHookWithKwargs {
  /** Returns null to keep the output, or its replacement. */
  Tensor apply(Module module, List<Tensor> args, Map<String, Object> kwargs, Tensor output);
}
