package dev.jnn.tensor;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.Py;
import dev.jnn.core.Shape;

/**
 * Internal: {@code F.alpha_dropout} and {@code F.feature_alpha_dropout} behind {@code
 * nn.functional.Functional} (issue 20); use {@code Functional}. ATen's {@code _dropout_impl} with
 * {@code alpha_dropout}: the input is returned itself outside training, for {@code p == 0} and
 * when empty; {@code p == 1} multiplies by a zero scalar; otherwise a Bernoulli({@code 1 - p})
 * mask {@code m} (per element, or per {@code [N, C]} channel for the feature variant) gives {@code
 * x * (a * m) + b} with {@code a = 1 / sqrt((alpha^2 p + 1)(1 - p))}, {@code b = (m - 1) alpha a +
 * alpha a p} and SELU's {@code alpha = 1.7580993408473766} ({@code -alpha} is SELU's negative
 * saturation), so that zero mean and unit variance are kept. The mask comes from the same
 * counter-based stream as {@code F.dropout} ({@link FusedOps#dropoutMask}): one seed drawn from
 * the generator, the same mask on every back end. Public only because {@code Functional} lives in
 * another package.
 */
public final class AlphaDropoutOps {
  private AlphaDropoutOps() {}

  /** ATen's {@code alpha} in {@code _dropout_impl}: SELU's scale times its alpha. */
  static final double ALPHA = 1.7580993408473766;

  /**
   * {@code F.alpha_dropout(input, p, training, inplace)} ({@code feature}: {@code
   * F.feature_alpha_dropout}), drawing the mask's seed from {@code generator}.
   */
  public static Tensor alphaDropout(Tensor input, double p, boolean training, boolean inplace,
      boolean feature, Generator generator) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException(
          "dropout probability has to be between 0 and 1, but got " + Py.floatRepr(p));
    }
    if (p == 0.0 || !training || input.numel() == 0) {
      return input;
    }
    if (p == 1.0) {
      Tensor zero = Tensor.scalar(0.0, input.dtype(), input.device());
      return inplace ? input.mulInPlace(zero) : input.mul(zero);
    }
    Shape noiseShape = input.shape();
    if (feature) {
      if (input.dim() < 2) {
        throw new IllegalArgumentException(
            "Feature dropout requires at least 2 dimensions in the input");
      }
      long[] dims = new long[input.dim()];
      java.util.Arrays.fill(dims, 1);
      dims[0] = input.size(0);
      dims[1] = input.size(1);
      noiseShape = Shape.of(dims);
    }
    if (!input.isFloatingPoint()) {
      throw new IllegalArgumentException("result type Float can't be cast to the desired output"
          + " type " + Checks.scalarTypeName(input.dtype()));
    }
    double a = 1.0 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
    Tensor noise;
    Tensor b;
    try (var ng = NoGrad.enter()) {
      Tensor keep = FusedOps.dropoutMask(noiseShape, input.dtype(), input.device(), p, 1.0,
          generator.nextSeed());
      b = keep.sub(1.0).mul(ALPHA * a).add(ALPHA * a * p);
      noise = keep.mul(a);
    }
    return inplace ? input.mulInPlace(noise).addInPlace(b) : input.mul(noise).add(b);
  }
}
