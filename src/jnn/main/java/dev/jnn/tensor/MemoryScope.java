package dev.jnn.tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frees a block's temporary tensors when the block ends: every tensor created on this thread while
 * the scope is open (op results, views, autograd's gradients and saved tensors) is closed by
 * {@link #close()}, unless it was {@linkplain #keep kept} or has an owner that outlives the step.
 * Closing returns host memory to {@link dev.jnn.backend.HostBufferPool} and device memory to the
 * device's caching allocator, so a training loop run in scopes allocates no new large buffers once
 * it has run a step.
 *
 * <pre>{@code
 * for (Tensor[] batch : loader) {
 *   try (MemoryScope step = MemoryScope.open()) {
 *     Tensor loss = Functional.crossEntropy(model.call(batch[0]), batch[1]);
 *     opt.zeroGrad();
 *     loss.backward();
 *     opt.step();
 *     total += loss.item();          // read results inside the scope, or keep() the tensor
 *   }
 * }
 * }</pre>
 *
 * <p>Outlive the scope without {@link #keep}: tensors created before it opened (inputs,
 * parameters), {@link dev.jnn.nn.Parameter}s, gradients stored in a tensor's {@code grad}, module
 * buffers and attributes, and optimizer state. Everything else created inside is invalid after
 * the scope: using it throws {@link IllegalStateException} ("use of a tensor whose storage was
 * freed"), including a backward through a graph recorded in the scope. Closing is per tensor
 * handle: a storage shared with a surviving tensor (a view of a parameter, say) stays alive.
 *
 * <p>Scopes are thread-confined and nest; a tensor belongs to the innermost open scope of the
 * thread that created it. Without any scope open, tensors behave as before: freed by {@link
 * Tensor#close()} or the garbage collector.
 */
public final class MemoryScope implements AutoCloseable {
  private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

  private final MemoryScope parent;
  private final Thread owner;
  /** Tensors owned by this scope, in creation order; a null slot was released. */
  private final List<Tensor> owned = new ArrayList<>();
  private final Map<Tensor, Integer> index = new IdentityHashMap<>();
  private boolean suspended;
  private boolean closed;

  private MemoryScope(MemoryScope parent) {
    this.parent = parent;
    this.owner = Thread.currentThread();
  }

  /** Opens a scope on this thread (nested in the current one, if any). */
  public static MemoryScope open() {
    MemoryScope s = new MemoryScope(CURRENT.get());
    CURRENT.set(s);
    return s;
  }

  /** The innermost open scope of this thread, or null. */
  public static MemoryScope current() {
    return CURRENT.get();
  }

  /** Called for every new tensor handle: the current scope (if any) takes ownership. */
  static void register(Tensor t) {
    MemoryScope s = CURRENT.get();
    if (s != null && !s.suspended) {
      s.index.put(t, s.owned.size());
      s.owned.add(t);
    }
  }

  /**
   * Removes {@code t} from whatever scope of this thread owns it: it will not be closed by a scope
   * (for tensors that acquire a long-lived owner, such as a gradient or a module buffer). No-op
   * for tensors no scope owns.
   */
  public static void escape(Tensor t) {
    if (t == null) {
      return;
    }
    for (MemoryScope s = CURRENT.get(); s != null; s = s.parent) {
      if (s.release(t)) {
        return;
      }
    }
  }

  private boolean release(Tensor t) {
    Integer i = index.remove(t);
    if (i == null) {
      return false;
    }
    owned.set(i, null);
    return true;
  }

  /**
   * Keeps {@code t} past this scope: it moves to the enclosing scope (freed when that one closes),
   * or, for an outermost scope, is owned by no scope (freed by {@link Tensor#close()} or the
   * garbage collector). Returns {@code t}.
   */
  public <T extends Tensor> T keep(T t) {
    checkOpen();
    if (t != null && release(t) && parent != null) {
      parent.index.put(t, parent.owned.size());
      parent.owned.add(t);
    }
    return t;
  }

  /**
   * Runs {@code body} with registration in this thread's scopes switched off: tensors it creates
   * belong to no scope (used for state that must outlive the step, e.g. optimizer buffers).
   */
  public static <T> T outside(java.util.function.Supplier<T> body) {
    MemoryScope s = CURRENT.get();
    if (s == null || s.suspended) {
      return body.get();
    }
    s.suspended = true;
    try {
      return body.get();
    } finally {
      s.suspended = false;
    }
  }

  /** Number of tensors this scope would close now. */
  public int size() {
    return index.size();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("MemoryScope already closed");
    }
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("MemoryScope used from a thread that did not open it");
    }
  }

  /**
   * Closes every tensor this scope still owns, newest first, and makes the enclosing scope current
   * again. Scopes must close in the reverse order of opening (try-with-resources does that).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    checkOpen();
    if (CURRENT.get() != this) {
      throw new IllegalStateException("MemoryScopes must be closed innermost first");
    }
    closed = true;
    CURRENT.set(parent);
    for (int i = owned.size() - 1; i >= 0; i--) {
      Tensor t = owned.get(i);
      if (t != null) {
        t.close();
      }
    }
    owned.clear();
    index.clear();
  }
}
