package dev.jnn.backend.cpu;

import java.util.Objects;

/**
 * General matrix multiply on the CPU: {@code C = alpha * op(A) * op(B) + beta * C}, all matrices
 * row-major, BLAS-style.
 *
 * <p>{@code op(A)} is {@code m x k}: either A itself ({@code transA == false}, A is {@code m x k}
 * with row stride {@code lda}) or the transpose of A ({@code transA == true}, A is {@code k x m}
 * with row stride {@code lda}). Likewise {@code op(B)} is {@code k x n}: B is {@code k x n}, or
 * {@code n x k} when {@code transB}. C is {@code m x n} with row stride {@code ldc}. Transposed
 * operands are read in place by the packing routines; they cost no extra copy.
 *
 * <p>{@code beta == 0} means C is not read (NaNs or infinities in C are ignored), and {@code alpha
 * == 0} or {@code k == 0} means A and B are not read, so {@code C = beta * C}.
 *
 * <p>Single precision runs on the incubating Vector API when the JVM was started with {@code
 * --add-modules jdk.incubator.vector} (see {@link CpuFeatures}); otherwise, or with {@code
 * -Djnn.cpu.vector=false}, a packed scalar kernel that HotSpot auto-vectorises runs instead. Both
 * are cache-blocked and split over {@link Parallel}'s threads. Calls are thread-safe: scratch
 * buffers are per thread and grow only.
 */
public final class Gemm {
  private static final boolean VECTOR = CpuFeatures.vectorEnabled();

  private Gemm() {}

