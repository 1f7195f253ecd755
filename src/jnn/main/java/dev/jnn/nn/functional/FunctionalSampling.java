package dev.jnn.nn.functional;

import dev.jnn.tensor.GridOps;
import dev.jnn.tensor.SampleOps;
import dev.jnn.tensor.Tensor;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Functional}'s resampling ({@code interpolate}, {@code grid_sample}, {@code affine_grid}) and {@code bilinear}, a section of its facade kept in its own file: call them as
 * {@code Functional.interpolate(...)}. The class is sealed and abstract: it exists only so that {@code Functional},
 * which extends it, stays readable by family, as Tensor's instance ops are grouped in its {@code
 * Tensor*} interfaces.
 */
public abstract sealed class FunctionalSampling extends FunctionalPooling permits Functional {
  FunctionalSampling() {}

  /**
   * {@code F.interpolate(input, size=size, mode=mode)} with one output size for every spatial dim
   * (a Python int).
   *
   * @param input {@code [N, C, W]}, {@code [N, C, H, W]} or {@code [N, C, D, H, W]}
   * @param size the output size of each spatial dim
   * @param mode {@code "nearest"}, {@code "nearest-exact"}, {@code "linear"} (3-D), {@code
   *     "bilinear"} (4-D), {@code "bicubic"} (4-D), {@code "trilinear"} (5-D) or {@code "area"}
   * @return the resampled input
   * @see #interpolate(Tensor, int[], double[], String, Boolean, Boolean, boolean)
   */
  public static Tensor interpolate(Tensor input, int size, String mode) {
    return SampleOps.interpolate(
        input, SampleOps.spatial(input, size), null, mode, null, null, false);
  }

  /**
   * {@code F.interpolate(input, scale_factor=scaleFactor, mode=mode)} with one scale factor for
   * every spatial dim (a Python float); the output size is {@code floor(in * scaleFactor)} and the
   * scale factor itself reaches the kernel.
   *
   * @param input {@code [N, C, W]}, {@code [N, C, H, W]} or {@code [N, C, D, H, W]}
   * @param scaleFactor the multiplier of each spatial size
   * @param mode as in {@link #interpolate(Tensor, int, String)}
   * @return the resampled input
   * @see #interpolate(Tensor, int[], double[], String, Boolean, Boolean, boolean)
   */
  public static Tensor interpolate(Tensor input, double scaleFactor, String mode) {
    return SampleOps.interpolate(
        input, null, SampleOps.spatial(input, scaleFactor), mode, null, null, false);
  }

  /**
   * {@code F.interpolate} (PyTorch 1.13's Python checks and messages, then ATen's {@code
   * upsample_*} kernels): exactly one of {@code size} and {@code scaleFactor}, each a list with one
   * entry per spatial dim. The scale that reaches the kernel is the user's {@code scaleFactor}
   * when {@code recomputeScaleFactor} is null or false, and {@code in / out} (from the output size
   * {@code floor(in * scaleFactor)}) when it is true or when {@code size} is given; PyTorch 1.13
   * and 2.x agree on this. {@code "area"} is adaptive average pooling ({@code
   * Functional.adaptiveAvgPool2d}; 3-D input pools a {@code [N, C, 1, W]} view as ATen's {@code
   * adaptive_avg_pool1d} does, 5-D input composes two 2-d pools, so its {@code grad_fn} is not
   * PyTorch's {@code AdaptiveAvgPool3DBackward0}). A generic (not channels-last) nearest forward
   * ignores {@code nearest_idx}'s {@code out == in} and {@code out == 2 * in} cases while the
   * backward applies them, as in 1.13. The {@code grad_fn} names are PyTorch 2.x's ({@code
   * UpsampleBilinear2DBackward0}, ...); 1.13 records its {@code .vec} overloads' {@code
   * ...Backward1}.
   *
   * @param input {@code [N, C, W]}, {@code [N, C, H, W]} or {@code [N, C, D, H, W]}, floating
   * @param size output spatial sizes, or null
   * @param scaleFactor spatial multipliers, or null
   * @param mode {@code "nearest"}, {@code "nearest-exact"}, {@code "linear"}, {@code "bilinear"},
   *     {@code "bicubic"}, {@code "trilinear"} or {@code "area"}
   * @param alignCorners null (None: false for the interpolating modes), or true/false for the
   *     interpolating modes only
   * @param recomputeScaleFactor null (None), true or false
   * @param antialias anti-aliasing ({@code "bilinear"} and {@code "bicubic"} on 4-D input only):
   *     ATen's {@code _upsample_bilinear2d_aa} / {@code _upsample_bicubic2d_aa}, a normalised
   *     triangle or Keys cubic ({@code a = -0.5}) filter stretched by the scale when downsampling
   *     (what Pillow's resize does)
   * @return the resampled input
   * @throws IllegalArgumentException with PyTorch's messages for bad combinations
   * @throws UnsupportedOperationException where PyTorch raises {@code NotImplementedError}
   */
  public static Tensor interpolate(
      Tensor input,
      int[] size,
      double[] scaleFactor,
      String mode,
      Boolean alignCorners,
      Boolean recomputeScaleFactor,
      boolean antialias) {
    return SampleOps.interpolate(
        input, size, scaleFactor, mode, alignCorners, recomputeScaleFactor, antialias);
  }

