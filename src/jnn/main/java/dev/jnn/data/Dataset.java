package dev.jnn.data;

/** A map-style dataset ({@code torch.utils.data.Dataset}): random access to {@link #size()} items. */
public interface Dataset<T> {
  /** Number of items ({@code __len__}). */
  int size();

  /** Item {@code index} ({@code __getitem__}), {@code 0 <= index < size()}. */
  T get(int index);
}
