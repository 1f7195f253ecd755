package dev.jnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.BatchNormShape;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Float32 batch norm (training forward, backward) against a float64 reference computed from the
 * same float inputs: the statistics, the output and the gradients stay within float32 rounding,
 * for planes shorter than a vector, with vector tails, longer than the float accumulation block
 * ({@link FloatKernels#NORM_BLOCK}), with an input offset, and for a mean far from zero relative to
 * the spread (where the rounding of the mean to float matters). The reduction kernels are checked
 * in both their vector (when enabled) and scalar forms.
 */
class CpuNormBatchNormTest {
  private static final int[][] SHAPES = {
    {2, 3, 1}, {3, 5, 7}, {4, 2, 17}, {2, 3, 49}, {1, 2, 4097}, {3, 2, 5000}, {5, 1, 1500}
  };

  private static float[] data(Random r, int n, double mean, double sd) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (mean + sd * r.nextGaussian());
    }
    return a;
  }

  /** |a - e| within rtol of |e| plus rtol of the largest |e| (cancelling sums). */
  private static void close(String what, double e, double a, double scale, double rtol) {
    assertTrue(Math.abs(a - e) <= rtol * Math.abs(e) + rtol * scale,
        what + ": expected " + e + ", got " + a + " (scale " + scale + ")");
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double d : v) {
      m = Math.max(m, Math.abs(d));
    }
    return m;
  }

  @Test
  void trainingForwardAndBackwardWithinFloatRounding() {
    Random r = new Random(3);
    CpuNorm norm = new CpuNorm();
    double[][] dists = {{0.0, 1.0}, {1.0, 2.0}, {100.0, 0.01}, {-3.0, 1e-3}};
    for (int[] sh : SHAPES) {
      for (double[] dist : dists) {
        int n = sh[0];
        int c = sh[1];
        int s = sh[2];
        int numel = n * c * s;
        int xOff = 3;
        float[] xa = data(r, numel + xOff, dist[0], dist[1]);
        float[] w = data(r, c, 1.0, 0.5);
        float[] b = data(r, c, 0.0, 0.5);
        float[] g = data(r, numel + 1, 0.2, 1.0);
        String what = n + "x" + c + "x" + s + " N(" + dist[0] + ", " + dist[1] + ")";
        BatchNormShape shape = new BatchNormShape(n, c, s, 1e-5);
        int[] dims = {n, c, s};
        View x = new View(HostBuffer.wrap(xa), dims, new int[] {c * s, s, 1}, xOff);
        View wv = View.contiguous(HostBuffer.wrap(w), new int[] {c});
        View bv = View.contiguous(HostBuffer.wrap(b), new int[] {c});
        float[] out = new float[numel];
        float[] mean = new float[c];
        float[] var = new float[c];
        norm.batchNormTraining(x, wv, bv, shape, HostBuffer.wrap(out), HostBuffer.wrap(mean),
            HostBuffer.wrap(var));
        // the float64 reference
        double[] mu = new double[c];
        double[] vr = new double[c];
        int count = n * s;
        for (int ch = 0; ch < c; ch++) {
          double sum = 0;
          for (int bi = 0; bi < n; bi++) {
            for (int i = 0; i < s; i++) {
              sum += xa[xOff + (bi * c + ch) * s + i];
            }
          }
          mu[ch] = sum / count;
          double sq = 0;
          for (int bi = 0; bi < n; bi++) {
            for (int i = 0; i < s; i++) {
              double d = xa[xOff + (bi * c + ch) * s + i] - mu[ch];
              sq += d * d;
            }
          }
          vr[ch] = sq / count;
          close(what + " mean " + ch, mu[ch], mean[ch], Math.abs(dist[0]) + dist[1], 1e-6);
          close(what + " var " + ch, vr[ch], var[ch], 0, 2e-5);
        }
        boolean wellConditioned = Math.abs(dist[0]) <= 10 * dist[1];
        if (wellConditioned) {
          double[] ref = new double[numel];
          for (int bi = 0; bi < n; bi++) {
            for (int ch = 0; ch < c; ch++) {
              double is = 1.0 / Math.sqrt(vr[ch] + 1e-5);
              for (int i = 0; i < s; i++) {
                int k = (bi * c + ch) * s + i;
                ref[k] = (xa[xOff + k] - mu[ch]) * is * w[ch] + b[ch];
              }
            }
          }
          double scale = maxAbs(ref);
          for (int k = 0; k < numel; k++) {
            close(what + " out " + k, ref[k], out[k], scale, 2e-6);
          }
        }
        // backward with the saved float statistics
        View gv = new View(HostBuffer.wrap(g), dims, new int[] {c * s, s, 1}, 1);
        View mv = View.contiguous(HostBuffer.wrap(mean), new int[] {c});
        View vv = View.contiguous(HostBuffer.wrap(var), new int[] {c});
        float[] gi = new float[numel];
        float[] gw = new float[c];
        float[] gb = new float[c];
        norm.batchNormBackward(gv, x, wv, mv, vv, true, shape, HostBuffer.wrap(gi),
            HostBuffer.wrap(gw), HostBuffer.wrap(gb));
        double[] refGi = new double[numel];
        for (int ch = 0; ch < c; ch++) {
          double m = mean[ch];
          double is = 1.0 / Math.sqrt(var[ch] + 1e-5);
          double sumDy = 0;
          double dot = 0;
          double gScale = 0;
          for (int bi = 0; bi < n; bi++) {
            for (int i = 0; i < s; i++) {
              int k = (bi * c + ch) * s + i;
              sumDy += g[1 + k];
              dot += (xa[xOff + k] - m) * g[1 + k];
              gScale = Math.max(gScale, Math.abs(g[1 + k]));
            }
          }
          close(what + " gradBias " + ch, sumDy, gb[ch], gScale * Math.sqrt(count), 1e-5);
          close(what + " gradWeight " + ch, dot * is, gw[ch], gScale * Math.sqrt(count), 1e-5);
          double proj = dot * is * is / count;
          double gm = sumDy / count;
          for (int bi = 0; bi < n; bi++) {
            for (int i = 0; i < s; i++) {
              int k = (bi * c + ch) * s + i;
              refGi[k] = (g[1 + k] - (xa[xOff + k] - m) * proj - gm) * is * w[ch];
            }
          }
        }
        // the float terms' size (g scaled), not the result's: with few elements per channel the
        // terms cancel (PyTorch's float kernel rounds them alike)
        double scale = 0;
        for (int k = 0; k < numel; k++) {
          int ch = (k / s) % c;
          scale = Math.max(scale, Math.abs(g[1 + k] * w[ch] / Math.sqrt(var[ch] + 1e-5)));
        }
        for (int k = 0; k < numel; k++) {
          close(what + " gradIn " + k, refGi[k], gi[k], scale, 1e-5);
        }
      }
    }
  }

  @Test
  void infinityAndNaNReachTheStatisticsAsInASum() {
    CpuNorm norm = new CpuNorm();
    int s = 37;
    float[] xa = new float[3 * s];
    for (int i = 0; i < xa.length; i++) {
      xa[i] = i % 5;
    }
    xa[3] = Float.POSITIVE_INFINITY; // channel 0: mean +inf, variance NaN (inf - inf)
    xa[s + 4] = Float.NaN; // channel 1: NaN
    float[] mean = new float[3];
    float[] var = new float[3];
    norm.batchNormTraining(View.contiguous(HostBuffer.wrap(xa), new int[] {1, 3, s}), null, null,
        new BatchNormShape(1, 3, s, 1e-5), HostBuffer.wrap(new float[3 * s]),
        HostBuffer.wrap(mean), HostBuffer.wrap(var));
    assertTrue(mean[0] == Float.POSITIVE_INFINITY, "mean " + mean[0]);
    assertTrue(Float.isNaN(var[0]), "var " + var[0]);
    assertTrue(Float.isNaN(mean[1]) && Float.isNaN(var[1]), mean[1] + " " + var[1]);
    assertTrue(Float.isFinite(mean[2]) && Float.isFinite(var[2]), mean[2] + " " + var[2]);
  }

  @Test
  void reductionKernelsScalarAndVectorAgreeWithDouble() {
    Random r = new Random(4);
    for (int[] sh : SHAPES) {
      int planes = sh[0] * sh[1];
      int s = sh[2];
      int stride = s + 5;
      float[] x = data(r, planes * stride + 2, 0.5, 2.0);
      float[] g = data(r, planes * stride + 2, -0.1, 1.0);
      float mu = 0.4f;
      double sum = 0;
      double sq = 0;
      double gs = 0;
      double dot = 0;
      double abs = 0;
      for (int p = 0; p < planes; p++) {
        for (int i = 0; i < s; i++) {
          double v = x[2 + p * stride + i];
          double d = v - mu;
          sum += d;
          sq += d * d;
          gs += g[1 + p * stride + i];
          dot += d * g[1 + p * stride + i];
          abs += Math.abs(v) + Math.abs(d * g[1 + p * stride + i]) + Math.abs(g[1 + p * stride + i]);
        }
      }
      String what = planes + " planes of " + s;
      for (boolean scalar : new boolean[] {false, true}) {
        double[] acc = new double[2];
        double[] accG = new double[2];
        if (scalar) {
          FloatKernels.normSumsScalar(x, 2, planes, stride, s, mu, true, acc);
          FloatKernels.normGradSumsScalar(g, 1, x, 2, planes, stride, s, mu, accG);
        } else {
          FloatKernels.normSums(x, 2, planes, stride, s, mu, true, acc);
          FloatKernels.normGradSums(g, 1, x, 2, planes, stride, s, mu, accG);
        }
        String w = what + (scalar ? " (scalar)" : "");
        close(w + " sum", sum, acc[0], abs, 1e-6);
        close(w + " squares", sq, acc[1], 0, 1e-6);
        close(w + " sum g", gs, accG[0], abs, 1e-6);
        close(w + " dot", dot, accG[1], abs, 1e-6);
        // without squares only the sum is added
        double[] only = {1.0, 7.0};
        if (scalar) {
          FloatKernels.normSumsScalar(x, 2, planes, stride, s, mu, false, only);
        } else {
          FloatKernels.normSums(x, 2, planes, stride, s, mu, false, only);
        }
        close(w + " sum only", sum + 1.0, only[0], abs, 1e-6);
        double[] plain = new double[2];
        if (scalar) {
          FloatKernels.normSumsScalar(x, 2, planes, stride, s, 0f, false, plain);
        } else {
          FloatKernels.normSums(x, 2, planes, stride, s, 0f, false, plain);
        }
        close(w + " plain sum", sum + mu * (double) planes * s, plain[0], abs, 1e-6);
        assertTrue(only[1] == 7.0, w + ": squares left alone");
      }
      // the input-gradient loop: vector and scalar, the same float operations
      float[] a = new float[s];
      float[] e = new float[s];
      FloatKernels.normGradInput(g, 1, x, 2, mu, 0.3f, -0.05f, 1.7f, a, 0, s);
      FloatKernels.normGradInputScalar(g, 1, x, 2, mu, 0.3f, -0.05f, 1.7f, e, 0, s);
      for (int i = 0; i < s; i++) {
        assertTrue(Float.floatToIntBits(e[i]) == Float.floatToIntBits(a[i]), what + " i=" + i);
      }
    }
  }
}
