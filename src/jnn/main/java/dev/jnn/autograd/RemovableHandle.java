package dev.jnn.autograd;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A handle that removes a registered hook ({@code torch.utils.hooks.RemovableHandle}). Ids come
 * from one global counter, so they are unique across all modules, tensors and hook kinds. Removal
 * is idempotent; the handle works in try-with-resources.
 */
public class RemovableHandle implements AutoCloseable {
  private static final AtomicLong NEXT_ID = new AtomicLong();

  private final long id;
  private final Map<Long, ?>[] registries;

  /** A handle removing {@link #id()} from each of the given registries (and side tables). */
  @SafeVarargs
  public RemovableHandle(Map<Long, ?>... registries) {
    this.id = NEXT_ID.getAndIncrement();
    this.registries = registries;
  }

  /** The globally unique id; the key of the hook in its registries. */
  public long id() {
    return id;
  }

  /** Removes the hook from every registry; safe to call more than once. */
  public void remove() {
    for (Map<Long, ?> r : registries) {
      synchronized (r) {
        r.remove(id);
      }
    }
  }

  /** Same as {@link #remove()}. */
  @Override
  public void close() {
    remove();
  }
}
