package dev.jnn.backend.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@code Iter} / {@code IdxGeo} / {@code PoolGeo} structs of {@code
 * native-kernels/common.cuh} as int arrays. Element-wise iterations are coalesced first (size-1
 * dims dropped, dims merged where every operand is contiguous across them, as {@code
 * dev.jnn.backend.cpu.Strided} does); an iteration still deeper than {@link #MAXD} dims is split
 * into several launches over its leading dims.
 */
final class Iters {
  static final int MAXD = 6;
  static final int ITER_WORDS = 2 + MAXD + 4 * MAXD + 4;
  static final int MAXR = 8;
  static final int IDX_WORDS = 4 + 4 * MAXR + 3;

  private Iters() {}

  /**
   * The Iter structs covering {@code shape} for operands with the given strides and offsets
   * (1 to 4 operands); empty when the shape has no elements.
   */
  static List<int[]> iter(int[] shape, int[][] strides, int[] offsets) {
    int ops = strides.length;
    long numel = 1;
    for (int s : shape) {
      numel *= s;
    }
    List<int[]> out = new ArrayList<>();
    if (numel == 0) {
      return out;
    }
    if (numel > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("CUDA element-wise ops support up to 2^31-1 elements, got " + numel);
    }
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
          if ((long) st[k][n - 1] != (long) strides[k][d] * shape[d]) {
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
      s[0] = 1;
      for (int k = 0; k < ops; k++) {
        st[k][0] = 0;
      }
      n = 1;
    }
    int[] offs = offsets.clone();
    split(s, st, n, 0, offs, out);
    return out;
  }

  private static void split(int[] s, int[][] st, int n, int first, int[] offs, List<int[]> out) {
    int rank = n - first;
    if (rank <= MAXD) {
      int[] w = new int[ITER_WORDS];
      w[0] = rank;
      long count = 1;
      for (int d = 0; d < rank; d++) {
        w[2 + d] = s[first + d];
        count *= s[first + d];
        for (int k = 0; k < st.length; k++) {
          w[2 + MAXD + k * MAXD + d] = st[k][first + d];
        }
      }
      w[1] = (int) count;
      for (int k = 0; k < st.length; k++) {
        w[2 + MAXD + 4 * MAXD + k] = offs[k];
      }
      out.add(w);
      return;
    }
    for (int i = 0; i < s[first]; i++) {
      int[] o = offs.clone();
      for (int k = 0; k < st.length; k++) {
        o[k] += i * st[k][first];
      }
      split(s, st, n, first + 1, o, out);
    }
  }

  /** Row-major strides of a contiguous shape. */
  static int[] contiguousStrides(int[] shape) {
    int[] st = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      st[i] = acc;
      acc *= Math.max(1, shape[i]);
    }
    return st;
  }

  /**
   * An IdxGeo struct: iterate over {@code shape}; {@code xs}/{@code is}/{@code ts} are the
   * strides of the data, index and written operands.
   */
  static int[] idxGeo(
      int[] shape, int dim, int dimSize, int[] xs, int xoff, int[] is, int ioff, int[] ts, int toff) {
    if (shape.length > MAXR) {
      throw new UnsupportedOperationException(
          "CUDA index ops support up to " + MAXR + " dims, got " + shape.length);
    }
    int[] w = new int[IDX_WORDS];
    long n = 1;
    for (int v : shape) {
      n *= v;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("CUDA index ops support up to 2^31-1 elements, got " + n);
    }
    w[0] = shape.length;
    w[1] = dim;
    w[2] = dimSize;
    w[3] = (int) n;
    for (int d = 0; d < shape.length; d++) {
      w[4 + d] = shape[d];
      w[4 + MAXR + d] = xs[d];
      w[4 + 2 * MAXR + d] = is[d];
      w[4 + 3 * MAXR + d] = ts[d];
    }
    w[4 + 4 * MAXR] = xoff;
    w[5 + 4 * MAXR] = ioff;
    w[6 + 4 * MAXR] = toff;
    return w;
  }

  /** A PoolGeo struct. */
  static int[] poolGeo(dev.jnn.backend.Pool2dGeometry g) {
    return new int[] {
      g.planes(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(),
      g.dilationH(), g.dilationW(), g.oh(), g.ow()
    };
  }
}
