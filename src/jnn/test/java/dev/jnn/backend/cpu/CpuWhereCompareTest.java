package dev.jnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast paths of {@link CpuBackend#where} and of the comparisons and logical and/or in {@link
 * CpuBackend#binary} (contiguous runs, one-value operands, float32 vector kernels, typed float64 /
 * int64 / bool loops) against the per-element definitions, on NaN, signed zeros and infinities, at
 * lengths around the vector width and the parallel split, with strided, transposed and broadcast
 * operands; the float32 kernels in their vector (when enabled) and scalar forms.
 */
class CpuWhereCompareTest {
  private static final CpuBackend CPU = new CpuBackend();
  private static final float[] SPECIAL = {
    0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f
  };
  private static final BinaryOp[] RELATIONAL = {
    BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE
  };

  private static float[] floats(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextInt(2) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextInt(5) - 2;
    }
    return a;
  }

  private static boolean[] bools(Random r, int n) {
    boolean[] a = new boolean[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextBoolean();
    }
    return a;
  }

  private static boolean relation(BinaryOp op, double a, double b) {
    return switch (op) {
      case EQ -> a == b;
      case NE -> a != b;
      case LT -> a < b;
      case LE -> a <= b;
      case GT -> a > b;
      case GE -> a >= b;
      default -> throw new AssertionError(op);
    };
  }

  private static boolean relation(BinaryOp op, long a, long b) {
    return switch (op) {
      case EQ -> a == b;
      case NE -> a != b;
      case LT -> a < b;
      case LE -> a <= b;
      case GT -> a > b;
      case GE -> a >= b;
      default -> throw new AssertionError(op);
    };
  }

  /** The flat index of element {@code i} (row-major over {@code shape}) in a strided view. */
  private static int at(View v, int i) {
    int[] shape = v.shape();
    int off = v.offset();
    for (int d = shape.length - 1; d >= 0; d--) {
      off += (i % shape[d]) * v.strides()[d];
      i /= shape[d];
    }
    return off;
  }

  /** Operand layouts over the shape {rows, cols}: contiguous, transposed, one value, a row. */
  private static View[] layouts(HostBuffer buf, int rows, int cols) {
    return new View[] {
      new View(buf, new int[] {rows, cols}, new int[] {cols, 1}, 1),
      new View(buf, new int[] {rows, cols}, new int[] {1, rows}, 2),
      new View(buf, new int[] {rows, cols}, new int[] {0, 0}, 3),
      new View(buf, new int[] {rows, cols}, new int[] {0, 1}, 0),
      new View(buf, new int[] {rows, cols}, new int[] {2 * cols, 2}, 0),
    };
  }

  private static final int[][] SHAPES = {{1, 1}, {1, 7}, {1, 17}, {1, 33}, {3, 5}, {4, 16},
      {1, 33_001}, {5, 31}};

  @Test
  void comparisonsOfEveryDtypeAndLayout() {
    Random r = new Random(1);
    for (int[] sh : SHAPES) {
      int rows = sh[0];
      int cols = sh[1];
      int n = rows * cols;
      int cap = 2 * n + 8;
      float[] fa = floats(r, cap);
      float[] fb = floats(r, cap);
      double[] da = new double[cap];
      double[] db = new double[cap];
      long[] la = new long[cap];
      long[] lb = new long[cap];
      for (int i = 0; i < cap; i++) {
        da[i] = fa[i];
        db[i] = fb[i];
        // beyond 2^53 too, where doubles would round two values to one
        la[i] = (1L << 60) + r.nextInt(3);
        lb[i] = (1L << 60) + r.nextInt(3);
      }
      HostBuffer[][] pairs = {
        {HostBuffer.wrap(fa), HostBuffer.wrap(fb)},
        {HostBuffer.wrap(da), HostBuffer.wrap(db)},
        {HostBuffer.wrap(la), HostBuffer.wrap(lb)}
      };
      for (HostBuffer[] p : pairs) {
        View[] as = layouts(p[0], rows, cols);
        View[] bs = layouts(p[1], rows, cols);
        for (BinaryOp op : RELATIONAL) {
          for (int i = 0; i < as.length; i++) {
            for (int j = 0; j < bs.length; j++) {
              View a = as[i];
              View b = bs[j];
              boolean[] o = new boolean[n + 2];
              View ov = new View(HostBuffer.wrap(o), new int[] {rows, cols}, new int[] {cols, 1},
                  2);
              CPU.binary(op, a, b, ov);
              for (int k = 0; k < n; k++) {
                boolean e = p[0].dtype() == DType.INT64
                    ? relation(op, p[0].longs()[at(a, k)], p[1].longs()[at(b, k)])
                    : relation(op, p[0].getDouble(at(a, k)), p[1].getDouble(at(b, k)));
                assertEquals(e, o[2 + k], p[0].dtype() + " " + op + " " + rows + "x" + cols
                    + " layouts " + i + "," + j + " at " + k);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void logicalAndOr() {
    Random r = new Random(2);
    for (int[] sh : SHAPES) {
      int rows = sh[0];
      int cols = sh[1];
      int n = rows * cols;
      HostBuffer a = HostBuffer.wrap(bools(r, 2 * n + 8));
      HostBuffer b = HostBuffer.wrap(bools(r, 2 * n + 8));
      View[] as = layouts(a, rows, cols);
      View[] bs = layouts(b, rows, cols);
      for (BinaryOp op : new BinaryOp[] {BinaryOp.AND, BinaryOp.OR}) {
        for (View av : as) {
          for (View bv : bs) {
            boolean[] o = new boolean[n];
            CPU.binary(op, av, bv, View.contiguous(HostBuffer.wrap(o), new int[] {rows, cols}));
            for (int k = 0; k < n; k++) {
              boolean x = a.bools()[at(av, k)];
              boolean y = b.bools()[at(bv, k)];
              assertEquals(op == BinaryOp.AND ? x && y : x || y, o[k], op + " at " + k);
            }
          }
        }
      }
    }
  }

  @Test
  void whereOfEveryDtypeAndLayout() {
    Random r = new Random(3);
    for (int[] sh : SHAPES) {
      int rows = sh[0];
      int cols = sh[1];
      int n = rows * cols;
      int cap = 2 * n + 8;
      HostBuffer c = HostBuffer.wrap(bools(r, cap));
      float[] fa = floats(r, cap);
      float[] fb = floats(r, cap);
      double[] da = new double[cap];
      double[] db = new double[cap];
      long[] la = new long[cap];
      long[] lb = new long[cap];
      for (int i = 0; i < cap; i++) {
        da[i] = fa[i] * 1.5;
        db[i] = fb[i] * 2.5;
        la[i] = (1L << 60) + i;
        lb[i] = -i;
      }
      HostBuffer[][] pairs = {
        {HostBuffer.wrap(fa), HostBuffer.wrap(fb)},
        {HostBuffer.wrap(da), HostBuffer.wrap(db)},
        {HostBuffer.wrap(la), HostBuffer.wrap(lb)},
        {HostBuffer.wrap(bools(r, cap)), HostBuffer.wrap(bools(r, cap))}
      };
      View[] cs = layouts(c, rows, cols);
      for (HostBuffer[] p : pairs) {
        View[] as = layouts(p[0], rows, cols);
        View[] bs = layouts(p[1], rows, cols);
        for (View cv : new View[] {cs[0], cs[1], cs[3]}) {
          for (int i = 0; i < as.length; i++) {
            for (int j = 0; j < bs.length; j++) {
              HostBuffer out = HostBuffer.allocate(p[0].dtype(), n);
              CPU.where(cv, as[i], bs[j], View.contiguous(out, new int[] {rows, cols}));
              for (int k = 0; k < n; k++) {
                boolean pick = c.bools()[at(cv, k)];
                HostBuffer src = pick ? p[0] : p[1];
                int idx = at(pick ? as[i] : bs[j], k);
                String what = p[0].dtype() + " " + rows + "x" + cols + " layouts " + i + "," + j
                    + " at " + k;
                if (p[0].dtype() == DType.INT64) {
                  assertEquals(src.longs()[idx], out.longs()[k], what);
                } else {
                  assertEquals(Double.doubleToRawLongBits(src.getDouble(idx)),
                      Double.doubleToRawLongBits(out.getDouble(k)), what);
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void floatKernelsVectorAndScalarAgree() {
    Random r = new Random(4);
    for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 100}) {
      float[] x = floats(r, n + 3);
      float[] y = floats(r, n + 4);
      boolean[] c = bools(r, n + 2);
      for (int xs = 0; xs <= 1; xs++) {
        for (int ys = 0; ys <= 1; ys++) {
          for (BinaryOp op : RELATIONAL) {
            boolean[] v = new boolean[n + 1];
            assertTrue(CompareRows.row(op, x, 3, xs, y, 4, ys, v, 1, 1, n));
            for (int i = 0; i < n; i++) {
              boolean e = relation(op, x[3 + i * xs], y[4 + i * ys]);
              assertEquals(e, v[1 + i], op + " n=" + n + " i=" + i);
            }
          }
          float[] v = new float[n + 1];
          float[] s = new float[n + 1];
          FloatKernels.where(c, 2, x, 3, xs, y, 4, ys, v, 1, n);
          FloatKernels.whereScalar(c, 2, x, 3, xs, y, 4, ys, s, 1, 0, n);
          for (int i = 0; i < n; i++) {
            float e = c[2 + i] ? x[3 + i * xs] : y[4 + i * ys];
            assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(v[1 + i]), "i=" + i);
            assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(s[1 + i]), "i=" + i);
          }
        }
      }
    }
  }
}
