package dev.jnn.backend.cpu;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/**
 * 2-D convolution on the CPU as GEMMs over im2col panels built block by block.
 *
 * <p>For one image and one group, the forward is {@code out[OCg x OHW] = W[OCg x K] * col[K x
 * OHW]} with {@code K = Cg * kh * kw}. The im2col matrix is never built whole: columns (output
 * positions) are taken in blocks of at most {@link #COL_BLOCK} elements, so a block stays in the
 * L2 cache between being written and being read by the GEMM, and the scratch is a per-thread,
 * grow-only array. The backward passes use the same blocks: backward-data computes {@code col =
 * W^T * gradOut} one block at a time and scatters it back with col2im; backward-filter accumulates
 * {@code gradOut * col^T}. A pointwise convolution (1x1, stride 1, no padding) skips im2col: the
 * input plane already is the column matrix.
 *
 * <p>Work is split over the batch on {@link Parallel} when there are at least as many images as
 * threads (the GEMMs then run on their worker thread); otherwise images run one after the other
 * and each GEMM splits itself. The bias is written into the output block before the GEMM, which
 * then accumulates onto it ({@code beta = 1}), so there is no separate pass over the output.
 *
 * <p>Float32 stride-1 convolutions take {@link VectorConv}'s implicit-GEMM path instead when the
 * Vector API is enabled (see {@link #IMPLICIT} and {@link VectorConvGate}), and their weight
 * gradient {@link VectorConvFilter}'s channel-vectorised one when there are at least a vector's
 * width of output channels per group; this class is the general path and the float64 path.
 */
final class CpuConv {
  /**
   * Maximum elements of one im2col block (1 MiB of floats: it and the GEMM's packed copy stay in
   * a core's L2). 256 KiB blocks cut workload c into 113-column GEMMs that repacked the weights
   * 28 times per image; the scalar path's forward ran 1.7x slower.
   */
  static final int COL_BLOCK = 1 << 18;
  /** Minimum number of columns of a block, whatever the kernel depth. */
  static final int MIN_COLS = 64;

  /**
   * Whether float32 stride-1 convolutions take {@link VectorConv}'s implicit-GEMM path (Vector
   * API enabled, and not switched off with {@code -Djnn.cpu.conv.implicit=false}).
   */
  static final boolean IMPLICIT =
      CpuFeatures.vectorEnabled()
          && !"false".equalsIgnoreCase(System.getProperty("jnn.cpu.conv.implicit", "true").trim());

  private CpuConv() {}

  private static boolean implicit(Buffer b, Conv2dGeometry g) {
    return IMPLICIT && b.dtype() == DType.FLOAT32 && VectorConvGate.supports(g);
  }

  /** The geometry tests of {@link VectorConv}, without loading it (it links the Vector API). */
  static final class VectorConvGate {
    private VectorConvGate() {}

    static boolean supports(Conv2dGeometry g) {
      return g.strideH() == 1 && g.strideW() == 1 && g.padTop() >= 0 && g.padLeft() >= 0;
    }

    /**
     * The dot-product weight gradient streams seven rows of the wide image per register block; it
     * wins while those rows stay in the L1 cache (small images, e.g. 28x28), and im2col + GEMM
     * wins on large ones.
     */
    static boolean supportsBackwardFilter(Conv2dGeometry g) {
      int hp = Math.max(g.padTop() + g.h(), g.oh() + (g.kh() - 1) * g.dilationH());
      int wp = Math.max(g.padLeft() + g.w(), g.ow() + (g.kw() - 1) * g.dilationW());
      return supports(g) && (long) hp * wp <= 2048;
    }

