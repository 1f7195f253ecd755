package dev.jnn.backend;

/**
 * Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC'11), the counter-based generator behind cuRAND's and PyTorch's CUDA dropout: four 32-bit
 * words that are a pure function of a 128-bit counter and a 64-bit key. jnn's dropout masks use it
 * on every back end ({@code native-kernels/random.cuh} is the CUDA twin of this class), so a mask
 * depends only on the seed and the element index: identical on the CPU and on any GPU.
 */
public final class Philox {
  private static final int M0 = 0xD2511F53;
  private static final int M1 = 0xCD9E8D57;
  private static final int W0 = 0x9E3779B9;
  private static final int W1 = 0xBB67AE85;

  private Philox() {}

  /** Replaces {@code c} (four counter words) by Philox4x32-10 of {@code c} under key {@code (k0, k1)}. */
  public static void philox4x32x10(int[] c, int k0, int k1) {
    int c0 = c[0];
    int c1 = c[1];
    int c2 = c[2];
    int c3 = c[3];
    for (int r = 0; r < 10; r++) {
      if (r > 0) {
        k0 += W0;
        k1 += W1;
      }
      long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
      long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
      int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
      int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
      c0 = n0;
      c1 = (int) p1;
      c2 = n2;
      c3 = (int) p0;
    }
    c[0] = c0;
    c[1] = c1;
    c[2] = c2;
    c[3] = c3;
  }

  /**
   * The dropout keep decision of elements {@code [4 * group, 4 * group + 4)}: bit {@code k} of the
   * result is set when element {@code 4 * group + k} is kept, i.e. when its uniform {@code u =
   * (word >> 8) * 2^-24} is {@code >= p}.
   */
  public static int keepBits(long group, long seed, double p) {
    int[] c = {(int) group, (int) (group >>> 32), 0, 0};
    philox4x32x10(c, (int) seed, (int) (seed >>> 32));
    int bits = 0;
    for (int k = 0; k < 4; k++) {
      double u = (c[k] >>> 8) * (1.0 / 16777216.0);
      if (u >= p) {
        bits |= 1 << k;
      }
    }
    return bits;
  }

  /** {@code out[o + i] = kept(i) ? scale : 0} for {@code i} in {@code [from, to)} (mask element indices). */
  public static void dropoutMask(float[] out, int o, long from, long to, long seed, double p, float scale) {
    for (long q = from >> 2; q << 2 < to; q++) {
      int bits = keepBits(q, seed, p);
      for (int k = 0; k < 4; k++) {
        long i = (q << 2) + k;
        if (i >= from && i < to) {
          out[o + (int) i] = (bits >> k & 1) != 0 ? scale : 0f;
        }
      }
    }
  }

  /** The float64 {@link #dropoutMask(float[], int, long, long, long, double, float)}. */
  public static void dropoutMask(double[] out, int o, long from, long to, long seed, double p, double scale) {
    for (long q = from >> 2; q << 2 < to; q++) {
      int bits = keepBits(q, seed, p);
      for (int k = 0; k < 4; k++) {
        long i = (q << 2) + k;
        if (i >= from && i < to) {
          out[o + (int) i] = (bits >> k & 1) != 0 ? scale : 0.0;
        }
      }
    }
  }
}
