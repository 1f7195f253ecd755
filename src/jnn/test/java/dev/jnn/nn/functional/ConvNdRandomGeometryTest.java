package dev.jnn.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jnn.autograd.GradCheck;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The 3-d convolutions (sums over the kernel's depth of 2-d convolutions) on random geometries
 * against a direct float64 loop of the definition, forward, plus a float64 gradient check of
 * input, weight and bias; the transposed convolution against the same loop run as a scatter. The
 * goldens pin a few geometries against PyTorch; this covers the index arithmetic of strides,
 * paddings, dilations, groups and output paddings together, in depth as in height and width.
 */
class ConvNdRandomGeometryTest {

  /** One random geometry: sizes per spatial dim (depth, height, width). */
  private record Geo(int n, int groups, int cg, int ocg, int[] in, int[] k, int[] s, int[] p,
      int[] d, int[] op) {
    int c() {
      return groups * cg;
    }

    int oc() {
      return groups * ocg;
    }

    int outConv(int i) {
      return (in[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i] + 1;
    }

    int outT(int i) {
      return (in[i] - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op[i] + 1;
    }

    @Override
    public String toString() {
      return "n=" + n + " groups=" + groups + " cg=" + cg + " ocg=" + ocg + " in="
          + java.util.Arrays.toString(in) + " k=" + java.util.Arrays.toString(k) + " s="
          + java.util.Arrays.toString(s) + " p=" + java.util.Arrays.toString(p) + " d="
          + java.util.Arrays.toString(d) + " op=" + java.util.Arrays.toString(op);
    }
  }

  private static Geo random(SplittableRandom r, boolean transposed) {
    while (true) {
      int[] in = new int[3];
      int[] k = new int[3];
      int[] s = new int[3];
      int[] p = new int[3];
      int[] d = new int[3];
      int[] op = new int[3];
      boolean ok = true;
      for (int i = 0; i < 3; i++) {
        in[i] = 1 + r.nextInt(5);
        k[i] = 1 + r.nextInt(3);
        s[i] = 1 + r.nextInt(3);
        d[i] = 1 + r.nextInt(2);
        p[i] = r.nextInt(3);
        op[i] = transposed ? r.nextInt(Math.max(s[i], d[i])) : 0;
      }
      Geo g = new Geo(1 + r.nextInt(2), 1 + r.nextInt(2), 1 + r.nextInt(2), 1 + r.nextInt(2),
          in, k, s, p, d, op);
      for (int i = 0; i < 3; i++) {
        ok &= transposed ? g.outT(i) >= 1
            : in[i] + 2 * p[i] >= d[i] * (k[i] - 1) + 1;
      }
      if (ok) {
        return g;
      }
    }
  }

  private static Tensor rnd(SplittableRandom r, long... shape) {
    int n = 1;
    for (long v : shape) {
      n *= (int) v;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble(-1, 1);
    }
    return Tensor.fromArray(v, shape);
  }

  /**
   * The direct loop: for every input element and weight element, the output position it
   * contributes to (plain convolution: {@code o * s - p + kk * d = i}), added to {@code out}.
   * With {@code transposed}, input and output swap roles (a scatter from the input).
   */
  private static double[] direct(Geo g, double[] x, double[] w, double[] b, boolean transposed,
      int[] outSize) {
    int ci = transposed ? g.oc() : g.c(); // input channels of the op (weight's dim 0 if transposed)
    int co = transposed ? g.c() : g.oc();
    int[] ins = g.in();
    int outPlane = outSize[0] * outSize[1] * outSize[2];
    double[] out = new double[g.n() * co * outPlane];
    for (int n = 0; n < g.n(); n++) {
      for (int o = 0; o < co; o++) {
        for (int q = 0; q < outPlane; q++) {
          out[(n * co + o) * outPlane + q] = b == null ? 0 : b[o];
        }
      }
    }
    int inPlane = ins[0] * ins[1] * ins[2];
    for (int n = 0; n < g.n(); n++) {
      for (int grp = 0; grp < g.groups(); grp++) {
        int icg = transposed ? g.ocg() : g.cg();
        int ocgOut = transposed ? g.cg() : g.ocg();
        for (int ic = 0; ic < icg; ic++) {
          for (int oc = 0; oc < ocgOut; oc++) {
            int inCh = grp * icg + ic;
            int outCh = grp * ocgOut + oc;
            for (int a = 0; a < g.k()[0]; a++) {
              for (int bb = 0; bb < g.k()[1]; bb++) {
                for (int cc = 0; cc < g.k()[2]; cc++) {
                  double wv = transposed
                      ? w[(((inCh * g.cg() + oc) * g.k()[0] + a) * g.k()[1] + bb) * g.k()[2] + cc]
                      : w[(((outCh * g.cg() + ic) * g.k()[0] + a) * g.k()[1] + bb) * g.k()[2]
                          + cc];
                  int[] kk = {a, bb, cc};
                  if (!transposed) {
                    // out[o] += x[o * s - p + kk * d]
                    for (int o0 = 0; o0 < outSize[0]; o0++) {
                      for (int o1 = 0; o1 < outSize[1]; o1++) {
                        for (int o2 = 0; o2 < outSize[2]; o2++) {
                          int[] o = {o0, o1, o2};
                          int[] i = new int[3];
                          boolean inside = true;
                          for (int t = 0; t < 3; t++) {
                            i[t] = o[t] * g.s()[t] - g.p()[t] + kk[t] * g.d()[t];
                            inside &= i[t] >= 0 && i[t] < ins[t];
                          }
                          if (inside) {
                            out[(n * co + outCh) * outPlane
                                + (o0 * outSize[1] + o1) * outSize[2] + o2] +=
                                wv * x[(n * ci + inCh) * inPlane
                                    + (i[0] * ins[1] + i[1]) * ins[2] + i[2]];
                          }
                        }
                      }
                    }
                  } else {
                    // out[i * s - p + kk * d] += x[i]
                    for (int i0 = 0; i0 < ins[0]; i0++) {
                      for (int i1 = 0; i1 < ins[1]; i1++) {
                        for (int i2 = 0; i2 < ins[2]; i2++) {
                          int[] i = {i0, i1, i2};
                          int[] o = new int[3];
                          boolean inside = true;
                          for (int t = 0; t < 3; t++) {
                            o[t] = i[t] * g.s()[t] - g.p()[t] + kk[t] * g.d()[t];
                            inside &= o[t] >= 0 && o[t] < outSize[t];
                          }
                          if (inside) {
                            out[(n * co + outCh) * outPlane
                                + (o[0] * outSize[1] + o[1]) * outSize[2] + o[2]] +=
                                wv * x[(n * ci + inCh) * inPlane
                                    + (i0 * ins[1] + i1) * ins[2] + i2];
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertArrayEquals(expected, actual, 1e-9, what);
  }

  @TestFactory
  Stream<DynamicTest> conv3dAndConvTranspose3dMatchTheDefinition() {
    SplittableRandom r = new SplittableRandom(2026);
    List<DynamicTest> tests = new ArrayList<>();
    for (int t = 0; t < 24; t++) {
      boolean transposed = t % 2 == 1;
      Geo g = random(r, transposed);
      Tensor x = rnd(r, g.n(), transposed ? g.oc() : g.c(), g.in()[0], g.in()[1], g.in()[2]);
      // [oc, cg, k] either way: a transposed op's input has oc channels, its output c
      Tensor w = rnd(r, g.oc(), g.cg(), g.k()[0], g.k()[1], g.k()[2]);
      Tensor b = rnd(r, transposed ? g.c() : g.oc());
      tests.add(DynamicTest.dynamicTest((transposed ? "conv_transpose3d " : "conv3d ") + g, () -> {
        int[] outSize = new int[3];
        for (int i = 0; i < 3; i++) {
          outSize[i] = transposed ? g.outT(i) : g.outConv(i);
        }
        java.util.function.Function<List<Tensor>, Tensor> f = a -> transposed
            ? Functional.convTranspose3d(a.get(0), a.get(1), a.get(2), g.s(), g.p(), g.op(),
                g.groups(), g.d())
            : Functional.conv3d(a.get(0), a.get(1), a.get(2), g.s(), g.p(), g.d(), g.groups());
        Tensor y = f.apply(List.of(x, w, b));
        double[] ref = direct(g, x.toDoubleArray(), w.toDoubleArray(), b.toDoubleArray(),
            transposed, outSize);
        assertClose(ref, y.toDoubleArray(), "forward " + g);
        assertArrayEquals(new long[] {g.n(), transposed ? g.c() : g.oc(), outSize[0],
            outSize[1], outSize[2]}, y.shape().dims());
        GradCheck.check(f, x.clone().requiresGrad(true), w.clone().requiresGrad(true),
            b.clone().requiresGrad(true));
      }));
    }
    return tests.stream();
  }
}
