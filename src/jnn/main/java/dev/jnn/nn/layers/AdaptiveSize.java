package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;

/**
 * The {@code output_size} of an adaptive pooling layer as given: one int, or a tuple whose {@code
 * null} entries ({@code None}) keep the input's size, resolved per call as PyTorch's {@code
 * _list_with_default} does, and printed as PyTorch prints it ({@code 3}, {@code (5, 7)}, {@code
 * (None, 7)}).
 */
final class AdaptiveSize {
  private final Integer[] sizes;
  private final boolean single;

  private AdaptiveSize(Integer[] sizes, boolean single) {
    this.sizes = sizes;
    this.single = single;
  }

  static AdaptiveSize of(int size) {
    return new AdaptiveSize(new Integer[] {size}, true);
  }

  static AdaptiveSize of(Integer... sizes) {
    return new AdaptiveSize(sizes.clone(), false);
  }

  /**
   * The sizes for {@code input}: the single int, or the tuple with {@code None} replaced by the
   * input's trailing sizes.
   *
   * @throws IllegalArgumentException {@code Input dimension should be at least 3} (for a pair)
   *     when the input has too few dims for a tuple
   */
  int[] resolve(Tensor input) {
    if (single) {
      return new int[] {sizes[0]};
    }
    int n = sizes.length;
    if (input.dim() <= n) {
      throw new IllegalArgumentException("Input dimension should be at least " + (n + 1));
    }
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = sizes[i] != null ? sizes[i] : input.shape().getInt(input.dim() - n + i);
    }
    return r;
  }

  /** The sizes as given ({@code null} for {@code None}). */
  Integer[] toArray() {
    return sizes.clone();
  }

  @Override
  public String toString() {
    if (single) {
      return Integer.toString(sizes[0]);
    }
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < sizes.length; i++) {
      b.append(i > 0 ? ", " : "").append(sizes[i] == null ? "None" : sizes[i].toString());
    }
    return b.append(sizes.length == 1 ? ",)" : ")").toString();
  }
}
