package dev.jnn.nn.layers;

import dev.jnn.core.Py;
/**
 * An "int or tuple of two ints" hyperparameter (PyTorch's {@code _size_2_t}) that remembers how it
 * was given, because the pooling layers print it as given: {@code kernel_size=2} versus {@code
 * kernel_size=(2, 2)}.
 */
final class IntPair {
  final int h;
  final int w;
  final boolean single;

  private IntPair(int h, int w, boolean single) {
    this.h = h;
    this.w = w;
    this.single = single;
  }

  static IntPair of(int v) {
    return new IntPair(v, v, true);
  }

  static IntPair of(int h, int w) {
    return new IntPair(h, w, false);
  }

  /** {@code {h, w}}. */
  int[] toArray() {
    return new int[] {h, w};
  }

  /** {@code 2} or {@code (2, 3)}. */
  @Override
  public String toString() {
    return single ? Integer.toString(h) : Py.tuple(h, w);
  }
}