    /**
     * Whether {@link VectorConvFilter} (vectors along the output channels, tiles of 8 kernel
     * positions) would compute more than 1.5x the useful products in padding lanes and rows: 20
     * channels fill 20 of 32 lanes, and a first layer's 25 kernel positions 25 of 32 rows. Then
     * the dot-product kernel ({@link VectorConv#backwardFilter}) wins where it applies (conv1 of
     * workloads a and b, 1x28x28 -> 20: 1.37 -> 0.69 ms per batch of 64, 2 threads).
     */
    static boolean channelLanesWasted(Conv2dGeometry g) {
      int lanes = CpuFeatures.preferredFloatLanes();
      if (lanes <= 0) {
        return false;
      }
      long mp = (g.ocPerGroup() + lanes - 1) / lanes * lanes;
      long kp = (g.kdim() + 7) / 8 * 8;
      return 2 * mp * kp > 3L * g.ocPerGroup() * g.kdim();
    }

    /**
     * Backward-data as a forward convolution computes {@code c / groups} output rows per GEMM; with
     * few input channels (a network's first layer) the micro-kernel's rows would mostly be padding,
     * and col2im wins.
     */
    static boolean supportsBackwardData(Conv2dGeometry g) {
      return supports(g)
          && g.cPerGroup() >= 8
          && g.padTop() <= (g.kh() - 1) * g.dilationH()
          && g.padLeft() <= (g.kw() - 1) * g.dilationW();
    }

    /**
     * Whether backward-data as a forward convolution would multiply many padding zeros: it
     * computes {@code h x (w + (kw - 1) * dw)} wide outputs per channel where the product needs
     * {@code oh x ow} (LeNet's second layer: 12 x 16 for 8 x 8). Then {@link
     * VectorConv#backwardDataGemm} (GEMM + wide col2im, waste {@code w / ow}) wins.
     */
    static boolean backwardDataPadWaste(Conv2dGeometry g) {
      long asForward = (long) g.h() * (g.w() + (g.kw() - 1) * g.dilationW());
      return 10L * asForward > 13L * g.oh() * g.ow();
    }
  }

  // ------------------------------------------------------------------ precision strategy

  /** The operations that differ between float32 and float64. */
  private abstract static class Prec {
    abstract Object array(Buffer b);

    abstract Object scratch(int size);

    abstract Object newArray(int size);

    /** {@code a[0 .. n) = 0}. */
    abstract void zero(Object a, int n);

    /** The calling thread's per-range accumulators for {@link #partials}, grow-only. */
    private final ThreadLocal<Object[]> partials = ThreadLocal.withInitial(() -> new Object[0]);

    /**
     * {@code ranges} zeroed accumulators of {@code size}, distinct arrays (the calling thread's
     * grow-only scratch, distinct from {@link #scratch}).
     */
    final Object[] partials(int ranges, int size) {
      Object[] p = partials.get();
      if (p.length < ranges) {
        p = java.util.Arrays.copyOf(p, ranges);
        partials.set(p);
      }
      for (int r = 0; r < ranges; r++) {
        if (p[r] == null || java.lang.reflect.Array.getLength(p[r]) < size) {
          p[r] = newArray(size);
        } else {
          zero(p[r], size);
        }
      }
      return java.util.Arrays.copyOf(p, ranges);
    }

    abstract void im2col(Object x, int xOff, Conv2dGeometry g, int j0, int nb, Object col);

    abstract void col2im(Object col, Conv2dGeometry g, int j0, int nb, Object gx, int gxOff);

    abstract void gemm(
        boolean ta,
        boolean tb,
        int m,
        int n,
        int k,
        Object a,
        int aOff,
        int lda,
        Object b,
        int bOff,
        int ldb,
        boolean accumulate,
        Object c,
        int cOff,
        int ldc);

    /** {@code c[r * ldc + j] = bias[bOff + r]} for r < rows, j < cols. */
    abstract void fillRows(Object c, int cOff, int ldc, int rows, int cols, Object bias, int bOff);

    /** {@code dst[dOff + i] += src[i]} for i < n. */
    abstract void addInto(Object src, Object dst, int dOff, int n);
  }

