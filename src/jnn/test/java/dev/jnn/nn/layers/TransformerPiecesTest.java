package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.nn.functional.Functional;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 part 3's pieces where a golden file cannot show the behaviour: channel dropout's random
 * path (checked statistically, on a seeded default generator, never against drawn numbers), its
 * in-place and warning behaviour, Embedding's in-place renormalisation and version counter,
 * {@code sparse=True}'s refusal, and a LayerNorm without bias in a training step. Values, reprs,
 * keys and messages are compared with PyTorch in LayersGoldenTest and the op registry.
 */
class TransformerPiecesTest {

  // ---------------------------------------------------------------- channel dropout

  /** {@code (x, p) -> dropoutNd(x, p, training=true)} for 1, 2, 3. */
  static Function<Tensor, Tensor> drop(int k, double p) {
    return x -> switch (k) {
      case 1 -> Functional.dropout1d(x, p, true);
      case 2 -> Functional.dropout2d(x, p, true);
      default -> Functional.dropout3d(x, p, true);
    };
  }

  /**
   * Drops channels of an input of ones shaped {@code [channels..., spatial]}: every channel is
   * all 0 or all {@code 1 / (1 - p)}, the share of dropped channels is p within 5 standard
   * deviations, the gradient is the mask, and not every batch row gets the same mask.
   */
  static void checkChannels(Function<Tensor, Tensor> f, double p, long[] shape, int channelDims) {
    Tensor x = Tensor.ones(shape).requiresGrad(true);
    Tensor y = f.apply(x);
    assertArrayEquals(shape, y.shape().dims());
    long channels = 1;
    for (int i = 0; i < channelDims; i++) {
      channels *= shape[i];
    }
    int per = Math.toIntExact(x.numel() / channels);
    float[] v = y.toFloatArray();
    float keep = (float) (1.0 / (1.0 - p));
    int dropped = 0;
    for (int c = 0; c < channels; c++) {
      float first = v[c * per];
      assertTrue(first == 0f || first == keep, "channel " + c + ": " + first);
      for (int j = 1; j < per; j++) {
        assertEquals(first, v[c * per + j], "channel " + c + " is not dropped whole");
      }
      dropped += first == 0f ? 1 : 0;
    }
    double share = (double) dropped / channels;
    double sigma = Math.sqrt(p * (1 - p) / channels);
    assertTrue(Math.abs(share - p) < 5 * sigma, "dropped " + share + " of channels, p " + p);
    y.backward(Tensor.onesLike(y));
    assertArrayEquals(v, x.grad().toFloatArray(), "the gradient is the mask");
    if (channelDims == 2) {
      long c = shape[1];
      float[] firstRow = java.util.Arrays.copyOfRange(v, 0, Math.toIntExact(c * per));
      float[] secondRow = java.util.Arrays.copyOfRange(v, Math.toIntExact(c * per),
          Math.toIntExact(2 * c * per));
      assertNotEquals(java.util.Arrays.toString(firstRow), java.util.Arrays.toString(secondRow),
          "each sample draws its own mask");
    }
  }

  @Test
  void channelDropoutDropsWholeChannelsAtRateP() {
    Generator.manualSeed(19);
    checkChannels(drop(1, 0.3), 0.3, new long[] {64, 32, 5}, 2);
    checkChannels(drop(1, 0.5), 0.5, new long[] {400, 3}, 1); // unbatched [C, L]
    checkChannels(drop(2, 0.2), 0.2, new long[] {40, 30, 3, 2}, 2);
    checkChannels(drop(2, 0.6), 0.6, new long[] {40, 30, 4}, 2); // 3-d: 1.13's [N, C, L]
    checkChannels(drop(3, 0.4), 0.4, new long[] {30, 40, 2, 2, 2}, 2);
    checkChannels(drop(3, 0.25), 0.25, new long[] {500, 2, 1, 3}, 1); // unbatched [C, D, H, W]
    checkChannels(drop(3, 0.5), 0.5, new long[] {300, 4}, 1); // another rank: unbatched
  }

  @Test
  void layersDropInTrainingAndPassThroughInEvaluation() {
    Generator.manualSeed(7);
    for (DropoutNd m : List.of(new Dropout1d(0.5), new Dropout2d(0.5), new Dropout3d(0.5))) {
      long[] shape = m instanceof Dropout1d ? new long[] {50, 20, 3}
          : m instanceof Dropout2d ? new long[] {50, 20, 2, 2} : new long[] {50, 20, 2, 1, 2};
      checkChannels(m::call, 0.5, shape, 2);
      m.eval();
      Tensor x = Tensor.randn(shape);
      assertSame(x, m.call(x), m + " in eval");
    }
  }

