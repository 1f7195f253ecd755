package dev.jnn.nn.layers;

import dev.jnn.core.Py;

/**
 * A pooling hyperparameter of any rank kept as given, so that it prints as PyTorch prints it: one
 * int as {@code 3}, a tuple as {@code (1, 2, 3)} ({@link IntPair} for two dims); {@link
 * #tuple()} makes PyTorch's {@code _single}/{@code _pair}/{@code _triple} form, which always prints
 * as a tuple ({@code (3,)}).
 */
final class IntTuple {
  private final int[] values;
  private final boolean single;

  private IntTuple(int[] values, boolean single) {
    this.values = values;
    this.single = single;
  }

  /** One int for every dim, printed as an int. */
  static IntTuple of(int v, int dims) {
    int[] a = new int[dims];
    java.util.Arrays.fill(a, v);
    return new IntTuple(a, true);
  }

  /** A tuple, printed as one. */
  static IntTuple of(int... v) {
    return new IntTuple(v.clone(), false);
  }

  /** The same values, printed as a tuple. */
  IntTuple tuple() {
    return new IntTuple(values, false);
  }

  int[] toArray() {
    return values.clone();
  }

  @Override
  public String toString() {
    return single ? Integer.toString(values[0]) : Py.tuple(values);
  }
}