  /**
   * {@code F.bilinear(input1, input2, weight, bias)}: {@code y = x1^T A x2 + b} over the last dim,
   * one matrix {@code A = weight[o]} per output feature (ATen's {@code bilinear}, a composite of
   * tensor ops in jnn).
   *
   * @param input1 {@code [*, in1]}
   * @param input2 {@code [*, in2]}, the same leading dims
   * @param weight {@code [out, in1, in2]}
   * @param bias {@code [out]}, or null
   * @return {@code [*, out]}
   * @throws IllegalArgumentException with ATen's {@code bilinear():} messages
   */
  public static Tensor bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor bias) {
    return SampleOps.bilinear(input1, input2, weight, bias);
  }

  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private static final System.Logger LOG = System.getLogger("dev.jnn.nn.functional");

  private static boolean alignDefault(Boolean alignCorners) {
    if (alignCorners == null) {
      String m = "Default grid_sample and affine_grid behavior has changed to align_corners=False"
          + " since 1.3.0. Please specify align_corners=True if the old behavior is desired. See"
          + " the documentation of grid_sample for details.";
      warnOnce(m);
      return false;
    }
    return alignCorners;
  }

  /**
   * {@code F.affine_grid(theta, size, align_corners)}: the sampling grid of a batch of affine
   * transforms, for {@link #gridSample}. A null {@code alignCorners} is PyTorch's default (false,
   * with its warning, logged once on {@code dev.jnn.nn.functional}).
   *
   * @param theta {@code [N, 2, 3]} (2-d) or {@code [N, 3, 4]} (3-d), floating
   * @param size the target {@code [N, C, H, W]} or {@code [N, C, D, H, W]}
   * @param alignCorners as in {@link #gridSample}, or null
   * @return {@code [N, H, W, 2]} or {@code [N, D, H, W, 3]}; its {@code grad_fn} is {@code
   *     AffineGridGeneratorBackward0}
   * @throws IllegalArgumentException with PyTorch 1.13's messages
   */
  public static Tensor affineGrid(Tensor theta, long[] size, Boolean alignCorners) {
    return GridOps.affineGrid(theta, size, alignDefault(alignCorners));
  }

  /**
   * {@code F.grid_sample(input, grid, mode, padding_mode, align_corners)}: samples {@code input}
   * at the normalised coordinates of {@code grid} ({@code -1} and {@code 1} are the edges, or the
   * corner pixels' centres with {@code alignCorners}); differentiable in the input and the grid.
   * A null {@code alignCorners} is PyTorch's default (false, with its warning).
   *
   * @param input {@code [N, C, H, W]} or {@code [N, C, D, H, W]}
   * @param grid {@code [N, H_out, W_out, 2]} of {@code (x, y)} or {@code [N, D_out, H_out, W_out,
   *     3]} of {@code (x, y, z)}, the input's dtype
   * @param mode {@code "bilinear"} (trilinear for 5-D input), {@code "nearest"} or {@code
   *     "bicubic"} (4-D only)
   * @param paddingMode {@code "zeros"}, {@code "border"} or {@code "reflection"}
   * @param alignCorners PyTorch's {@code align_corners}, or null
   * @return {@code [N, C, H_out, W_out]} or {@code [N, C, D_out, H_out, W_out]}
   * @throws IllegalArgumentException with PyTorch 1.13's messages
   */
  public static Tensor gridSample(
      Tensor input, Tensor grid, String mode, String paddingMode, Boolean alignCorners) {
    return GridOps.gridSample(input, grid, mode, paddingMode, alignDefault(alignCorners));
  }

  private static void warnOnce(String m) {
    if (WARNED.add(m)) {
      LOG.log(System.Logger.Level.WARNING, m);
    }
  }

  /**
   * {@code F.upsample} (deprecated in PyTorch, which warns; logged once here): {@link
   * #interpolate(Tensor, int[], double[], String, Boolean, Boolean, boolean)} with these
   * arguments.
   *
   * @param input {@code [N, C, W]}, {@code [N, C, H, W]} or {@code [N, C, D, H, W]}
   * @param size output spatial sizes, or null
   * @param scaleFactor spatial multipliers, or null
   * @param mode as in {@code interpolate}
   * @param alignCorners as in {@code interpolate}
   * @return the resampled input
   */
  public static Tensor upsample(
      Tensor input, int[] size, double[] scaleFactor, String mode, Boolean alignCorners) {
    warnOnce("nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.");
    return SampleOps.interpolate(input, size, scaleFactor, mode, alignCorners, null, false);
  }

  /**
   * {@code F.upsample_nearest} (deprecated in PyTorch, which warns; logged once here): {@code
   * interpolate(input, size, scale_factor, mode='nearest')}.
   *
   * @param input {@code [N, C, W]}, {@code [N, C, H, W]} or {@code [N, C, D, H, W]}
   * @param size output spatial sizes, or null
   * @param scaleFactor spatial multipliers, or null
   * @return the resampled input
   */
  public static Tensor upsampleNearest(Tensor input, int[] size, double[] scaleFactor) {
    warnOnce("nn.functional.upsample_nearest is deprecated. Use nn.functional.interpolate"
        + " instead.");
    return SampleOps.interpolate(input, size, scaleFactor, "nearest", null, null, false);
  }

  /**
   * {@code F.upsample_bilinear} (deprecated in PyTorch, which warns; logged once here): {@code
   * interpolate(input, size, scale_factor, mode='bilinear', align_corners=True)}.
   *
   * @param input {@code [N, C, H, W]}
   * @param size output {@code (H, W)}, or null
   * @param scaleFactor multipliers of {@code (H, W)}, or null
   * @return the resampled input
   */
  public static Tensor upsampleBilinear(Tensor input, int[] size, double[] scaleFactor) {
    warnOnce("nn.functional.upsample_bilinear is deprecated. Use nn.functional.interpolate"
        + " instead.");
    return SampleOps.interpolate(input, size, scaleFactor, "bilinear", true, null, false);
  }
}
