package dev.jnn.backend.cpu;

import jdk.incubator.vector.FloatVector;
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
   * has 32 vector registers (AVX-512), else 4 x 2 = 8 (AVX2 has 16 registers).
   *
   * <p>Not 6 x 2 on AVX2, although its 12 accumulators, two B vectors and a broadcast fit the 16
   * registers: JDK 17's C2 compiles that loop differently from one JVM process to the next
   * (register allocation follows the profile it happens to have collected), and in some processes
   * it spills accumulators to the stack, which puts a store-to-load round trip into every
   * accumulator's dependency chain. Measured on a 2-vCPU AMD EPYC (AVX2): the 6-row kernel ran at
   * 36-39 GFLOP/s in such processes and 70-85 in others, while the same loop in C (gcc -O2) ran
   * at 85-90 in every run; the 4-row loop compiled without spills (25 instructions) in every
   * process inspected ({@code -XX:CompileCommand=print} with hsdis). The system property {@code
   * jnn.cpu.gemm.rows=6} or {@code =8} selects those kernels instead, so that a test on an AVX2
   * machine runs the code AVX-512 machines run.
   */
  static final int MR = rows(System.getProperty("jnn.cpu.gemm.rows"), V);

  /** The micro-tile rows for {@code jnn.cpu.gemm.rows} (4, 6 or 8; otherwise by the lanes). */
  static int rows(String property, int lanes) {
    if ("4".equals(property) || "6".equals(property) || "8".equals(property)) {
      return Integer.parseInt(property);
    }
    return lanes >= 16 ? 8 : 4;
  }
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
  static final class Scratch {
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

  static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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
        threads > 1 && (long) m * n * k >= PARALLEL_MIN_MACS && Parallel.canSplit();
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
      Parallel.forEach(
          ceilDiv(mPanels, packUnit),
          u -> {
            int r0 = u * packUnit * MR;
            int r1 = Math.min(rows, (u + 1) * packUnit * MR);
            packA(transA, a, aOff, lda, ii + r0, r1 - r0, 0, k, alpha, ap, r0 * k);
          });
      if (nPanels >= 2 * threads || nPanels >= mPanels) {
        // Split C's columns: each unit packs only its own columns of B.
        final int unit = Math.max(1, Math.min(NC / NR, ceilDiv(nPanels, 4 * threads)));
        Parallel.forEach(
            ceilDiv(nPanels, unit),
            u -> block(transB, ap, 0, rows, u * unit * NR, Math.min(n, (u + 1) * unit * NR), k,
                b, bOff, ldb, beta, c, ci, ldc));
      } else {
        // Few columns (B is small): split C's rows; each unit packs all of B.
        final int unit = Math.max(1, ceilDiv(mPanels, 4 * threads));
        Parallel.forEach(
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
        VectorGemv.packVector(a, aOff, transA ? lda : 1, k, alpha, v);
        if (!transB) {
          VectorGemv.gemvRows(v, k, b, bOff, ldb, n, beta, c, cOff, 1, parallel);
        } else {
          VectorGemv.gemvDots(b, bOff, ldb, n, k, v, beta, c, cOff, 1, parallel);
        }
      } else {
        VectorGemv.packVector(b, bOff, transB ? 1 : ldb, k, alpha, v);
        if (!transA) {
          VectorGemv.gemvDots(a, aOff, lda, m, k, v, beta, c, cOff, ldc, parallel);
        } else {
          VectorGemv.gemvRows(v, k, a, aOff, lda, m, beta, c, cOff, ldc, parallel);
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
    Parallel.forEach(
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
            VectorGemmKernels.kernelRows(mr, kc, xp, g * MR * k + pc * MR, yy, yo, tile);
          } else {
            VectorGemmKernels.kernelRowsY(mr, kc, xp, g * MR * k + pc * MR, yy, yo, ldy, tile);
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
    Parallel.forEach(
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
            VectorGemmKernels.kernelX(kc, x, xOff + i * ldx + pc, ldx, yp, q * NR * k + pc * NR, tile);
          } else {
            VectorGemmKernels.kernelRows(mr, kc, xr, pc * MR, yp, q * NR * k + pc * NR, tile);
          }
          store(tile, mr, Math.min(NR, cols - j), c, cOff, ldc, i, j, transOut, betaEff);
        }
      }
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
              VectorGemmKernels.kernelRows(mr, kc, ap, i * k + pc * MR, bp, bi, tile);
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
    } else if (MR == 4) {
      mergeTileTransposed(t, MR, NR, c, ci, ldc, add ? 1f : 0f);
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
        } else if (MR == 6) {
          packPanel6(a, src, rs, ps, kc, alpha, ap, dst);
        } else {
          packPanel4(a, src, rs, ps, kc, alpha, ap, dst);
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

  /** Packs one full panel of 4 rows: row r starts at {@code src + r * rs}, p steps by {@code ps}. */
  private static void packPanel4(
      float[] a, int src, int rs, int ps, int kc, float alpha, float[] ap, int dst) {
    int s0 = src;
    int s1 = s0 + rs;
    int s2 = s1 + rs;
    int s3 = s2 + rs;
    for (int p = 0; p < kc; p++) {
      int o = p * ps;
      int d = dst + p * 4;
      ap[d] = alpha * a[s0 + o];
      ap[d + 1] = alpha * a[s1 + o];
      ap[d + 2] = alpha * a[s2 + o];
      ap[d + 3] = alpha * a[s3 + o];
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

  static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  static int roundUp(int x, int y) {
    return ceilDiv(x, y) * y;
  }
}
