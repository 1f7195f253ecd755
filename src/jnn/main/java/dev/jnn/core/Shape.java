package dev.jnn.core;

import java.util.Arrays;

/** An immutable tensor shape ({@code torch.Size}); dims are {@code long} as in PyTorch. */
public final class Shape {
  private static final Shape SCALAR = new Shape(new long[0]);
  private final long[] dims;

  private Shape(long[] dims) {
    this.dims = dims;
  }

  /** A shape with the given dims; each must be non-negative. */
  public static Shape of(long... dims) {
    if (dims.length == 0) {
      return SCALAR;
    }
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "Trying to create tensor with negative dimension " + d + ": " + Arrays.toString(dims));
      }
    }
    return new Shape(dims.clone());
  }

  /** A shape from int dims. */
  public static Shape of(int... dims) {
    long[] l = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      l[i] = dims[i];
    }
    return of(l);
  }

  /** The 0-d shape {@code []}. */
  public static Shape scalar() {
    return SCALAR;
  }

  /** Number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Size of dim {@code i}; negative {@code i} counts from the end. */
  public long get(int i) {
    return dims[normalizeDim(i, dims.length)];
  }

  /** Size of dim {@code i} as an int (fails loudly if it does not fit). */
  public int getInt(int i) {
    return Math.toIntExact(get(i));
  }

  /** A copy of the dims. */
  public long[] dims() {
    return dims.clone();
  }

  /** The dims as ints (fails loudly if one does not fit). */
  public int[] intDims() {
    int[] r = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      r[i] = Math.toIntExact(dims[i]);
    }
    return r;
  }

  /** Product of the dims (1 for a scalar). */
  public long numel() {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Row-major contiguous strides for this shape. */
  public long[] contiguousStrides() {
    long[] s = new long[dims.length];
    long acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= Math.max(1, dims[i]);
    }
    return s;
  }

  /**
   * Wraps a possibly negative dim into {@code [0, rank)}; PyTorch's message otherwise. A scalar
   * accepts dims -1 and 0.
   */
  public static int normalizeDim(int dim, int rank) {
    int r = Math.max(rank, 1);
    if (dim < -r || dim >= r) {
      throw new IndexOutOfBoundsException(
          "Dimension out of range (expected to be in range of ["
              + (-r)
              + ", "
              + (r - 1)
              + "], but got "
              + dim
              + ")");
    }
    return dim < 0 ? dim + r : dim;
  }

  /** NumPy/PyTorch broadcasting of two shapes; throws naming both shapes if incompatible. */
  public static Shape broadcast(Shape a, Shape b) {
    return broadcast(a, b, null);
  }

  /**
   * Broadcasting for the op named {@code op} (may be null); the error message is PyTorch's,
   * followed by the op and both shapes, e.g. {@code "The size of tensor a (2) must match the size
   * of tensor b (4) at non-singleton dimension 0 (add: shapes [2, 3] and [4, 3])"}.
   */
  public static Shape broadcast(Shape a, Shape b, String op) {
    int n = Math.max(a.rank(), b.rank());
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      int ia = a.rank() - n + i;
      int ib = b.rank() - n + i;
      long da = ia >= 0 ? a.dims[ia] : 1;
      long db = ib >= 0 ? b.dims[ib] : 1;
      if (da != db && da != 1 && db != 1) {
        throw new ShapeMismatchException(
            "The size of tensor a ("
                + da
                + ") must match the size of tensor b ("
                + db
                + ") at non-singleton dimension "
                + i
                + (op == null ? " (shapes " : " (" + op + ": shapes ")
                + a
                + " and "
                + b
                + ")");
      }
      out[i] = da == 1 ? db : da;
    }
    return new Shape(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(s.dims, dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** PyTorch's form: {@code [2, 3]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(dims[i]);
    }
    return sb.append(']').toString();
  }
}
