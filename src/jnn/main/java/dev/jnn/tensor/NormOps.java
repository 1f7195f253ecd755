package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.checkDevice;
import static dev.jnn.tensor.NnOpSupport.checkFloating;
import static dev.jnn.tensor.NnOpSupport.checkSameType;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.needsGrad;
import static dev.jnn.tensor.NnOpSupport.view;
import static dev.jnn.tensor.NnOpSupport.zeros;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.BatchNormShape;
import dev.jnn.backend.LayerNormShape;
import dev.jnn.backend.NormKernels;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;

/**
 * Internal: the normalisation op family behind {@code nn.functional.Functional}'s {@code
 * batchNorm}, {@code layerNorm} and {@code rmsNorm}; use {@code Functional}. Each op validates its
 * arguments with PyTorch's messages; batch and layer norm allocate their outputs and saved
 * statistics, run the back end's kernel ({@link dev.jnn.backend.NormKernels}) and record their
 * backward beside the forward, RMS norm is a composition of tensor ops (as in PyTorch 2.4). Group,
 * instance and local response norm (issue 20) are compositions too: group norm of tensor ops,
 * instance norm of batch norm on the input viewed as one sample of {@code N * C} channels (ATen's
 * {@code instance_norm}), local response norm of padding and average pooling (1.13's Python
 * {@code F.local_response_norm}). Public only because {@code Functional} lives in another package.
 */
public final class NormOps {
  private NormOps() {}

  private static void checkPerChannel(Tensor t, String name, long c, Tensor input) {
    if (t == null) {
      return;
    }
    if (t.numel() != c) {
      throw new ShapeMismatchException(
          name + " should contain " + c + " elements not " + t.numel());
    }
    checkSameType(input, t);
  }

