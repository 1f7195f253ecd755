package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.zeros;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.GridSampleSpec;
import dev.jnn.backend.SampleKernels;
import dev.jnn.core.Shape;
import java.util.Arrays;

/**
 * Internal: the sampling-grid op family behind {@code nn.functional.Functional}'s {@code
 * affine_grid} and {@code grid_sample}; use {@code Functional}. Public only because {@code
 * Functional} lives in another package.
 */
public final class GridOps {
  private GridOps() {}

  /**
   * {@code F.affine_grid(theta, size, align_corners)} after the Python default ({@code
   * alignCorners} resolved by the caller): 1.13's checks and messages, then ATen's {@code
   * affine_grid_generator} (the base grid of normalised coordinates times {@code theta^T}),
   * recorded as one {@code AffineGridGeneratorBackward0} node whose gradient is {@code (grad^T
   * base)}, as derivatives.yaml's {@code affine_grid_generator_backward}.
   */
  public static Tensor affineGrid(Tensor theta, long[] size, boolean alignCorners) {
    if (!theta.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "Expected theta to have floating point type, but got torch."
              + theta.dtype().torchName());
    }
    String sz = Arrays.toString(size);
    int sd;
    if (size.length == 4) {
      if (theta.dim() != 3 || theta.size(-2) != 2 || theta.size(-1) != 3) {
        throw new IllegalArgumentException("Expected a batch of 2D affine matrices of shape Nx2x3"
            + " for size " + sz + ". Got " + torchSize(theta) + ".");
      }
      sd = 2;
    } else if (size.length == 5) {
      if (theta.dim() != 3 || theta.size(-2) != 3 || theta.size(-1) != 4) {
        throw new IllegalArgumentException("Expected a batch of 3D affine matrices of shape Nx3x4"
            + " for size " + sz + ". Got " + torchSize(theta) + ".");
      }
      sd = 3;
    } else {
      throw new UnsupportedOperationException("affine_grid only supports 4D and 5D sizes, for 2D"
          + " and 3D affine transforms, respectively. Got size " + sz + ".");
    }
    long minSpatial = Long.MAX_VALUE;
    for (int i = size.length - sd; i < size.length; i++) {
      minSpatial = Math.min(minSpatial, size[i]);
    }
    long minAll = Arrays.stream(size).min().getAsLong();
    if (!(alignCorners && minSpatial == 1) && minAll <= 0) {
      throw new IllegalArgumentException(
          "Expected non-zero, positive output size. Got " + sz);
    }
    long n = size[0];
    if (theta.size(0) != n) {
      throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor"
          + " to be: [" + n + ", " + (sd + 1) + "] but got: [" + theta.size(0) + ", " + (sd + 1)
          + "].");
    }
    // the base grid [points, sd + 1]: x (fastest), y, (z), 1 per point, ATen's linspace
    long d = sd == 3 ? size[2] : 1;
    long h = size[size.length - 2];
    long w = size[size.length - 1];
    int points = Math.toIntExact(d * h * w);
    double[] b = new double[points * (sd + 1)];
    double[] xs = linspace(w, alignCorners);
    double[] ys = linspace(h, alignCorners);
    double[] zs = linspace(d, alignCorners);
    int k = 0;
    for (int z = 0; z < d; z++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          b[k++] = xs[x];
          b[k++] = ys[y];
          if (sd == 3) {
            b[k++] = zs[z];
          }
          b[k++] = 1;
        }
      }
    }
    final Tensor base = Tensor.fromArray(b, points, sd + 1).to(theta.device(), theta.dtype());
    long[] outShape = sd == 3 ? new long[] {n, d, h, w, 3} : new long[] {n, h, w, 2};
    Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      // [points, sd + 1] @ [N, sd + 1, sd] -> [N, points, sd]
      out = base.matmul(theta.transpose(1, 2)).reshape(outShape).contiguous();
    }
    final int dims = sd;
    return Tensor.record("AffineGridGeneratorBackward0", out, new Tensor[] {theta},
        new Tensor[0],
        gr -> {
          // grad_theta = grad.view(N, points, sd)^T @ base
          Tensor g = gr[0].reshape(n, points, dims).transpose(1, 2).matmul(base);
          return new Tensor[] {g};
        });
  }

  /** ATen's {@code linspace_from_neg_one}: 0 for one step; scaled by (n - 1) / n unaligned. */
  private static double[] linspace(long steps, boolean alignCorners) {
    double[] r = new double[(int) steps];
    if (steps <= 1) {
      return r;
    }
    double step = 2.0 / (steps - 1);
    long half = steps / 2;
    for (int i = 0; i < steps; i++) {
      double v = i < half ? -1 + step * i : 1 - step * (steps - 1 - i);
      r[i] = alignCorners ? v : v * (steps - 1) / steps;
    }
    return r;
  }

  private static String torchSize(Tensor t) {
    return "torch.Size(" + Arrays.toString(t.shape().dims()) + ")";
  }

  /**
   * {@code F.grid_sample} after the Python default ({@code alignCorners} resolved by the caller):
   * 1.13's mode checks, ATen's {@code check_grid_sampler_common} / {@code _2d} / {@code _3d}
   * checks and messages, the back end's {@code grid_sampler_2d} / {@code _3d} kernel, and one
   * {@code GridSampler2DBackward0} / {@code GridSampler3DBackward0} node giving the input's and the
   * grid's gradients.
   */
  public static Tensor gridSample(
      Tensor input, Tensor grid, String mode, String paddingMode, boolean alignCorners) {
    int m = switch (mode) {
      case "bilinear" -> GridSampleSpec.BILINEAR;
      case "nearest" -> GridSampleSpec.NEAREST;
      case "bicubic" -> GridSampleSpec.BICUBIC;
      default -> throw new IllegalArgumentException("nn.functional.grid_sample(): expected mode to"
          + " be 'bilinear', 'nearest' or 'bicubic', but got: '" + mode + "'");
    };
    int pad = switch (paddingMode) {
      case "zeros" -> GridSampleSpec.ZEROS;
      case "border" -> GridSampleSpec.BORDER;
      case "reflection" -> GridSampleSpec.REFLECTION;
      default -> throw new IllegalArgumentException("nn.functional.grid_sample(): expected"
          + " padding_mode to be 'zeros', 'border', or 'reflection', but got: '" + paddingMode
          + "'");
    };
    NnOpSupport.checkDevice("grid_sampler", input, grid);
    boolean twoD = input.dim() == 4;
    if (input.dim() < 1 || grid.dim() < 1 || input.size(0) != grid.size(0)) {
      throw new IllegalArgumentException("grid_sampler(): expected grid and input to have same"
          + " batch size, but got input with sizes " + input.shape() + " and grid with sizes "
          + grid.shape());
    }
    if (grid.size(-1) != input.dim() - 2) {
      throw new IllegalArgumentException("grid_sampler(): expected grid to have size "
          + (input.dim() - 2) + " in last dimension, but got grid with sizes " + grid.shape());
    }
    for (int i = 2; i < input.dim(); i++) {
      if (input.size(i) <= 0) {
        throw new IllegalArgumentException("grid_sampler(): expected input to have non-empty"
            + " spatial dimensions, but input has sizes " + input.shape() + " with dimension " + i
            + " being empty");
      }
    }
    int want = twoD ? 4 : 5;
    if (input.dim() != want || grid.dim() != want) {
      throw new IllegalArgumentException("grid_sampler(): expected " + want + "D input and grid"
          + " with same number of dimensions, but got input with sizes " + input.shape()
          + " and grid with sizes " + grid.shape());
    }
    if (!twoD && m == GridSampleSpec.BICUBIC) {
      throw new IllegalArgumentException(
          "grid_sampler(): bicubic interpolation only supports 4D input");
    }
    if (!input.isFloatingPoint()) {
      throw new IllegalArgumentException("grid_sampler_" + (twoD ? "2d" : "3d")
          + "_cpu not implemented for " + NnOpSupport.typeName(input.dtype()));
    }
    NnOpSupport.checkSameType(input, grid);
    int sd = twoD ? 0 : 1;
    final GridSampleSpec spec = new GridSampleSpec(twoD ? 2 : 3, m, pad, alignCorners,
        Math.toIntExact(input.size(0)), Math.toIntExact(input.size(1)),
        twoD ? 1 : Math.toIntExact(input.size(2)), Math.toIntExact(input.size(2 + sd)),
        Math.toIntExact(input.size(3 + sd)), twoD ? 1 : Math.toIntExact(grid.size(1)),
        Math.toIntExact(grid.size(1 + sd)), Math.toIntExact(grid.size(2 + sd)));
    final Tensor xc = contig(input);
    final Tensor gc = contig(grid);
    final SampleKernels kn = backend(input).sample();
    long[] os = grid.shape().dims();
    os[os.length - 1] = os[os.length - 2];
    System.arraycopy(os, 1, os, 2, os.length - 2);
    os[1] = input.size(1);
    Tensor out = Tensor.empty(Shape.of(os), input.dtype(), input.device());
    boolean work = out.numel() > 0;
    if (work) {
      kn.gridSample(xc.view(), gc.view(), buf(out), spec);
    }
    String node = twoD ? "GridSampler2DBackward0" : "GridSampler3DBackward0";
    return Tensor.record(node, out, new Tensor[] {input, grid},
        new Tensor[] {xc, gc},
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gi = input.requiresGrad() ? zeros(input.shape(), input) : null;
          Tensor gg = zeros(grid.shape(), grid);
          if (spec.points() > 0 && spec.c() > 0) {
            kn.gridSampleBackward(go.view(), xc.view(), gc.view(), gi == null ? null : buf(gi),
                buf(gg), spec);
          }
          return new Tensor[] {gi, grid.requiresGrad() ? gg : null};
        });
  }
}
