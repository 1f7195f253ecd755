package dev.jnn.backend;

/**
 * A strided window into a buffer: what a back-end op reads or writes. {@code shape.length ==
 * strides.length}; element {@code (i0, i1, ...)} is at {@code offset + sum(ik * strides[k])}.
 *
 * @param buffer the memory
 * @param shape sizes per dim
 * @param strides element strides per dim (0 for a broadcast dim)
 * @param offset element offset of index (0, 0, ...)
 */
public record View(Buffer buffer, int[] shape, int[] strides, int offset) {
  /** Number of elements addressed. */
  public int numel() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** True when the elements are laid out row-major without gaps. */
  public boolean isContiguous() {
    int expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != expected) {
        return false;
      }
      expected *= shape[i];
    }
    return true;
  }

  /** A contiguous view over a whole buffer with the given shape. */
  public static View contiguous(Buffer buffer, int[] shape) {
    int[] strides = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = acc;
      acc *= Math.max(1, shape[i]);
    }
    return new View(buffer, shape, strides, 0);
  }
}
