package dev.jnn.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API versions of the {@link FloatKernels} loops that HotSpot does not auto-vectorise
 * (a select and a reduction). Only loaded when {@link CpuFeatures#vectorEnabled()}. Methods are
 * small so that C2 compiles them early (see {@link VectorGemm}).
 */
final class VectorFloatKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int V = S.length();

  private VectorFloatKernels() {}

  /** {@code o = max(x, 0)} with {@code Math.max} semantics (lanewise MAX). */
  static void relu(float[] x, int xo, float[] o, int oo, int n) {
    int i = 0;
    int up = S.loopBound(n);
    for (; i < up; i += V) {
      FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.MAX, 0f).intoArray(o, oo + i);
    }
    for (; i < n; i++) {
      o[oo + i] = Math.max(x[xo + i], 0f);
    }
  }

  static void reluBackward(float[] g, int go, float[] y, int yo, float[] o, int oo, int n) {
    int i = 0;
    int up = S.loopBound(n);
    FloatVector zero = FloatVector.zero(S);
    for (; i < up; i += V) {
      VectorMask<Float> pos = FloatVector.fromArray(S, y, yo + i).compare(VectorOperators.GT, 0f);
      zero.blend(FloatVector.fromArray(S, g, go + i), pos).intoArray(o, oo + i);
    }
    for (; i < n; i++) {
      o[oo + i] = y[yo + i] > 0f ? g[go + i] : 0f;
    }
  }

  /** Sum in blocks of 4096: four vector accumulators per block, blocks added in double. */
  static double sum(float[] x, int xo, int n) {
    double total = 0;
    for (int b = 0; b < n; b += 4096) {
      total += blockSum(x, xo + b, Math.min(4096, n - b));
    }
    return total;
  }

  private static double blockSum(float[] x, int xo, int n) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int i = 0;
    for (; i + 4 * V <= n; i += 4 * V) {
      s0 = s0.add(FloatVector.fromArray(S, x, xo + i));
      s1 = s1.add(FloatVector.fromArray(S, x, xo + i + V));
      s2 = s2.add(FloatVector.fromArray(S, x, xo + i + 2 * V));
      s3 = s3.add(FloatVector.fromArray(S, x, xo + i + 3 * V));
    }
    for (; i + V <= n; i += V) {
      s0 = s0.add(FloatVector.fromArray(S, x, xo + i));
    }
    double t = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      t += x[xo + i];
    }
    return t;
  }
}
