package dev.jnn.nn;

import java.util.ArrayList;
import java.util.List;

/** Python list-indexing helpers shared by the containers. */
final class Containers {
  private Containers() {}

  /** {@code operator.index} + range check + wrap-around of a negative index. */
  static int absIndex(int idx, int size) {
    if (!(-size <= idx && idx < size)) {
      throw new IndexOutOfBoundsException("index " + idx + " is out of range");
    }
    return idx < 0 ? idx + size : idx;
  }

  /** The positions {@code range(size)[start:stop:step]} selects (Python slice semantics). */
  static List<Integer> sliceIndices(int size, int start, int stop, int step) {
    if (step == 0) {
      throw new IllegalArgumentException("slice step cannot be zero");
    }
    List<Integer> out = new ArrayList<>();
    if (step > 0) {
      int lo = clamp(start, size, 0, size);
      int hi = clamp(stop, size, 0, size);
      for (int i = lo; i < hi; i += step) {
        out.add(i);
      }
    } else {
      int lo = clamp(start, size, -1, size - 1);
      int hi = clamp(stop, size, -1, size - 1);
      for (int i = lo; i > hi; i += step) {
        out.add(i);
      }
    }
    return out;
  }

  private static int clamp(int i, int size, int min, int max) {
    int v = i < 0 ? i + size : i;
    return Math.max(min, Math.min(max, v));
  }
}
