package dev.jnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The direct depthwise convolution ({@link DepthwiseConv}): its forward against a float64 loop over the definition
 * and against the im2col + GEMM path it replaces, on random geometries: strides 1-3, dilations
 * 1-2, paddings 0-3 (wider than the kernel's reach too), channel multipliers 1-2, kernels 1x1 to
 * 5x3, with and without bias, odd sizes, batch 1-3.
 */
class DepthwiseConvTest {
  @Test
  void appliesToDepthwiseGeometriesOnly() {
    assertTrue(DepthwiseConv.applies(geometry(1, 8, 5, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8)));
    assertTrue(DepthwiseConv.applies(geometry(1, 8, 5, 5, 16, 3, 3, 2, 2, 1, 1, 1, 1, 8)));
    assertFalse(DepthwiseConv.applies(geometry(1, 8, 5, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1, 4)));
    assertFalse(DepthwiseConv.applies(geometry(1, 1, 5, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1)));
  }

  static Conv2dGeometry geometry(int n, int c, int h, int w, int oc, int kh, int kw, int sh,
      int sw, int ph, int pw, int dh, int dw, int groups) {
    int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
    int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
    return new Conv2dGeometry(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups, oh, ow);
  }

  /**
   * A random depthwise geometry: {@code minC}.. 6 channels (a drawn 1 becomes 2), multiplier 1-2,
   * kernels 1x1 to 5x3, strides 1-3, dilations 1-2, paddings 0-3, odd sizes, batch 1-3.
   */
  private static Conv2dGeometry randomGeometry(Random r, int minC) {
    return randomGeometry(r, minC, 23);
  }

  /** As above, with up to {@code extraW} input columns beyond the kernel's extent. */
  private static Conv2dGeometry randomGeometry(Random r, int minC, int extraW) {
    int c = minC + r.nextInt(7 - minC);
    int m = 1 + r.nextInt(2);
    int kh = 1 + r.nextInt(5);
    int kw = 1 + r.nextInt(3);
    int sh = 1 + r.nextInt(3);
    int sw = 1 + r.nextInt(3);
    int dh = 1 + r.nextInt(2);
    int dw = 1 + r.nextInt(2);
    int ph = r.nextInt(4);
    int pw = r.nextInt(4);
    int h = dh * (kh - 1) + 1 + r.nextInt(9);
    int w = dw * (kw - 1) + 1 + r.nextInt(extraW);
    int n = 1 + r.nextInt(3);
    if (c == 1) {
      c = 2;
    }
    return geometry(n, c, h, w, c * m, kh, kw, sh, sw, ph, pw, dh, dw, c);
  }

  @Test
  void matchesTheDefinitionAndTheGemmPath() {
    Random r = new Random(11);
    for (int t = 0; t < 200; t++) {
      Conv2dGeometry g = randomGeometry(r, 1);
      int n = g.n();
      int c = g.c();
      int m = g.ocPerGroup();
      int h = g.h();
      int w = g.w();
      int kh = g.kh();
      int kw = g.kw();
      String what = g.toString();
      float[] x = rnd(r, n * c * h * w + 3);
      float[] wt = rnd(r, c * m * kh * kw + 1);
      float[] b = r.nextBoolean() ? rnd(r, c * m + 2) : null;
      int outLen = n * c * m * g.oh() * g.ow();
      float[] got = new float[outLen];
      DepthwiseConv.forward(x, 3, wt, 1, b, 2, got, g);
      float[] gemm = new float[outLen];
      CpuConv.forwardGeneric(new View(HostBuffer.wrap(x), new int[] {n, c, h, w},
              new int[] {c * h * w, h * w, w, 1}, 3),
          new View(HostBuffer.wrap(wt), new int[] {c * m, 1, kh, kw},
              new int[] {kh * kw, kh * kw, kw, 1}, 1),
          b == null ? null : new View(HostBuffer.wrap(b), new int[] {c * m}, new int[] {1}, 2),
          HostBuffer.wrap(gemm), g);
      for (int i = 0; i < outLen; i++) {
        double e = reference(x, wt, b, g, i);
        assertEquals(e, got[i], 1e-5 * (1 + Math.abs(e)), what + " element " + i);
        assertEquals(gemm[i], got[i], 1e-5 * (1 + Math.abs(e)), what + " vs GEMM, element " + i);
      }
    }
  }

  /**
   * The forward's Vector API planes (phase-split input, register-blocked outputs) give the scalar
   * rows' bits, on widths with whole 4-vector blocks, single vectors and scalar tails, any stride,
   * dilation and padding.
   */
  @Test
  void vectorForwardGivesTheScalarBits() {
    Random r = new Random(12);
    for (int t = 0; t < 120; t++) {
      Conv2dGeometry g = randomGeometry(r, 2, 140);
      int c = g.c();
      int m = g.ocPerGroup();
      int h = g.h();
      int w = g.w();
      int kh = g.kh();
      int kw = g.kw();
      float[] x = rnd(r, g.n() * c * h * w + 3);
      float[] wt = rnd(r, c * m * kh * kw + 1);
      float[] b = r.nextBoolean() ? rnd(r, c * m + 2) : null;
      int outLen = g.n() * c * m * g.oh() * g.ow();
      float[] got = new float[outLen];
      float[] scalar = new float[outLen];
      DepthwiseConv.forward(x, 3, wt, 1, b, 2, got, g);
      DepthwiseConv.forwardScalar(x, 3, wt, 1, b, 2, scalar, g);
      for (int i = 0; i < outLen; i++) {
        assertEquals(Float.floatToIntBits(scalar[i]), Float.floatToIntBits(got[i]),
            g + " element " + i + ": " + scalar[i] + " vs " + got[i]);
      }
    }
  }

  private static float[] rnd(Random r, int len) {
    float[] a = new float[len];
    for (int i = 0; i < len; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  /** Output element {@code i} from the definition, in float64. */
  private static double reference(float[] x, float[] w, float[] b, Conv2dGeometry g, int i) {
    int ow = g.ow();
    int oh = g.oh();
    int j = i % ow;
    int row = i / ow % oh;
    int o = i / (ow * oh) % g.oc();
    int n = i / (ow * oh * g.oc());
    int c = o / g.ocPerGroup();
    double s = b == null ? 0 : b[2 + o];
    for (int kh = 0; kh < g.kh(); kh++) {
      for (int kw = 0; kw < g.kw(); kw++) {
        int ih = row * g.strideH() - g.padTop() + kh * g.dilationH();
        int iw = j * g.strideW() - g.padLeft() + kw * g.dilationW();
        if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
          s += (double) w[1 + (o * g.kh() + kh) * g.kw() + kw]
              * x[3 + ((n * g.c() + c) * g.h() + ih) * g.w() + iw];
        }
      }
    }
    return s;
  }

  /**
   * The input and weight gradients against the im2col + GEMM paths (which the conv goldens check
   * against PyTorch) on the same random geometries.
   */
  @Test
  void gradientsMatchTheGemmPaths() {
    Random r = new Random(12);
    for (int t = 0; t < 200; t++) {
      // the last 50 wider (up to ~90 columns): whole vectors and tails of the Vector API paths
      Conv2dGeometry g = randomGeometry(r, 2, t < 150 ? 23 : 90);
      int n = g.n();
      int c = g.c();
      int m = g.ocPerGroup();
      int h = g.h();
      int w = g.w();
      int kh = g.kh();
      int kw = g.kw();
      String what = g.toString();
      int outLen = n * c * m * g.oh() * g.ow();
      float[] go = rnd(r, outLen + 2);
      float[] x = rnd(r, n * c * h * w + 1);
      float[] wt = rnd(r, c * m * kh * kw + 3);
      View goV = new View(HostBuffer.wrap(go), new int[] {n, c * m, g.oh(), g.ow()},
          new int[] {c * m * g.oh() * g.ow(), g.oh() * g.ow(), g.ow(), 1}, 2);
      float[] gi = new float[n * c * h * w];
      DepthwiseConv.backwardData(go, 2, wt, 3, gi, g);
      float[] giRef = new float[gi.length];
      CpuConv.backwardDataGeneric(goV, new View(HostBuffer.wrap(wt),
              new int[] {c * m, 1, kh, kw}, new int[] {kh * kw, kh * kw, kw, 1}, 3),
          HostBuffer.wrap(giRef), g);
      for (int i = 0; i < gi.length; i++) {
        assertEquals(giRef[i], gi[i], 1e-4 * (1 + Math.abs(giRef[i])), what + " grad input " + i);
      }
      float[] gw = new float[c * m * kh * kw];
      DepthwiseConv.backwardFilter(go, 2, x, 1, gw, g);
      float[] gwRef = new float[gw.length];
      CpuConv.backwardFilterGeneric(goV, new View(HostBuffer.wrap(x), new int[] {n, c, h, w},
              new int[] {c * h * w, h * w, w, 1}, 1),
          HostBuffer.wrap(gwRef), g);
      for (int i = 0; i < gw.length; i++) {
        assertEquals(gwRef[i], gw[i], 1e-4 * (1 + Math.abs(gwRef[i])), what + " grad weight " + i);
      }
    }
  }
}
