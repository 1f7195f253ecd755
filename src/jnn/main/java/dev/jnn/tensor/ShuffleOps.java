package dev.jnn.tensor;

import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import java.util.Arrays;

/**
 * Internal: the rearranging ops behind {@code nn.functional.Functional}'s {@code pixelShuffle},
 * {@code pixelUnshuffle}, {@code channelShuffle} and {@code unflatten} (issue 20); use {@code
 * Functional}. Each validates with PyTorch 1.13's messages in its order, then composes views,
 * {@code permute} and {@code reshape} (PyTorch runs kernels for the shuffles, whose backward is
 * the inverse shuffle: here the backward is the views'). Public only because {@code Functional}
 * lives in another package.
 */
public final class ShuffleOps {
  private ShuffleOps() {}

  /** {@code [d0, d1, ...]}, as ATen prints an int array (negative entries included). */
  private static String list(long[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i > 0 ? ", " : "").append(v[i]);
    }
    return b.append(']').toString();
  }

  /** {@code lead + mid}: the leading (batch) dims of {@code x} followed by {@code mid}. */
  private static long[] withBatch(Tensor x, int trailing, long... mid) {
    long[] dims = x.shape().dims();
    int nb = dims.length - trailing;
    long[] r = Arrays.copyOf(dims, nb + mid.length);
    System.arraycopy(mid, 0, r, nb, mid.length);
    return r;
  }

  /** The permutation keeping {@code nb} leading dims and then taking {@code tail} after them. */
  private static int[] perm(int nb, int... tail) {
    int[] p = new int[nb + tail.length];
    for (int i = 0; i < nb; i++) {
      p[i] = i;
    }
    for (int i = 0; i < tail.length; i++) {
      p[nb + i] = nb + tail[i];
    }
    return p;
  }

  /**
   * {@code F.pixel_shuffle}: {@code [*, C r^2, H, W]} to {@code [*, C, H r, W r]}, output {@code
   * (c, h r + i, w r + j)} from input channel {@code c r^2 + i r + j} at {@code (h, w)}.
   */
  public static Tensor pixelShuffle(Tensor self, int upscaleFactor) {
    if (self.dim() < 3) {
      throw new IllegalArgumentException("pixel_shuffle expects input to have at least 3"
          + " dimensions, but got input with " + self.dim() + " dimension(s)");
    }
    if (upscaleFactor <= 0) {
      throw new IllegalArgumentException(
          "pixel_shuffle expects a positive upscale_factor, but got " + upscaleFactor);
    }
    long r = upscaleFactor;
    long c = self.size(-3);
    long h = self.size(-2);
    long w = self.size(-1);
    if (c % (r * r) != 0) {
      throw new ShapeMismatchException("pixel_shuffle expects its input's 'channel' dimension to"
          + " be divisible by the square of upscale_factor, but input.size(-3)=" + c
          + " is not divisible by " + (r * r));
    }
    int nb = self.dim() - 3;
    Tensor x = self.reshape(withBatch(self, 3, c / (r * r), r, r, h, w));
    return x.permute(perm(nb, 0, 3, 1, 4, 2)).reshape(withBatch(self, 3, c / (r * r), h * r, w * r));
  }

  /** {@code F.pixel_unshuffle}: {@code [*, C, H r, W r]} to {@code [*, C r^2, H, W]}. */
  public static Tensor pixelUnshuffle(Tensor self, int downscaleFactor) {
    if (self.dim() < 3) {
      throw new IllegalArgumentException("pixel_unshuffle expects input to have at least 3"
          + " dimensions, but got input with " + self.dim() + " dimension(s)");
    }
    if (downscaleFactor <= 0) {
      throw new IllegalArgumentException(
          "pixel_unshuffle expects a positive downscale_factor, but got " + downscaleFactor);
    }
    long r = downscaleFactor;
    long c = self.size(-3);
    long h = self.size(-2);
    long w = self.size(-1);
    if (h % r != 0) {
      throw new ShapeMismatchException("pixel_unshuffle expects height to be divisible by"
          + " downscale_factor, but input.size(-2)=" + h + " is not divisible by " + r);
    }
    if (w % r != 0) {
      throw new ShapeMismatchException("pixel_unshuffle expects width to be divisible by"
          + " downscale_factor, but input.size(-1)=" + w + " is not divisible by " + r);
    }
    int nb = self.dim() - 3;
    Tensor x = self.reshape(withBatch(self, 3, c, h / r, r, w / r, r));
    return x.permute(perm(nb, 0, 2, 4, 1, 3)).reshape(withBatch(self, 3, c * r * r, h / r, w / r));
  }

  /**
   * {@code F.channel_shuffle}: {@code [N, C, *]} with its channels seen as {@code [g, C / g]},
   * transposed to {@code [C / g, g]}.
   */
  public static Tensor channelShuffle(Tensor self, int groups) {
    if (self.dim() <= 2) {
      throw new IllegalArgumentException("channel_shuffle expects input with > 2 dims, but got"
          + " input with sizes " + self.shape());
    }
    if (groups <= 0) {
      throw new IllegalArgumentException("Number of groups to divide channels in must be"
          + " positive. Value of groups:" + groups);
    }
    long c = self.size(1);
    if (c % groups != 0) {
      throw new ShapeMismatchException("Number of channels must be divisible by groups. Got " + c
          + " channels and " + groups + " groups.");
    }
    long[] dims = self.shape().dims();
    long[] split = new long[dims.length + 1];
    split[0] = dims[0];
    split[1] = groups;
    split[2] = c / groups;
    System.arraycopy(dims, 2, split, 3, dims.length - 2);
    return self.reshape(split).transpose(1, 2).reshape(dims);
  }

  /**
   * {@code Tensor.unflatten(dim, sizes)}: dim {@code dim} split into {@code sizes} (one of them
   * may be -1, inferred), ATen's checks and messages ({@code infer_size}'s, wrapped as {@code
   * unflatten} wraps them).
   */
  public static Tensor unflatten(Tensor self, int dim, long[] sizes) {
    int d = Shape.normalizeDim(dim, self.dim());
    if (sizes.length == 0) {
      throw new IllegalArgumentException("unflatten: sizes must be non-empty");
    }
    long numel = self.size(d);
    int infer = -1;
    long newsize = 1;
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException(
              "unflatten got an unexpected error:\nonly one dimension can be inferred");
        }
        infer = i;
      } else if (sizes[i] >= 0) {
        newsize *= sizes[i];
      } else {
        throw new IllegalArgumentException("invalid shape dimension " + sizes[i]);
      }
    }
    long[] inferred = sizes.clone();
    if (numel == newsize || (infer >= 0 && newsize > 0 && numel % newsize == 0)) {
      if (infer >= 0) {
        if (newsize == 0) {
          throw new IllegalArgumentException("cannot reshape tensor of 0 elements into shape "
              + list(sizes) + " because the unspecified dimension size -1 can be any value and"
              + " is ambiguous");
        }
        inferred[infer] = numel / newsize;
      }
    } else {
      throw new ShapeMismatchException("unflatten: Provided sizes " + list(sizes)
          + " don't multiply up to the size of dim " + d + " (" + numel + ") in the input tensor");
    }
    long[] dims = self.shape().dims();
    long[] shape = new long[dims.length - 1 + inferred.length];
    System.arraycopy(dims, 0, shape, 0, d);
    System.arraycopy(inferred, 0, shape, d, inferred.length);
    System.arraycopy(dims, d + 1, shape, d + inferred.length, dims.length - d - 1);
    return self.view(shape);
  }
}