  /**
   * Single-precision GEMM: {@code C = alpha * op(A) * op(B) + beta * C}, row-major. See the class
   * documentation for the meaning of the arguments.
   *
   * @param transA whether A is stored transposed ({@code k x m})
   * @param transB whether B is stored transposed ({@code n x k})
   * @param m rows of op(A) and C
   * @param n columns of op(B) and C
   * @param k columns of op(A), rows of op(B)
   * @param alpha scale of the product
   * @param a A's elements
   * @param aOff index of A's first element in {@code a}
   * @param lda row stride of A as stored (at least its stored width)
   * @param b B's elements
   * @param bOff index of B's first element in {@code b}
   * @param ldb row stride of B as stored
   * @param beta scale of C's previous contents; 0 means C is not read
   * @param c C's elements, overwritten
   * @param cOff index of C's first element in {@code c}
   * @param ldc row stride of C (at least {@code n})
   * @throws IllegalArgumentException if a size is negative or a stride too small
   * @throws IndexOutOfBoundsException if a matrix does not fit its array
   */
  public static void sgemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    if (VECTOR) {
      sgemmVector(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else {
      sgemmScalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /**
   * Double-precision GEMM: {@code C = alpha * op(A) * op(B) + beta * C}, row-major; arguments as
   * for {@link #sgemm}. Runs the packed, blocked, multi-threaded scalar kernel.
   */
  public static void dgemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      double[] a,
      int aOff,
      int lda,
      double[] b,
      int bOff,
      int ldb,
      double beta,
      double[] c,
      int cOff,
      int ldc) {
    boolean abUsed = m > 0 && n > 0 && k > 0 && alpha != 0.0;
    int aLen = arrayLength(a, abUsed, "a");
    int bLen = arrayLength(b, abUsed, "b");
    int cLen = arrayLength(c, m > 0 && n > 0, "c");
    check(transA, transB, m, n, k, aLen, aOff, lda, bLen, bOff, ldb, cLen, cOff, ldc, abUsed);
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0.0) {
      scale(m, n, beta, c, cOff, ldc);
      return;
    }
    ScalarGemm.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /**
   * Names the single-precision kernel {@link #sgemm} uses, e.g. {@code vector(FloatVector 512-bit,
   * 16 lanes) packed 8x32} or {@code scalar packed 2x256 (auto-vectorised, fma)}.
   */
  public static String kernelName() {
    return VECTOR ? VectorGemm.describe() : ScalarGemm.describe();
  }

  /** Whether {@link #sgemm} uses the Vector API kernel (see {@link CpuFeatures#vectorEnabled()}). */
  public static boolean vectorEnabled() {
    return VECTOR;
  }

  /** Name of the scalar single-precision kernel (for tests and benchmarks). */
  static String scalarKernelName() {
    return ScalarGemm.describe();
  }

  /**
   * {@link #sgemm} forced onto the scalar kernel, whatever the Vector API's availability. For tests
   * and benchmarks.
   */
  static void sgemmScalar(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    if (prepare(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) {
      ScalarGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /**
   * {@link #sgemm} forced onto the Vector API kernel, ignoring {@code jnn.cpu.vector}. For tests
   * and benchmarks.
   *
   * @throws UnsupportedOperationException if the Vector API is not usable in this JVM ({@link
   *     CpuFeatures#vectorApiUsable()})
   */
  static void sgemmVector(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    if (!CpuFeatures.vectorApiUsable()) {
      throw new UnsupportedOperationException(
          "Vector API not usable: " + CpuFeatures.describe()
              + " (start the JVM with --add-modules jdk.incubator.vector)");
    }
    if (prepare(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) {
      VectorGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /** Validates, handles the trivial cases; returns whether a kernel still has to run. */
  private static boolean prepare(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    boolean abUsed = m > 0 && n > 0 && k > 0 && alpha != 0f;
    int aLen = arrayLength(a, abUsed, "a");
    int bLen = arrayLength(b, abUsed, "b");
    int cLen = arrayLength(c, m > 0 && n > 0, "c");
    check(transA, transB, m, n, k, aLen, aOff, lda, bLen, bOff, ldb, cLen, cOff, ldc, abUsed);
    if (m == 0 || n == 0) {
      return false;
    }
    if (k == 0 || alpha == 0f) {
      scale(m, n, beta, c, cOff, ldc);
      return false;
    }
    return true;
  }

  private static int arrayLength(Object array, boolean used, String name) {
    if (!used) {
      return array == null ? 0 : java.lang.reflect.Array.getLength(array);
    }
    Objects.requireNonNull(array, name);
    return java.lang.reflect.Array.getLength(array);
  }

  private static void check(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      int aLen,
      int aOff,
      int lda,
      int bLen,
      int bOff,
      int ldb,
      int cLen,
      int cOff,
      int ldc,
      boolean abUsed) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("negative size: m=" + m + ", n=" + n + ", k=" + k);
    }
    if (abUsed) {
      checkMatrix("A", transA ? k : m, transA ? m : k, aLen, aOff, lda);
      checkMatrix("B", transB ? n : k, transB ? k : n, bLen, bOff, ldb);
    }
    checkMatrix("C", m, n, cLen, cOff, ldc);
  }

  private static void checkMatrix(String name, int rows, int cols, int len, int off, int ld) {
    if (rows == 0 || cols == 0) {
      return;
    }
    if (ld < cols) {
      throw new IllegalArgumentException(
          "ld" + name.toLowerCase() + "=" + ld + " is less than the stored width " + cols
              + " of " + name);
    }
    long last = (long) off + (long) (rows - 1) * ld + cols;
    if (off < 0 || last > len) {
      throw new IndexOutOfBoundsException(
          name + " (" + rows + " x " + cols + ", offset " + off + ", ld " + ld
              + ") does not fit an array of length " + len);
    }
  }

  private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
    if (beta == 1f) {
      return;
    }
    for (int i = 0; i < m; i++) {
      int o = cOff + i * ldc;
      if (beta == 0f) {
        java.util.Arrays.fill(c, o, o + n, 0f);
      } else {
        for (int j = 0; j < n; j++) {
          c[o + j] *= beta;
        }
      }
    }
  }

  private static void scale(int m, int n, double beta, double[] c, int cOff, int ldc) {
    if (beta == 1.0) {
      return;
    }
    for (int i = 0; i < m; i++) {
      int o = cOff + i * ldc;
      if (beta == 0.0) {
        java.util.Arrays.fill(c, o, o + n, 0.0);
      } else {
        for (int j = 0; j < n; j++) {
          c[o + j] *= beta;
        }
      }
    }
  }
}
