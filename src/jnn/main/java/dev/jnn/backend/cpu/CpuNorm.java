package dev.jnn.backend.cpu;

import dev.jnn.backend.BatchNormShape;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.LayerNormShape;
import dev.jnn.backend.NormKernels;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/**
 * Batch and layer normalisation on the CPU, forward and backward. Statistics are computed in two
 * passes (mean, then the sum of squared deviations), as PyTorch's CPU kernels do: in double for
 * float64, and for float32 batch norm in float (vector) partial sums over runs of at most {@link
 * FloatKernels#NORM_BLOCK} elements, added in double.
 * Batch norm splits channels over {@link Parallel}; layer norm splits rows and reduces the
 * per-chunk weight and bias gradients at the end.
 */
final class CpuNorm implements NormKernels {
  CpuNorm() {}

  private static float[] f(View v) {
    return v == null ? null : ((HostBuffer) v.buffer()).floats();
  }

  private static double[] d(View v) {
    return v == null ? null : ((HostBuffer) v.buffer()).doubles();
  }

  private static float[] f(Buffer b) {
    return b == null ? null : ((HostBuffer) b).floats();
  }

  private static double[] d(Buffer b) {
    return b == null ? null : ((HostBuffer) b).doubles();
  }

  private static int off(View v) {
    return v == null ? 0 : v.offset();
  }

  /** Element {@code i} of an optional per-channel view as a double, or {@code dflt}. */
  private static double at(View v, int i, double dflt) {
    if (v == null) {
      return dflt;
    }
    HostBuffer h = (HostBuffer) v.buffer();
    return h.dtype() == DType.FLOAT32 ? h.floats()[v.offset() + i] : h.doubles()[v.offset() + i];
  }

  private static void put(Buffer b, int i, double v) {
    if (b != null) {
      ((HostBuffer) b).setDouble(i, v);
    }
  }

  private static int grain(long perItem) {
    return (int) Math.max(1, (1 << 15) / Math.max(1, perItem));
  }

  // ------------------------------------------------------------------ batch norm

  @Override
  public void batchNormTraining(
      View x, View weight, View bias, BatchNormShape shape, Buffer out, Buffer mean, Buffer var) {
    final int n = shape.n();
    final int c = shape.c();
    final int s = shape.spatial();
    final double eps = shape.eps();
    final boolean f32 = x.buffer().dtype() == DType.FLOAT32;
    final int xo = x.offset();
    final long count = (long) n * s;
    Parallel.parallelFor(
        c,
        grain(count),
        (c0, c1) -> {
          for (int ch = c0; ch < c1; ch++) {
            double sum = 0;
            double sq = 0;
            if (f32) {
              // float partial sums over bounded runs, added in double (FloatKernels.normSums):
              // the sum, then the deviations d = x - m from its mean rounded to float, m, and
              // their squares (the corrected two-pass algorithm): the mean is m + sum d / count,
              // the squared deviations from it sum d^2 - (sum d)^2 / count
              float[] xa = f(x);
              double[] acc = new double[2];
              FloatKernels.normSums(xa, xo + ch * s, n, c * s, s, 0f, false, acc);
              double plain = acc[0];
              float m = (float) (plain / count);
              acc[0] = 0;
              FloatKernels.normSums(xa, xo + ch * s, n, c * s, s, m, true, acc);
              // an infinite mean stays infinite (and the squares NaN), as the plain sum has it
              sum = Float.isFinite(m) ? m * (double) count + acc[0] : plain;
              sq = Math.max(0.0, acc[1] - acc[0] * acc[0] / count);
            } else {
              double[] xa = d(x);
              for (int b = 0; b < n; b++) {
                int base = xo + (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                  sum += xa[base + i];
                }
              }
              double mu = sum / count;
              for (int b = 0; b < n; b++) {
                int base = xo + (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                  double dv = xa[base + i] - mu;
                  sq += dv * dv;
                }
              }
            }
            double mu = sum / count;
            double v = sq / count;
            put(mean, ch, mu);
            put(var, ch, v);
            double invstd = 1.0 / Math.sqrt(v + eps);
            affine(x, out, n, c, s, ch, mu, invstd, at(weight, ch, 1.0), at(bias, ch, 0.0));
          }
        });
  }

  /** {@code out = (x - mu) * invstd * w + b} for one channel. */
  private static void affine(
      View x, Buffer out, int n, int c, int s, int ch, double mu, double invstd, double w,
      double b) {
    int xo = x.offset();
    if (x.buffer().dtype() == DType.FLOAT32) {
      float[] xa = f(x);
      float[] oa = f(out);
      float scale = (float) (invstd * w);
      float shift = (float) (b - mu * invstd * w);
      for (int bi = 0; bi < n; bi++) {
        int base = (bi * c + ch) * s;
        FloatKernels.scaleShift(xa, xo + base, scale, shift, oa, base, s);
      }
    } else {
      double[] xa = d(x);
      double[] oa = d(out);
      for (int bi = 0; bi < n; bi++) {
        int base = (bi * c + ch) * s;
        int xb = xo + base;
        for (int i = 0; i < s; i++) {
          oa[base + i] = (xa[xb + i] - mu) * invstd * w + b;
        }
      }
    }
  }

