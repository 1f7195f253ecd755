package dev.jnn.nn;

import dev.jnn.autograd.RemovableHandle;

/**
 * The handle returned by every hook registration of a {@link Module} ({@code
 * torch.utils.hooks.RemovableHandle}). Ids come from the single global counter of {@link
 * RemovableHandle}, so they are unique across all modules, tensors and hook kinds. {@link
 * #remove()} deletes the hook's entry, flags ({@code withKwargs}, {@code alwaysCall}) included,
 * from its {@link HookTable}; it is idempotent and may be called by the hook while it fires.
 * Because the handle is {@link AutoCloseable}, a temporary hook fits a try-with-resources block:
 *
 * <pre>{@code
 * try (HookHandle h = model.registerForwardHook((m, args, out) -> { log(out); return null; })) {
 *   model.call(x);
 * }
 * }</pre>
 */
public final class HookHandle extends RemovableHandle {
  private final HookTable<?> table;

  /** A handle removing its id from {@code table}. */
  HookHandle(HookTable<?> table) {
    super();
    this.table = table;
  }

  /** Removes the hook from its table; safe to call more than once and while hooks fire. */
  @Override
  public void remove() {
    table.remove(id());
  }
}
