package dev.jnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jnn.testing.ChildJvm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks {@link Gemm}'s kernels (Vector API, scalar, and the public entry) against a triple-loop
 * reference computed in double precision.
 */
class GemmTest {

  /** Which implementation a check runs. */
  private enum Path {
    PUBLIC,
    SCALAR,
    VECTOR
  }

  /** (m, n, k) triples: tiny, odd and prime sizes, micro-tile edges, k = 0. */
  private static final int[][] SMALL = {
    {1, 1, 1}, {1, 1, 0}, {2, 3, 0}, {1, 2, 3}, {2, 1, 3}, {3, 3, 3}, {2, 7, 1}, {7, 2, 17},
    {7, 17, 33}, {17, 7, 2}, {6, 32, 5}, {12, 64, 3}, {5, 31, 7}, {13, 33, 65}, {33, 65, 17},
    {65, 33, 7}, {17, 129, 33}, {129, 17, 65}, {33, 33, 257}, {1, 257, 129}, {257, 1, 33},
    {3, 257, 17}, {65, 129, 129},
  };

  /** Sizes that cross the cache-block limits (KC, MC, NC) and the parallel split heuristics. */
  private static final int[][] LARGE = {
    {257, 129, 257}, // multi-threaded, splits over M
    {6, 700, 300}, // one row panel: splits over N, two k blocks
    {400, 70, 600}, // several MC blocks, three k blocks
    {130, 4200, 20}, // several NC blocks
    {33, 45, 1100}, // three k blocks
    {2, 3000, 300}, // one row group, many column chunks: the scalar GEMM splits over N
    // the vector GEMM's streamed paths (one short side), multi-threaded: matrix-vector products,
    // few rows and few columns with the large operand read in place (B or A^T as rows along the
    // long side, A or B^T as rows along k), short sides of at most 3 and more than 3 row panels
    {1, 3000, 800},
    {3000, 1, 800},
    {20, 700, 300},
    {700, 20, 300},
    {12, 500, 400},
    {500, 12, 400},
    {128, 150, 513}, // the longest short side streamed: transposed results need k >= 4 x 128
  };

  /** (alpha, beta) variants; a NaN-filled C goes with beta == 0. */
  private static final float[][] ALPHA_BETA = {
    {1f, 0f}, {1f, 1f}, {-0.5f, 2f}, {2f, 0f}, {0.75f, -1f}, {0f, 0.5f}, {0f, 0f},
  };

  private static List<Path> paths() {
    List<Path> p = new ArrayList<>(List.of(Path.PUBLIC, Path.SCALAR));
    if (CpuFeatures.vectorApiUsable()) {
      p.add(Path.VECTOR);
    }
    return p;
  }

  // -------------------------------------------------------------------------------------------
  // float

  @Test
  void sgemmSmallSizesAllTransposesAllPaths() {
    Random rnd = new Random(42);
    int variant = 0;
    for (int[] s : SMALL) {
      for (int t = 0; t < 4; t++) {
        float[] ab = ALPHA_BETA[variant++ % ALPHA_BETA.length];
        checkSgemm(rnd, t >= 2, (t & 1) != 0, s[0], s[1], s[2], ab[0], ab[1], rnd.nextBoolean());
      }
    }
  }

  @Test
  void sgemmAllAlphaBetaVariants() {
    Random rnd = new Random(7);
    for (float[] ab : ALPHA_BETA) {
      for (int t = 0; t < 4; t++) {
        checkSgemm(rnd, t >= 2, (t & 1) != 0, 19, 37, 23, ab[0], ab[1], true);
        checkSgemm(rnd, t >= 2, (t & 1) != 0, 7, 33, 0, ab[0], ab[1], false);
      }
    }
  }

  @Test
  void sgemmLargeSizesCrossBlockBoundaries() {
    Random rnd = new Random(3);
    int variant = 0;
    for (int[] s : LARGE) {
      for (int t = 0; t < 4; t++) {
        float[] ab = ALPHA_BETA[variant++ % 5];
        checkSgemm(rnd, t >= 2, (t & 1) != 0, s[0], s[1], s[2], ab[0], ab[1], t == 1);
      }
    }
  }

