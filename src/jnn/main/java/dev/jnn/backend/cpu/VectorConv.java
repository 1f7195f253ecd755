package dev.jnn.backend.cpu;

import dev.jnn.backend.Conv2dGeometry;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 stride-1 convolution on the Vector API as an implicit GEMM over a "wide" output, with a
 * register-blocked micro-kernel like {@link VectorGemm}'s.
 *
 * <p>The input of one image and group is copied once into a zero-padded buffer {@code xp[cg, hp,
 * wp]}. The output is computed with row length {@code wp} instead of {@code ow} ("wide" columns
 * {@code j = oh * wp + ow}; the columns with {@code ow >= OW} are computed and thrown away). Then
 * row {@code p = (c, ki, kj)} of the im2col matrix is simply the contiguous slice {@code xp[off(p)
 * + j]}, with {@code off(p) = c * hp * wp + ki * dh * wp + kj * dw}: packing a GEMM panel of it is
 * two vector copies per row, and no im2col matrix is ever written. The extra columns cost {@code
 * (wp - ow) / wp} of the work (3 % for a 56x56 image with padding 1).
 *
 * <ul>
 *   <li>forward: {@code out[OCg x J] = W[OCg x K] * B[K x J]}, the weights packed once per call,
 *       the bias added when the wide tile is written back. With few output channels (at most
 *       {@link #DIRECT_MAX_TILES} tiles of rows, e.g. 20) B is not packed at all: the micro-kernel
 *       reads its rows in place from the padded input in blocks of {@link #KD}, with 10-row tiles
 *       where that wastes fewer rows (20 channels: 2 x 10 instead of 3 x 8);
 *   <li>backward-data: for stride 1 it is itself a stride-1 convolution of the output gradient
 *       with the flipped, transposed weights and padding {@code (k - 1) * d - p}, so it runs the
 *       forward; where that would multiply many padding zeros (small outputs, large kernels)
 *       {@link #backwardDataGemm} computes {@code W^T * gradOutWide} with the col2im fused into
 *       the micro-kernel instead;
 *   <li>backward-filter: {@code gradW[o, p] += sum_j gradOutWide[o, j] * xp[off(p) + j]}, as
 *       register-blocked dot products over contiguous rows, in {@link VectorConvFilterDots}.
 * </ul>
 *
 * <p>Only loaded when {@link CpuFeatures#vectorEnabled()}; {@link CpuConv} decides. As in {@link
 * VectorGemm}, every method that does Vector API arithmetic is kept small: HotSpot's C1 gives up
 * on large methods, and a method that never gets profiled by C1 may never reach C2, the only
 * compiler that turns Vector API calls into vector instructions (otherwise they run boxed, about
 * a hundred times slower).
 */
final class VectorConv {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final VectorOperators.Associative ADD = VectorOperators.ADD;
  private static final int V = S.length();
  /**
   * Rows of the micro-tile, the GEMM's ({@link VectorGemm#MR}: 8 x 2 vectors on AVX-512, 4 x 2 on
   * AVX2, {@code -Djnn.cpu.gemm.rows} selects): the packed forward runs the GEMM's micro-kernel.
   */
  static final int MR = VectorGemm.MR;
  /** Columns of the micro-tile: two vectors. */
  static final int NR = 2 * V;
  /**
   * Largest depth of one packed block: up to this many kernel positions the whole depth is one
   * block (a packed panel of {@code KC x NR} floats still streams well from L2), so each output
   * tile is written once.
   */
  private static final int KC = 256;
  /**
   * Up to this many MR-row tiles of output channels, the micro-kernel reads B in place from the
   * padded input instead of a packed panel (see {@link #forwardChunks}).
   */
  private static final int DIRECT_MAX_TILES = MR == 4 ? 6 : 4;
  /** Depth of one block of the in-place path. */
  private static final int KD = 256;
  /** Wide output columns computed per chunk (a multiple of NR). */
  private static final int NC = Math.max(NR, 256 / NR * NR);

  private VectorConv() {}

  /** Padded-input layout of one group. */
  static final class Layout {
    final int hp;
    final int wp;
    /** Wide output columns: {@code (oh - 1) * wp + ow}. */
    final int jw;
    final int[] rowOff;
    /** Elements of the padded buffer including the read-ahead slack (zeros). */
    final int size;
    final int[] kStart;

    Layout(Conv2dGeometry g) {
      hp = Math.max(g.padTop() + g.h(), g.oh() + (g.kh() - 1) * g.dilationH());
      wp = Math.max(g.padLeft() + g.w(), g.ow() + (g.kw() - 1) * g.dilationW());
      jw = g.oh() == 0 || g.ow() == 0 ? 0 : (g.oh() - 1) * wp + g.ow();
      int k = g.kdim();
      rowOff = new int[k];
      int p = 0;
      for (int c = 0; c < g.cPerGroup(); c++) {
        for (int ki = 0; ki < g.kh(); ki++) {
          for (int kj = 0; kj < g.kw(); kj++) {
            rowOff[p++] = c * hp * wp + ki * g.dilationH() * wp + kj * g.dilationW();
          }
        }
      }
      size = g.cPerGroup() * hp * wp + (g.kw() - 1) * g.dilationW() + 2 * NR + wp;
      // With few tiles of output rows B is read in place (no packed panel to bound): one block.
      int blocks =
          ceilDiv(g.ocPerGroup(), MR) <= DIRECT_MAX_TILES ? 1 : Math.max(1, (k + KC - 1) / KC);
      kStart = new int[blocks + 1];
      for (int b = 0; b <= blocks; b++) {
        kStart[b] = (int) ((long) k * b / blocks);
      }
    }
  }

  /** Per-thread, grow-only buffers. */
  static final class Scratch {
    float[] xp = new float[0];
    float[] bp = new float[0];
    float[] ct = new float[0];
    float[] ap = new float[0];
    /** Packed weights of the calling thread's current forward (shared read-only by workers). */
    float[] wpack = new float[0];
    /** Flipped, transposed weights of the calling thread's current backward-data. */
    float[] wflip = new float[0];
    final float[] tile = new float[MR * NR];
    final float[] sums = new float[12];

    static float[] grow(float[] a, int n) {
      return a.length >= n ? a : new float[n];
    }
  }

  static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** Copies one group's input planes into the zero-padded buffer. */
  static void pad(float[] x, int xOff, Conv2dGeometry g, Layout l, float[] xp) {
    pad(x, xOff, g, l, xp, 0);
  }

  /** As above, into {@code xp[base ..]}. */
  static void pad(float[] x, int xOff, Conv2dGeometry g, Layout l, float[] xp, int base) {
    Arrays.fill(xp, base, base + l.size, 0f);
    int hw = g.h() * g.w();
    for (int c = 0; c < g.cPerGroup(); c++) {
      int src = xOff + c * hw;
      int dst = base + c * l.hp * l.wp + g.padTop() * l.wp + g.padLeft();
      for (int ih = 0; ih < g.h(); ih++) {
        System.arraycopy(x, src + ih * g.w(), xp, dst + ih * l.wp, g.w());
      }
    }
  }

  // ------------------------------------------------------------------ forward

  /**
   * Forward convolution; {@code out} is {@code [n, oc, oh, ow]} from index 0. Runs images in
   * parallel when there are enough of them, otherwise the column chunks of each image.
   */
  static void forward(
      float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff, float[] out,
      Conv2dGeometry g) {
    final Layout l = new Layout(g);
    final int m = g.ocPerGroup();
    final int mr = tileRows(m);
    final int mp = ceilDiv(m, mr);
    final int k = g.kdim();
    // Weights packed once: per group, per k block, mp panels of mr x kc.
    final Scratch own = SCRATCH.get();
    own.wpack = Scratch.grow(own.wpack, g.groups() * mp * mr * k);
    final float[] ap = own.wpack;
    // (groups x depth blocks) in parallel, disjoint parts of ap: at batch 1 the images are not
    // split over the threads, and this packing was serial
    final int blocks = l.kStart.length - 1;
    Parallel.parallelFor(g.groups() * blocks, Math.max(1, (1 << 15) / Math.max(1, m * KC)),
        (s, e) -> {
          for (int u = s; u < e; u++) {
            int grp = u / blocks;
            int b = u % blocks;
            int p0 = l.kStart[b];
            int kc = l.kStart[b + 1] - p0;
            packRows(w, wOff + grp * m * k, k, m, p0, kc, ap, grp * mp * mr * k + mp * mr * p0,
                mr);
          }
        });
    final int chunks = ceilDiv(l.jw, NC);
    final int hw = g.h() * g.w();
    final int ohw = g.oh() * g.ow();
    if (l.jw == 0 || g.n() == 0) {
      return;
    }
    if (Parallel.threads() > 1 && g.n() >= Parallel.threads()) {
      // images handed out one at a time (a thread slowed by other load on the machine does fewer)
      final AtomicInteger next = new AtomicInteger();
      Parallel.parallelFor(
          Parallel.threads(),
          1,
          (s, e) -> {
            Scratch sc = SCRATCH.get();
            sc.xp = Scratch.grow(sc.xp, l.size);
            for (int n = next.getAndIncrement(); n < g.n(); n = next.getAndIncrement()) {
              for (int grp = 0; grp < g.groups(); grp++) {
                pad(x, xOff + (n * g.c() + grp * g.cPerGroup()) * hw, g, l, sc.xp);
                int oOff = (n * g.oc() + grp * m) * ohw;
                forwardChunks(sc.xp, ap, grp * mp * mr * k, bias, bOff + grp * m, out, oOff, g, l,
                    0, chunks, sc);
              }
            }
          });
    } else {
      Scratch main = SCRATCH.get();
      main.xp = Scratch.grow(main.xp, l.size);
      final float[] xp = main.xp;
      for (int n = 0; n < g.n(); n++) {
        for (int grp = 0; grp < g.groups(); grp++) {
          pad(x, xOff + (n * g.c() + grp * g.cPerGroup()) * hw, g, l, xp);
          final int oOff = (n * g.oc() + grp * m) * ohw;
          final int aBase = grp * mp * mr * k;
          final int bo = bOff + grp * m;
          Parallel.parallelFor(
              chunks,
              1,
              (s, e) -> forwardChunks(xp, ap, aBase, bias, bo, out, oOff, g, l, s, e, SCRATCH.get()));
        }
      }
    }
  }

  /** Computes wide column chunks {@code [c0, c1)} of one image and group. */
  private static void forwardChunks(
      float[] xp, float[] ap, int aBase, float[] bias, int bOff, float[] out, int oOff,
      Conv2dGeometry g, Layout l, int c0, int c1, Scratch sc) {
    final int m = g.ocPerGroup();
    final int mr = tileRows(m);
    final int mp = ceilDiv(m, mr);
    // Packing a B panel pays off when many tiles of rows reuse it (c: 8); with few (a's and
    // LeNet's 20 channels: 2) reading B in place is faster (a2 forward 12.9 -> 6.6 ms).
    final boolean direct = ceilDiv(m, MR) <= DIRECT_MAX_TILES;
    if (!direct) {
      int kmax = l.kStart[1] - l.kStart[0] + 1;
      sc.bp = Scratch.grow(sc.bp, (kmax + 1) * NC);
    }
    sc.ct = Scratch.grow(sc.ct, mp * mr * NC);
    final float[] bp = sc.bp;
    final float[] ct = sc.ct;
    final float[] tile = sc.tile;
    final int[] rowOff = l.rowOff;
    for (int chunk = c0; chunk < c1; chunk++) {
      int j0 = chunk * NC;
      int nc = Math.min(NC, l.jw - j0);
      int np = ceilDiv(nc, NR);
      int ldc = np * NR;
      if (direct) {
        // The micro-kernel reads its B rows straight from the padded input (row p of the implicit
        // im2col matrix is xp[rowOff[p] + j]) and accumulates its tile straight into ct: no
        // packed copy of B, no intermediate tile. The depth is taken in blocks of KD rows so that
        // the input rows and weights of a block stay in the L1 cache across the tiles.
        int k = l.kStart[1];
        Arrays.fill(ct, 0, mp * mr * ldc, 0f);
        for (int p0 = 0; p0 < k; p0 += KD) {
          int kc = Math.min(KD, k - p0);
          for (int q = 0; q < np; q++) {
            int col = j0 + q * NR;
            for (int i = 0; i < mp; i++) {
              VectorConvKernels.kernelDirect(mr, kc, ap, aBase + i * mr * k + p0 * mr, xp,
                  rowOff, p0, col, ct, i * mr * ldc + q * NR, ldc);
            }
          }
        }
        writeBack(ct, ldc, j0, nc, bias, bOff, out, oOff, g, l);
        continue;
      }
      for (int b = 0; b + 1 < l.kStart.length; b++) {
        int p0 = l.kStart[b];
        int kc = l.kStart[b + 1] - p0;
        for (int q = 0; q < np; q++) {
          packPanel(xp, rowOff, p0, kc, j0 + q * NR, bp, q * kc * NR);
        }
        int aOff = aBase + mp * MR * p0;
        for (int q = 0; q < np; q++) {
          int bi = q * kc * NR;
          for (int i = 0; i < mp; i++) {
            VectorGemmKernels.kernel(kc, ap, aOff + i * MR * kc, bp, bi, tile);
            int ci = i * MR * ldc + q * NR;
            if (b == 0) {
              for (int r = 0; r < MR; r++) {
                System.arraycopy(tile, r * NR, ct, ci + r * ldc, NR);
              }
            } else {
              for (int r = 0; r < MR; r++) {
                addRow(tile, r * NR, ct, ci + r * ldc);
              }
            }
          }
        }
      }
      writeBack(ct, ldc, j0, nc, bias, bOff, out, oOff, g, l);
    }
  }

  /**
   * Packs rows {@code [p0, p0 + kc)} x wide columns {@code [col, col + NR)} of the implicit
   * im2col matrix: two vector copies per row.
   */
  private static void packPanel(
      float[] xp, int[] rowOff, int p0, int kc, int col, float[] bp, int dst) {
    for (int p = 0; p < kc; p++) {
      int src = rowOff[p0 + p] + col;
      FloatVector.fromArray(S, xp, src).intoArray(bp, dst);
      FloatVector.fromArray(S, xp, src + V).intoArray(bp, dst + V);
      dst += NR;
    }
  }

  /** {@code c[ci .. ci + NR) += t[ti .. ti + NR)}. */
  private static void addRow(float[] t, int ti, float[] c, int ci) {
    FloatVector.fromArray(S, t, ti).add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    FloatVector.fromArray(S, t, ti + V)
        .add(FloatVector.fromArray(S, c, ci + V))
        .intoArray(c, ci + V);
  }

  /** Copies the valid columns of a wide tile into the output, adding the bias. */
  private static void writeBack(
      float[] ct, int ldc, int j0, int nc, float[] bias, int bOff, float[] out, int oOff,
      Conv2dGeometry g, Layout l) {
    final int ow = g.ow();
    final int ohw = g.oh() * ow;
    final int wp = l.wp;
    for (int r = 0; r < g.ocPerGroup(); r++) {
      float bv = bias == null ? 0f : bias[bOff + r];
      int ctRow = r * ldc - j0;
      int outRow = oOff + r * ohw;
      int j = j0;
      int end = j0 + nc;
      while (j < end) {
        int oh = j / wp;
        int col = j - oh * wp;
        int rowEnd = Math.min(end, oh * wp + wp);
        if (col < ow) {
          int valid = Math.min(rowEnd, oh * wp + ow) - j;
          biasRun(ct, ctRow + j, out, outRow + oh * ow + col, valid, bv);
        }
        j = rowEnd;
      }
    }
  }

  /**
   * {@code out[d .. d + len) = ct[s .. s + len) + bv} with vectors; a ragged tail is one more
   * vector overlapping the previous one (rewriting equal values). C2's own vectorisation of this
   * loop does not pay for runs as short as an output row (56 floats: its unrolled vector loop
   * covers 64 or more, so everything ran in the scalar post-loop).
   */
  private static void biasRun(float[] ct, int s, float[] out, int d, int len, float bv) {
    if (len < V) {
      for (int t = 0; t < len; t++) {
        out[d + t] = ct[s + t] + bv;
      }
      return;
    }
    int t = 0;
    for (; t + V <= len; t += V) {
      FloatVector.fromArray(S, ct, s + t).add(bv).intoArray(out, d + t);
    }
    if (t < len) {
      t = len - V;
      FloatVector.fromArray(S, ct, s + t).add(bv).intoArray(out, d + t);
    }
  }

  // ------------------------------------------------------------------ backward data

  /**
   * Input gradient of a stride-1 convolution as the forward convolution of {@code gradOut} with
   * the flipped weights {@code w'[c, o, kh-1-i, kw-1-j] = w[o, c, i, j]} (per group) and padding
   * {@code (k - 1) * d - p}.
   */
  static void backwardData(
      float[] gout, int gOff, float[] w, int wOff, float[] gin, Conv2dGeometry g) {
    int cg = g.cPerGroup();
    int ocg = g.ocPerGroup();
    int kh = g.kh();
    int kw = g.kw();
    Scratch own = SCRATCH.get();
    own.wflip = Scratch.grow(own.wflip, g.oc() * cg * kh * kw);
    float[] wt = own.wflip; // every element is written below
    for (int grp = 0; grp < g.groups(); grp++) {
      for (int o = 0; o < ocg; o++) {
        for (int c = 0; c < cg; c++) {
          int src = wOff + (((grp * ocg + o) * cg + c) * kh) * kw;
          int dst = (((grp * cg + c) * ocg + o) * kh) * kw;
          for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
              wt[dst + (kh - 1 - i) * kw + (kw - 1 - j)] = w[src + i * kw + j];
            }
          }
        }
      }
    }
    Conv2dGeometry t =
        new Conv2dGeometry(
            g.n(), g.oc(), g.oh(), g.ow(), g.c(), kh, kw, 1, 1,
            (kh - 1) * g.dilationH() - g.padTop(),
            (kw - 1) * g.dilationW() - g.padLeft(),
            g.dilationH(), g.dilationW(), g.groups(), g.h(), g.w());
    forward(gout, gOff, wt, 0, null, 0, gin, t);
  }

  /**
   * Input gradient of a stride-1 convolution as {@code Z = W^T * gradOutWide} with the col2im
   * fused into the micro-kernel: the tile of {@code Z} rows {@code p = (c, ki, kj)} x wide columns
   * {@code j} is added straight into the zero-padded input-gradient buffer at {@code rowOff[p] +
   * j} (contiguous vector runs), then the padding is cropped away; {@code Z} never exists. W^T is
   * packed once per call; the kernel reads the wide output gradient in place. It multiplies no
   * padding zeros, unlike {@link #backwardData} (a forward convolution over the output gradient
   * padded by {@code k - 1}), which for LeNet's second layer (8x8 outputs, 5x5 kernel) does 3x
   * the arithmetic; the waste here is only the wide columns, {@code wp / ow}. Needs MR == 8.
   */
  static void backwardDataGemm(
      float[] gout, int gOff, float[] w, int wOff, float[] gin, Conv2dGeometry g) {
    final Layout l = new Layout(g);
    if (g.n() == 0 || g.c() == 0) {
      return;
    }
    final int m = g.ocPerGroup();
    final int k = g.kdim();
    if (l.jw == 0 || m == 0) {
      Arrays.fill(gin, 0, g.n() * g.c() * g.h() * g.w(), 0f);
      return;
    }
    final int kp = ceilDiv(k, MR) * MR;
    // Rows of W^T in (ki, kj, c) order: the 8 rows of a tile then land in 8 different channel
    // planes, so the tile's read-modify-writes of gp do not overlap (overlapping misaligned
    // stores and loads defeat store forwarding: measured 2x slower in (c, ki, kj) order).
    final int taps = g.kh() * g.kw();
    final int cg = g.cPerGroup();
    final int[] perm = new int[k];
    for (int t = 0, q = 0; t < taps; t++) {
      for (int c = 0; c < cg; c++) {
        perm[q++] = c * taps + t;
      }
    }
    final Scratch own = SCRATCH.get();
    own.wflip = Scratch.grow(own.wflip, g.groups() * kp * m);
    final float[] wt = own.wflip;
    for (int grp = 0; grp < g.groups(); grp++) {
      int base = grp * kp * m;
      Arrays.fill(wt, base + k / MR * MR * m, base + kp * m, 0f);
      for (int q = 0; q < k; q++) {
        int src = wOff + grp * m * k + perm[q];
        int dst = base + (q / MR) * MR * m + q % MR;
        for (int o = 0; o < m; o++) {
          wt[dst + o * MR] = w[src + o * k];
        }
      }
    }
    // Rows p >= k of the last tile have zero weights; they add their zeros into a dummy run
    // past the padded buffer, so every tile is a full one.
    final int jv = ceilDiv(l.jw, NR) * NR;
    final int[] rowOff = new int[kp];
    for (int q = 0; q < k; q++) {
      rowOff[q] = l.rowOff[perm[q]];
    }
    Arrays.fill(rowOff, k, kp, l.size);
    Parallel.RangeBody body =
        (s, e) -> {
          for (int n = s; n < e; n++) {
            backwardDataImage(gout, gOff, wt, gin, g, l, rowOff, jv, n);
          }
        };
    if (Parallel.threads() > 1 && g.n() >= Parallel.threads()) {
      final AtomicInteger next = new AtomicInteger();
      Parallel.parallelFor(
          Parallel.threads(),
          1,
          (s, e) -> {
            for (int n = next.getAndIncrement(); n < g.n(); n = next.getAndIncrement()) {
              backwardDataImage(gout, gOff, wt, gin, g, l, rowOff, jv, n);
            }
          });
    } else {
      body.run(0, g.n());
    }
  }

  private static void backwardDataImage(
      float[] gout, int gOff, float[] wt, float[] gin, Conv2dGeometry g, Layout l, int[] rowOff,
      int jv, int n) {
    final Scratch sc = SCRATCH.get();
    final int m = g.ocPerGroup();
    final int kp = rowOff.length;
    final int hw = g.h() * g.w();
    final int ohw = g.oh() * g.ow();
    final int plane = l.hp * l.wp;
    final int size = l.size + jv;
    sc.ap = Scratch.grow(sc.ap, m * jv);
    sc.xp = Scratch.grow(sc.xp, size);
    final float[] go = sc.ap;
    final float[] gp = sc.xp;
    for (int grp = 0; grp < g.groups(); grp++) {
      wideGrad(gout, gOff + (n * g.oc() + grp * m) * ohw, g, l, go, jv);
      Arrays.fill(gp, 0, size, 0f);
      final int wBase = grp * kp * m;
      for (int j = 0; j < jv; j += NR) {
        for (int p = 0; p < kp; p += MR) {
          kernel8Scatter(m, wt, wBase + p * m, go, j, jv, gp, rowOff, p);
        }
      }
      int gi = (n * g.c() + grp * g.cPerGroup()) * hw;
      for (int c = 0; c < g.cPerGroup(); c++) {
        int src = c * plane + g.padTop() * l.wp + g.padLeft();
        for (int ih = 0; ih < g.h(); ih++) {
          System.arraycopy(gp, src + ih * l.wp, gin, gi + c * hw + ih * g.w(), g.w());
        }
      }
    }
  }

  /**
   * {@code gp[rowOff[p0 + r] + j + (0 .. NR)] += sum_{o < kc} wt[ai + o * 8 + r] * go[o * ld + j +
   * (0 .. NR)]} for the 8 rows r of one tile.
   */
  private static void kernel8Scatter(
      int kc, float[] wt, int ai, float[] go, int j, int ld, float[] gp, int[] rowOff, int p0) {
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
    for (int o = 0; o < kc; o++) {
      int ao = ai + o * 8;
      int bo = o * ld + j;
      FloatVector b0 = FloatVector.fromArray(S, go, bo);
      FloatVector b1 = FloatVector.fromArray(S, go, bo + V);
      FloatVector x;
      x = FloatVector.broadcast(S, wt[ao]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, wt[ao + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, wt[ao + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, wt[ao + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, wt[ao + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, wt[ao + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, wt[ao + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, wt[ao + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    int d0 = rowOff[p0] + j;
    c00.add(FloatVector.fromArray(S, gp, d0)).intoArray(gp, d0);
    c01.add(FloatVector.fromArray(S, gp, d0 + V)).intoArray(gp, d0 + V);
    int d1 = rowOff[p0 + 1] + j;
    c10.add(FloatVector.fromArray(S, gp, d1)).intoArray(gp, d1);
    c11.add(FloatVector.fromArray(S, gp, d1 + V)).intoArray(gp, d1 + V);
    int d2 = rowOff[p0 + 2] + j;
    c20.add(FloatVector.fromArray(S, gp, d2)).intoArray(gp, d2);
    c21.add(FloatVector.fromArray(S, gp, d2 + V)).intoArray(gp, d2 + V);
    int d3 = rowOff[p0 + 3] + j;
    c30.add(FloatVector.fromArray(S, gp, d3)).intoArray(gp, d3);
    c31.add(FloatVector.fromArray(S, gp, d3 + V)).intoArray(gp, d3 + V);
    int d4 = rowOff[p0 + 4] + j;
    c40.add(FloatVector.fromArray(S, gp, d4)).intoArray(gp, d4);
    c41.add(FloatVector.fromArray(S, gp, d4 + V)).intoArray(gp, d4 + V);
    int d5 = rowOff[p0 + 5] + j;
    c50.add(FloatVector.fromArray(S, gp, d5)).intoArray(gp, d5);
    c51.add(FloatVector.fromArray(S, gp, d5 + V)).intoArray(gp, d5 + V);
    int d6 = rowOff[p0 + 6] + j;
    c60.add(FloatVector.fromArray(S, gp, d6)).intoArray(gp, d6);
    c61.add(FloatVector.fromArray(S, gp, d6 + V)).intoArray(gp, d6 + V);
    int d7 = rowOff[p0 + 7] + j;
    c70.add(FloatVector.fromArray(S, gp, d7)).intoArray(gp, d7);
    c71.add(FloatVector.fromArray(S, gp, d7 + V)).intoArray(gp, d7 + V);
  }




  // ------------------------------------------------------------------ backward filter
  // (the dot-product kernel itself is VectorConvFilterDots)

  /**
   * Writes one image's and group's output gradient into {@code go} in wide layout ({@code [m,
   * jv]}), zero in the thrown-away columns and the tail.
   */
  static void wideGrad(
      float[] gout, int gOff, Conv2dGeometry g, Layout l, float[] go, int jv) {
    wideGrad(gout, gOff, g, l, go, 0, jv, jv);
  }

  /** As above, into columns {@code [goOff, goOff + jv)} of rows {@code ld} apart. */
  static void wideGrad(
      float[] gout, int gOff, Conv2dGeometry g, Layout l, float[] go, int goOff, int ld, int jv) {
    final int m = g.ocPerGroup();
    final int ow = g.ow();
    final int ohw = g.oh() * ow;
    for (int r = 0; r < m; r++) {
      int row = goOff + r * ld;
      Arrays.fill(go, row, row + jv, 0f);
      for (int oh = 0; oh < g.oh(); oh++) {
        System.arraycopy(gout, gOff + r * ohw + oh * ow, go, row + oh * l.wp, ow);
      }
    }
  }

  /**
   * Rows of the register tile for {@code m} output channels: MR, or 10 on AVX-512 for the
   * in-place path when that wastes fewer rows (20 channels: 2 x 10 instead of 3 x 8; 10 rows x 2
   * vectors = 20 accumulators of the 32 registers).
   */
  static int tileRows(int m) {
    if (V >= 16
        && ceilDiv(m, MR) <= DIRECT_MAX_TILES
        && ceilDiv(m, 10) * 10 < ceilDiv(m, MR) * MR) {
      return 10;
    }
    return MR;
  }

  /**
   * Packs rows {@code [0, m)} x columns {@code [j0, j0 + kc)} of the matrix at {@code src[base +
   * r * ld + j]} into mr-row panels at {@code ap[apOff ..]} (rows past m are zero).
   */
  private static void packRows(
      float[] src, int base, int ld, int m, int j0, int kc, float[] ap, int apOff, int mr) {
    int mp = ceilDiv(m, mr);
    for (int i = 0; i < mp; i++) {
      int dst = apOff + i * mr * kc;
      for (int r = 0; r < mr; r++) {
        int row = i * mr + r;
        if (row < m) {
          int s = base + row * ld + j0;
          for (int jj = 0; jj < kc; jj++) {
            ap[dst + jj * mr + r] = src[s + jj];
          }
        } else {
          for (int jj = 0; jj < kc; jj++) {
            ap[dst + jj * mr + r] = 0f;
          }
        }
      }
    }
  }
}
