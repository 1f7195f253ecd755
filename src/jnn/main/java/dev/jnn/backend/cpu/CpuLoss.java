package dev.jnn.backend.cpu;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/** Negative log-likelihood, fused cross-entropy backward and embedding lookups on the CPU. */
final class CpuLoss {
  private CpuLoss() {}

  private static double get(View v, int i) {
    HostBuffer h = (HostBuffer) v.buffer();
    return h.dtype() == DType.FLOAT32 ? h.floats()[v.offset() + i] : h.doubles()[v.offset() + i];
  }

  private static double weightOf(View weight, int t) {
    return weight == null ? 1.0 : get(weight, t);
  }

  private static long targetAt(long[] tg, int to, int i, int c, long ignoreIndex) {
    long t = tg[to + i];
    if (t != ignoreIndex && (t < 0 || t >= c)) {
      throw new IndexOutOfBoundsException("Target " + t + " is out of bounds.");
    }
    return t;
  }

  static void nll(
      View input, View target, View weight, int n, int c, int s, long ignoreIndex, Buffer loss,
      Buffer weights) {
    long[] tg = ((HostBuffer) target.buffer()).longs();
    int to = target.offset();
    HostBuffer lh = (HostBuffer) loss;
    HostBuffer wh = (HostBuffer) weights;
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < s; i++) {
        int e = b * s + i;
        long t = targetAt(tg, to, e, c, ignoreIndex);
        if (t == ignoreIndex) {
          continue; // loss and weight stay 0
        }
        double w = weightOf(weight, (int) t);
        double x = get(input, (b * c + (int) t) * s + i);
        lh.setDouble(e, -w * x);
        if (wh != null) {
          wh.setDouble(e, w);
        }
      }
    }
  }

  static void nllBackward(
      View gradLoss, View target, View weight, int n, int c, int s, long ignoreIndex,
      double scale, Buffer gradIn) {
    long[] tg = ((HostBuffer) target.buffer()).longs();
    int to = target.offset();
    boolean scalar = gradLoss.numel() == 1;
    HostBuffer gi = (HostBuffer) gradIn;
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < s; i++) {
        int e = b * s + i;
        long t = tg[to + e];
        if (t == ignoreIndex) {
          continue;
        }
        double g = get(gradLoss, scalar ? 0 : e) * scale;
        gi.setDouble((b * c + (int) t) * s + i, -weightOf(weight, (int) t) * g);
      }
    }
  }

  static void crossEntropyBackward(
      View gradLoss, View logProbs, View target, View weight, int n, int c, int s,
      long ignoreIndex, double scale, Buffer gradIn) {
    final long[] tg = ((HostBuffer) target.buffer()).longs();
    final int to = target.offset();
    final boolean scalar = gradLoss.numel() == 1;
    final boolean f32 = logProbs.buffer().dtype() == DType.FLOAT32;
    final int lo = logProbs.offset();
    final float[] lf = f32 ? ((HostBuffer) logProbs.buffer()).floats() : null;
    final double[] ld = f32 ? null : ((HostBuffer) logProbs.buffer()).doubles();
    final float[] gf = f32 ? ((HostBuffer) gradIn).floats() : null;
    final double[] gd = f32 ? null : ((HostBuffer) gradIn).doubles();
    final double g0 = scalar ? get(gradLoss, 0) : 0.0;
    Parallel.parallelFor(
        n,
        Math.max(1, (1 << 14) / Math.max(1, c * s)),
        (b0, b1) -> {
          for (int b = b0; b < b1; b++) {
            for (int i = 0; i < s; i++) {
              int e = b * s + i;
              long t = tg[to + e];
              if (t == ignoreIndex) {
                continue; // gradient stays 0
              }
              double gs = (scalar ? g0 : get(gradLoss, e)) * scale * weightOf(weight, (int) t);
              int base = b * c * s + i;
              for (int k = 0; k < c; k++) {
                int idx = base + k * s;
                double p = Math.exp(f32 ? lf[lo + idx] : ld[lo + idx]);
                double r = gs * (k == t ? p - 1.0 : p);
                if (f32) {
                  gf[idx] = (float) r;
                } else {
                  gd[idx] = r;
                }
              }
            }
          }
        });
  }

  static void embedding(View weight, View indices, int count, int num, int dim, Buffer out) {
    long[] ix = ((HostBuffer) indices.buffer()).longs();
    int io = indices.offset();
    int wo = weight.offset();
    Object src = ((HostBuffer) weight.buffer()).array();
    Object dst = ((HostBuffer) out).array();
    for (int i = 0; i < count; i++) {
      long r = ix[io + i];
      if (r < 0 || r >= num) {
        throw new IndexOutOfBoundsException("index out of range in self");
      }
      System.arraycopy(src, wo + (int) r * dim, dst, i * dim, dim);
    }
  }

  static void embeddingBackward(
      View gradOut, View indices, int count, int num, int dim, long paddingIdx,
      Buffer gradWeight) {
    long[] ix = ((HostBuffer) indices.buffer()).longs();
    int io = indices.offset();
    int go = gradOut.offset();
    boolean f32 = gradOut.buffer().dtype() == DType.FLOAT32;
    for (int i = 0; i < count; i++) {
      long r = ix[io + i];
      if (r == paddingIdx) {
        continue;
      }
      int dst = (int) r * dim;
      int src = go + i * dim;
      if (f32) {
        float[] g = ((HostBuffer) gradOut.buffer()).floats();
        float[] w = ((HostBuffer) gradWeight).floats();
        for (int j = 0; j < dim; j++) {
          w[dst + j] += g[src + j];
        }
      } else {
        double[] g = ((HostBuffer) gradOut.buffer()).doubles();
        double[] w = ((HostBuffer) gradWeight).doubles();
        for (int j = 0; j < dim; j++) {
          w[dst + j] += g[src + j];
        }
      }
    }
  }
}
