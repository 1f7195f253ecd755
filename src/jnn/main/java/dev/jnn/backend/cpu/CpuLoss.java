package dev.jnn.backend.cpu;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.LossKernels;
import dev.jnn.backend.NllShape;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/** Negative log-likelihood and the fused cross-entropy backward on the CPU. */
final class CpuLoss implements LossKernels {
  CpuLoss() {}

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

  @Override
  public void nllLoss(
      View input, View target, View weight, NllShape shape, Buffer loss, Buffer weights) {
    final int n = shape.n();
    final int c = shape.c();
    final int s = shape.spatial();
    final long ignoreIndex = shape.ignoreIndex();
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

  @Override
  public void nllLossBackward(
      View gradLoss, View target, View weight, NllShape shape, double scale, Buffer gradIn) {
    final int n = shape.n();
    final int c = shape.c();
    final int s = shape.spatial();
    final long ignoreIndex = shape.ignoreIndex();
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

  @Override
  public void crossEntropyBackward(
      View gradLoss, View logProbs, View target, View weight, NllShape shape, double scale,
      Buffer gradIn) {
    final int n = shape.n();
    final int c = shape.c();
    final int s = shape.spatial();
    final long ignoreIndex = shape.ignoreIndex();
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
}
