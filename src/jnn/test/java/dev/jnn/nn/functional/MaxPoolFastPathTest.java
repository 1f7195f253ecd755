package dev.jnn.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float32 2x2 / stride 2 max-pooling fast path against PyTorch's scan (first maximum in
 * row-major window order; a NaN wins and the last NaN's index is kept), on data full of ties,
 * signed zeros, infinities and NaNs, with odd sizes (the last row/column is dropped).
 */
class MaxPoolFastPathTest {
  @Test
  void matchesScanOnAwkwardValues() {
    Random r = new Random(11);
    float[] palette = {
      0f, -0f, 1f, -1f, 2f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f
    };
    int n = 3;
    int c = 4;
    int h = 9;
    int w = 7;
    float[] x = new float[n * c * h * w];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(3) == 0 ? palette[r.nextInt(palette.length)] : (float) r.nextGaussian();
    }
    Tensor xt = Tensor.fromArray(x, n, c, h, w);
    TensorWithIndices res =
        Functional.maxPool2dWithIndices(
            xt, new int[] {2}, new int[] {2}, new int[] {0}, new int[] {1}, false);
    int oh = h / 2;
    int ow = w / 2;
    float[] expV = new float[n * c * oh * ow];
    long[] expI = new long[expV.length];
    for (int p = 0; p < n * c; p++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          float max = Float.NEGATIVE_INFINITY;
          int mi = 2 * i * w + 2 * j;
          for (int di = 0; di < 2; di++) {
            for (int dj = 0; dj < 2; dj++) {
              int k = (2 * i + di) * w + 2 * j + dj;
              float v = x[p * h * w + k];
              if (v > max || Float.isNaN(v)) {
                max = v;
                mi = k;
              }
            }
          }
          expV[(p * oh + i) * ow + j] = max;
          expI[(p * oh + i) * ow + j] = mi;
        }
      }
    }
    assertEquals(DType.FLOAT32, res.output().dtype());
    float[] got = res.output().toFloatArray();
    for (int i = 0; i < got.length; i++) {
      assertEquals(
          Float.floatToIntBits(expV[i]), Float.floatToIntBits(got[i]), "value " + i);
    }
    long[] gotI = new long[expI.length];
    double[] gi = res.indices().toDoubleArray();
    for (int i = 0; i < gi.length; i++) {
      gotI[i] = (long) gi[i];
    }
    assertArrayEquals(expI, gotI);
  }
}