  private static final ThreadLocal<float[][]> F_SCRATCH =
      ThreadLocal.withInitial(() -> new float[][] {new float[0]});
  private static final ThreadLocal<double[][]> D_SCRATCH =
      ThreadLocal.withInitial(() -> new double[][] {new double[0]});

  private static final Prec F32 =
      new Prec() {
        @Override
        Object array(Buffer b) {
          return ((HostBuffer) b).floats();
        }

        @Override
        Object scratch(int size) {
          float[][] s = F_SCRATCH.get();
          if (s[0].length < size) {
            s[0] = new float[size];
          }
          return s[0];
        }

        @Override
        Object newArray(int size) {
          return new float[size];
        }

        @Override
        void zero(Object a, int n) {
          java.util.Arrays.fill((float[]) a, 0, n, 0f);
        }

        @Override
        void im2col(Object x, int xOff, Conv2dGeometry g, int j0, int nb, Object col) {
          im2colF((float[]) x, xOff, g, j0, nb, (float[]) col);
        }

        @Override
        void col2im(Object col, Conv2dGeometry g, int j0, int nb, Object gx, int gxOff) {
          col2imF((float[]) col, g, j0, nb, (float[]) gx, gxOff);
        }

        @Override
        void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, int lda,
            Object b, int bOff, int ldb, boolean accumulate, Object c, int cOff, int ldc) {
          Gemm.sgemm(ta, tb, m, n, k, 1f, (float[]) a, aOff, lda, (float[]) b, bOff, ldb,
              accumulate ? 1f : 0f, (float[]) c, cOff, ldc);
        }

