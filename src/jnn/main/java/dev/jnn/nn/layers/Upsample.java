package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * Upsamples (or downsamples) 1-d, 2-d or 3-d spatial data ({@code torch.nn.Upsample}): {@link
 * Functional#interpolate(Tensor, int[], double[], String, Boolean, Boolean, boolean)} with the
 * module's options.
 *
 * <p>{@code size} and {@code scaleFactor} stand for PyTorch's arguments: exactly one is non-null
 * (PyTorch checks this in the forward); an array of one element is a Python scalar (repeated over
 * the input's spatial dims, printed without brackets), a longer one a tuple. The repr is PyTorch
 * 2.x's ({@code Upsample(scale_factor=2.0, mode='nearest')}); 1.13 prints the mode unquoted.
 *
 * <pre>{@code
 * Upsample up = new Upsample(null, new double[] {2}, "bilinear");
 * Tensor y = up.call(Tensor.randn(1, 3, 4, 4));   // [1, 3, 8, 8]
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Upsample.html">torch.nn.Upsample</a>
 */
public class Upsample extends Module {
  private final int[] size;
  private final double[] scaleFactor;
  private final String mode;
  private final Boolean alignCorners;
  private final Boolean recomputeScaleFactor;

  /**
   * {@code nn.Upsample(size, scale_factor, mode)}.
   *
   * @param size output spatial size (one element: every dim), or null
   * @param scaleFactor spatial multiplier (one element: every dim), or null
   * @param mode {@code "nearest"}, {@code "linear"}, {@code "bilinear"}, {@code "bicubic"},
   *     {@code "trilinear"}, {@code "area"} or {@code "nearest-exact"}
   */
  public Upsample(int[] size, double[] scaleFactor, String mode) {
    this(size, scaleFactor, mode, null, null);
  }

  /**
   * {@code nn.Upsample(size, scale_factor, mode, align_corners, recompute_scale_factor)}.
   *
   * @param size output spatial size (one element: every dim), or null
   * @param scaleFactor spatial multiplier (one element: every dim), or null; PyTorch's {@code
   *     float(scale_factor) if scale_factor else None} makes a scalar 0 None
   * @param mode as in {@link #Upsample(int[], double[], String)}
   * @param alignCorners null (None) or, for the interpolating modes, true or false
   * @param recomputeScaleFactor null (None), true or false
   */
  public Upsample(
      int[] size,
      double[] scaleFactor,
      String mode,
      Boolean alignCorners,
      Boolean recomputeScaleFactor) {
    this.size = size == null ? null : size.clone();
    this.scaleFactor =
        scaleFactor == null || (scaleFactor.length == 1 && scaleFactor[0] == 0)
            ? null
            : scaleFactor.clone();
    this.mode = mode;
    this.alignCorners = alignCorners;
    this.recomputeScaleFactor = recomputeScaleFactor;
  }

  /**
   * {@code F.interpolate(input, size, scale_factor, mode, align_corners,
   * recompute_scale_factor)}.
   */
  @Override
  public Tensor forward(Tensor input) {
    int spatial = Math.max(0, input.dim() - 2);
    return Functional.interpolate(input, expand(size, spatial), expand(scaleFactor, spatial), mode,
        alignCorners, recomputeScaleFactor, false);
  }

  private static int[] expand(int[] v, int n) {
    if (v == null || v.length != 1) {
      return v;
    }
    int[] r = new int[n];
    java.util.Arrays.fill(r, v[0]);
    return r;
  }

  private static double[] expand(double[] v, int n) {
    if (v == null || v.length != 1) {
      return v;
    }
    double[] r = new double[n];
    java.util.Arrays.fill(r, v[0]);
    return r;
  }

  /** {@code scale_factor=2.0, mode='nearest'} or {@code size=(4, 5), mode='bilinear'}. */
  @Override
  protected String extraRepr() {
    String info;
    if (scaleFactor != null) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < scaleFactor.length; i++) {
        b.append(i > 0 ? ", " : "").append(Py.floatRepr(scaleFactor[i]));
      }
      info = "scale_factor=" + (scaleFactor.length == 1 ? b : "(" + b + ")");
    } else if (size == null) {
      info = "size=None";
    } else {
      info = "size=" + (size.length == 1 ? String.valueOf(size[0]) : Py.tuple(size));
    }
    return info + ", mode=" + Py.str(mode);
  }

  /** {@code size} (a copy), or null. */
  public int[] size() {
    return size == null ? null : size.clone();
  }

  /** {@code scale_factor} (a copy), or null. */
  public double[] scaleFactor() {
    return scaleFactor == null ? null : scaleFactor.clone();
  }

  /** {@code mode}. */
  public String mode() {
    return mode;
  }

  /** {@code align_corners}, or null (None). */
  public Boolean alignCorners() {
    return alignCorners;
  }

  /** {@code recompute_scale_factor}, or null (None). */
  public Boolean recomputeScaleFactor() {
    return recomputeScaleFactor;
  }
}
