package dev.jnn.nn;

import dev.jnn.autograd.RemovableHandle;
import java.util.Map;

/**
 * The handle returned by every hook registration of a {@link Module} ({@code
 * torch.utils.hooks.RemovableHandle}). Ids come from the single global counter of {@link
 * RemovableHandle}, so they are unique across all modules, tensors and hook kinds. {@link
 * #remove()} deletes the hook and its flags ({@code withKwargs}, {@code alwaysCall}) from every
 * side table; it is idempotent and may be called by the hook while it fires. Because the handle is
 * {@link AutoCloseable}, a temporary hook fits a try-with-resources block:
 *
 * <pre>{@code
 * try (HookHandle h = model.registerForwardHook((m, args, out) -> { log(out); return null; })) {
 *   model.call(x);
 * }
 * }</pre>
 */
public final class HookHandle extends RemovableHandle {
  /** A handle removing its id from {@code registries} (the hook table first, then side tables). */
  @SafeVarargs
  HookHandle(Map<Long, ?>... registries) {
    super(registries);
  }
}