        @Override
        void fillRows(Object c, int cOff, int ldc, int rows, int cols, Object bias, int bOff) {
          float[] cc = (float[]) c;
          float[] bb = (float[]) bias;
          for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(cc, cOff + r * ldc, cOff + r * ldc + cols, bb[bOff + r]);
          }
        }

        @Override
        void addInto(Object src, Object dst, int dOff, int n) {
          float[] s = (float[]) src;
          float[] d = (float[]) dst;
          for (int i = 0; i < n; i++) {
            d[dOff + i] += s[i];
          }
        }
      };

  private static final Prec F64 =
      new Prec() {
        @Override
        Object array(Buffer b) {
          return ((HostBuffer) b).doubles();
        }

        @Override
        Object scratch(int size) {
          double[][] s = D_SCRATCH.get();
          if (s[0].length < size) {
            s[0] = new double[size];
          }
          return s[0];
        }

        @Override
        Object newArray(int size) {
          return new double[size];
        }

        @Override
        void zero(Object a, int n) {
          java.util.Arrays.fill((double[]) a, 0, n, 0.0);
        }

        @Override
        void im2col(Object x, int xOff, Conv2dGeometry g, int j0, int nb, Object col) {
          im2colD((double[]) x, xOff, g, j0, nb, (double[]) col);
        }

        @Override
        void col2im(Object col, Conv2dGeometry g, int j0, int nb, Object gx, int gxOff) {
          col2imD((double[]) col, g, j0, nb, (double[]) gx, gxOff);
        }

        @Override
        void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, int lda,
            Object b, int bOff, int ldb, boolean accumulate, Object c, int cOff, int ldc) {
          Gemm.dgemm(ta, tb, m, n, k, 1.0, (double[]) a, aOff, lda, (double[]) b, bOff, ldb,
              accumulate ? 1.0 : 0.0, (double[]) c, cOff, ldc);
        }

        @Override
        void fillRows(Object c, int cOff, int ldc, int rows, int cols, Object bias, int bOff) {
          double[] cc = (double[]) c;
          double[] bb = (double[]) bias;
          for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(cc, cOff + r * ldc, cOff + r * ldc + cols, bb[bOff + r]);
          }
        }

        @Override
        void addInto(Object src, Object dst, int dOff, int n) {
          double[] s = (double[]) src;
          double[] d = (double[]) dst;
          for (int i = 0; i < n; i++) {
            d[dOff + i] += s[i];
          }
        }
      };

  private static Prec prec(DType dt) {
    return switch (dt) {
      case FLOAT32 -> F32;
      case FLOAT64 -> F64;
      default -> throw new IllegalArgumentException("conv2d is not implemented for " + dt);
    };
  }

  /** Columns per im2col block for this geometry (balanced so the last block is not tiny). */
  static int blockCols(Conv2dGeometry g) {
    int ohw = g.oh() * g.ow();
    int max = Math.max(MIN_COLS, COL_BLOCK / Math.max(1, g.kdim()));
    if (max >= ohw) {
      return ohw;
    }
    int blocks = (ohw + max - 1) / max;
    return (ohw + blocks - 1) / blocks;
  }

  /** Whether to split the batch over threads (else each GEMM splits itself). */
  private static boolean batchParallel(Conv2dGeometry g) {
    return Parallel.threads() > 1 && g.n() >= Parallel.threads();
  }

  // ------------------------------------------------------------------ forward

  static void forward(View x, View weight, View bias, Buffer out, Conv2dGeometry g) {
    if (implicit(x.buffer(), g)) {
      VectorConv.forward(
          ((HostBuffer) x.buffer()).floats(), x.offset(),
          ((HostBuffer) weight.buffer()).floats(), weight.offset(),
          bias == null ? null : ((HostBuffer) bias.buffer()).floats(),
          bias == null ? 0 : bias.offset(),
          ((HostBuffer) out).floats(), g);
      return;
    }
    forwardGeneric(x, weight, bias, out, g);
  }

  /** The im2col + GEMM path (any stride, float32 or float64). */
  static void forwardGeneric(View x, View weight, View bias, Buffer out, Conv2dGeometry g) {
    Prec p = prec(x.buffer().dtype());
    Object xa = p.array(x.buffer());
    Object wa = p.array(weight.buffer());
    Object ba = bias == null ? null : p.array(bias.buffer());
    Object oa = p.array(out);
    int xo = x.offset();
    int wo = weight.offset();
    int bo = bias == null ? 0 : bias.offset();
    Parallel.RangeBody body =
        (s, e) -> {
          for (int n = s; n < e; n++) {
            forwardImage(p, xa, xo, wa, wo, ba, bo, oa, g, n);
          }
        };
    if (batchParallel(g)) {
      Parallel.parallelFor(g.n(), 1, body);
    } else {
      body.run(0, g.n());
    }
  }

  private static void forwardImage(
      Prec p, Object x, int xOff, Object w, int wOff, Object bias, int bOff, Object out,
      Conv2dGeometry g, int n) {
    int hw = g.h() * g.w();
    int ohw = g.oh() * g.ow();
    int cg = g.cPerGroup();
    int ocg = g.ocPerGroup();
    int k = g.kdim();
    boolean pointwise = g.isPointwise();
    int nb = pointwise ? ohw : blockCols(g);
    Object col = pointwise ? null : p.scratch(k * nb);
    for (int grp = 0; grp < g.groups(); grp++) {
      int xg = xOff + (n * g.c() + grp * cg) * hw;
      int wg = wOff + grp * ocg * k;
      int og = (n * g.oc() + grp * ocg) * ohw;
      for (int j0 = 0; j0 < ohw; j0 += nb) {
        int cols = Math.min(nb, ohw - j0);
        boolean acc = bias != null;
        if (acc) {
          p.fillRows(out, og + j0, ohw, ocg, cols, bias, bOff + grp * ocg);
        }
        if (pointwise) {
          p.gemm(false, false, ocg, cols, k, w, wg, k, x, xg + j0, hw, acc, out, og + j0, ohw);
        } else {
          p.im2col(x, xg, g, j0, cols, col);
          p.gemm(false, false, ocg, cols, k, w, wg, k, col, 0, cols, acc, out, og + j0, ohw);
        }
      }
    }
  }

  // ------------------------------------------------------------------ backward data

  static void backwardData(View gradOut, View weight, Buffer gradIn, Conv2dGeometry g) {
    if (implicit(gradOut.buffer(), g) && CpuFeatures.preferredFloatLanes() >= 16
        && VectorConvGate.backwardDataPadWaste(g)) {
      VectorConv.backwardDataGemm(
          ((HostBuffer) gradOut.buffer()).floats(), gradOut.offset(),
          ((HostBuffer) weight.buffer()).floats(), weight.offset(),
          ((HostBuffer) gradIn).floats(), g);
      return;
    }
    if (implicit(gradOut.buffer(), g) && VectorConvGate.supportsBackwardData(g)) {
      VectorConv.backwardData(
          ((HostBuffer) gradOut.buffer()).floats(), gradOut.offset(),
          ((HostBuffer) weight.buffer()).floats(), weight.offset(),
          ((HostBuffer) gradIn).floats(), g);
      return;
    }
    backwardDataGeneric(gradOut, weight, gradIn, g);
  }

  /** The im2col + GEMM path (any stride, float32 or float64). */
  static void backwardDataGeneric(View gradOut, View weight, Buffer gradIn, Conv2dGeometry g) {
    Prec p = prec(gradOut.buffer().dtype());
    Object ga = p.array(gradOut.buffer());
    Object wa = p.array(weight.buffer());
    Object gi = p.array(gradIn);
    int go = gradOut.offset();
    int wo = weight.offset();
    Parallel.RangeBody body =
        (s, e) -> {
          for (int n = s; n < e; n++) {
            backwardDataImage(p, ga, go, wa, wo, gi, g, n);
          }
        };
    if (batchParallel(g)) {
      Parallel.parallelFor(g.n(), 1, body);
    } else {
      body.run(0, g.n());
    }
  }

  private static void backwardDataImage(
      Prec p, Object gout, int gOff, Object w, int wOff, Object gin, Conv2dGeometry g, int n) {
    int hw = g.h() * g.w();
    int ohw = g.oh() * g.ow();
    int cg = g.cPerGroup();
    int ocg = g.ocPerGroup();
    int k = g.kdim();
    if (g.isPointwise()) {
      for (int grp = 0; grp < g.groups(); grp++) {
        int gg = gOff + (n * g.oc() + grp * ocg) * ohw;
        int ig = (n * g.c() + grp * cg) * hw;
        p.gemm(true, false, cg, ohw, ocg, w, wOff + grp * ocg * k, k, gout, gg, ohw, false, gin,
            ig, hw);
      }
      return;
    }
    int nb = blockCols(g);
    Object col = p.scratch(k * nb);
    for (int grp = 0; grp < g.groups(); grp++) {
      int gg = gOff + (n * g.oc() + grp * ocg) * ohw;
      int ig = (n * g.c() + grp * cg) * hw;
      int wg = wOff + grp * ocg * k;
      for (int j0 = 0; j0 < ohw; j0 += nb) {
        int cols = Math.min(nb, ohw - j0);
        p.gemm(true, false, k, cols, ocg, w, wg, k, gout, gg + j0, ohw, false, col, 0, cols);
        p.col2im(col, g, j0, cols, gin, ig);
      }
    }
  }

  // ------------------------------------------------------------------ backward filter

  static void backwardFilter(View gradOut, View x, Buffer gradWeight, Conv2dGeometry g) {
    if (implicit(gradOut.buffer(), g) && VectorConvFilter.supports(g)
        && !(VectorConvGate.supportsBackwardFilter(g) && VectorConvGate.channelLanesWasted(g))) {
      // channel-vectorised outer products: no packing, no reductions (see VectorConvFilter)
      VectorConvFilter.backwardFilter(
          ((HostBuffer) gradOut.buffer()).floats(), gradOut.offset(),
          ((HostBuffer) x.buffer()).floats(), x.offset(),
          ((HostBuffer) gradWeight).floats(), g);
      return;
    }
    if (implicit(gradOut.buffer(), g) && VectorConvGate.supportsBackwardFilter(g)) {
      VectorConv.backwardFilter(
          ((HostBuffer) gradOut.buffer()).floats(), gradOut.offset(),
          ((HostBuffer) x.buffer()).floats(), x.offset(),
          ((HostBuffer) gradWeight).floats(), g);
      return;
    }
    backwardFilterGeneric(gradOut, x, gradWeight, g);
  }

  /** The im2col + GEMM path (any stride, float32 or float64). */
  static void backwardFilterGeneric(View gradOut, View x, Buffer gradWeight, Conv2dGeometry g) {
    Prec p = prec(gradOut.buffer().dtype());
    Object ga = p.array(gradOut.buffer());
    Object xa = p.array(x.buffer());
    Object gw = p.array(gradWeight);
    int go = gradOut.offset();
    int xo = x.offset();
    int wsize = g.oc() * g.kdim();
    if (batchParallel(g)) {
      // Images in fixed ranges handed out dynamically, one partial per range, added in range
      // order: balanced under load, and the sum cannot depend on timing (Parallel.forRanges).
      int ranges = Parallel.reductionRanges(g.n());
      Object[] parts = p.partials(ranges, wsize);
      Parallel.forRanges(
          g.n(),
          ranges,
          (r, s, e) -> {
            for (int n = s; n < e; n++) {
              backwardFilterImage(p, ga, go, xa, xo, parts[r], g, n);
            }
          });
      for (Object part : parts) {
        p.addInto(part, gw, 0, wsize);
      }
    } else {
      for (int n = 0; n < g.n(); n++) {
        backwardFilterImage(p, ga, go, xa, xo, gw, g, n);
      }
    }
  }

  /** Accumulates image {@code n}'s contribution into {@code gw} ({@code [oc, kdim]}). */
  private static void backwardFilterImage(
      Prec p, Object gout, int gOff, Object x, int xOff, Object gw, Conv2dGeometry g, int n) {
    int hw = g.h() * g.w();
    int ohw = g.oh() * g.ow();
    int cg = g.cPerGroup();
    int ocg = g.ocPerGroup();
    int k = g.kdim();
    boolean pointwise = g.isPointwise();
    int nb = pointwise ? ohw : blockCols(g);
    Object col = pointwise ? null : p.scratch(k * nb);
    for (int grp = 0; grp < g.groups(); grp++) {
      int gg = gOff + (n * g.oc() + grp * ocg) * ohw;
      int xg = xOff + (n * g.c() + grp * cg) * hw;
      int wg = grp * ocg * k;
      for (int j0 = 0; j0 < ohw; j0 += nb) {
        int cols = Math.min(nb, ohw - j0);
        if (pointwise) {
          p.gemm(false, true, ocg, k, cols, gout, gg + j0, ohw, x, xg + j0, hw, true, gw, wg, k);
        } else {
          p.im2col(x, xg, g, j0, cols, col);
          p.gemm(false, true, ocg, k, cols, gout, gg + j0, ohw, col, 0, cols, true, gw, wg, k);
        }
      }
    }
  }

  // ------------------------------------------------------------------ backward bias

  static void backwardBias(View gradOut, Buffer gradBias, Conv2dGeometry g) {
    int ohw = g.oh() * g.ow();
    int oc = g.oc();
    int off = gradOut.offset();
    if (gradOut.buffer().dtype() == DType.FLOAT32) {
      float[] go = ((HostBuffer) gradOut.buffer()).floats();
      float[] gb = ((HostBuffer) gradBias).floats();
      Parallel.parallelFor(
          oc,
          Math.max(1, (1 << 15) / Math.max(1, ohw * g.n())),
          (s, e) -> {
            for (int o = s; o < e; o++) {
              double acc = 0;
              for (int n = 0; n < g.n(); n++) {
                acc += sumF(go, off + (n * oc + o) * ohw, ohw);
              }
              gb[o] = (float) acc;
            }
          });
    } else {
      double[] go = ((HostBuffer) gradOut.buffer()).doubles();
      double[] gb = ((HostBuffer) gradBias).doubles();
      for (int o = 0; o < oc; o++) {
        double acc = 0;
        for (int n = 0; n < g.n(); n++) {
          int base = off + (n * oc + o) * ohw;
          for (int i = 0; i < ohw; i++) {
            acc += go[base + i];
          }
        }
        gb[o] = acc;
      }
    }
  }

  /** Sum of {@code len} floats with eight independent float partial sums, combined in double. */
  static double sumF(float[] a, int off, int len) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      int b = off + i;
      s0 += a[b];
      s1 += a[b + 1];
      s2 += a[b + 2];
      s3 += a[b + 3];
      s4 += a[b + 4];
      s5 += a[b + 5];
      s6 += a[b + 6];
      s7 += a[b + 7];
    }
    double s = (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
    for (; i < len; i++) {
      s += a[off + i];
    }
    return s;
  }

  // ------------------------------------------------------------------ im2col / col2im

  /**
   * Writes columns {@code [j0, j0 + nb)} of one group's im2col matrix ({@code kdim} rows) into
   * {@code col} (row-major, leading dimension {@code nb}). {@code xOff} is the group's first input
   * plane.
   */
  static void im2colF(float[] x, int xOff, Conv2dGeometry g, int j0, int nb, float[] col) {
    final int h = g.h();
    final int w = g.w();
    final int ow = g.ow();
    final int sh = g.strideH();
    final int sw = g.strideW();
    final int j1 = j0 + nb;
    int row = 0;
    for (int c = 0; c < g.cPerGroup(); c++) {
      int plane = xOff + c * h * w;
      for (int ki = 0; ki < g.kh(); ki++) {
        int rowOff = ki * g.dilationH() - g.padTop();
        for (int kj = 0; kj < g.kw(); kj++) {
          int colOff = kj * g.dilationW() - g.padLeft();
          int dst = row * nb - j0;
          int q = j0;
          int oh = q / ow;
          int ow0 = q - oh * ow;
          while (q < j1) {
            int run = Math.min(ow - ow0, j1 - q);
            int ih = oh * sh + rowOff;
            int d = dst + q;
            if (ih < 0 || ih >= h) {
              java.util.Arrays.fill(col, d, d + run, 0f);
            } else {
              int src = plane + ih * w;
              int iw0 = ow0 * sw + colOff;
              if (sw == 1) {
                int lo = Math.min(run, Math.max(0, -iw0));
                int hi = Math.max(lo, Math.min(run, w - iw0));
                for (int t = 0; t < lo; t++) {
                  col[d + t] = 0f;
                }
                System.arraycopy(x, src + iw0 + lo, col, d + lo, hi - lo);
                for (int t = hi; t < run; t++) {
                  col[d + t] = 0f;
                }
              } else {
                for (int t = 0; t < run; t++) {
                  int iw = iw0 + t * sw;
                  col[d + t] = iw >= 0 && iw < w ? x[src + iw] : 0f;
                }
              }
            }
            q += run;
            oh++;
            ow0 = 0;
          }
          row++;
        }
      }
    }
  }

  /** Adds block {@code col} (as written by {@link #im2colF}) back into the input gradient. */
  static void col2imF(float[] col, Conv2dGeometry g, int j0, int nb, float[] gx, int gxOff) {
    final int h = g.h();
    final int w = g.w();
    final int ow = g.ow();
    final int sh = g.strideH();
    final int sw = g.strideW();
    final int j1 = j0 + nb;
    int row = 0;
    for (int c = 0; c < g.cPerGroup(); c++) {
      int plane = gxOff + c * h * w;
      for (int ki = 0; ki < g.kh(); ki++) {
        int rowOff = ki * g.dilationH() - g.padTop();
        for (int kj = 0; kj < g.kw(); kj++) {
          int colOff = kj * g.dilationW() - g.padLeft();
          int dst = row * nb - j0;
          int q = j0;
          int oh = q / ow;
          int ow0 = q - oh * ow;
          while (q < j1) {
            int run = Math.min(ow - ow0, j1 - q);
            int ih = oh * sh + rowOff;
            int d = dst + q;
            if (ih >= 0 && ih < h) {
              int src = plane + ih * w;
              int iw0 = ow0 * sw + colOff;
              if (sw == 1) {
                int lo = Math.min(run, Math.max(0, -iw0));
                int hi = Math.max(lo, Math.min(run, w - iw0));
                int base = src + iw0;
                for (int t = lo; t < hi; t++) {
                  gx[base + t] += col[d + t];
                }
              } else {
                for (int t = 0; t < run; t++) {
                  int iw = iw0 + t * sw;
                  if (iw >= 0 && iw < w) {
                    gx[src + iw] += col[d + t];
                  }
                }
              }
            }
            q += run;
            oh++;
            ow0 = 0;
          }
          row++;
        }
      }
    }
  }

  /** {@link #im2colF} for float64. */
  static void im2colD(double[] x, int xOff, Conv2dGeometry g, int j0, int nb, double[] col) {
    final int h = g.h();
    final int w = g.w();
    final int ow = g.ow();
    final int sh = g.strideH();
    final int sw = g.strideW();
    final int j1 = j0 + nb;
    int row = 0;
    for (int c = 0; c < g.cPerGroup(); c++) {
      int plane = xOff + c * h * w;
      for (int ki = 0; ki < g.kh(); ki++) {
        int rowOff = ki * g.dilationH() - g.padTop();
        for (int kj = 0; kj < g.kw(); kj++) {
          int colOff = kj * g.dilationW() - g.padLeft();
          int dst = row * nb - j0;
          int q = j0;
          int oh = q / ow;
          int ow0 = q - oh * ow;
          while (q < j1) {
            int run = Math.min(ow - ow0, j1 - q);
            int ih = oh * sh + rowOff;
            int d = dst + q;
            if (ih < 0 || ih >= h) {
              java.util.Arrays.fill(col, d, d + run, 0.0);
            } else {
              int src = plane + ih * w;
              int iw0 = ow0 * sw + colOff;
              for (int t = 0; t < run; t++) {
                int iw = iw0 + t * sw;
                col[d + t] = iw >= 0 && iw < w ? x[src + iw] : 0.0;
              }
            }
            q += run;
            oh++;
            ow0 = 0;
          }
          row++;
        }
      }
    }
  }

  /** {@link #col2imF} for float64. */
  static void col2imD(double[] col, Conv2dGeometry g, int j0, int nb, double[] gx, int gxOff) {
    final int h = g.h();
    final int w = g.w();
    final int ow = g.ow();
    final int sh = g.strideH();
    final int sw = g.strideW();
    final int j1 = j0 + nb;
    int row = 0;
    for (int c = 0; c < g.cPerGroup(); c++) {
      int plane = gxOff + c * h * w;
      for (int ki = 0; ki < g.kh(); ki++) {
        int rowOff = ki * g.dilationH() - g.padTop();
        for (int kj = 0; kj < g.kw(); kj++) {
          int colOff = kj * g.dilationW() - g.padLeft();
          int dst = row * nb - j0;
          int q = j0;
          int oh = q / ow;
          int ow0 = q - oh * ow;
          while (q < j1) {
            int run = Math.min(ow - ow0, j1 - q);
            int ih = oh * sh + rowOff;
            int d = dst + q;
            if (ih >= 0 && ih < h) {
              int src = plane + ih * w;
              int iw0 = ow0 * sw + colOff;
              for (int t = 0; t < run; t++) {
                int iw = iw0 + t * sw;
                if (iw >= 0 && iw < w) {
                  gx[src + iw] += col[d + t];
                }
              }
            }
            q += run;
            oh++;
            ow0 = 0;
          }
          row++;
        }
      }
    }
  }
}