  @Test
  void deterministicPathsReturnTheInputOrZeros() {
    Tensor x = Tensor.randn(2, 3, 4).requiresGrad(true);
    assertSame(x, Functional.dropout1d(x, 0.5, false));
    assertSame(x, Functional.dropout1d(x, 0.0, true));
    assertSame(x, Functional.dropout2d(x, 0.0, true));
    Tensor empty = Tensor.randn(0, 3, 4);
    assertSame(empty, Functional.dropout1d(empty, 0.5, true));
    Tensor z = Functional.dropout3d(Tensor.randn(2, 3, 2, 2, 2).requiresGrad(true), 1.0, true);
    assertEquals(0.0, z.abs().sum().item());
    // an unbatched input comes back as a view with the input's shape, as in PyTorch
    Tensor u = Tensor.randn(3, 4).requiresGrad(true);
    Tensor r = Functional.dropout1d(u, 0.5, false);
    assertArrayEquals(new long[] {3, 4}, r.shape().dims());
    assertEquals("SqueezeBackward1", r.gradFn().name());
  }

  @Test
  void inPlaceMultipliesTheInputAndReturnsIt() {
    Generator.manualSeed(3);
    for (long[] shape : new long[][] {{8, 16, 5}, {16, 5}}) {
      Tensor x = Tensor.ones(shape);
      int version = x.version();
      Tensor y = Functional.dropout1d(x, 0.5, true, true);
      assertSame(x, y);
      assertTrue(x.version() > version, "version counter moved");
      float[] v = x.toFloatArray();
      for (float e : v) {
        assertTrue(e == 0f || e == 2f, "dropped or scaled: " + e);
      }
    }
    // a non-leaf: the gradient flows through the in-place product to the leaf
    Tensor leaf = Tensor.ones(6, 10, 3).requiresGrad(true);
    Tensor h = leaf.mul(1.0);
    Tensor y = new Dropout2d(0.5, true).call(h);
    assertSame(h, y);
    y.sum().backward();
    assertArrayEquals(h.detach().toFloatArray(), leaf.grad().toFloatArray());
    // a leaf that requires grad is refused before anything changes
    Tensor l = Tensor.ones(4, 3).requiresGrad(true);
    assertThrows(IllegalStateException.class, () -> Functional.dropout3d(l, 0.5, true, true));
    assertEquals(12.0, l.sum().item());
  }

  @Test
  void deprecatedRanksWarnOncePerMessage() {
    Logger log = Logger.getLogger("dev.jnn.nn.functional");
    List<String> seen = new ArrayList<>();
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            seen.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(h);
    try {
      // 6-d: a message no other test logs (the warning shows once per message and JVM)
      Tensor x = Tensor.randn(2, 3, 1, 1, 1, 2);
      Functional.dropout2d(x, 0.5, false);
      Functional.dropout2d(x, 0.5, false);
      Functional.dropout3d(x, 0.5, false);
      assertEquals(2, seen.size(), seen.toString());
      assertTrue(seen.get(0).startsWith("dropout2d: Received a 6-D input to dropout2d"));
      assertTrue(seen.get(1).startsWith("dropout3d: Received a 6-D input to dropout3d"));
    } finally {
      log.removeHandler(h);
    }
  }

  // ---------------------------------------------------------------- Embedding's options

  static double rowNorm(Tensor w, int row) {
    return w.select(0, row).norm().item();
  }

  @Test
  void maxNormRenormalisesTheLookedUpRowsOfTheParameterInPlace() {
    Embedding e = Embedding.builder(6, 4).maxNorm(1.0).build();
    try (NoGrad g = NoGrad.enter()) {
      e.weight().copyFrom(Tensor.randn(6, 4).mul(3.0));
    }
    Tensor before = e.weight().detach().clone();
    var param = e.weight();
    int version = param.version();
    Tensor y = e.call(Tensor.fromArray(new long[] {1, 4, 4}));
    assertSame(param, e.weight(), "the same Parameter");
    assertEquals(version + 1, param.version(), "one version step per call, as PyTorch");
    for (int r = 0; r < 6; r++) {
      if (r == 1 || r == 4) {
        double n0 = rowNorm(before, r);
        assertEquals(n0 > 1.0 ? 1.0 : n0, rowNorm(e.weight(), r), 1e-6, "row " + r);
      } else {
        assertArrayEquals(before.select(0, r).toFloatArray(),
            e.weight().select(0, r).toFloatArray(), "row " + r + " is not looked up");
      }
    }
    assertTensorClose(e.weight().select(0, 4), y.select(0, 2), "looked up after renormalising");
    // no looked-up row over the limit: the values stay, the version still moves
    try (NoGrad g = NoGrad.enter()) {
      e.weight().select(0, 0).fill(0.25);
    }
    Tensor now = e.weight().detach().clone();
    int v2 = param.version();
    e.call(Tensor.fromArray(new long[] {0, 0}));
    assertEquals(v2 + 1, param.version());
    assertArrayEquals(now.toFloatArray(), e.weight().toFloatArray());
  }

