package dev.jnn.backend.cpu;

/**
 * Iteration over up to three same-shaped strided operands, row by row: dims are coalesced where
 * every operand is contiguous across them, the last dim becomes the inner loop and the outer
 * positions ("rows") are split across threads.
 */
final class Strided {
  final int[] shape; // coalesced, rank >= 1
  final int[][] strides; // per operand, coalesced
  final int inner;
  final int rows;

  private Strided(int[] shape, int[][] strides) {
    this.shape = shape;
    this.strides = strides;
    this.inner = shape[shape.length - 1];
    int r = 1;
    for (int i = 0; i < shape.length - 1; i++) {
      r *= shape[i];
    }
    this.rows = r;
  }

  static Strided of(int[] shape, int[]... strides) {
    int ops = strides.length;
    // drop size-1 dims, then merge adjacent dims contiguous for every operand
    int[] s = new int[Math.max(1, shape.length)];
    int[][] st = new int[ops][Math.max(1, shape.length)];
    int n = 0;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] == 1) {
        continue;
      }
      if (n > 0) {
        boolean merge = true;
        for (int k = 0; k < ops; k++) {
          if (st[k][n - 1] != strides[k][d] * shape[d]) {
            merge = false;
            break;
          }
        }
        if (merge) {
          s[n - 1] *= shape[d];
          for (int k = 0; k < ops; k++) {
            st[k][n - 1] = strides[k][d];
          }
          continue;
        }
      }
      s[n] = shape[d];
      for (int k = 0; k < ops; k++) {
        st[k][n] = strides[k][d];
      }
      n++;
    }
    if (n == 0) {
      // all dims size 1 (or scalar); one element, unless some dim was 0
      int numel = 1;
      for (int d : shape) {
        numel *= d;
      }
      s[0] = numel;
      for (int k = 0; k < ops; k++) {
        st[k][0] = 1;
      }
      n = 1;
    }
    int[] fs = java.util.Arrays.copyOf(s, n);
    int[][] fst = new int[ops][];
    for (int k = 0; k < ops; k++) {
      fst[k] = java.util.Arrays.copyOf(st[k], n);
    }
    return new Strided(fs, fst);
  }

  int innerStride(int operand) {
    return strides[operand][shape.length - 1];
  }

  /** Offset of operand {@code k} at the start of row {@code row}, relative to its base offset. */
  int rowOffset(int k, int row) {
    int off = 0;
    int[] st = strides[k];
    for (int d = shape.length - 2; d >= 0; d--) {
      int sz = shape[d];
      int idx = row % sz;
      row /= sz;
      off += idx * st[d];
    }
    return off;
  }

  /** Row-range body. */
  interface Rows {
    void run(int rowStart, int rowEnd);
  }

  void parallelRows(Rows body) {
    if (rows == 0 || inner == 0) {
      return;
    }
    int grain = Math.max(1, 65536 / Math.max(1, inner));
    Parallel.parallelFor(rows, grain, body::run);
  }
}
