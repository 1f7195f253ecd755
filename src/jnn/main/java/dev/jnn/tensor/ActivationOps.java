package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.checkFloating;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.zeros;

import dev.jnn.backend.SoftmaxKernels;
import dev.jnn.backend.SoftmaxShape;
import dev.jnn.core.Shape;

/**
 * Internal: the activation ops behind {@code nn.functional.Functional} that run kernels of their
 * own, {@code softmax} and {@code logSoftmax} (the element-wise activations are {@link Tensor}
 * methods); use {@code Functional}. Each op validates, allocates, runs the back end's kernel
 * ({@link dev.jnn.backend.SoftmaxKernels}) and records its backward beside the forward. Public only because {@code
 * Functional} lives in another package.
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
