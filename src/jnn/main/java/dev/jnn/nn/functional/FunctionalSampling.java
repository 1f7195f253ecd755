package dev.jnn.nn.functional;

import dev.jnn.tensor.SampleOps;
import dev.jnn.tensor.Tensor;

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
   * and 2.x agree on this. {@code "area"} is {@link #adaptiveAvgPool2d(Tensor, int[])} (4-D input
   * only in jnn so far). The {@code grad_fn} names are PyTorch 2.x's ({@code
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
   * @param antialias PyTorch's flag; {@code true} is validated as PyTorch does and then refused
   *     ({@link UnsupportedOperationException}): jnn has no anti-aliasing kernels yet
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
}