  @Test
  void sgemmConcurrentCallersGetCorrectResults() throws Exception {
    Thread[] threads = new Thread[3];
    Throwable[] errors = new Throwable[threads.length];
    for (int i = 0; i < threads.length; i++) {
      int id = i;
      threads[i] =
          new Thread(
              () -> {
                try {
                  Random rnd = new Random(100 + id);
                  for (int r = 0; r < 3; r++) {
                    checkSgemm(rnd, id == 1, id == 2, 90 + id, 150, 70, 1f, 0f, false);
                  }
                } catch (Throwable e) {
                  errors[id] = e;
                }
              });
      threads[i].start();
    }
    for (int i = 0; i < threads.length; i++) {
      threads[i].join();
      if (errors[i] != null) {
        throw new AssertionError("caller " + i + " failed", errors[i]);
      }
    }
  }

  /**
   * Runs one sgemm case on every path with random offsets and padded leading dimensions, checking
   * the result and that nothing outside C's m x n window changed.
   */
  private static void checkSgemm(
      Random rnd,
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float beta,
      boolean padded) {
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    int lda = aCols + (padded ? 1 + rnd.nextInt(5) : 0);
    int ldb = bCols + (padded ? 1 + rnd.nextInt(5) : 0);
    int ldc = n + (padded ? 1 + rnd.nextInt(5) : 0);
    int aOff = padded ? rnd.nextInt(7) : 0;
    int bOff = padded ? rnd.nextInt(7) : 0;
    int cOff = padded ? rnd.nextInt(7) : 0;
    float[] a = new float[aOff + aRows * lda + 3];
    float[] b = new float[bOff + bRows * ldb + 3];
    float[] c0 = new float[cOff + m * ldc + 3];
    // Padding holds NaN: a kernel that reads it produces NaN results.
    Arrays.fill(a, Float.NaN);
    Arrays.fill(b, Float.NaN);
    Arrays.fill(c0, -7.25f);
    fill(rnd, a, aOff, aRows, aCols, lda);
    fill(rnd, b, bOff, bRows, bCols, ldb);
    if (beta == 0f) {
      for (int i = 0; i < m; i++) {
        Arrays.fill(c0, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
      }
    } else {
      fill(rnd, c0, cOff, m, n, ldc);
    }

    double[] want = new double[m * n];
    double[] mag = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double sa = 0;
        for (int p = 0; p < k; p++) {
          double x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          double y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          s += x * y;
          sa += Math.abs(x * y);
        }
        double old = beta == 0f ? 0 : c0[cOff + i * ldc + j];
        want[i * n + j] = (alpha == 0f ? 0 : alpha * s) + (beta == 0f ? 0 : beta * old);
        mag[i * n + j] = Math.abs(alpha) * sa + Math.abs(beta * old);
      }
    }
    double tol = 1e-5 * (1 + Math.sqrt(k));

