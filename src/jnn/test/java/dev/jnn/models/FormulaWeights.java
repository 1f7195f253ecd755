package dev.jnn.models;

import dev.jnn.core.DType;
import dev.jnn.nn.LoadResult;
import dev.jnn.nn.Module;
import dev.jnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deterministic weights computed identically here and in {@code scripts/golden/models.py}
 * ({@code formula}): element {@code i} of state-dict entry {@code key} is derived from {@code u =
 * ((r * r * 7 + i * 7919 + hash(key) * 104729) mod 2001) / 1000 - 1} ({@code r = i mod 2001}) in
 * float64, so full-size models can be checked against torchvision without committing their
 * weights.
 */
public final class FormulaWeights {
  private FormulaWeights() {}

  static long keyHash(String key) {
    long h = 0;
    for (int i = 0; i < key.length(); i++) {
      h += (long) (i + 1) * key.charAt(i);
    }
    return h % 10007;
  }

  /** The formula's values for entry {@code key} of the given shape and dtype (CPU). */
  public static Tensor of(String key, DType dtype, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (dtype == DType.INT64) {
      return Tensor.zeros(dev.jnn.core.Shape.of(shape), DType.INT64, dev.jnn.core.Device.CPU);
    }
    long h = keyHash(key);
    int len = Math.toIntExact(n);
    double scale = shape.length >= 2 ? Math.sqrt(6.0 / (n / shape[0])) : 0;
    // float32 entries straight into a float array: VGG-11's 102M-element classifier weight would
    // otherwise pass through an 820 MB double array
    double[] v = dtype == DType.FLOAT64 ? new double[len] : null;
    float[] f = dtype == DType.FLOAT64 ? null : new float[len];
    for (int i = 0; i < len; i++) {
      double x = value(key, shape.length, scale, h, i);
      if (v != null) {
        v[i] = x;
      } else {
        f[i] = (float) x;
      }
    }
    return v != null ? Tensor.fromArray(v, shape) : Tensor.fromArray(f, shape);
  }

  /** Element {@code i} of entry {@code key} (rank {@code rank}), in float64. */
  private static double value(String key, int rank, double scale, long h, int i) {
    long r = i % 2001;
    double u = ((r * r * 7 + i * 7919L + h * 104729L) % 2001) / 1000.0 - 1.0;
    if (key.endsWith("running_var")) {
      return 1.0 + 0.5 * u;
    } else if (key.endsWith("running_mean")) {
      return 0.1 * u;
    } else if (rank >= 2) {
      return u * scale;
    } else if (key.endsWith("bias")) {
      return 0.1 * u;
    }
    return 1.0 + 0.1 * u;
  }

  /** Loads formula values into every state-dict entry of {@code m}, strictly. */
  public static void load(Module m) {
    Map<String, Tensor> sd = new LinkedHashMap<>();
    m.stateDict().forEach((k, t) -> sd.put(k, of(k, t.dtype(), t.shape().dims())));
    LoadResult r = m.loadStateDict(sd, true);
    if (!r.missingKeys().isEmpty() || !r.unexpectedKeys().isEmpty()) {
      throw new AssertionError("formula weights: " + r);
    }
  }

  /** The formula input {@code formula("x", shape)}. */
  public static Tensor input(long... shape) {
    return of("x", DType.FLOAT32, shape);
  }
}
