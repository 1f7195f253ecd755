package dev.jnn.nn.layers;

import dev.jnn.core.ShapeMismatchException;
import dev.jnn.tensor.Tensor;

/**
 * Non-zero padding of the last two dims ({@code F.pad(input, pad, mode)} with {@code mode} = {@code
 * reflect}, {@code replicate} or {@code circular}), as {@link Conv2d} needs it for its {@code
 * padding_mode}. Each mode is an index map along one dim, applied with {@link Tensor#indexSelect},
 * so the backward (an index-add) comes for free.
 */
final class Padding {
  private Padding() {}

  /**
   * Pads the last two dims of {@code x} ({@code [C, H, W]} or {@code [N, C, H, W]}).
   *
   * @param pads {@code {top, bottom, left, right}}
   */
  static Tensor pad2d(Tensor x, int[] pads, String mode) {
    int hd = x.dim() - 2;
    int wd = x.dim() - 1;
    check(x, wd, pads[2], pads[3], mode);
    check(x, hd, pads[0], pads[1], mode);
    Tensor y = x;
    if (pads[2] != 0 || pads[3] != 0) {
      y = y.indexSelect(wd, indexMap(y.size(wd), pads[2], pads[3], mode).to(y.device()));
    }
    if (pads[0] != 0 || pads[1] != 0) {
      y = y.indexSelect(hd, indexMap(y.size(hd), pads[0], pads[1], mode).to(y.device()));
    }
    return y;
  }

  private static void check(Tensor x, int dim, int lo, int hi, String mode) {
    long n = x.size(dim);
    boolean ok =
        switch (mode) {
          case "reflect" -> lo < n && hi < n;
          case "circular" -> lo <= n && hi <= n;
          default -> n > 0 || (lo == 0 && hi == 0);
        };
    if (!ok) {
      if (mode.equals("circular")) {
        throw new ShapeMismatchException("Padding value causes wrapping around more than once.");
      }
      throw new ShapeMismatchException(
          "Argument #4: Padding size should be less than the corresponding input dimension, but"
              + " got: padding ("
              + lo
              + ", "
              + hi
              + ") at dimension "
              + dim
              + " of input "
              + x.dim()); // sic: PyTorch 1.13 prints the input's rank here
    }
  }

  private static Tensor indexMap(long n, int lo, int hi, String mode) {
    long[] idx = new long[Math.toIntExact(n + lo + hi)];
    for (int i = 0; i < idx.length; i++) {
      long j = i - lo;
      idx[i] =
          switch (mode) {
            case "reflect" -> j < 0 ? -j : (j >= n ? 2 * (n - 1) - j : j);
            case "circular" -> Math.floorMod(j, n);
            default -> Math.min(Math.max(j, 0), n - 1); // replicate
          };
    }
    return Tensor.fromArray(idx, idx.length);
  }
}
