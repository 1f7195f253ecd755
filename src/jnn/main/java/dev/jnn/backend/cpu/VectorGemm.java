package dev.jnn.backend.cpu;

import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on the incubating Vector API: cache-blocked, with a register-blocked MR x (2
 * vectors) micro-kernel (6 x 16 floats with AVX2, 8 x 32 with AVX-512).
 *
 * <p>Three shapes of product take three paths ({@link #sgemm}):
 *
 * <ul>
 *   <li>a matrix-vector product (m or n is 1): dot products or scaled row sums over the matrix
 *       where it lies;
 *   <li>one short side (at most {@link #STREAM_MAX}: the rows of a recurrent step or of a small
 *       batch, a classifier's few outputs): only the small operand is packed, the large one is read
 *       where it lies, the micro-kernel reading it as rows along k or as rows along C's long side;
 *   <li>otherwise both operands are packed, A once for all threads, B per thread block.
 * </ul>
 *
 * <p>This is the only class of the library that links against {@code jdk.incubator.vector}. It must
 * not be touched unless {@link CpuFeatures#vectorModulePresent()} is true; {@link Gemm} and {@link
 * CpuFeatures} guarantee that.
 *
 * <p>Arguments are assumed validated by {@link Gemm}: {@code m, n, k > 0} and {@code alpha != 0}.
 */
final class VectorGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Float lanes per vector. */
  static final int V = S.length();
  /**
   * Rows of the micro-tile (broadcast direction): 8 x 2 vectors = 16 accumulators where the ISA
   * has 32 vector registers (AVX-512), else 6 x 2 = 12 (AVX2 has 16 registers). The system
   * property {@code jnn.cpu.gemm.rows=8} forces the 8-row kernels, so that a test on an AVX2
   * machine runs the code AVX-512 machines run (slower: their accumulators do not fit).
   */
  static final int MR = "8".equals(System.getProperty("jnn.cpu.gemm.rows")) || V >= 16 ? 8 : 6;
  /** Columns of the micro-tile: two vectors. */
  static final int NR = 2 * V;
  /**
   * Depth of one packed block (k direction): a B micro-panel (KC x NR) is 32 KiB and stays in L1
   * while the A micro-panels of an MC block stream past it from L2. 256 with AVX-512, 512 with
   * AVX2: at 256 with AVX2 (16 KiB panels) the tile's load and store after every KC steps cost
   * 8-15 % on 1024-sized products (AMD EPYC, one thread).
   */
  static final int KC = 8192 / NR;
  /** Rows per block of the packed A (a multiple of MR); an MC x KC block (128 KiB) stays in L2. */
  static final int MC = Math.max(MR, 32768 / KC / MR * MR);
  /**
   * Most columns of B one work unit packs at once (a multiple of NR); the block (KC x NC, 512 KiB)
   * is private to the thread and stays in its core's L2.
   */
  static final int NC = Math.max(NR, 131072 / KC / NR * NR);

  /** Below this many multiply-adds a call runs on the calling thread only. */
  private static final long PARALLEL_MIN_MACS = 1L << 21;

  /**
   * Largest short side (m or n) for which {@link #stream} reads the large operand in place rather
   * than packing it. Packing costs a pass over the large operand (a transposing one when it is
   * stored transposed) that only the short side amortises: on one AMD EPYC thread, streaming ran
   * 1.1x to 1.7x faster with a short side of 8 to 128 (LSTM's batch-32 gates [32x512]x[512x2048]^T
   * 1.5x) and was no faster at 256.
   */
  static final int STREAM_MAX = 128;

  /** Most floats of op(A) packed at once (16 MiB); larger A is processed in chunks of rows. */
  private static final int A_CAP = 1 << 22;

  private VectorGemm() {}

  /** Lanes of the preferred float species; used by {@link CpuFeatures} to probe the API. */
  static int floatLanes() {
    return V;
  }

  /** Names the kernel, e.g. {@code vector(FloatVector 512-bit, 16 lanes) packed 8x32}. */
  static String describe() {
    return "vector(FloatVector " + S.vectorBitSize() + "-bit, " + V + " lanes) packed " + MR + "x" + NR;
  }

  /** Per-thread, grow-only packing buffers. */
  private static final class Scratch {
    /** The packed A of {@link #packed}. */
    float[] a = new float[0];
    /** The B block of one unit of {@link #packed}. */
    float[] b = new float[0];
    /** The packed small operand of {@link #stream}, read by all threads. */
    float[] shared = new float[0];
    /** One unit's copy of a short last panel in {@link #stream}. */
    float[] rem = new float[0];
    final float[] tile = new float[MR * NR];

    float[] a(int size) {
      if (a.length < size) {
        a = new float[size];
      }
      return a;
    }

    float[] b(int size) {
      if (b.length < size) {
        b = new float[size];
      }
      return b;
    }

    float[] shared(int size) {
      if (shared.length < size) {
        shared = new float[size];
      }
      return shared;
    }

    float[] rem(int size) {
      if (rem.length < size) {
        rem = new float[size];
      }
      return rem;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * C = alpha * op(A) * op(B) + beta * C.
   *
   * <p>When C has few rows or few columns ({@link #streams}), the small operand is packed and the
   * large one is read where it lies ({@link #stream}): packing it would cost about as much as the
   * product. Otherwise ({@link #packed}) op(A) is packed into MR-row panels shared by all threads
   * and each thread packs the blocks of op(B) it needs.
   */
  static void sgemm(
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
    final int threads = Parallel.threads();
    final boolean parallel =
        threads > 1 && (long) m * n * k >= PARALLEL_MIN_MACS && !ForkJoinTask.inForkJoinPool();
    if (streams(transA, transB, m, n, k)) {
      stream(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
          parallel);
    } else {
      packed(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
          parallel);
    }
  }

  /**
   * Whether the product streams its large operand instead of packing it: the smaller of m and n,
   * s, is at most {@link #STREAM_MAX} and, where the streamed product is C's transpose, k is at
   * least 4s.
   */
  static boolean streams(boolean transA, boolean transB, int m, int n, int k) {
    int s = Math.min(m, n);
    if (s > STREAM_MAX) {
      return false;
    }
    // Where T is C's transpose, each tile is written with scalar stores, a cost that k amortises;
    // the packed path's cost here is transposing the large operand, which s amortises.
    boolean transOut = m <= n ? transB : transA;
    return !transOut || k >= 4 * s;
  }

  /**
   * op(A) packed once, alpha folded in, into MR-row panels shared by all threads (in chunks of rows
   * when it is large). The product is then cut into independent units, each a range of C's columns
   * (or, when C has too few columns, of its rows) that one thread computes from start to end,
   * packing only the B columns it needs into its own buffer: the threads never wait for each other
   * between the A packing and the end of the call, and no operand is packed twice. Units are handed
   * out dynamically, about four per thread.
   */
  private static void packed(
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
      int ldc,
      boolean parallel) {
    final int threads = Parallel.threads();
    final int nPanels = ceilDiv(n, NR);
    final int chunkRows = Math.max(MR, Math.min(roundUp(m, MR), A_CAP / k / MR * MR));
    final float[] ap = SCRATCH.get().a(chunkRows * k);
    for (int i0 = 0; i0 < m; i0 += chunkRows) {
      final int rows = Math.min(chunkRows, m - i0);
      final int mPanels = ceilDiv(rows, MR);
      final int ci = cOff + i0 * ldc;
      final int ii = i0;
      if (!parallel) {
        packA(transA, a, aOff, lda, i0, rows, 0, k, alpha, ap);
        block(transB, ap, 0, rows, 0, n, k, b, bOff, ldb, beta, c, ci, ldc);
        continue;
      }
      final int packUnit = Math.max(1, 65536 / (MR * k));
      dynamicFor(
          ceilDiv(mPanels, packUnit),
          u -> {
            int r0 = u * packUnit * MR;
            int r1 = Math.min(rows, (u + 1) * packUnit * MR);
            packA(transA, a, aOff, lda, ii + r0, r1 - r0, 0, k, alpha, ap, r0 * k);
          });
      if (nPanels >= 2 * threads || nPanels >= mPanels) {
        // Split C's columns: each unit packs only its own columns of B.
        final int unit = Math.max(1, Math.min(NC / NR, ceilDiv(nPanels, 4 * threads)));
        dynamicFor(
            ceilDiv(nPanels, unit),
            u -> block(transB, ap, 0, rows, u * unit * NR, Math.min(n, (u + 1) * unit * NR), k,
                b, bOff, ldb, beta, c, ci, ldc));
      } else {
        // Few columns (B is small): split C's rows; each unit packs all of B.
        final int unit = Math.max(1, ceilDiv(mPanels, 4 * threads));
        dynamicFor(
            ceilDiv(mPanels, unit),
            u -> block(transB, ap, u * unit * MR, Math.min(rows, (u + 1) * unit * MR), 0, n, k,
                b, bOff, ldb, beta, c, ci, ldc));
      }
    }
  }

  /**
   * The product with a small side, as {@code T = X * Y} with the small operand packed (alpha folded
   * in) and the large one read in place, by one of two loops:
   *
   * <ul>
   *   <li>{@link #streamRows}: X is the large operand, read as rows that are contiguous in the
   *       summed dimension (A when C has few columns and A is not transposed; B stored transposed,
   *       {@code n x k}, when C has few rows: T is then C's transpose), Y the small one packed in
   *       NR-column panels;
   *   <li>{@link #streamCols}: Y is the large operand, read as rows contiguous along C's long side
   *       (B when C has few rows and B is not transposed; A stored transposed, {@code k x m}, when
   *       C has few columns: T is C's transpose), X the small one packed in MR-row panels.
   * </ul>
   *
   * The long side is cut into units that the threads take dynamically; the packed operand is
   * shared.
   */
  private static void stream(
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
      int ldc,
      boolean parallel) {
    if (m == 1 || n == 1) {
      // a matrix-vector product: the vector packed contiguously, alpha folded in
      float[] v = SCRATCH.get().shared(k);
      if (m == 1) {
        packVector(a, aOff, transA ? lda : 1, k, alpha, v);
        if (!transB) {
          gemvRows(v, k, b, bOff, ldb, n, beta, c, cOff, 1, parallel);
        } else {
          gemvDots(b, bOff, ldb, n, k, v, beta, c, cOff, 1, parallel);
        }
      } else {
        packVector(b, bOff, transB ? 1 : ldb, k, alpha, v);
        if (!transA) {
          gemvDots(a, aOff, lda, m, k, v, beta, c, cOff, ldc, parallel);
        } else {
          gemvRows(v, k, a, aOff, lda, m, beta, c, cOff, ldc, parallel);
        }
      }
      return;
    }
    if (m <= n) {
      // few rows: op(A) is small, B large
      if (!transB) {
        float[] xp = SCRATCH.get().shared(roundUp(m, MR) * k);
        packA(transA, a, aOff, lda, 0, m, 0, k, alpha, xp);
        streamCols(xp, m, n, k, b, bOff, ldb, beta, c, cOff, ldc, false, parallel);
      } else {
        // T = B_stored (n x k) * op(A)^T (k x m) = C^T; op(A)^T(p, i) = op(A)(i, p)
        float[] yp = SCRATCH.get().shared(roundUp(m, NR) * k);
        packB(!transA, a, aOff, lda, 0, k, 0, m, yp, 0, ceilDiv(m, NR), alpha);
        streamRows(b, bOff, ldb, n, m, k, yp, beta, c, cOff, ldc, true, parallel);
      }
    } else {
      // few columns: op(B) is small, A large
      if (!transA) {
        float[] yp = SCRATCH.get().shared(roundUp(n, NR) * k);
        packB(transB, b, bOff, ldb, 0, k, 0, n, yp, 0, ceilDiv(n, NR), alpha);
        streamRows(a, aOff, lda, m, n, k, yp, beta, c, cOff, ldc, false, parallel);
      } else {
        // T = op(B)^T (n x k) * A_stored (k x m) = C^T; op(B)^T(j, p) = b at p*ldb + j when B is
        // not transposed (read like a transposed A), at j*ldb + p when it is
        float[] xp = SCRATCH.get().shared(roundUp(n, MR) * k);
        packA(!transB, b, bOff, ldb, 0, n, 0, k, alpha, xp);
        streamCols(xp, n, m, k, a, aOff, lda, beta, c, cOff, ldc, true, parallel);
      }
    }
  }

  /**
   * T[rows x cols] = X * Y with X packed in MR-row panels ({@code xp}, panel g at {@code g * MR *
   * k}) and Y read in place ({@code y[yOff + p * ldy + j]}); T is C, or C's transpose when {@code
   * transOut}. Units are ranges of Y's NR-column panels; for each panel and k block every X panel
   * runs against it while it is in L1.
   */
  private static void streamCols(
      float[] xp,
      int rows,
      int cols,
      int k,
      float[] y,
      int yOff,
      int ldy,
      float beta,
      float[] c,
      int cOff,
      int ldc,
      boolean transOut,
      boolean parallel) {
    final int panels = ceilDiv(cols, NR);
    if (!parallel) {
      streamColsUnit(xp, rows, cols, k, y, yOff, ldy, beta, c, cOff, ldc, transOut, 0, panels);
      return;
    }
    final int unit = Math.max(1, ceilDiv(panels, 4 * Parallel.threads()));
    dynamicFor(
        ceilDiv(panels, unit),
        u -> streamColsUnit(xp, rows, cols, k, y, yOff, ldy, beta, c, cOff, ldc, transOut,
            u * unit, Math.min(panels, (u + 1) * unit)));
  }

  private static void streamColsUnit(
      float[] xp,
      int rows,
      int cols,
      int k,
      float[] y,
      int yOff,
      int ldy,
      float beta,
      float[] c,
      int cOff,
      int ldc,
      boolean transOut,
      int q0,
      int q1) {
    Scratch s = SCRATCH.get();
    final float[] tile = s.tile;
    final int kBlocks = ceilDiv(k, KC);
    final int xPanels = ceilDiv(rows, MR);
    // k blocks outermost: X's block (rows x kc) and this unit's C stay in L2 however large k is
    for (int kb = 0; kb < kBlocks; kb++) {
      final int pc = (int) ((long) k * kb / kBlocks);
      final int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
      final float betaEff = kb == 0 ? beta : 1f;
      for (int q = q0; q < q1; q++) {
        final int j = q * NR;
        final int nr = Math.min(NR, cols - j);
        float[] yy = y;
        int yo = yOff + pc * ldy + j;
        if (xPanels > 3 || nr < NR) {
          // Copied into a contiguous kc x NR panel: read in place, the panel's rows (ldy apart)
          // can fall into few cache sets and leave L1 between the X panels that reuse it
          // (NN 64x1024x1024 ran 1.5x slower in place); read by at most 3 X panels, in place is
          // faster (m = 1 to 10: 1.2x to 1.7x). Also when it is narrower than NR.
          yy = s.rem(KC * NR);
          packB(false, y, yOff, ldy, pc, kc, j, nr, yy, 0, 1);
          yo = 0;
        }
        for (int g = 0; g < xPanels; g++) {
          final int i = g * MR;
          final int mr = Math.min(MR, rows - i);
          if (yy != y) {
            kernelRows(mr, kc, xp, g * MR * k + pc * MR, yy, yo, tile);
          } else {
            kernelRowsY(mr, kc, xp, g * MR * k + pc * MR, yy, yo, ldy, tile);
          }
          store(tile, mr, nr, c, cOff, ldc, i, j, transOut, betaEff);
        }
      }
    }
  }

  /**
   * T[rows x cols] = X * Y with X read in place ({@code x[xOff + i * ldx + p]}) and Y packed in
   * NR-column panels ({@code yp}, panel q at {@code q * NR * k}); T is C, or C's transpose when
   * {@code transOut}. Units are ranges of X's MR-row groups; for each group and k block every Y
   * panel runs against it while it is in L1.
   */
  private static void streamRows(
      float[] x,
      int xOff,
      int ldx,
      int rows,
      int cols,
      int k,
      float[] yp,
      float beta,
      float[] c,
      int cOff,
      int ldc,
      boolean transOut,
      boolean parallel) {
    final int groups = ceilDiv(rows, MR);
    if (!parallel) {
      streamRowsUnit(x, xOff, ldx, rows, cols, k, yp, beta, c, cOff, ldc, transOut, 0, groups);
      return;
    }
    final int unit = Math.max(1, ceilDiv(groups, 4 * Parallel.threads()));
    dynamicFor(
        ceilDiv(groups, unit),
        u -> streamRowsUnit(x, xOff, ldx, rows, cols, k, yp, beta, c, cOff, ldc, transOut,
            u * unit, Math.min(groups, (u + 1) * unit)));
  }

  private static void streamRowsUnit(
      float[] x,
      int xOff,
      int ldx,
      int rows,
      int cols,
      int k,
      float[] yp,
      float beta,
      float[] c,
      int cOff,
      int ldc,
      boolean transOut,
      int g0,
      int g1) {
    Scratch s = SCRATCH.get();
    final float[] tile = s.tile;
    final int kBlocks = ceilDiv(k, KC);
    final int yPanels = ceilDiv(cols, NR);
    // a last, shorter group is copied (zero-padded) into one packed panel
    float[] xr = null;
    if (g1 * MR > rows) {
      xr = s.rem(MR * k);
      packA(false, x, xOff, ldx, (g1 - 1) * MR, rows - (g1 - 1) * MR, 0, k, 1f, xr);
    }
    // k blocks outermost: Y's block (cols x kc) and this unit's C stay in L2 however large k is
    for (int kb = 0; kb < kBlocks; kb++) {
      final int pc = (int) ((long) k * kb / kBlocks);
      final int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
      final float betaEff = kb == 0 ? beta : 1f;
      for (int g = g0; g < g1; g++) {
        final int i = g * MR;
        final int mr = Math.min(MR, rows - i);
        for (int q = 0; q < yPanels; q++) {
          final int j = q * NR;
          if (mr == MR) {
            kernelX(kc, x, xOff + i * ldx + pc, ldx, yp, q * NR * k + pc * NR, tile);
          } else {
            kernelRows(mr, kc, xr, pc * MR, yp, q * NR * k + pc * NR, tile);
          }
          store(tile, mr, Math.min(NR, cols - j), c, cOff, ldc, i, j, transOut, betaEff);
        }
      }
    }
  }

  /** {@code v[p] = alpha * src[off + p * stride]} for p < k. */
  private static void packVector(float[] src, int off, int stride, int k, float alpha, float[] v) {
    for (int p = 0; p < k; p++) {
      v[p] = alpha * src[off + p * stride];
    }
  }

  /**
   * {@code out[r * cs] = X[r, :] . v + beta * out[r * cs]} for rows r < rows of X read in place
   * ({@code x[xOff + r * ldx + p]}), out at {@code c[cOff + r * cs]}: dot products, four rows at a
   * time. Units are ranges of rows.
   */
  private static void gemvDots(
      float[] x,
      int xOff,
      int ldx,
      int rows,
      int k,
      float[] v,
      float beta,
      float[] c,
      int cOff,
      int cs,
      boolean parallel) {
    final int groups = ceilDiv(rows, 4);
    if (!parallel) {
      gemvDotsUnit(x, xOff, ldx, rows, k, v, beta, c, cOff, cs, 0, groups);
      return;
    }
    final int unit = Math.max(1, ceilDiv(groups, 4 * Parallel.threads()));
    dynamicFor(
        ceilDiv(groups, unit),
        u -> gemvDotsUnit(x, xOff, ldx, rows, k, v, beta, c, cOff, cs, u * unit,
            Math.min(groups, (u + 1) * unit)));
  }

  private static void gemvDotsUnit(
      float[] x,
      int xOff,
      int ldx,
      int rows,
      int k,
      float[] v,
      float beta,
      float[] c,
      int cOff,
      int cs,
      int g0,
      int g1) {
    final float[] sums = SCRATCH.get().tile;
    for (int g = g0; g < g1; g++) {
      int r0 = g * 4;
      int nr = Math.min(4, rows - r0);
      if (nr == 4) {
        dot4(k, x, xOff + r0 * ldx, ldx, v, sums);
      } else {
        for (int r = 0; r < nr; r++) {
          sums[r] = dot1(k, x, xOff + (r0 + r) * ldx, v);
        }
      }
      for (int r = 0; r < nr; r++) {
        int o = cOff + (r0 + r) * cs;
        c[o] = beta == 0f ? sums[r] : sums[r] + beta * c[o];
      }
    }
  }

  /** sums[r] = x[xo + r * ldx + p] . v[p] over p < k, for r < 4. */
  private static void dot4(int k, float[] x, int xo, int ldx, float[] v, float[] sums) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = FloatVector.zero(S);
    FloatVector s2 = FloatVector.zero(S);
    FloatVector s3 = FloatVector.zero(S);
    FloatVector t0 = FloatVector.zero(S);
    FloatVector t1 = FloatVector.zero(S);
    FloatVector t2 = FloatVector.zero(S);
    FloatVector t3 = FloatVector.zero(S);
    int x0 = xo;
    int x1 = x0 + ldx;
    int x2 = x1 + ldx;
    int x3 = x2 + ldx;
    int p = 0;
    for (; p + 2 * V <= k; p += 2 * V) {
      FloatVector v0 = FloatVector.fromArray(S, v, p);
      FloatVector v1 = FloatVector.fromArray(S, v, p + V);
      s0 = FloatVector.fromArray(S, x, x0 + p).fma(v0, s0);
      t0 = FloatVector.fromArray(S, x, x0 + p + V).fma(v1, t0);
      s1 = FloatVector.fromArray(S, x, x1 + p).fma(v0, s1);
      t1 = FloatVector.fromArray(S, x, x1 + p + V).fma(v1, t1);
      s2 = FloatVector.fromArray(S, x, x2 + p).fma(v0, s2);
      t2 = FloatVector.fromArray(S, x, x2 + p + V).fma(v1, t2);
      s3 = FloatVector.fromArray(S, x, x3 + p).fma(v0, s3);
      t3 = FloatVector.fromArray(S, x, x3 + p + V).fma(v1, t3);
    }
    if (p + V <= k) {
      FloatVector v0 = FloatVector.fromArray(S, v, p);
      s0 = FloatVector.fromArray(S, x, x0 + p).fma(v0, s0);
      s1 = FloatVector.fromArray(S, x, x1 + p).fma(v0, s1);
      s2 = FloatVector.fromArray(S, x, x2 + p).fma(v0, s2);
      s3 = FloatVector.fromArray(S, x, x3 + p).fma(v0, s3);
      p += V;
    }
    float e0 = s0.add(t0).reduceLanes(VectorOperators.ADD);
    float e1 = s1.add(t1).reduceLanes(VectorOperators.ADD);
    float e2 = s2.add(t2).reduceLanes(VectorOperators.ADD);
    float e3 = s3.add(t3).reduceLanes(VectorOperators.ADD);
    for (; p < k; p++) {
      float w = v[p];
      e0 += x[x0 + p] * w;
      e1 += x[x1 + p] * w;
      e2 += x[x2 + p] * w;
      e3 += x[x3 + p] * w;
    }
    sums[0] = e0;
    sums[1] = e1;
    sums[2] = e2;
    sums[3] = e3;
  }

  /** x[xo + p] . v[p] over p < k. */
  private static float dot1(int k, float[] x, int xo, float[] v) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = FloatVector.zero(S);
    int p = 0;
    for (; p + 2 * V <= k; p += 2 * V) {
      s0 = FloatVector.fromArray(S, x, xo + p).fma(FloatVector.fromArray(S, v, p), s0);
      s1 = FloatVector.fromArray(S, x, xo + p + V).fma(FloatVector.fromArray(S, v, p + V), s1);
    }
    if (p + V <= k) {
      s0 = FloatVector.fromArray(S, x, xo + p).fma(FloatVector.fromArray(S, v, p), s0);
      p += V;
    }
    float e = s0.add(s1).reduceLanes(VectorOperators.ADD);
    for (; p < k; p++) {
      e += x[xo + p] * v[p];
    }
    return e;
  }

  /** Columns of one chunk of {@link #gemvRows}: its sums (4 KiB) stay in L1. */
  private static final int GEMV_COLS = 1024;

  /**
   * {@code out[j * cs] = v . Y[:, j] + beta * out[j * cs]} for columns j < cols of Y read in place
   * ({@code y[yOff + p * ldy + j]}), out at {@code c[cOff + j * cs]}: Y's rows, each read
   * contiguously, scaled and added into a chunk of sums four rows at a time. Units are chunks of
   * columns.
   */
  private static void gemvRows(
      float[] v,
      int k,
      float[] y,
      int yOff,
      int ldy,
      int cols,
      float beta,
      float[] c,
      int cOff,
      int cs,
      boolean parallel) {
    final int chunk =
        parallel
            ? Math.min(GEMV_COLS, roundUp(ceilDiv(cols, 2 * Parallel.threads()), V))
            : GEMV_COLS;
    final int chunks = ceilDiv(cols, chunk);
    if (!parallel) {
      for (int q = 0; q < chunks; q++) {
        gemvRowsChunk(v, k, y, yOff, ldy, cols, beta, c, cOff, cs, q * chunk, chunk);
      }
      return;
    }
    dynamicFor(
        chunks, q -> gemvRowsChunk(v, k, y, yOff, ldy, cols, beta, c, cOff, cs, q * chunk, chunk));
  }

  private static void gemvRowsChunk(
      float[] v,
      int k,
      float[] y,
      int yOff,
      int ldy,
      int cols,
      float beta,
      float[] c,
      int cOff,
      int cs,
      int j0,
      int chunk) {
    final int nc = Math.min(chunk, cols - j0);
    final float[] acc = SCRATCH.get().rem(nc);
    java.util.Arrays.fill(acc, 0, nc, 0f);
    int p = 0;
    int o = yOff + j0;
    for (; p + 4 <= k; p += 4, o += 4 * ldy) {
      axpy4(nc, acc, v[p], v[p + 1], v[p + 2], v[p + 3], y, o, ldy);
    }
    for (; p < k; p++, o += ldy) {
      axpy1(nc, acc, v[p], y, o);
    }
    for (int x = 0; x < nc; x++) {
      int co = cOff + (j0 + x) * cs;
      c[co] = beta == 0f ? acc[x] : acc[x] + beta * c[co];
    }
  }

  /** {@code acc[j] += w0 * y[o + j]} for j < n. */
  private static void axpy1(int n, float[] acc, float w0, float[] y, int o) {
    FloatVector v0 = FloatVector.broadcast(S, w0);
    int j = 0;
    for (; j + V <= n; j += V) {
      FloatVector.fromArray(S, y, o + j).fma(v0, FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
    }
    for (; j < n; j++) {
      acc[j] = Math.fma(y[o + j], w0, acc[j]);
    }
  }

  /**
   * {@code acc[j] += w0 * y[o + j] + w1 * y[o + ldy + j] + w2 * y[o + 2 ldy + j] + w3 * y[o + 3
   * ldy + j]} for j < n, summed in that order.
   */
  private static void axpy4(
      int n, float[] acc, float w0, float w1, float w2, float w3, float[] y, int o, int ldy) {
    int o1 = o + ldy;
    int o2 = o1 + ldy;
    int o3 = o2 + ldy;
    FloatVector v0 = FloatVector.broadcast(S, w0);
    FloatVector v1 = FloatVector.broadcast(S, w1);
    FloatVector v2 = FloatVector.broadcast(S, w2);
    FloatVector v3 = FloatVector.broadcast(S, w3);
    int j = 0;
    for (; j + V <= n; j += V) {
      FloatVector a = FloatVector.fromArray(S, acc, j);
      a = FloatVector.fromArray(S, y, o + j).fma(v0, a);
      a = FloatVector.fromArray(S, y, o1 + j).fma(v1, a);
      a = FloatVector.fromArray(S, y, o2 + j).fma(v2, a);
      a = FloatVector.fromArray(S, y, o3 + j).fma(v3, a);
      a.intoArray(acc, j);
    }
    for (; j < n; j++) {
      // as one vector lane computes it, so that a column's result does not depend on the chunks
      float a = Math.fma(y[o + j], w0, acc[j]);
      a = Math.fma(y[o1 + j], w1, a);
      a = Math.fma(y[o2 + j], w2, a);
      acc[j] = Math.fma(y[o3 + j], w3, a);
    }
  }

  /**
   * Writes the top-left {@code mr x nr} of a tile to T at (i, j): C at (i, j), or C's transpose
   * there ({@code transOut}: tile row r goes to C's column i + r), with beta as in {@link
   * #storeTile}.
   */
  private static void store(
      float[] tile,
      int mr,
      int nr,
      float[] c,
      int cOff,
      int ldc,
      int i,
      int j,
      boolean transOut,
      float beta) {
    if (!transOut) {
      if (mr == MR && nr == NR) {
        storeTile(tile, c, cOff + i * ldc + j, ldc, beta);
      } else {
        mergeTile(tile, mr, nr, c, cOff + i * ldc + j, ldc, beta);
      }
    } else if (mr == MR && nr == NR && (beta == 0f || beta == 1f)) {
      storeTileTransposed(tile, c, cOff + j * ldc + i, ldc, beta == 1f);
    } else {
      mergeTileTransposed(tile, mr, nr, c, cOff + j * ldc + i, ldc, beta);
    }
  }

  /**
   * Runs {@code body} for units {@code 0 .. units-1} on all threads, each thread taking the next
   * unit as it becomes free (dynamic scheduling).
   */
  private static void dynamicFor(int units, IntConsumer body) {
    if (units <= 1) {
      if (units == 1) {
        body.accept(0);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Parallel.parallelFor(
        Math.min(units, Parallel.threads()),
        1,
        (s, e) -> {
          for (int u = next.getAndIncrement(); u < units; u = next.getAndIncrement()) {
            body.accept(u);
          }
        });
  }

  /**
   * Computes C[i0..i1, j0..j1] on the calling thread from the packed A ({@code ap}: the MR-row
   * panels of rows 0.., each {@code MR * k} long): for each NC block of columns and KC block of
   * depth, packs that block of B into this thread's scratch, then runs the micro-kernel over MC
   * blocks of rows, B micro-panel outer (it stays in L1) and A micro-panels inner.
   */
  private static void block(
      boolean transB,
      float[] ap,
      int i0,
      int i1,
      int j0,
      int j1,
      int k,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    Scratch s = SCRATCH.get();
    final int kBlocks = ceilDiv(k, KC);
    final int kcMax = ceilDiv(k, kBlocks);
    final float[] bp = s.b(kcMax * Math.min(NC, roundUp(j1 - j0, NR)));
    final float[] tile = s.tile;
    for (int jc = j0; jc < j1; jc += NC) {
      final int nc = Math.min(NC, j1 - jc);
      final int panels = ceilDiv(nc, NR);
      for (int kb = 0; kb < kBlocks; kb++) {
        final int pc = (int) ((long) k * kb / kBlocks);
        final int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
        final float betaEff = kb == 0 ? beta : 1f;
        packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0, panels, 1f);
        for (int ic = i0; ic < i1; ic += MC) {
          final int icEnd = Math.min(i1, ic + MC);
          for (int jp = 0; jp < panels; jp++) {
            final int j = jc + jp * NR;
            final int nr = Math.min(NR, j1 - j);
            final int bi = jp * kc * NR;
            for (int i = ic; i < icEnd; i += MR) {
              int mr = Math.min(MR, icEnd - i);
              kernelRows(mr, kc, ap, i * k + pc * MR, bp, bi, tile);
              if (mr == MR && nr == NR) {
                storeTile(tile, c, cOff + i * ldc + j, ldc, betaEff);
              } else {
                mergeTile(tile, mr, nr, c, cOff + i * ldc + j, ldc, betaEff);
              }
            }
          }
        }
      }
    }
  }

  /** C[MR x NR] = tile + beta * C (beta == 0: C not read), with vectors. */
  private static void storeTile(float[] tile, float[] c, int ci, int ldc, float beta) {
    if (beta == 0f) {
      for (int r = 0; r < MR; r++) {
        int o = ci + r * ldc;
        FloatVector.fromArray(S, tile, r * NR).intoArray(c, o);
        FloatVector.fromArray(S, tile, r * NR + V).intoArray(c, o + V);
      }
    } else if (beta == 1f) {
      for (int r = 0; r < MR; r++) {
        int o = ci + r * ldc;
        FloatVector.fromArray(S, tile, r * NR).add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
        FloatVector.fromArray(S, tile, r * NR + V)
            .add(FloatVector.fromArray(S, c, o + V))
            .intoArray(c, o + V);
      }
    } else {
      FloatVector bv = FloatVector.broadcast(S, beta);
      for (int r = 0; r < MR; r++) {
        int o = ci + r * ldc;
        FloatVector.fromArray(S, c, o)
            .fma(bv, FloatVector.fromArray(S, tile, r * NR))
            .intoArray(c, o);
        FloatVector.fromArray(S, c, o + V)
            .fma(bv, FloatVector.fromArray(S, tile, r * NR + V))
            .intoArray(c, o + V);
      }
    }
  }

  /** C[0..mr, 0..nr] = tile + beta * C (beta == 0: C not read), for edge tiles. */
  private static void mergeTile(
      float[] tile, int mr, int nr, float[] c, int ci, int ldc, float beta) {
    for (int r = 0; r < mr; r++) {
      int t = r * NR;
      int o = ci + r * ldc;
      if (beta == 0f) {
        for (int j = 0; j < nr; j++) {
          c[o + j] = tile[t + j];
        }
      } else {
        for (int j = 0; j < nr; j++) {
          c[o + j] = tile[t + j] + beta * c[o + j];
        }
      }
    }
  }

  /** {@link #mergeTileTransposed} of a whole tile with beta 0 ({@code add == false}) or 1. */
  private static void storeTileTransposed(float[] t, float[] c, int ci, int ldc, boolean add) {
    if (MR == 8) {
      for (int q = 0, o = ci; q < NR; q++, o += ldc) {
        float v0 = t[q];
        float v1 = t[NR + q];
        float v2 = t[2 * NR + q];
        float v3 = t[3 * NR + q];
        float v4 = t[4 * NR + q];
        float v5 = t[5 * NR + q];
        float v6 = t[6 * NR + q];
        float v7 = t[7 * NR + q];
        if (add) {
          v0 += c[o];
          v1 += c[o + 1];
          v2 += c[o + 2];
          v3 += c[o + 3];
          v4 += c[o + 4];
          v5 += c[o + 5];
          v6 += c[o + 6];
          v7 += c[o + 7];
        }
        c[o] = v0;
        c[o + 1] = v1;
        c[o + 2] = v2;
        c[o + 3] = v3;
        c[o + 4] = v4;
        c[o + 5] = v5;
        c[o + 6] = v6;
        c[o + 7] = v7;
      }
    } else {
      for (int q = 0, o = ci; q < NR; q++, o += ldc) {
        float v0 = t[q];
        float v1 = t[NR + q];
        float v2 = t[2 * NR + q];
        float v3 = t[3 * NR + q];
        float v4 = t[4 * NR + q];
        float v5 = t[5 * NR + q];
        if (add) {
          v0 += c[o];
          v1 += c[o + 1];
          v2 += c[o + 2];
          v3 += c[o + 3];
          v4 += c[o + 4];
          v5 += c[o + 5];
        }
        c[o] = v0;
        c[o + 1] = v1;
        c[o + 2] = v2;
        c[o + 3] = v3;
        c[o + 4] = v4;
        c[o + 5] = v5;
      }
    }
  }

  /**
   * C^T's block: {@code C[ci + q * ldc + r] = tile[r][q] + beta * C[...]} for r < mr, q < nr (beta
   * == 0: C not read). Tile row r is column r of C's block.
   */
  private static void mergeTileTransposed(
      float[] tile, int mr, int nr, float[] c, int ci, int ldc, float beta) {
    for (int q = 0; q < nr; q++) {
      int o = ci + q * ldc;
      if (beta == 0f) {
        for (int r = 0; r < mr; r++) {
          c[o + r] = tile[r * NR + q];
        }
      } else {
        for (int r = 0; r < mr; r++) {
          c[o + r] = tile[r * NR + q] + beta * c[o + r];
        }
      }
    }
  }

  /**
   * Packs rows {@code [i0, i0 + rows)} x cols {@code [p0, p0 + kc)} of alpha * op(A) into MR-row
   * panels: panel q holds, for each p, the MR values of column p contiguously. Rows past {@code
   * rows} are zero.
   */
  static void packA(
      boolean transA,
      float[] a,
      int aOff,
      int lda,
      int i0,
      int rows,
      int p0,
      int kc,
      float alpha,
      float[] ap) {
    packA(transA, a, aOff, lda, i0, rows, p0, kc, alpha, ap, 0);
  }

  /** As above, writing the panels from {@code ap[dst]} on. */
  static void packA(
      boolean transA,
      float[] a,
      int aOff,
      int lda,
      int i0,
      int rows,
      int p0,
      int kc,
      float alpha,
      float[] ap,
      int dst) {
    // op(A)(i, p) = a[aOff + i * rs + p * ps]
    final int rs = transA ? 1 : lda;
    final int ps = transA ? lda : 1;
    for (int ii = 0; ii < rows; ii += MR) {
      int mr = Math.min(MR, rows - ii);
      int src = aOff + (i0 + ii) * rs + p0 * ps;
      if (mr == MR) {
        if (MR == 8) {
          packPanel8(a, src, rs, ps, kc, alpha, ap, dst);
        } else {
          packPanel6(a, src, rs, ps, kc, alpha, ap, dst);
        }
      } else {
        for (int p = 0; p < kc; p++) {
          int d = dst + p * MR;
          int r = 0;
          for (; r < mr; r++) {
            ap[d + r] = alpha * a[src + r * rs + p * ps];
          }
          for (; r < MR; r++) {
            ap[d + r] = 0f;
          }
        }
      }
      dst += MR * kc;
    }
  }

  /** Packs one full panel of 8 rows: row r starts at {@code src + r * rs}, p steps by {@code ps}. */
  private static void packPanel8(
      float[] a, int src, int rs, int ps, int kc, float alpha, float[] ap, int dst) {
    int s0 = src;
    int s1 = s0 + rs;
    int s2 = s1 + rs;
    int s3 = s2 + rs;
    int s4 = s3 + rs;
    int s5 = s4 + rs;
    int s6 = s5 + rs;
    int s7 = s6 + rs;
    for (int p = 0; p < kc; p++) {
      int o = p * ps;
      int d = dst + p * 8;
      ap[d] = alpha * a[s0 + o];
      ap[d + 1] = alpha * a[s1 + o];
      ap[d + 2] = alpha * a[s2 + o];
      ap[d + 3] = alpha * a[s3 + o];
      ap[d + 4] = alpha * a[s4 + o];
      ap[d + 5] = alpha * a[s5 + o];
      ap[d + 6] = alpha * a[s6 + o];
      ap[d + 7] = alpha * a[s7 + o];
    }
  }

  /** Packs one full panel of 6 rows: row r starts at {@code src + r * rs}, p steps by {@code ps}. */
  private static void packPanel6(
      float[] a, int src, int rs, int ps, int kc, float alpha, float[] ap, int dst) {
    int s0 = src;
    int s1 = s0 + rs;
    int s2 = s1 + rs;
    int s3 = s2 + rs;
    int s4 = s3 + rs;
    int s5 = s4 + rs;
    for (int p = 0; p < kc; p++) {
      int o = p * ps;
      int d = dst + p * 6;
      ap[d] = alpha * a[s0 + o];
      ap[d + 1] = alpha * a[s1 + o];
      ap[d + 2] = alpha * a[s2 + o];
      ap[d + 3] = alpha * a[s3 + o];
      ap[d + 4] = alpha * a[s4 + o];
      ap[d + 5] = alpha * a[s5 + o];
    }
  }

  /**
   * Packs panels {@code [q0, q1)} of rows {@code [p0, p0 + kc)} x cols {@code [j0, j0 + cols)} of
   * alpha * op(B): panel q, at {@code q * kc * NR}, holds for each p the NR values of row p
   * contiguously. Columns past {@code cols} are zero.
   */
  static void packB(
      boolean transB,
      float[] b,
      int bOff,
      int ldb,
      int p0,
      int kc,
      int j0,
      int cols,
      float[] bp,
      int q0,
      int q1,
      float alpha) {
    packB(transB, b, bOff, ldb, p0, kc, j0, cols, bp, q0, q1);
    if (alpha != 1f) {
      FloatVector av = FloatVector.broadcast(S, alpha);
      for (int i = q0 * kc * NR; i < q1 * kc * NR; i += V) {
        FloatVector.fromArray(S, bp, i).mul(av).intoArray(bp, i);
      }
    }
  }

  private static void packB(
      boolean transB,
      float[] b,
      int bOff,
      int ldb,
      int p0,
      int kc,
      int j0,
      int cols,
      float[] bp,
      int q0,
      int q1) {
    for (int q = q0; q < q1; q++) {
      int jj = q * NR;
      int nr = Math.min(NR, cols - jj);
      int dst = q * kc * NR;
      if (!transB) {
        int src = bOff + p0 * ldb + j0 + jj;
        if (nr == NR) {
          for (int p = 0; p < kc; p++) {
            int so = src + p * ldb;
            int d = dst + p * NR;
            FloatVector.fromArray(S, b, so).intoArray(bp, d);
            FloatVector.fromArray(S, b, so + V).intoArray(bp, d + V);
          }
        } else {
          for (int p = 0; p < kc; p++) {
            int so = src + p * ldb;
            int d = dst + p * NR;
            int x = 0;
            for (; x < nr; x++) {
              bp[d + x] = b[so + x];
            }
            for (; x < NR; x++) {
              bp[d + x] = 0f;
            }
          }
        }
      } else {
        // op(B)(p, j) = b[bOff + j * ldb + p]: read columns of op(B) contiguously, 8 at a time.
        int x = 0;
        for (; x + 8 <= nr; x += 8) {
          int s0 = bOff + (j0 + jj + x) * ldb + p0;
          int s1 = s0 + ldb;
          int s2 = s1 + ldb;
          int s3 = s2 + ldb;
          int s4 = s3 + ldb;
          int s5 = s4 + ldb;
          int s6 = s5 + ldb;
          int s7 = s6 + ldb;
          for (int p = 0; p < kc; p++) {
            int d = dst + p * NR + x;
            bp[d] = b[s0 + p];
            bp[d + 1] = b[s1 + p];
            bp[d + 2] = b[s2 + p];
            bp[d + 3] = b[s3 + p];
            bp[d + 4] = b[s4 + p];
            bp[d + 5] = b[s5 + p];
            bp[d + 6] = b[s6 + p];
            bp[d + 7] = b[s7 + p];
          }
        }
        for (; x < nr; x++) {
          int so = bOff + (j0 + jj + x) * ldb + p0;
          int d = dst + x;
          for (int p = 0; p < kc; p++) {
            bp[d + p * NR] = b[so + p];
          }
        }
        if (nr < NR) {
          for (int p = 0; p < kc; p++) {
            int d = dst + p * NR;
            for (int z = nr; z < NR; z++) {
              bp[d + z] = 0f;
            }
          }
        }
      }
    }
  }

  /**
   * The micro-kernel: tile[MR x NR] = A[MR x kc] * B[kc x NR], tile row-major with row stride NR,
   * A a packed MR-row panel (value (r, p) at {@code a[ao + p * MR + r]}) and B a packed NR-column
   * panel (value (p, j) at {@code bp[bi + p * NR + j]}). All MR x 2 accumulators stay in registers
   * for the whole k loop. {@link #kernelY} and {@link #kernelX} are the same loop with B, or A,
   * read in place.
   *
   * <p>The loops step their offsets by addition ({@code bo += NR}) rather than computing {@code bi
   * + p * NR}: with JDK 17's C2 that ran the loop up to 1.3x faster here (packed operands; 2x with
   * A's rows in place), measured on a 2-vCPU AMD EPYC with AVX2.
   *
   * <p>It writes a small tile rather than C so that its bytecode stays small: HotSpot's C1 gives up
   * on a larger method ("out of virtual registers"), and a method C1 cannot profile may never reach
   * C2, which alone turns Vector API calls into vector instructions.
   */
  static void kernel(int kc, float[] a, int ao, float[] bp, int bi, float[] tile) {
    if (MR == 8) {
      kernel8(kc, a, ao, bp, bi, tile);
    } else {
      kernel6(kc, a, ao, bp, bi, tile);
    }
  }

  /**
   * {@link #kernel} with B read in place: value (p, j) at {@code b[bo + p * ldb + j]}, the NR
   * columns contiguous.
   */
  static void kernelY(int kc, float[] a, int ao, float[] b, int bo, int ldb, float[] tile) {
    if (MR == 8) {
      kernel8y(kc, a, ao, b, bo, ldb, tile);
    } else {
      kernel6y(kc, a, ao, b, bo, ldb, tile);
    }
  }

  /**
   * {@link #kernel} with A read in place: value (r, p) at {@code a[ao + r * lda + p]}, each of the
   * MR rows contiguous in p.
   */
  static void kernelX(int kc, float[] a, int ao, int lda, float[] bp, int bi, float[] tile) {
    if (MR == 8) {
      kernel8x(kc, a, ao, lda, bp, bi, tile);
    } else {
      kernel6x(kc, a, ao, lda, bp, bi, tile);
    }
  }

  /**
   * The first 4 rows of a packed MR-row panel x 2 vectors (8 accumulators, enough to keep both
   * FMA pipes busy): for a last panel of at most 4 rows; see {@link #kernel}.
   */
  private static void kernel4(int kc, float[] a, int ao, float[] bp, int bi, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    int o = ao;
    int bo = bi;
    for (int p = 0; p < kc; p++, o += MR, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[o + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[o + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[o + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
  }

  /** {@link #kernel4} with B in place; see {@link #kernelY}. */
  private static void kernel4y(int kc, float[] a, int ao, float[] b, int bo, int ldb, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    int o = ao;
    int bq = bo;
    for (int p = 0; p < kc; p++, o += MR, bq += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bq);
      FloatVector b1 = FloatVector.fromArray(S, b, bq + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[o + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[o + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[o + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
  }

  /**
   * {@link #kernel} for a panel of which only the first {@code mr} rows are wanted: at most 4 run
   * the 4-row kernel instead of the full MR rows (m = 8 or 32: 17 % or 6 % less work).
   */
  static void kernelRows(int mr, int kc, float[] a, int ao, float[] bp, int bi, float[] tile) {
    if (mr <= 4) {
      kernel4(kc, a, ao, bp, bi, tile);
    } else {
      kernel(kc, a, ao, bp, bi, tile);
    }
  }

  /** {@link #kernelY} for the first {@code mr} rows of a panel; see {@link #kernelRows}. */
  static void kernelRowsY(
      int mr, int kc, float[] a, int ao, float[] b, int bo, int ldb, float[] tile) {
    if (mr <= 4) {
      kernel4y(kc, a, ao, b, bo, ldb, tile);
    } else {
      kernelY(kc, a, ao, b, bo, ldb, tile);
    }
  }

  /** 8 x 2 vectors, both operands packed; see {@link #kernel}. */
  private static void kernel8(int kc, float[] a, int ao, float[] bp, int bi, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S);
    FloatVector c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S);
    FloatVector c71 = FloatVector.zero(S);
    int o = ao;
    int bo = bi;
    for (int p = 0; p < kc; p++, o += 8, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[o + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[o + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[o + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[o + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[o + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, a[o + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, a[o + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
    c40.intoArray(t, 8 * V);
    c41.intoArray(t, 9 * V);
    c50.intoArray(t, 10 * V);
    c51.intoArray(t, 11 * V);
    c60.intoArray(t, 12 * V);
    c61.intoArray(t, 13 * V);
    c70.intoArray(t, 14 * V);
    c71.intoArray(t, 15 * V);
  }

  /** 8 x 2 vectors, B in place; see {@link #kernelY}. */
  private static void kernel8y(int kc, float[] a, int ao, float[] b, int bo, int ldb, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S);
    FloatVector c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S);
    FloatVector c71 = FloatVector.zero(S);
    int o = ao;
    int bq = bo;
    for (int p = 0; p < kc; p++, o += 8, bq += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bq);
      FloatVector b1 = FloatVector.fromArray(S, b, bq + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[o + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[o + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[o + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[o + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[o + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, a[o + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, a[o + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
    c40.intoArray(t, 8 * V);
    c41.intoArray(t, 9 * V);
    c50.intoArray(t, 10 * V);
    c51.intoArray(t, 11 * V);
    c60.intoArray(t, 12 * V);
    c61.intoArray(t, 13 * V);
    c70.intoArray(t, 14 * V);
    c71.intoArray(t, 15 * V);
  }

  /** 8 x 2 vectors, A in place; see {@link #kernelX}. */
  private static void kernel8x(int kc, float[] a, int ao, int lda, float[] bp, int bi, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S);
    FloatVector c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S);
    FloatVector c71 = FloatVector.zero(S);
    int a0 = ao;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int a4 = a3 + lda;
    int a5 = a4 + lda;
    int a6 = a5 + lda;
    int a7 = a6 + lda;
    int bo = bi;
    for (int p = 0; p < kc; p++, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[a5 + p]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, a[a6 + p]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, a[a7 + p]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
    c40.intoArray(t, 8 * V);
    c41.intoArray(t, 9 * V);
    c50.intoArray(t, 10 * V);
    c51.intoArray(t, 11 * V);
    c60.intoArray(t, 12 * V);
    c61.intoArray(t, 13 * V);
    c70.intoArray(t, 14 * V);
    c71.intoArray(t, 15 * V);
  }

  /** 6 x 2 vectors, both operands packed; see {@link #kernel}. */
  private static void kernel6(int kc, float[] a, int ao, float[] bp, int bi, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    int o = ao;
    int bo = bi;
    for (int p = 0; p < kc; p++, o += 6, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[o + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[o + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[o + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[o + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[o + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
    c40.intoArray(t, 8 * V);
    c41.intoArray(t, 9 * V);
    c50.intoArray(t, 10 * V);
    c51.intoArray(t, 11 * V);
  }

  /** 6 x 2 vectors, B in place; see {@link #kernelY}. */
  private static void kernel6y(int kc, float[] a, int ao, float[] b, int bo, int ldb, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    int o = ao;
    int bq = bo;
    for (int p = 0; p < kc; p++, o += 6, bq += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bq);
      FloatVector b1 = FloatVector.fromArray(S, b, bq + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[o + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[o + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[o + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[o + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[o + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
    c40.intoArray(t, 8 * V);
    c41.intoArray(t, 9 * V);
    c50.intoArray(t, 10 * V);
    c51.intoArray(t, 11 * V);
  }

  /** 6 x 2 vectors, A in place; see {@link #kernelX}. */
  private static void kernel6x(int kc, float[] a, int ao, int lda, float[] bp, int bi, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    int a0 = ao;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int a4 = a3 + lda;
    int a5 = a4 + lda;
    int bo = bi;
    for (int p = 0; p < kc; p++, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[a5 + p]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    c00.intoArray(t, 0 * V);
    c01.intoArray(t, 1 * V);
    c10.intoArray(t, 2 * V);
    c11.intoArray(t, 3 * V);
    c20.intoArray(t, 4 * V);
    c21.intoArray(t, 5 * V);
    c30.intoArray(t, 6 * V);
    c31.intoArray(t, 7 * V);
    c40.intoArray(t, 8 * V);
    c41.intoArray(t, 9 * V);
    c50.intoArray(t, 10 * V);
    c51.intoArray(t, 11 * V);
  }

  private static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  private static int roundUp(int x, int y) {
    return ceilDiv(x, y) * y;
  }
}