    for (Path path : paths()) {
      float[] c = c0.clone();
      switch (path) {
        case PUBLIC ->
            Gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        case SCALAR ->
            Gemm.sgemmScalar(
                transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        case VECTOR ->
            Gemm.sgemmVector(
                transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      }
      String where =
          path + " transA=" + transA + " transB=" + transB + " m=" + m + " n=" + n + " k=" + k
              + " alpha=" + alpha + " beta=" + beta + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc
              + " offsets=" + aOff + "," + bOff + "," + cOff;
      for (int idx = 0; idx < c.length; idx++) {
        int rel = idx - cOff;
        int i = rel >= 0 ? rel / ldc : -1;
        int j = rel >= 0 ? rel % ldc : -1;
        if (i >= 0 && i < m && j < n) {
          double w = want[i * n + j];
          double err = Math.abs(c[idx] - w);
          if (!(err <= tol * mag[i * n + j] + 1e-30)) {
            fail(where + ": C[" + i + "," + j + "] = " + c[idx] + ", want " + w + " (tolerance "
                + tol * mag[i * n + j] + ")");
          }
        } else if (Float.floatToRawIntBits(c[idx]) != Float.floatToRawIntBits(c0[idx])) {
          fail(where + ": element " + idx + " outside C was changed to " + c[idx]);
        }
      }
    }
  }

  private static void fill(Random rnd, float[] x, int off, int rows, int cols, int ld) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        x[off + i * ld + j] = rnd.nextFloat() * 2 - 1;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // double

  @Test
  void dgemmMatchesReference() {
    Random rnd = new Random(11);
    int variant = 0;
    List<int[]> sizes = new ArrayList<>(Arrays.asList(SMALL));
    sizes.add(new int[] {257, 129, 257});
    sizes.add(new int[] {3, 600, 300});
    sizes.add(new int[] {2, 3000, 300});
    for (int[] s : sizes) {
      for (int t = 0; t < 4; t++) {
        float[] ab = ALPHA_BETA[variant++ % ALPHA_BETA.length];
        checkDgemm(rnd, t >= 2, (t & 1) != 0, s[0], s[1], s[2], ab[0], ab[1], (variant & 1) == 0);
      }
    }
  }

  private static void checkDgemm(
      Random rnd,
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      double beta,
      boolean padded) {
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    int lda = aCols + (padded ? 2 : 0);
    int ldb = bCols + (padded ? 3 : 0);
    int ldc = n + (padded ? 1 : 0);
    int aOff = padded ? 5 : 0;
    int bOff = padded ? 1 : 0;
    int cOff = padded ? 2 : 0;
    double[] a = new double[aOff + aRows * lda + 1];
    double[] b = new double[bOff + bRows * ldb + 1];
    double[] c = new double[cOff + m * ldc + 1];
    Arrays.fill(a, Double.NaN);
    Arrays.fill(b, Double.NaN);
    Arrays.fill(c, Double.NaN);
    for (int i = 0; i < aRows; i++) {
      for (int j = 0; j < aCols; j++) {
        a[aOff + i * lda + j] = rnd.nextDouble() * 2 - 1;
      }
    }
    for (int i = 0; i < bRows; i++) {
      for (int j = 0; j < bCols; j++) {
        b[bOff + i * ldb + j] = rnd.nextDouble() * 2 - 1;
      }
    }
    if (beta != 0) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          c[cOff + i * ldc + j] = rnd.nextDouble() * 2 - 1;
        }
      }
    }
    double[] c0 = c.clone();
    Gemm.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double sa = 0;
        for (int p = 0; p < k; p++) {
          double x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          double y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          s += x * y;
          sa += Math.abs(x * y);
        }
        double old = beta == 0 ? 0 : c0[cOff + i * ldc + j];
        double w = (alpha == 0 ? 0 : alpha * s) + (beta == 0 ? 0 : beta * old);
        double mag = Math.abs(alpha) * sa + Math.abs(beta * old);
        double got = c[cOff + i * ldc + j];
        if (!(Math.abs(got - w) <= 1e-12 * mag + 1e-300)) {
          fail("dgemm transA=" + transA + " transB=" + transB + " m=" + m + " n=" + n + " k=" + k
              + " alpha=" + alpha + " beta=" + beta + ": C[" + i + "," + j + "] = " + got
              + ", want " + w);
        }
        c[cOff + i * ldc + j] = c0[cOff + i * ldc + j];
      }
    }
    // Everything outside the m x n window is untouched (NaN bit patterns compared exactly).
    for (int idx = 0; idx < c.length; idx++) {
      assertEquals(
          Double.doubleToRawLongBits(c0[idx]), Double.doubleToRawLongBits(c[idx]), "index " + idx);
    }
  }

  // -------------------------------------------------------------------------------------------
  // batched

  /**
   * (batch, m, n, k): many small products (split by product over the threads), few large ones
   * (each product split in turn), a single product.
   */
  private static final int[][] BATCHES = {
    {64, 16, 24, 20}, {8, 128, 128, 64}, {3, 300, 200, 100}, {5, 1, 300, 40}, {1, 33, 65, 17},
  };

  /**
   * A batch gives, bit for bit, what its products give one by one, whether or not the batch is
   * split over the threads: with its own matrices, with A or B shared (stride 0), and with one C
   * that all products add to (stride 0, beta 1), which must run in order.
   */
  @Test
  void batchedMatchesOneByOne() {
    Random rnd = new Random(21);
    for (int[] s : BATCHES) {
      for (int t = 0; t < 4; t++) {
        boolean ta = t >= 2;
        boolean tb = (t & 1) != 0;
        for (int share = 0; share < 4; share++) {
          checkBatched(rnd, ta, tb, s[0], s[1], s[2], s[3], share);
        }
      }
    }
  }

  /** share: 0 none, 1 A shared, 2 B shared, 3 C shared (beta 1). */
  private static void checkBatched(
      Random rnd, boolean ta, boolean tb, int batch, int m, int n, int k, int share) {
    int lda = (ta ? m : k) + 1;
    int ldb = (tb ? k : n) + 2;
    int ldc = n + 3;
    int aStride = share == 1 ? 0 : (ta ? k : m) * lda + 5;
    int bStride = share == 2 ? 0 : (tb ? n : k) * ldb + 1;
    int cStride = share == 3 ? 0 : m * ldc + 2;
    float alpha = 0.5f;
    float beta = share == 3 ? 1f : 0f;
    float[] a = new float[2 + Math.max(1, batch * aStride) + (ta ? k : m) * lda];
    float[] b = new float[3 + Math.max(1, batch * bStride) + (tb ? n : k) * ldb];
    float[] c0 = new float[1 + Math.max(1, batch * cStride) + m * ldc];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextFloat() - 0.5f;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = rnd.nextFloat() - 0.5f;
    }
    for (int i = 0; i < c0.length; i++) {
      c0[i] = rnd.nextFloat() - 0.5f;
    }
    float[] want = c0.clone();
    for (int i = 0; i < batch; i++) {
      Gemm.sgemm(ta, tb, m, n, k, alpha, a, 2 + i * aStride, lda, b, 3 + i * bStride, ldb, beta,
          want, 1 + i * cStride, ldc);
    }
    float[] got = c0.clone();
    Gemm.sgemmBatched(ta, tb, batch, m, n, k, alpha, a, 2, aStride, lda, b, 3, bStride, ldb, beta,
        got, 1, cStride, ldc);
    String where = "sgemmBatched batch=" + batch + " m=" + m + " n=" + n + " k=" + k + " transA="
        + ta + " transB=" + tb + " share=" + share;
    for (int i = 0; i < got.length; i++) {
      if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
        fail(where + ": element " + i + " is " + got[i] + ", one by one " + want[i]);
      }
    }
    double[] ad = new double[a.length];
    double[] bd = new double[b.length];
    double[] cd = new double[c0.length];
    for (int i = 0; i < a.length; i++) {
      ad[i] = a[i];
    }
    for (int i = 0; i < b.length; i++) {
      bd[i] = b[i];
    }
    for (int i = 0; i < c0.length; i++) {
      cd[i] = c0[i];
    }
    double[] wantD = cd.clone();
    for (int i = 0; i < batch; i++) {
      Gemm.dgemm(ta, tb, m, n, k, alpha, ad, 2 + i * aStride, lda, bd, 3 + i * bStride, ldb, beta,
          wantD, 1 + i * cStride, ldc);
    }
    double[] gotD = cd.clone();
    Gemm.dgemmBatched(ta, tb, batch, m, n, k, alpha, ad, 2, aStride, lda, bd, 3, bStride, ldb, beta,
        gotD, 1, cStride, ldc);
    for (int i = 0; i < gotD.length; i++) {
      if (Double.doubleToRawLongBits(gotD[i]) != Double.doubleToRawLongBits(wantD[i])) {
        fail("d" + where.substring(1) + ": element " + i + " is " + gotD[i] + ", one by one "
            + wantD[i]);
      }
    }
  }

  @Test
  void batchedRejectsBadArguments() {
    float[] x = new float[40];
    assertThrows(
        IllegalArgumentException.class,
        () -> Gemm.sgemmBatched(false, false, -1, 2, 2, 2, 1f, x, 0, 4, 2, x, 0, 4, 2, 0f, x, 0, 4,
            2));
    // the last product's A runs past the array
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Gemm.sgemmBatched(false, false, 11, 2, 2, 2, 1f, x, 0, 4, 2, x, 0, 0, 2, 0f, x, 0, 0,
            2));
    double[] d = new double[8];
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Gemm.dgemmBatched(false, false, 2, 2, 2, 2, 1.0, d, 0, 4, 2, d, 0, 4, 2, 0.0, d, 1, 4,
            2));
    // batch 0 touches nothing
    Gemm.sgemmBatched(false, false, 0, 5, 5, 5, 1f, null, 0, 25, 5, null, 0, 25, 5, 0f, null, 0, 25,
        5);
  }

  // -------------------------------------------------------------------------------------------
  // API behaviour

  @Test
  void kernelNameMatchesSelection() {
    String name = Gemm.kernelName();
    assertEquals(Gemm.vectorEnabled(), name.startsWith("vector("), name);
    assertEquals(CpuFeatures.vectorEnabled(), Gemm.vectorEnabled());
    assertTrue(Gemm.scalarKernelName().startsWith("scalar"), Gemm.scalarKernelName());
    assertTrue(!CpuFeatures.describe().isEmpty());
    if (CpuFeatures.vectorModulePresent()) {
      assertTrue(CpuFeatures.preferredFloatLanes() > 0, CpuFeatures.describe());
    } else {
      assertEquals(0, CpuFeatures.preferredFloatLanes());
      assertThrows(
          UnsupportedOperationException.class,
          () -> Gemm.sgemmVector(false, false, 1, 1, 1, 1f, new float[1], 0, 1, new float[1], 0, 1,
              0f, new float[1], 0, 1));
    }
  }

  @Test
  void rejectsBadArguments() {
    float[] x = new float[12];
    assertThrows(
        IllegalArgumentException.class,
        () -> Gemm.sgemm(false, false, -1, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> Gemm.sgemm(false, false, 2, 3, 2, 1f, x, 0, 2, x, 0, 3, 0f, x, 0, 2));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Gemm.sgemm(false, false, 3, 3, 3, 1f, x, 4, 3, x, 0, 3, 0f, x, 0, 3));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Gemm.sgemm(true, false, 2, 2, 2, 1f, x, -1, 2, x, 0, 2, 0f, x, 0, 2));
    assertThrows(
        NullPointerException.class,
        () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, null, 0, 2, x, 0, 2, 0f, x, 0, 2));
    double[] d = new double[4];
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Gemm.dgemm(false, false, 2, 2, 2, 1, d, 0, 2, d, 0, 2, 0, d, 1, 2));
    // m == 0 and n == 0 touch nothing, not even a null C.
    Gemm.sgemm(false, false, 0, 5, 5, 1f, null, 0, 5, null, 0, 5, 0f, null, 0, 5);
    // alpha == 0 does not read A or B.
    float[] c = {1, 2, 3, 4};
    Gemm.sgemm(false, false, 2, 2, 2, 0f, null, 0, 2, null, 0, 2, 3f, c, 0, 2);
    assertTrue(Arrays.equals(new float[] {3, 6, 9, 12}, c), Arrays.toString(c));
  }

  /**
   * Without {@code --add-modules jdk.incubator.vector} the library must pick the scalar kernel and
   * still work: runs {@link #main} in a child JVM started without the module.
   */
  @Test
  void worksWithoutVectorModule() throws Exception {
    String out = ChildJvm.run(60, List.of(), GemmTest.class);
    assertTrue(out.contains("OK scalar"), out);
  }


  /**
   * The Vector API kernels with the micro-tile rows this machine does not pick by default (8 rows
   * on AVX-512, 6 rows selectable on AVX2, 4 rows AVX2's default), whatever this machine is: runs
   * {@link #main} with {@code rows=N} in a child JVM with {@code -Djnn.cpu.gemm.rows=N}.
   */
  @ParameterizedTest(name = "{0} rows")
  @ValueSource(ints = {4, 6, 8})
  void everyRowCountsKernelsMatchReference(int rows) throws Exception {
    if (!CpuFeatures.vectorApiUsable()) {
      return;
    }
    String out = ChildJvm.run(120, List.of("--add-modules", "jdk.incubator.vector",
        "-Djnn.cpu.gemm.rows=" + rows), GemmTest.class, "rows=" + rows);
    assertTrue(out.contains("OK " + rows + " rows"), out);
  }


  /**
   * Entry point of the child JVMs of {@link #worksWithoutVectorModule()} and (argument {@code
   * rows=N}) {@link #everyRowCountsKernelsMatchReference}.
   */
  public static void main(String[] args) {
    if (args.length == 1 && args[0].startsWith("rows=")) {
      int rows = Integer.parseInt(args[0].substring(5));
      if (VectorGemm.MR != rows) {
        System.out.println("unexpected: micro-tile rows " + VectorGemm.MR);
        System.exit(2);
      }
      Random rnd = new Random(8);
      int variant = 0;
      List<int[]> sizes = new ArrayList<>(Arrays.asList(SMALL));
      sizes.addAll(Arrays.asList(LARGE).subList(0, 2));
      sizes.addAll(List.of(new int[] {1, 500, 300}, new int[] {20, 300, 200},
          new int[] {300, 20, 200}, new int[] {40, 100, 300}));
      for (int[] s : sizes) {
        for (int t = 0; t < 4; t++) {
          float[] ab = ALPHA_BETA[variant++ % 5];
          checkSgemm(rnd, t >= 2, (t & 1) != 0, s[0], s[1], s[2], ab[0], ab[1], (t & 1) == 0);
        }
      }
      System.out.println("OK " + rows + " rows " + Gemm.kernelName());
      return;
    }
    if (CpuFeatures.vectorModulePresent() || Gemm.vectorEnabled()) {
      System.out.println("unexpected: vector module present: " + CpuFeatures.describe());
      System.exit(2);
    }
    checkSgemm(new Random(5), false, true, 37, 41, 300, 1.5f, 0f, true);
    checkSgemm(new Random(6), true, false, 300, 70, 200, 1f, 1f, true);
    System.out.println("OK " + Gemm.kernelName() + " | " + CpuFeatures.describe());
  }
}
