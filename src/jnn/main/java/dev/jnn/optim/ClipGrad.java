package dev.jnn.optim;

import dev.jnn.autograd.NoGrad;
import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Gradient clipping ({@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}). */
public final class ClipGrad {
  private ClipGrad() {}

  /**
   * Scales all gradients so that their joint {@code normType}-norm is at most {@code maxNorm};
   * returns the total norm before clipping. {@code normType} may be {@code
   * Double.POSITIVE_INFINITY}.
   */
  public static double clipGradNorm(List<? extends Parameter> params, double maxNorm, double normType) {
    return clipGradNorm(params, maxNorm, normType, false);
  }

  /** Same, optionally failing when the total norm is NaN or infinite. */
  public static double clipGradNorm(
      List<? extends Parameter> params, double maxNorm, double normType, boolean errorIfNonfinite) {
    List<Tensor> grads = new ArrayList<>();
    for (Parameter p : params) {
      if (p.grad() != null) {
        grads.add(p.grad());
      }
    }
    if (grads.isEmpty()) {
      return 0.0;
    }
    double total;
    try (var g = NoGrad.enter()) {
      if (Double.isInfinite(normType)) {
        total = 0;
        for (Tensor gr : grads) {
          total = Math.max(total, gr.abs().max().item());
        }
      } else {
        double acc = 0;
        for (Tensor gr : grads) {
          double n = gr.abs().pow(normType).sum().item();
          acc += n;
        }
        total = Math.pow(acc, 1.0 / normType);
      }
      if (errorIfNonfinite && !Double.isFinite(total)) {
        throw new IllegalStateException(
            "The total norm of order " + normType + " for gradients from `parameters` is non-finite,"
                + " so it cannot be clipped. To disable this error and scale the gradients by the"
                + " non-finite norm anyway, set `error_if_nonfinite=False`");
      }
      double coef = maxNorm / (total + 1e-6);
      if (coef < 1.0) {
        for (Tensor gr : grads) {
          gr.mulInPlace(coef);
        }
      }
    }
    return total;
  }

  /** Clamps every gradient element into {@code [-clipValue, clipValue]}. */
  public static void clipGradValue(List<? extends Parameter> params, double clipValue) {
    try (var g = NoGrad.enter()) {
      for (Parameter p : params) {
        if (p.grad() != null) {
          p.grad().copyFrom(p.grad().clamp(-clipValue, clipValue));
        }
      }
    }
  }
}
