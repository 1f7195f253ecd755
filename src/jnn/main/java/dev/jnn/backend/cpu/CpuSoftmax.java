package dev.jnn.backend.cpu;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.SoftmaxKernels;
import dev.jnn.backend.SoftmaxShape;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/**
 * Softmax and log-softmax along the middle dim of {@code [outer, size, inner]}, forward and
 * backward, split over {@code outer} on {@link Parallel}. The maximum is subtracted before
 * exponentiating, and sums are accumulated in double.
 */
final class CpuSoftmax implements SoftmaxKernels {
  CpuSoftmax() {}

  private static int grain(long perItem) {
    return (int) Math.max(1, (1 << 14) / Math.max(1, perItem));
  }

  /** Largest slice ({@code size * inner}) whose exps the forward keeps between its passes. */
  private static final int KEEP_MAX = 1 << 16;

  @Override
  public void softmax(View x, SoftmaxShape shape, Buffer out) {
    final int outer = shape.outer();
    final int size = shape.size();
    final int inner = shape.inner();
    final boolean log = shape.log();
    final boolean f32 = x.buffer().dtype() == DType.FLOAT32;
    final int xo = x.offset();
    final float[] xf = f32 ? ((HostBuffer) x.buffer()).floats() : null;
    final float[] of = f32 ? ((HostBuffer) out).floats() : null;
    final double[] xd = f32 ? null : ((HostBuffer) x.buffer()).doubles();
    final double[] od = f32 ? null : ((HostBuffer) out).doubles();
    Parallel.parallelFor(
        outer,
        grain((long) size * inner),
        (o0, o1) -> {
          double[] mx = new double[inner];
          double[] sum = new double[inner];
          // each exp computed once and kept for the output pass (the same values, half the exps),
          // where a slice is small enough to keep
          final boolean keep = !log && (long) size * inner <= KEEP_MAX;
          double[] ex = keep ? new double[size * inner] : null;
          for (int o = o0; o < o1; o++) {
            int base = o * size * inner;
            java.util.Arrays.fill(mx, Double.NEGATIVE_INFINITY);
            java.util.Arrays.fill(sum, 0.0);
            for (int k = 0; k < size; k++) {
              int row = xo + base + k * inner;
              for (int i = 0; i < inner; i++) {
                double v = f32 ? xf[row + i] : xd[row + i];
                if (v > mx[i] || Double.isNaN(v)) {
                  mx[i] = v;
                }
              }
            }
            for (int i = 0; i < inner; i++) {
              // An all -inf slice: keep the maximum finite so that exp(-inf - m) = 0, not NaN.
              if (mx[i] == Double.NEGATIVE_INFINITY) {
                mx[i] = 0.0;
              }
            }
            for (int k = 0; k < size; k++) {
              int row = xo + base + k * inner;
              for (int i = 0; i < inner; i++) {
                double v = f32 ? xf[row + i] : xd[row + i];
                double e = Math.exp(v - mx[i]);
                if (keep) {
                  ex[k * inner + i] = e;
                }
                sum[i] += e;
              }
            }
            for (int i = 0; i < inner; i++) {
              sum[i] = log ? Math.log(sum[i]) : 1.0 / sum[i];
            }
            if (keep) {
              for (int k = 0; k < size; k++) {
                int row = base + k * inner;
                for (int i = 0; i < inner; i++) {
                  double r = ex[k * inner + i] * sum[i];
                  if (f32) {
                    of[row + i] = (float) r;
                  } else {
                    od[row + i] = r;
                  }
                }
              }
              continue;
            }
            for (int k = 0; k < size; k++) {
              int row = base + k * inner;
              for (int i = 0; i < inner; i++) {
                double v = f32 ? xf[xo + row + i] : xd[xo + row + i];
                double r = log ? v - mx[i] - sum[i] : Math.exp(v - mx[i]) * sum[i];
                if (f32) {
                  of[row + i] = (float) r;
                } else {
                  od[row + i] = r;
                }
              }
            }
          }
        });
  }

  @Override
  public void softmaxBackward(View gradOut, View out, SoftmaxShape shape, Buffer gradIn) {
    final int outer = shape.outer();
    final int size = shape.size();
    final int inner = shape.inner();
    final boolean log = shape.log();
    final boolean f32 = out.buffer().dtype() == DType.FLOAT32;
    final int go = gradOut.offset();
    final int yo = out.offset();
    final float[] gf = f32 ? ((HostBuffer) gradOut.buffer()).floats() : null;
    final float[] yf = f32 ? ((HostBuffer) out.buffer()).floats() : null;
    final float[] rf = f32 ? ((HostBuffer) gradIn).floats() : null;
    final double[] gd = f32 ? null : ((HostBuffer) gradOut.buffer()).doubles();
    final double[] yd = f32 ? null : ((HostBuffer) out.buffer()).doubles();
    final double[] rd = f32 ? null : ((HostBuffer) gradIn).doubles();
    Parallel.parallelFor(
        outer,
        grain((long) size * inner),
        (o0, o1) -> {
          double[] sum = new double[inner];
          for (int o = o0; o < o1; o++) {
            int base = o * size * inner;
            java.util.Arrays.fill(sum, 0.0);
            for (int k = 0; k < size; k++) {
              int row = base + k * inner;
              for (int i = 0; i < inner; i++) {
                double g = f32 ? gf[go + row + i] : gd[go + row + i];
                if (log) {
                  sum[i] += g;
                } else {
                  sum[i] += g * (f32 ? yf[yo + row + i] : yd[yo + row + i]);
                }
              }
            }
            for (int k = 0; k < size; k++) {
              int row = base + k * inner;
              for (int i = 0; i < inner; i++) {
                double g = f32 ? gf[go + row + i] : gd[go + row + i];
                double y = f32 ? yf[yo + row + i] : yd[yo + row + i];
                double r = log ? g - Math.exp(y) * sum[i] : y * (g - sum[i]);
                if (f32) {
                  rf[row + i] = (float) r;
                } else {
                  rd[row + i] = r;
                }
              }
            }
          }
        });
  }
}
