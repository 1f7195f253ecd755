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
    double[] v = new double[Math.toIntExact(n)];
    double scale = shape.length >= 2 ? Math.sqrt(6.0 / (n / shape[0])) : 0;
    for (int i = 0; i < v.length; i++) {
      long r = i % 2001;
      double u = ((r * r * 7 + i * 7919L + h * 104729L) % 2001) / 1000.0 - 1.0;
      if (key.endsWith("running_var")) {
        v[i] = 1.0 + 0.5 * u;
      } else if (key.endsWith("running_mean")) {
        v[i] = 0.1 * u;
      } else if (shape.length >= 2) {
        v[i] = u * scale;
      } else if (key.endsWith("bias")) {
        v[i] = 0.1 * u;
      } else {
        v[i] = 1.0 + 0.1 * u;
      }
    }
    if (dtype == DType.FLOAT64) {
      return Tensor.fromArray(v, shape);
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return Tensor.fromArray(f, shape);
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
