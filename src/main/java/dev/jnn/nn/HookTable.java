package dev.jnn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One ordered table of hooks of one kind ({@code OrderedDict[int, hook]} in PyTorch's module.py),
 * with each hook's flags in its own entry instead of in parallel side tables. Used for every
 * per-module and global hook kind of {@link Module}.
 *
 * <p>Entries keep registration order; a {@code prepend} entry goes before all existing ones
 * (PyTorch's {@code move_to_end(id, last=False)}). {@link #add} returns the {@link HookHandle}
 * whose {@link HookHandle#remove()} deletes the entry, idempotently.
 *
 * <p>Copy on write: every change publishes a new immutable list, so {@link #entries()} and {@link
 * #hooks()} are snapshots that firing code iterates over while hooks add or remove entries (a hook
 * may remove itself; the current firing still runs the snapshot). Changes are serialized on the
 * table; reads take no lock.
 *
 * @param <H> the hook interface
 */
final class HookTable<H> {

  /**
   * One registered hook: its handle's id, the hook, and the registration flags ({@code prepend}
   * as asked; {@code alwaysCall} and {@code withKwargs} only meaningful for forward hooks).
   */
  record Entry<H>(long id, H hook, boolean prepend, boolean alwaysCall, boolean withKwargs) {}

  private volatile List<Entry<H>> entries = List.of();

  /** Appends {@code hook} with no flags. */
  HookHandle add(H hook) {
    return add(hook, false, false, false);
  }

  /** Adds {@code hook} last, or first with {@code prepend}. */
  HookHandle add(H hook, boolean prepend) {
    return add(hook, prepend, false, false);
  }

  /**
   * Adds {@code hook} with its flags: last, or before every existing entry with {@code prepend}.
   *
   * @throws NullPointerException {@code hook} when {@code hook} is null
   */
  HookHandle add(H hook, boolean prepend, boolean alwaysCall, boolean withKwargs) {
    Objects.requireNonNull(hook, "hook");
    HookHandle handle = new HookHandle(this);
    Entry<H> entry = new Entry<>(handle.id(), hook, prepend, alwaysCall, withKwargs);
    synchronized (this) {
      List<Entry<H>> next = new ArrayList<>(entries.size() + 1);
      if (prepend) {
        next.add(entry);
        next.addAll(entries);
      } else {
        next.addAll(entries);
        next.add(entry);
      }
      entries = Collections.unmodifiableList(next);
    }
    return handle;
  }

  /** Removes the entry with {@code id}; returns whether there was one (false the second time). */
  boolean remove(long id) {
    synchronized (this) {
      List<Entry<H>> current = entries;
      for (int i = 0; i < current.size(); i++) {
        if (current.get(i).id() == id) {
          List<Entry<H>> next = new ArrayList<>(current);
          next.remove(i);
          entries = Collections.unmodifiableList(next);
          return true;
        }
      }
      return false;
    }
  }

  /** Whether no hook is registered. */
  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The number of registered hooks. */
  int size() {
    return entries.size();
  }

  /** Whether a hook with this handle id is registered. */
  boolean contains(long id) {
    for (Entry<H> e : entries) {
      if (e.id() == id) {
        return true;
      }
    }
    return false;
  }

  /** The entries in firing order: an immutable snapshot. */
  List<Entry<H>> entries() {
    return entries;
  }

  /** The hooks in firing order: a new list (a snapshot). */
  List<H> hooks() {
    List<Entry<H>> current = entries;
    List<H> out = new ArrayList<>(current.size());
    for (Entry<H> e : current) {
      out.add(e.hook());
    }
    return out;
  }

  /**
   * The ids of the entries matching {@code flag}, mapped to {@code true}, in firing order: a
   * snapshot shaped like PyTorch's flag side tables ({@code _forward_hooks_always_called}).
   */
  Map<Long, Boolean> flagged(Predicate<Entry<H>> flag) {
    Map<Long, Boolean> out = new LinkedHashMap<>();
    for (Entry<H> e : entries) {
      if (flag.test(e)) {
        out.put(e.id(), Boolean.TRUE);
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
