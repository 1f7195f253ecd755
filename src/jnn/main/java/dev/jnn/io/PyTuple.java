package dev.jnn.io;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * A Python tuple read from a pickle: an immutable list. It remembers how deeply tuples nest inside
 * it, so hashing one (as a dict key) can be refused before it could exhaust the stack.
 */
final class PyTuple extends AbstractList<Object> implements RandomAccess {
  static final PyTuple EMPTY = new PyTuple(new Object[0]);

  private final Object[] items;
  final int depth;

  PyTuple(Object[] items) {
    this.items = items;
    int d = 0;
    for (Object o : items) {
      if (o instanceof PyTuple t) {
        d = Math.max(d, t.depth);
      }
    }
    this.depth = d + 1;
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public Object[] toArray() {
    return Arrays.copyOf(items, items.length);
  }
}
