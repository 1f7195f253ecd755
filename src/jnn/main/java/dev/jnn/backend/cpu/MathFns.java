package dev.jnn.backend.cpu;

/** Scalar special functions the JDK lacks, accurate to double precision. */
public final class MathFns {
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
  /** 1 / sqrt(2). */
  public static final double SQRT1_2 = 0.7071067811865476;

  private MathFns() {}

  /** The error function. */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    if (ax < 2.0) {
      // erf(x) = 2/sqrt(pi) e^{-x^2} sum_n (2x^2)^n x / (1*3*...*(2n+1)): all terms positive.
      double x2 = 2.0 * x * x;
      double term = x;
      double sum = x;
      for (int n = 1; n < 200; n++) {
        term *= x2 / (2 * n + 1);
        sum += term;
        if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
    }
    double c = erfcPositive(ax);
    return x > 0 ? 1.0 - c : c - 1.0;
  }

  /** The complementary error function 1 - erf(x), without cancellation for large x. */
  public static double erfc(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (x < 2.0) {
      return 1.0 - erf(x);
    }
    return erfcPositive(x);
  }

  private static double erfcPositive(double x) {
    if (x > 27.3) {
      return 0.0;
    }
    // continued fraction erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
    double t = x;
    for (int n = 120; n >= 1; n--) {
      t = x + (n * 0.5) / t;
    }
    return ONE_OVER_SQRT_PI * Math.exp(-x * x) / t;
  }
}