  @Test
  void fromPretrainedSharesTheTableWhichMaxNormThenChanges() {
    Tensor table = Tensor.fromArray(new float[] {3, 4, 0, 0.5f}, 2, 2);
    Embedding e = Embedding.fromPretrained(table, true, null, 2.5, 2.0, false, false);
    assertEquals("Embedding(2, 2, max_norm=2.5)", e.toString());
    assertEquals(false, e.weight().requiresGrad());
    e.call(Tensor.fromArray(new long[] {0}));
    assertEquals(2.5, rowNorm(table, 0), 1e-6, "the caller's tensor, renormalised");
    assertEquals(0.5, rowNorm(table, 1), 0.0);
  }

  @Test
  void scaleGradByFreqDividesEachRowByItsCount() {
    Embedding e = Embedding.builder(4, 2).scaleGradByFreq(true).paddingIdx(3).build();
    Tensor idx = Tensor.fromArray(new long[] {1, 1, 1, 2, 3, 3}, 2, 3);
    Tensor y = e.call(idx);
    Tensor gy = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
    y.backward(gy);
    float third = 1f / 3;
    assertTensorClose(
        Tensor.fromArray(new float[] {0, 0, (1 + 3 + 5) * third, (2 + 4 + 6) * third, 7, 8, 0, 0},
            4, 2),
        e.weight().grad(), "row 1 seen 3 times, row 2 once, row 3 padding");
  }

  @Test
  void sparseIsRefusedWithAClearMessage() {
    UnsupportedOperationException a =
        assertThrows(UnsupportedOperationException.class,
            () -> Embedding.builder(5, 2).sparse(true).build());
    assertTrue(a.getMessage().contains("sparse=True") && a.getMessage().contains("sparse tensors"),
        a.getMessage());
    assertThrows(UnsupportedOperationException.class,
        () -> Embedding.fromPretrained(Tensor.zeros(3, 2), true, null, null, 2.0, false, true));
    Tensor w = Tensor.randn(5, 2);
    Tensor before = w.clone();
    assertThrows(UnsupportedOperationException.class,
        () -> Functional.embedding(Tensor.fromArray(new long[] {1}), w, null, 0.1, 2.0, false,
            true));
    assertArrayEquals(before.toFloatArray(), w.toFloatArray(), "no renormalisation either");
  }

  // ---------------------------------------------------------------- norms

  @Test
  void layerNormWithoutBiasTrainsItsWeightOnly() {
    LayerNorm ln = LayerNorm.builder(4).bias(false).build();
    assertNull(ln.bias());
    assertEquals(List.of("weight"), List.copyOf(ln.stateDict().keySet()));
    assertEquals(1, ln.parameters().size());
    SGD opt = new SGD(ln.parameters(), 0.1);
    Tensor x = Tensor.randn(3, 4);
    ln.call(x).mul(Tensor.randn(3, 4)).sum().backward();
    opt.step();
    assertNotEquals(1.0, ln.weight().max().item());
    // no bias: the output of a row is its normalised values times the weight
    Tensor y = ln.call(x);
    assertTensorClose(Functional.layerNorm(x, new long[] {4}).mul(ln.weight()), y, "x-hat * w");
  }

  @Test
  void rmsNormDefaultEpsIsTheDtypesMachineEpsilon() {
    // rows of zeros: y = 0 / sqrt(0 + eps) = 0 whatever eps; a tiny row shows eps
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      double eps = dt == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
      double a = 1e-4;
      Tensor x = Tensor.full(dev.jnn.core.Shape.of(1, 2), a, dt, dev.jnn.core.Device.CPU);
      double expected = a / Math.sqrt(a * a + eps);
      assertEquals(expected, Functional.rmsNorm(x, new long[] {2}).select(1, 0).item(),
          dt == DType.FLOAT32 ? 1e-6 : 1e-15, dt.toString());
      RMSNorm m = RMSNorm.builder(2).dtype(dt).build();
      assertEquals(expected, m.call(x).select(1, 0).item(), dt == DType.FLOAT32 ? 1e-6 : 1e-15);
    }
    assertEquals("RMSNorm((2, 3), eps=1e-06, elementwise_affine=False)",
        RMSNorm.builder(2, 3).eps(1e-6).elementwiseAffine(false).build().toString());
  }
}