  /**
   * {@code F.batch_norm}; {@code momentum} is the effective exponential-average factor (see
   * {@code Functional.batchNorm}).
   */
  public static Tensor batchNorm(
      Tensor input,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    if (input.dim() < 2) {
      throw new IllegalArgumentException(
          "batch_norm(): expected an input of at least 2 dims [N, C, *], but got input of size "
              + input.shape());
    }
    checkFloating("batch_norm", input);
    checkDevice("batch_norm", input, runningMean, runningVar, weight, bias);
    final long c = input.size(1);
    if (!training && (runningMean == null || runningVar == null)) {
      throw new IllegalArgumentException(
          (runningMean == null ? "running_mean" : "running_var")
              + " must be defined in evaluation mode");
    }
    checkPerChannel(runningMean, "running_mean", c, input);
    checkPerChannel(runningVar, "running_var", c, input);
    checkPerChannel(weight, "weight", c, input);
    checkPerChannel(bias, "bias", c, input);
    final int n = input.shape().getInt(0);
    final int ch = (int) c;
    long spatial = 1;
    for (int i = 2; i < input.dim(); i++) {
      spatial *= input.size(i);
    }
    final int sp = Math.toIntExact(spatial);
    final long count = n * spatial;
    if (training && count == 1) {
      throw new IllegalArgumentException(
          "Expected more than 1 value per channel when training, got input size torch.Size("
              + input.shape() + ")");
    }
    final Tensor xc = contig(input);
    final Tensor wc = contig(weight);
    final Tensor bc = contig(bias);
    final NormKernels k = backend(input).norm();
    final BatchNormShape sh = new BatchNormShape(n, ch, sp, eps);
    final Tensor out = Tensor.empty(input.shape(), input.dtype(), input.device());
    final Tensor mean;
    final Tensor var;
    if (training) {
      mean = Tensor.zeros(Shape.of(c), input.dtype(), input.device());
      var = Tensor.zeros(Shape.of(c), input.dtype(), input.device());
      if (input.numel() > 0) {
        k.batchNormTraining(xc.view(), view(wc), view(bc), sh, buf(out), buf(mean), buf(var));
      }
      if (runningMean != null || runningVar != null) {
        try (NoGrad ignored = NoGrad.enter()) {
          if (runningMean != null) {
            runningMean.copyFrom(runningMean.mul(1.0 - momentum).add(mean.mul(momentum)));
          }
          if (runningVar != null) {
            double unbias = count > 1 ? (double) count / (count - 1) : Double.NaN;
            runningVar.copyFrom(
                runningVar.mul(1.0 - momentum).add(var.mul(unbias * momentum)));
          }
        }
      }
    } else {
      mean = contig(runningMean.detach());
      var = contig(runningVar.detach());
      if (input.numel() > 0) {
        k.batchNormInference(
            xc.view(), view(wc), view(bc), mean.view(), var.view(), sh, buf(out));
      }
    }
    Tensor[] saved;
    if (training) {
      saved = weight == null ? new Tensor[] {input} : new Tensor[] {input, weight};
    } else {
      saved = new Tensor[] {input, runningMean, runningVar};
    }
    return Tensor.record(
        "NativeBatchNormBackward0",
        out,
        new Tensor[] {input, weight, bias},
        saved,
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gi = input.requiresGrad() ? zeros(input.shape(), input) : null;
          Tensor gw = needsGrad(weight) ? zeros(weight.shape(), weight) : null;
          Tensor gb = needsGrad(bias) ? zeros(bias.shape(), bias) : null;
          if (input.numel() > 0) {
            k.batchNormBackward(
                go.view(),
                xc.view(),
                view(wc),
                mean.view(),
                var.view(),
                training,
                sh,
                gi == null ? null : buf(gi),
                gw == null ? null : buf(gw),
                gb == null ? null : buf(gb));
          }
          return new Tensor[] {gi, gw, gb};
        });
  }

  /** PyTorch's check that {@code input} ends in {@code normalizedShape} (layer and RMS norm). */
  private static void checkTrailingShape(Tensor input, long[] normalizedShape) {
    int nd = normalizedShape.length;
    boolean match = input.dim() >= nd;
    for (int i = 0; match && i < nd; i++) {
      match = input.size(input.dim() - nd + i) == normalizedShape[i];
    }
    if (!match) {
      StringBuilder exp = new StringBuilder("[*");
      for (long v : normalizedShape) {
        exp.append(", ").append(v);
      }
      exp.append(']');
      throw new ShapeMismatchException(
          "Given normalized_shape=" + Shape.of(normalizedShape) + ", expected input with shape "
              + exp + ", but got input of size" + input.shape());
    }
  }

  /** PyTorch's checks of {@code normalized_shape} and {@code weight} (layer and RMS norm). */
  private static void checkNormalizedShape(long[] normalizedShape, Tensor weight) {
    if (normalizedShape.length == 0) {
      throw new IllegalArgumentException(
          "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one"
              + " element, but got normalized_shape = []");
    }
    Shape ns = Shape.of(normalizedShape);
    if (weight != null && !weight.shape().equals(ns)) {
      throw new ShapeMismatchException(
          "Expected weight to be of same shape as normalized_shape, but got weight of shape "
              + weight.shape() + " and normalized_shape = " + ns);
    }
  }

  /**
   * {@code F.rms_norm} (PyTorch 2.4+; torch 1.13 has none): {@code x * rsqrt(mean(x^2) + eps) *
   * weight}, the mean over the trailing {@code normalizedShape} dims, composed of tensor ops as
   * 2.4's {@code rms_norm_symint} composes it ({@code pow}, {@code mean(keepdim)}, {@code add},
   * {@code rsqrt}, {@code mul}, {@code mul}: so its {@code grad_fn} is {@code MulBackward0} and its
   * backward is theirs). {@code eps} null is {@code torch.finfo(input.dtype).eps}; {@code weight}
   * may be null. The result has the input's dtype ({@code type_as}).
   */
  public static Tensor rmsNorm(
      Tensor input, long[] normalizedShape, Tensor weight, Double eps) {
    checkNormalizedShape(normalizedShape, weight);
    checkTrailingShape(input, normalizedShape);
    checkFloating("rms_norm", input);
    checkDevice("rms_norm", input, weight);
    int nd = normalizedShape.length;
    int[] dims = new int[nd];
    for (int i = 0; i < nd; i++) {
      dims[i] = input.dim() - i - 1; // 2.4's order: the last dim first
    }
    double e = eps != null ? eps
        : input.dtype() == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
    Tensor y = input.mul(input.pow(2).mean(dims, true).add(e).rsqrt());
    if (weight != null) {
      y = y.mul(weight);
    }
    return y.dtype() == input.dtype() ? y : y.to(input.dtype());
  }

  /** {@code F.layer_norm}; {@code weight} and {@code bias} may be null. */
  public static Tensor layerNorm(
      Tensor input, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    checkNormalizedShape(normalizedShape, weight);
    Shape ns = Shape.of(normalizedShape);
    if (bias != null && !bias.shape().equals(ns)) {
      throw new ShapeMismatchException(
          "Expected bias to be of same shape as normalized_shape, but got bias of shape "
              + bias.shape() + " and normalized_shape = " + ns);
    }
    checkTrailingShape(input, normalizedShape);
    checkFloating("layer_norm", input);
    checkDevice("layer_norm", input, weight, bias);
    checkSameType(input, weight);
    checkSameType(input, bias);
    final int cols = Math.toIntExact(ns.numel());
    final int rows = cols == 0 ? 0 : Math.toIntExact(input.numel() / cols);
    final Tensor xc = contig(input);
    final Tensor wc = contig(weight);
    final Tensor bc = contig(bias);
    final NormKernels k = backend(input).norm();
    final LayerNormShape sh = new LayerNormShape(rows, cols, eps);
    final Tensor out = Tensor.empty(input.shape(), input.dtype(), input.device());
    final Tensor mean = Tensor.zeros(Shape.of(rows), input.dtype(), input.device());
    final Tensor rstd = Tensor.zeros(Shape.of(rows), input.dtype(), input.device());
    if (rows > 0 && cols > 0) {
      k.layerNorm(xc.view(), view(wc), view(bc), sh, buf(out), buf(mean), buf(rstd));
    }
    return Tensor.record(
        "NativeLayerNormBackward0",
        out,
        new Tensor[] {input, weight, bias},
        new Tensor[] {input},
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gi = input.requiresGrad() ? zeros(input.shape(), input) : null;
          Tensor gw = needsGrad(weight) ? zeros(weight.shape(), weight) : null;
          Tensor gb = needsGrad(bias) ? zeros(bias.shape(), bias) : null;
          if (rows > 0 && cols > 0) {
            k.layerNormBackward(
                go.view(),
                xc.view(),
                view(wc),
                mean.view(),
                rstd.view(),
                sh,
                gi == null ? null : buf(gi),
                gw == null ? null : buf(gw),
                gb == null ? null : buf(gb));
          }
          return new Tensor[] {gi, gw, gb};
        });
  }

  // ---------------------------------------------------------------- issue 20: group, instance, LRN

  /**
   * {@code F.group_norm}: 1.13's checks in its order (the Python function's {@code
   * _verify_batch_size} on {@code [N * C // G, G, *]}, then ATen's), then {@code (x - mean) /
   * sqrt(var + eps)} over each sample's groups of {@code C / G} channels (biased variance), times
   * {@code weight} and plus {@code bias} per channel, composed of tensor ops (PyTorch: one kernel,
   * {@code NativeGroupNormBackward0}).
   */
  public static Tensor groupNorm(
      Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
    final long n = input.size(0); // 1.13 reads size(1) first: 1-d input is an IndexError
    final long c = input.size(1);
    if (numGroups == 0) {
      throw new ArithmeticException("integer division or modulo by zero"); // Python's //
    }
    long first = Math.floorDiv(n * c, (long) numGroups);
    long prod = first;
    StringBuilder size = new StringBuilder("[").append(first).append(", ").append(numGroups);
    long spatial = 1;
    for (int i = 2; i < input.dim(); i++) {
      prod *= input.size(i);
      spatial *= input.size(i);
      size.append(", ").append(input.size(i));
    }
    if (prod == 1) {
      throw new IllegalArgumentException(
          "Expected more than 1 value per channel when training, got input size " + size + "]");
    }
    if (numGroups < 0) {
      throw new IllegalArgumentException(
          "Expected num groups to be greater than 0, got " + numGroups);
    }
    if (c % numGroups != 0) {
      throw new ShapeMismatchException(
          "Expected number of channels in input to be divisible by num_groups, but got input of"
              + " shape " + input.shape() + " and num_groups=" + numGroups);
    }
    for (int i = 0; i < 2; i++) {
      Tensor t = i == 0 ? weight : bias;
      if (t != null && !(t.dim() == 1 && t.numel() == c)) {
        String what = i == 0 ? "weight" : "bias";
        // 1.13's bias message prints the weight's sizes ([0] when there is no weight): its text
        String shown = weight != null ? weight.shape().toString() : "[0]";
        throw new ShapeMismatchException(
            "Expected " + what + " to be a vector of size equal to the number of channels in input,"
                + " but got " + what + " of shape " + shown + " and input of shape "
                + input.shape());
      }
    }
    checkFloating("group_norm", input);
    checkDevice("group_norm", input, weight, bias);
    checkSameType(input, weight);
    checkSameType(input, bias);
    Tensor x = input.reshape(n, numGroups, (c / numGroups) * spatial);
    Tensor mean = x.mean(new int[] {2}, true);
    Tensor var = x.var(new int[] {2}, 0, true);
    Tensor y = x.sub(mean).mul(var.add(eps).rsqrt()).reshape(input.shape().dims());
    return affine(y, weight, bias);
  }

  /** {@code y * weight + bias} with {@code [C]} vectors broadcast over {@code [N, C, *]}. */
  private static Tensor affine(Tensor y, Tensor weight, Tensor bias) {
    long[] perChannel = new long[y.dim()];
    java.util.Arrays.fill(perChannel, 1);
    perChannel[1] = y.size(1);
    if (weight != null) {
      y = y.mul(weight.reshape(perChannel));
    }
    if (bias != null) {
      y = y.add(bias.reshape(perChannel));
    }
    return y;
  }

  /**
   * {@code F.instance_norm}: with {@code useInputStats}, 1.13's {@code _verify_spatial_size} first;
   * then ATen's {@code instance_norm}: batch norm of the input viewed as {@code [1, N * C, *]} with
   * the weight, bias and running statistics repeated {@code N} times, and, when running statistics
   * are given, each set to the mean over the batch of its updated copies (so {@code momentum}
   * blends in the mean of the per-sample statistics, the variance unbiased per sample). The
   * statistics change only when the whole op succeeds.
   */
  public static Tensor instanceNorm(
      Tensor input,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean useInputStats,
      double momentum,
      double eps) {
    if (useInputStats) {
      long prod = 1;
      for (int i = 2; i < input.dim(); i++) {
        prod *= input.size(i);
      }
      if (prod == 1) {
        throw new IllegalArgumentException(
            "Expected more than 1 spatial element when training, got input size torch.Size("
                + input.shape() + ")");
      }
    }
    if (!useInputStats && (runningMean == null || runningVar == null)) {
      throw new IllegalArgumentException(
          "Expected running_mean and running_var to be defined when use_input_stats is false");
    }
    final long b = input.size(0);
    final long c = input.size(1);
    long[] shape = input.shape().dims();
    shape[0] = 1;
    shape[1] = b * c;
    Tensor rm = runningMean == null ? null : runningMean.detach().repeat(b);
    Tensor rv = runningVar == null ? null : runningVar.detach().repeat(b);
    Tensor out = batchNorm(input.contiguous().view(shape), rm, rv,
        weight == null ? null : weight.repeat(b), bias == null ? null : bias.repeat(b),
        useInputStats, momentum, eps);
    if (useInputStats && (rm != null || rv != null)) {
      try (NoGrad ignored = NoGrad.enter()) {
        if (rm != null) {
          runningMean.copyFrom(rm.view(b, c).mean(0, false));
        }
        if (rv != null) {
          runningVar.copyFrom(rv.view(b, c).mean(0, false));
        }
      }
    }
    return out.view(input.shape().dims());
  }

  /**
   * {@code F.local_response_norm} as 1.13's Python composes it: {@code input / (k + alpha *
   * avg(input^2 over size neighbouring channels))^beta}, the average taken by zero-padding the
   * channel dim ({@code size / 2} before, {@code (size - 1) / 2} after) and average-pooling with a
   * {@code (size, 1)} window; an input of 4 or more dims is pooled as {@code [N, 1, C, rest]} (1.13's
   * {@code avg_pool3d} with a {@code (size, 1, 1)} window, the same sums). An empty input is
   * returned itself.
   */
  public static Tensor localResponseNorm(
      Tensor input, int size, double alpha, double beta, double k) {
    int dim = input.dim();
    if (dim < 3) {
      // 1.13's message, with the spaces its line continuation puts inside the string
      throw new IllegalArgumentException(
          "Expected 3D or higher dimensionality                          input (got " + dim
              + " dimensions)");
    }
    if (input.numel() == 0) {
      return input;
    }
    long[] sizes = input.shape().dims();
    Tensor div = input.mul(input).unsqueeze(1);
    if (dim > 3) {
      div = div.view(sizes[0], 1, sizes[1], -1);
    }
    div = NnMiscOps.pad(
        div, new int[] {0, 0, Math.floorDiv(size, 2), Math.floorDiv(size - 1, 2)}, "constant", 0.0);
    if (dim > 3 && size <= 0) {
      throw new IllegalArgumentException(
          "kernel size should be greater than zero, but got kT: " + size + " kH: 1 kW: 1");
    }
    div = PoolOps.avgPool2d(
        div, new int[] {size, 1}, new int[] {1, 1}, new int[] {0, 0}, false, true, null).squeeze(1);
    if (dim > 3) {
      div = div.view(sizes);
    }
    return input.div(div.mul(alpha).add(k).pow(beta));
  }
}
