package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.checkDevice;
import static dev.jnn.tensor.NnOpSupport.checkFloating;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.typeName;
import static dev.jnn.tensor.NnOpSupport.zeros;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.SoftmaxKernels;
import dev.jnn.backend.SoftmaxShape;
import dev.jnn.core.Shape;
import java.util.List;

/**
 * Internal: the activation ops behind {@code nn.functional.Functional} that are not element-wise:
 * {@code softmax} and {@code logSoftmax} (their own kernels, {@link
 * dev.jnn.backend.SoftmaxKernels}), {@code softmin}, and the compositions {@code glu} and {@code
 * prelu}, each recorded as one node under PyTorch's grad_fn name; use {@code Functional}. The
 * element-wise activations are {@link Tensor} methods ({@code relu}, {@code gelu}, ...) and
 * {@link PointwiseActivationOps}. Public only because {@code Functional} lives in another
 * package.
 */
public final class ActivationOps {
  private ActivationOps() {}

  /** {@code F.softmax(input, dim)}. */
  public static Tensor softmax(Tensor input, int dim) {
    return softmaxOp(input, dim, false);
  }

  /** {@code F.log_softmax(input, dim)}. */
  public static Tensor logSoftmax(Tensor input, int dim) {
    return softmaxOp(input, dim, true);
  }

  /** {@code F.softmin(input, dim)}: {@code softmax(-input, dim)}, as 1.13 writes it. */
  public static Tensor softmin(Tensor input, int dim) {
    return softmax(input.neg(), dim);
  }

  /**
   * {@code F.glu(input, dim)}: the halves {@code a}, {@code b} of {@code dim}, {@code a *
   * sigmoid(b)} (GluBackward0: {@code g * s} and {@code g * a * s * (1 - s)}).
   */
  public static Tensor glu(Tensor input, int dim) {
    if (input.dim() == 0) {
      throw new IllegalArgumentException(
          "glu does not support scalars because halving size must be even");
    }
    final int d = Shape.normalizeDim(dim, input.dim());
    final long n = input.size(d);
    if (n % 2 != 0) {
      throw new IllegalArgumentException(
          "Halving dimension must be even, but dimension " + d + " is size " + n);
    }
    checkFloating("glu_cpu", input);
    final long h = n / 2;
    Tensor out;
    try (var ng = NoGrad.enter()) {
      out = input.narrow(d, 0, h).mul(input.narrow(d, h, h).sigmoid());
    }
    return Tensor.record("GluBackward0", out, new Tensor[] {input}, new Tensor[] {input},
        g -> {
          Tensor a = input.narrow(d, 0, h);
          Tensor s = input.narrow(d, h, h).sigmoid();
          Tensor ga = g[0].mul(s);
          Tensor gb = ga.mul(a).mul(s.rsub(1.0));
          return new Tensor[] {Tensor.cat(List.of(ga, gb), d)};
        });
  }

  /**
   * {@code F.prelu(input, weight)}: {@code x > 0 ? x : w * x}, with one weight, or one per channel
   * (dim 1 of the input; a 1-dim input has one channel). PreluBackward0: the input's gradient
   * {@code g} or {@code w * g}, the weight's the sum of {@code x * g} over the non-positive
   * elements of its channel.
   */
  public static Tensor prelu(Tensor input, Tensor weight) {
    checkDevice("prelu", input, weight);
    long count = weight.numel();
    if (count != 1) {
      if (input.dim() == 0) {
        throw new IllegalArgumentException("Not allow zero-dim input tensor.");
      }
      long channels = input.dim() > 1 ? input.size(1) : 1;
      if (channels != count) {
        throw new IllegalArgumentException(
            "Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                + count + " and channel size = " + channels + ".");
      }
    }
    if (weight.dim() > 1) {
      throw new IllegalArgumentException(
          "prelu: Expected `weight` to be a scalar or 1D tensor, but got ndim = " + weight.dim());
    }
    if (weight.dtype() != input.dtype()) {
      throw new IllegalArgumentException("Found dtype " + typeName(weight.dtype())
          + " but expected " + typeName(input.dtype()));
    }
    checkFloating("prelu_cpu", input);
    // the weight as a tensor that broadcasts onto the input: 0-dim, or [C, 1, ..., 1]
    long[] wDims = new long[count == 1 ? 0 : input.dim() - 1];
    java.util.Arrays.fill(wDims, 1);
    if (count != 1) {
      wDims[0] = count;
    }
    final Shape wShape = Shape.of(wDims);
    final Shape weightShape = weight.shape();
    Tensor out;
    try (var ng = NoGrad.enter()) {
      out = Tensor.where(input.gt(0.0), input, input.mul(weight.reshape(wDims)));
    }
    return Tensor.record("PreluBackward0", out, new Tensor[] {input, weight},
        new Tensor[] {input, weight},
        g -> {
          Tensor positive = input.gt(0.0);
          Tensor w = weight.reshape(wShape.dims());
          Tensor gi = input.requiresGrad() ? Tensor.where(positive, g[0], g[0].mul(w)) : null;
          Tensor gw = null;
          if (weight.requiresGrad()) {
            Tensor terms = Tensor.where(positive, 0.0, input.mul(g[0]));
            gw = Autograd.sumToShape(terms, wShape).reshape(weightShape.dims());
          }
          return new Tensor[] {gi, gw};
        });
  }

  /** [outer, size, inner] of {@code t} around {@code dim}. */
  private static int[] around(Tensor t, int dim) {
    if (t.dim() == 0) {
      return new int[] {1, 1, 1};
    }
    long outer = 1;
    long inner = 1;
    for (int i = 0; i < dim; i++) {
      outer *= t.size(i);
    }
    for (int i = dim + 1; i < t.dim(); i++) {
      inner *= t.size(i);
    }
    return new int[] {Math.toIntExact(outer), t.shape().getInt(dim), Math.toIntExact(inner)};
  }

  private static Tensor softmaxOp(Tensor input, int dim, boolean log) {
    int d = Shape.normalizeDim(dim, input.dim());
    checkFloating(log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl", input);
    final int[] osi = around(input, d);
    final Tensor xc = contig(input);
    final SoftmaxKernels k = backend(input).softmax();
    final SoftmaxShape sh = new SoftmaxShape(osi[0], osi[1], osi[2], log);
    final Tensor out = Tensor.empty(input.shape(), input.dtype(), input.device());
    if (input.numel() > 0) {
      k.softmax(xc.view(), sh, buf(out));
    }
    return Tensor.record(
        log ? "LogSoftmaxBackward0" : "SoftmaxBackward0",
        out,
        new Tensor[] {input},
        new Tensor[] {out},
        gr -> {
          Tensor g = contig(gr[0]);
          Tensor gi = zeros(input.shape(), input);
          if (input.numel() > 0) {
            k.softmaxBackward(g.view(), out.view(), sh, buf(gi));
          }
          return new Tensor[] {gi};
        });
  }
}
