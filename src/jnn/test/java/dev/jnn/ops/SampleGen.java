package dev.jnn.ops;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;

/**
 * The seeded value generator shared with {@code scripts/golden/op_registry.py}: SplitMix64, one
 * 53-bit uniform {@code u} in [0, 1) per element, mapped by the input's kind with plain IEEE
 * double arithmetic (no transcendental functions), so Python reproduces every value bit for bit.
 * Float inputs are made in float64 and rounded to the sample's dtype (round to nearest even, as
 * {@code torch.Tensor.to(torch.float32)} does).
 *
 * <p>Kinds: {@code n} uniform in [-2, 2); {@code p} positive, [0.5, 2); {@code u} uniform in [0, 1) (probabilities); {@code nz} away from zero,
 * (-2.25, -0.25] and [0.25, 2.25); {@code t} ties, integers -2..2 as floats; {@code b} bool
 * ({@code u < 0.5}); {@code i<K>} int64 in [0, K); {@code v} explicit values.
 */
public final class SampleGen {
  private SampleGen() {}

  /** {@code n} uniforms in [0, 1) from {@code seed}. */
  public static double[] uniforms(long seed, int n) {
    long s = seed;
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      s += 0x9E3779B97F4A7C15L;
      long z = s;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z = z ^ (z >>> 31);
      r[i] = (z >>> 11) * 0x1.0p-53;
    }
    return r;
  }

  /** The values of kind {@code kind} (not {@code b}/{@code i<K>}/{@code v}), in float64. */
  public static double[] floats(String kind, long seed, int n) {
    double[] u = uniforms(seed, n);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] =
          switch (kind) {
            case "n" -> -2.0 + 4.0 * u[i];
            case "p" -> 0.5 + 1.5 * u[i];
            case "u" -> u[i];
            case "nz" -> {
              double v = -2.0 + 4.0 * u[i];
              yield v >= 0 ? v + 0.25 : v - 0.25;
            }
            case "t" -> Math.floor(u[i] * 5.0) - 2.0;
            default -> throw new IllegalArgumentException("unknown float kind " + kind);
          };
    }
    return r;
  }

  /** Builds one input: contiguous, or the transpose of the last two dims of a contiguous tensor. */
  public static Tensor make(Sample.Input in, DType floatType) {
    long[] shape = in.shape().clone();
    boolean transposed = in.layout().equals("transposed");
    if (transposed) {
      long tmp = shape[shape.length - 1];
      shape[shape.length - 1] = shape[shape.length - 2];
      shape[shape.length - 2] = tmp;
    }
    long numel = 1;
    for (long d : shape) {
      numel *= d;
    }
    int n = Math.toIntExact(numel);
    String kind = in.kind();
    Tensor t;
    if (kind.equals("b")) {
      double[] u = uniforms(in.seed(), n);
      boolean[] v = new boolean[n];
      for (int i = 0; i < n; i++) {
        v[i] = u[i] < 0.5;
      }
      t = Tensor.fromArray(v, n);
    } else if (kind.startsWith("i")) {
      long k = Long.parseLong(kind.substring(1));
      double[] u = uniforms(in.seed(), n);
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = (long) Math.floor(u[i] * k);
      }
      t = Tensor.fromArray(v, n);
    } else {
      double[] v = kind.equals("v") ? in.values().clone() : floats(kind, in.seed(), n);
      if (v.length != n) {
        throw new IllegalArgumentException("explicit values: " + v.length + " for " + n + " elements");
      }
      t = Tensor.fromArray(v, n);
      if (floatType != DType.FLOAT64) {
        t = t.to(floatType);
      }
    }
    t = t.reshape(shape);
    if (transposed) {
      t = t.transpose(shape.length - 2, shape.length - 1);
    }
    return t.detach();
  }
}
