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
   * Batched single-precision GEMM: {@code C_i = alpha * op(A_i) * op(B_i) + beta * C_i} for {@code
   * i < batch}, where matrix {@code i} of A starts at {@code aOff + i * aStride} (likewise B and
   * C); other arguments as for {@link #sgemm}. A stride may be 0: one A or B shared by all
   * products, or one C that they all update in turn (with {@code beta == 1}, say); products whose C
   * matrices overlap run one after the other, in order.
   *
   * <p>When the products are many or small, whole products are handed to the threads (each runs
   * on one thread, without any synchronisation inside it); otherwise each product is split over
   * the threads in turn.
   *
   * @throws IllegalArgumentException if {@code batch} or a size is negative or a stride too small
   * @throws IndexOutOfBoundsException if a matrix does not fit its array
   */
  public static void sgemmBatched(
      boolean transA,
      boolean transB,
      int batch,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      int aStride,
      int lda,
      float[] b,
      int bOff,
      int bStride,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int cStride,
      int ldc) {
    if (batch < 0) {
      throw new IllegalArgumentException("negative batch: " + batch);
    }
    if (batch == 0) {
      return;
    }
    boolean abUsed = m > 0 && n > 0 && k > 0 && alpha != 0f;
    checkBatch(transA, transB, batch, m, n, k, abUsed, arrayLength(a, abUsed, "a"), aOff, aStride,
        lda, arrayLength(b, abUsed, "b"), bOff, bStride, ldb, arrayLength(c, m > 0 && n > 0, "c"),
        cOff, cStride, ldc);
    if (!splitBatch(batch, m, n, k, cStride, ldc)) {
      for (int i = 0; i < batch; i++) {
        sgemm(transA, transB, m, n, k, alpha, a, aOff + i * aStride, lda, b, bOff + i * bStride,
            ldb, beta, c, cOff + i * cStride, ldc);
      }
      return;
    }
    // Each product on one thread: the kernels see that they run inside the pool and stay there.
    Parallel.forRanges(batch, batch, (i, s, e) -> sgemm(transA, transB, m, n, k, alpha, a,
        aOff + i * aStride, lda, b, bOff + i * bStride, ldb, beta, c, cOff + i * cStride, ldc));
  }

  /**
   * Batched double-precision GEMM; arguments and threading as for {@link #sgemmBatched}.
   *
   * @throws IllegalArgumentException if {@code batch} or a size is negative or a stride too small
   * @throws IndexOutOfBoundsException if a matrix does not fit its array
   */
  public static void dgemmBatched(
      boolean transA,
      boolean transB,
      int batch,
      int m,
      int n,
      int k,
      double alpha,
      double[] a,
      int aOff,
      int aStride,
      int lda,
      double[] b,
      int bOff,
      int bStride,
      int ldb,
      double beta,
      double[] c,
      int cOff,
      int cStride,
      int ldc) {
    if (batch < 0) {
      throw new IllegalArgumentException("negative batch: " + batch);
    }
    if (batch == 0) {
      return;
    }
    boolean abUsed = m > 0 && n > 0 && k > 0 && alpha != 0.0;
    checkBatch(transA, transB, batch, m, n, k, abUsed, arrayLength(a, abUsed, "a"), aOff, aStride,
        lda, arrayLength(b, abUsed, "b"), bOff, bStride, ldb, arrayLength(c, m > 0 && n > 0, "c"),
        cOff, cStride, ldc);
    if (!splitBatch(batch, m, n, k, cStride, ldc)) {
      for (int i = 0; i < batch; i++) {
        dgemm(transA, transB, m, n, k, alpha, a, aOff + i * aStride, lda, b, bOff + i * bStride,
            ldb, beta, c, cOff + i * cStride, ldc);
      }
      return;
    }
    Parallel.forRanges(batch, batch, (i, s, e) -> dgemm(transA, transB, m, n, k, alpha, a,
        aOff + i * aStride, lda, b, bOff + i * bStride, ldb, beta, c, cOff + i * cStride, ldc));
  }

  /** Below this many multiply-adds in all, a batch runs on the calling thread. */
  private static final long BATCH_PARALLEL_MIN_MACS = 1L << 18;

  /**
   * Whether a batch is split by whole products: there are several threads, the C matrices do not
   * overlap, and the products are many (at least two per thread) or each too small to split well
   * (under 2^21 multiply-adds, the kernels' own threshold), while the whole batch is worth it.
   */
  private static boolean splitBatch(int batch, int m, int n, int k, int cStride, int ldc) {
    int threads = Parallel.threads();
    if (batch < 2 || threads < 2 || m == 0 || n == 0) {
      return false;
    }
    long cSpan = (long) (m - 1) * ldc + n;
    if (Math.abs((long) cStride) < cSpan) {
      return false;
    }
    long macs = (long) m * n * Math.max(k, 1);
    return macs * batch >= BATCH_PARALLEL_MIN_MACS && (batch >= 2 * threads || macs < 1L << 21);
  }

  /** Validates the first and the last product of a batch (the others lie between them). */
  private static void checkBatch(
      boolean transA,
      boolean transB,
      int batch,
      int m,
      int n,
      int k,
      boolean abUsed,
      int aLen,
      int aOff,
      int aStride,
      int lda,
      int bLen,
      int bOff,
      int bStride,
      int ldb,
      int cLen,
      int cOff,
      int cStride,
      int ldc) {
    check(transA, transB, m, n, k, aLen, aOff, lda, bLen, bOff, ldb, cLen, cOff, ldc, abUsed);
    long last = batch - 1L;
    check(transA, transB, m, n, k, aLen, lastOffset(aOff, aStride, last, "A"), lda, bLen,
        lastOffset(bOff, bStride, last, "B"), ldb, cLen, lastOffset(cOff, cStride, last, "C"), ldc,
        abUsed);
  }

  private static int lastOffset(int off, int stride, long last, String name) {
    long o = off + stride * last;
    if (o < Integer.MIN_VALUE || o > Integer.MAX_VALUE) {
      throw new IndexOutOfBoundsException(
          name + "'s last matrix (offset " + off + " + " + last + " x " + stride
              + ") lies beyond any array");
    }
    return (int) o;
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