  @Override
  public void batchNormInference(
      View x, View weight, View bias, View mean, View var, BatchNormShape shape, Buffer out) {
    final int n = shape.n();
    final int c = shape.c();
    final int s = shape.spatial();
    final double eps = shape.eps();
    Parallel.parallelFor(
        c,
        grain((long) n * s),
        (c0, c1) -> {
          for (int ch = c0; ch < c1; ch++) {
            double invstd = 1.0 / Math.sqrt(at(var, ch, 1.0) + eps);
            affine(x, out, n, c, s, ch, at(mean, ch, 0.0), invstd, at(weight, ch, 1.0),
                at(bias, ch, 0.0));
          }
        });
  }

  @Override
  public void batchNormBackward(
      View gradOut, View x, View weight, View mean, View var, boolean training,
      BatchNormShape shape, Buffer gradIn, Buffer gradWeight, Buffer gradBias) {
    final int n = shape.n();
    final int c = shape.c();
    final int s = shape.spatial();
    final double eps = shape.eps();
    final boolean f32 = x.buffer().dtype() == DType.FLOAT32;
    final int xo = x.offset();
    final int go = gradOut.offset();
    final long count = (long) n * s;
    Parallel.parallelFor(
        c,
        grain(2 * count),
        (c0, c1) -> {
          for (int ch = c0; ch < c1; ch++) {
            double mu = at(mean, ch, 0.0);
            double invstd = 1.0 / Math.sqrt(at(var, ch, 1.0) + eps);
            double w = at(weight, ch, 1.0);
            double sumDy = 0;
            double dot = 0;
            float m = (float) mu;
            if (f32) {
              // float partial sums over bounded runs, added in double (FloatKernels.normGradSums)
              // about the float mean m, corrected in double: sum (x - mu) dy = sum (x - m) dy -
              // (mu - m) sum dy (m is mu itself when the saved mean is float32)
              double[] acc = new double[2];
              FloatKernels.normGradSums(f(gradOut), go + ch * s, f(x), xo + ch * s, n, c * s, s, m,
                  acc);
              sumDy = acc[0];
              dot = acc[1] - (mu - m) * sumDy;
            } else {
              double[] xa = d(x);
              double[] ga = d(gradOut);
              for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * s;
                int xb = xo + base;
                int gb = go + base;
                for (int i = 0; i < s; i++) {
                  double dy = ga[gb + i];
                  sumDy += dy;
                  dot += (xa[xb + i] - mu) * dy;
                }
              }
            }
            put(gradWeight, ch, dot * invstd);
            put(gradBias, ch, sumDy);
            if (gradIn == null) {
              continue;
            }
            double gradScale = invstd * w;
            double proj = training ? dot * invstd * invstd / count : 0.0;
            double gradMean = training ? sumDy / count : 0.0;
            if (f32) {
              // (dy - (x - mu) proj - gradMean) gradScale in float, about the float mean m: the
              // constant c = (mu - m) proj - gradMean is computed in double
              float[] xa = f(x);
              float[] ga = f(gradOut);
              float[] gi = f(gradIn);
              float pf = (float) proj;
              float cf = (float) ((mu - m) * proj - gradMean);
              float sf = (float) gradScale;
              for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * s;
                FloatKernels.normGradInput(ga, go + base, xa, xo + base, m, pf, cf, sf, gi, base,
                    s);
              }
            } else {
              double[] xa = d(x);
              double[] ga = d(gradOut);
              double[] gi = d(gradIn);
              for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * s;
                int xb = xo + base;
                int gb = go + base;
                for (int i = 0; i < s; i++) {
                  gi[base + i] = (ga[gb + i] - (xa[xb + i] - mu) * proj - gradMean) * gradScale;
                }
              }
            }
          }
        });
  }

  // ------------------------------------------------------------------ layer norm

  @Override
  public void layerNorm(
      View x, View weight, View bias, LayerNormShape shape, Buffer out, Buffer mean,
      Buffer rstd) {
    final int rows = shape.rows();
    final int cols = shape.cols();
    final double eps = shape.eps();
    final boolean f32 = x.buffer().dtype() == DType.FLOAT32;
    final int xo = x.offset();
    Parallel.parallelFor(
        rows,
        grain(cols),
        (r0, r1) -> {
          for (int r = r0; r < r1; r++) {
            int base = r * cols;
            int xb = xo + base;
            double sum = 0;
            double sq = 0;
            if (f32) {
              float[] xa = f(x);
              sum = CpuConv.sumF(xa, xb, cols);
              double mu = sum / cols;
              for (int i = 0; i < cols; i++) {
                double dv = xa[xb + i] - mu;
                sq += dv * dv;
              }
            } else {
              double[] xa = d(x);
              for (int i = 0; i < cols; i++) {
                sum += xa[xb + i];
              }
              double mu = sum / cols;
              for (int i = 0; i < cols; i++) {
                double dv = xa[xb + i] - mu;
                sq += dv * dv;
              }
            }
            double mu = sum / cols;
            double rs = 1.0 / Math.sqrt(sq / cols + eps);
            put(mean, r, mu);
            put(rstd, r, rs);
            if (f32) {
              float[] xa = f(x);
              float[] oa = f(out);
              float[] wa = f(weight);
              float[] ba = f(bias);
              int wo = off(weight);
              int bo = off(bias);
              for (int i = 0; i < cols; i++) {
                double v = (xa[xb + i] - mu) * rs;
                if (wa != null) {
                  v *= wa[wo + i];
                }
                if (ba != null) {
                  v += ba[bo + i];
                }
                oa[base + i] = (float) v;
              }
            } else {
              double[] xa = d(x);
              double[] oa = d(out);
              double[] wa = d(weight);
              double[] ba = d(bias);
              int wo = off(weight);
              int bo = off(bias);
              for (int i = 0; i < cols; i++) {
                double v = (xa[xb + i] - mu) * rs;
                if (wa != null) {
                  v *= wa[wo + i];
                }
                if (ba != null) {
                  v += ba[bo + i];
                }
                oa[base + i] = v;
              }
            }
          }
        });
  }

  @Override
  public void layerNormBackward(
      View gradOut, View x, View weight, View mean, View rstd, LayerNormShape shape,
      Buffer gradIn, Buffer gradWeight, Buffer gradBias) {
    final int rows = shape.rows();
    final int cols = shape.cols();
    final boolean f32 = x.buffer().dtype() == DType.FLOAT32;
    final int xo = x.offset();
    final int go = gradOut.offset();
    final double[] gwAll = gradWeight == null ? null : new double[cols];
    final double[] gbAll = gradBias == null ? null : new double[cols];
    // Rows in fixed ranges, one weight/bias partial per range, added in range order below: the
    // sums cannot depend on which thread ran which range (Parallel.forRanges).
    final int ranges =
        Math.min(Parallel.reductionRanges(rows), Math.max(1, rows / grain(2L * cols)));
    final double[][] gwPart = new double[ranges][];
    final double[][] gbPart = new double[ranges][];
    Parallel.forRanges(
        rows,
        ranges,
        (range, r0, r1) -> {
          double[] gw = gwAll == null ? null : new double[cols];
          double[] gb = gbAll == null ? null : new double[cols];
          gwPart[range] = gw;
          gbPart[range] = gb;
          double[] dxhat = new double[cols];
          double[] xhat = new double[cols];
          double[] xs = new double[cols];
          double[] dys = new double[cols];
          double[] ws = new double[cols];
          for (int i = 0; i < cols; i++) {
            ws[i] = at(weight, i, 1.0);
          }
          float[] xf = f32 ? f(x) : null;
          float[] gf = f32 ? f(gradOut) : null;
          double[] xd = f32 ? null : d(x);
          double[] gd = f32 ? null : d(gradOut);
          for (int r = r0; r < r1; r++) {
            double mu = at(mean, r, 0.0);
            double rs = at(rstd, r, 1.0);
            int base = r * cols;
            double a = 0;
            double b = 0;
            if (f32) {
              for (int i = 0; i < cols; i++) {
                xs[i] = xf[xo + base + i];
                dys[i] = gf[go + base + i];
              }
            } else {
              System.arraycopy(xd, xo + base, xs, 0, cols);
              System.arraycopy(gd, go + base, dys, 0, cols);
            }
            for (int i = 0; i < cols; i++) {
              double xv = xs[i];
              double dy = dys[i];
              double xh = (xv - mu) * rs;
              xhat[i] = xh;
              if (gw != null) {
                gw[i] += dy * xh;
              }
              if (gb != null) {
                gb[i] += dy;
              }
              double dxh = dy * ws[i];
              dxhat[i] = dxh;
              a += dxh;
              b += dxh * xh;
            }
            if (gradIn == null) {
              continue;
            }
            a /= cols;
            b /= cols;
            if (f32) {
              float[] gi = f(gradIn);
              for (int i = 0; i < cols; i++) {
                gi[base + i] = (float) (rs * (dxhat[i] - a - xhat[i] * b));
              }
            } else {
              double[] gi = d(gradIn);
              for (int i = 0; i < cols; i++) {
                gi[base + i] = rs * (dxhat[i] - a - xhat[i] * b);
              }
            }
          }
        });
    for (int range = 0; range < ranges; range++) {
      for (int i = 0; i < cols; i++) {
        if (gwAll != null) {
          gwAll[i] += gwPart[range][i];
        }
        if (gbAll != null) {
          gbAll[i] += gbPart[range][i];
        }
      }
    }
    for (int i = 0; i < cols; i++) {
      if (gwAll != null) {
        put(gradWeight, i, gwAll[i]);
      }
      if (gbAll != null) {
        put(gradBias, i, gbAll[i]);
      }
    }
  }
}
