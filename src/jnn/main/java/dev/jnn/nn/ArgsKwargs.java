package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The positional and keyword arguments of a module call, as a {@link ForwardPreHookWithKwargs}
 * returns them (PyTorch's {@code (new_args, new_kwargs)} tuple). Positional entries may be null
 * (PyTorch's non-tensor or {@code None} arguments).
 *
 * @param args positional arguments (unmodifiable; null entries allowed)
 * @param kwargs keyword arguments in insertion order (unmodifiable)
 */
public record ArgsKwargs(List<Tensor> args, Map<String, Object> kwargs) {
  /** Copies both into unmodifiable collections; neither may be null. */
  public ArgsKwargs {
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(kwargs, "kwargs");
    args = Collections.unmodifiableList(Arrays.asList(args.toArray(new Tensor[0])));
    kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
  }
}
