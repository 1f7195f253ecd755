package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.GradCheck;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.StateDict;
import dev.jnn.nn.functional.TensorWithIndices;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layer behaviour that a golden file cannot show: atomicity, modes, conversions, options. */
class LayersBehaviourTest {
  static void assertUnchanged(BatchNormBase bn, Tensor mean, Tensor var, long count) {
    assertTensorClose(mean, bn.runningMean(), "running_mean");
    assertTensorClose(var, bn.runningVar(), "running_var");
    assertEquals(count, bn.numBatchesTracked().itemLong());
  }

  @Test
  void batchNormFailsWithoutTouchingItsState() {
    BatchNorm2d bn = new BatchNorm2d(3);
    bn.call(Tensor.randn(4, 3, 2, 2));
    Tensor mean = bn.runningMean().clone();
    Tensor var = bn.runningVar().clone();
    // wrong channel count: PyTorch would already have counted the batch
    assertThrows(RuntimeException.class, () -> bn.call(Tensor.randn(4, 5, 2, 2)));
    assertUnchanged(bn, mean, var, 1);
    // wrong rank
    assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.randn(4, 3, 2)));
    assertUnchanged(bn, mean, var, 1);
    // one value per channel in training
    BatchNorm1d bn1 = BatchNorm1d.builder(3).momentum(null).build();
    assertThrows(IllegalArgumentException.class, () -> bn1.call(Tensor.randn(1, 3)));
    assertUnchanged(bn1, Tensor.zeros(3), Tensor.ones(3), 0);
    // evaluation mode never updates
    bn.eval();
    bn.call(Tensor.randn(4, 3, 2, 2));
    assertUnchanged(bn, mean, var, 1);
  }

  @Test
  void batchNormCumulativeAverageIsTheMeanOfBatchMeans() {
    BatchNorm1d bn = BatchNorm1d.builder(2).momentum(null).build();
    Tensor a = Tensor.fromArray(new float[] {1, 10, 3, 20}, 2, 2);
    Tensor b = Tensor.fromArray(new float[] {5, 0, 7, 0}, 2, 2);
    bn.call(a);
    bn.call(b);
    // batch means (2, 15) and (6, 0): cumulative average (4, 7.5)
    assertTensorClose(Tensor.fromArray(new float[] {4f, 7.5f}), bn.runningMean(), "cma");
    assertEquals(2, bn.numBatchesTracked().itemLong());
  }

  @Test
  void batchNormConvertsButKeepsItsCounterInt64() {
    BatchNorm2d bn = new BatchNorm2d(3);
    Parameter w = bn.weight();
    bn.to(DType.FLOAT64);
    assertSame(w, bn.weight());
    assertEquals(DType.FLOAT64, bn.weight().dtype());
    assertEquals(DType.FLOAT64, bn.runningMean().dtype());
    assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
    Tensor y = bn.call(Tensor.randn(2, 3, 2, 2).toDouble());
    assertEquals(DType.FLOAT64, y.dtype());
    assertEquals(1, bn.numBatchesTracked().itemLong());
    assertEquals(
        List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
        List.copyOf(bn.stateDict().keySet()));
    assertEquals(2, bn.stateDict().metadata().get("").get("version"));
  }

  @Test
  void batchNormWithoutAffineOrTracking() {
    BatchNorm2d bn = BatchNorm2d.builder(3).affine(false).trackRunningStats(false).build();
    assertNull(bn.weight());
    assertNull(bn.runningMean());
    assertNull(bn.numBatchesTracked());
    assertEquals(List.of(), List.copyOf(bn.stateDict().keySet()));
    bn.eval();
    Tensor y = bn.call(Tensor.randn(4, 3, 2, 2));
    // batch statistics in eval mode: each channel comes out normalised
    assertEquals(0.0, y.mean(new int[] {0, 2, 3}, false).abs().max().item(), 1e-5);
    bn.resetRunningStats(); // no-op without tracking
  }

  @Test
  void resetParametersRestoresDefaults() {
    BatchNorm1d bn = new BatchNorm1d(2);
    bn.call(Tensor.randn(4, 2));
    Init.constant(bn.weight(), 3.0);
    bn.resetParameters();
    assertTensorClose(Tensor.ones(2), bn.weight(), "weight");
    assertTensorClose(Tensor.zeros(2), bn.runningMean(), "mean");
    assertEquals(0, bn.numBatchesTracked().itemLong());

    Generator.manualSeed(5);
    Linear fc = new Linear(30, 20);
    Tensor before = fc.weight().clone();
    fc.resetParameters();
    assertTrue(before.sub(fc.weight()).abs().max().item() > 0);
  }

  @Test
  void dropoutScalesSurvivorsAndIsIdentityInEval() {
    Generator.manualSeed(7);
    Dropout d = new Dropout(0.25);
    Tensor x = Tensor.ones(100_000);
    double[] y = d.call(x).toDoubleArray();
    int zeros = 0;
    for (double v : y) {
      if (v == 0.0) {
        zeros++;
      } else {
        assertEquals(1 / 0.75, v, 1e-6);
      }
    }
    assertEquals(0.25, zeros / 100_000.0, 0.01);
    d.eval();
    assertSame(x, d.call(x));
    Dropout all = new Dropout(1.0);
    assertEquals(0.0, all.call(Tensor.ones(10)).abs().sum().item());
    assertSame(x, new Dropout(0.0).call(x));
    assertEquals(0.25, d.p());
  }

  @Test
  void linearOptionsAndAccessors() {
    Linear fc = Linear.builder(3, 2).bias(false).dtype(DType.FLOAT64).build();
    assertNull(fc.bias());
    assertEquals(DType.FLOAT64, fc.weight().dtype());
    assertEquals(Shape.of(2, 3), fc.weight().shape());
    assertEquals(List.of("weight"), List.copyOf(fc.stateDict().keySet()));
    assertEquals(3, fc.inFeatures());
    assertEquals(2, fc.outFeatures());
    assertEquals(Shape.of(4, 5, 2), fc.call(Tensor.randn(4, 5, 3).toDouble()).shape());
    assertEquals(Shape.of(2), fc.call(Tensor.randn(3).toDouble()).shape());
    Linear empty = new Linear(0, 4);
    assertTensorClose(Tensor.zeros(4), empty.bias(), "fan_in 0: bias bound 0");
  }

  @Test
  void layersSeeReplacedParameters() {
    Linear fc = new Linear(2, 2);
    Parameter old = fc.weight();
    StateDict sd = new StateDict();
    sd.put("weight", Tensor.eye(2));
    sd.put("bias", Tensor.zeros(2));
    fc.loadStateDict(sd, true, true); // assign: new Parameter objects
    assertNotSame(old, fc.weight());
    Tensor x = Tensor.fromArray(new float[] {3, 4});
    assertTensorClose(x, fc.call(x), "identity weights are used");
  }

  @Test
  void convOptionsShapesAndAccessors() {
    Conv2d c =
        Conv2d.builder(4, 6, 3, 2).stride(2, 1).padding(1, 0).dilation(1, 2).groups(2).build();
    assertArrayEquals(new int[] {3, 2}, c.kernelSize());
    assertArrayEquals(new int[] {2, 1}, c.stride());
    assertArrayEquals(new int[] {1, 0}, c.padding());
    assertArrayEquals(new int[] {1, 2}, c.dilation());
    assertEquals(2, c.groups());
    assertEquals(Shape.of(6, 2, 3, 2), c.weight().shape());
    assertEquals(Shape.of(1, 6, 4, 6), c.call(Tensor.randn(1, 4, 7, 8)).shape());
    // unbatched input
    assertEquals(Shape.of(6, 4, 6), c.call(Tensor.randn(4, 7, 8)).shape());
    // 'same' keeps the size, also with an even kernel and dilation
    Conv2d same = Conv2d.builder(1, 1, 4).padding("same").dilation(3).build();
    assertEquals(Shape.of(2, 1, 9, 10), same.call(Tensor.randn(2, 1, 9, 10)).shape());
    assertEquals("same", same.paddingString());
    for (String mode : new String[] {"reflect", "replicate", "circular"}) {
      Conv2d m = Conv2d.builder(1, 1, 3).padding(1).paddingMode(mode).build();
      assertEquals(Shape.of(1, 1, 5, 6), m.call(Tensor.randn(1, 1, 5, 6)).shape());
      assertEquals(mode, m.paddingMode());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> Conv2d.builder(1, 1, 3).paddingMode("mirror").build());
    assertThrows(
        IllegalArgumentException.class, () -> Conv2d.builder(1, 1, 3).padding("full").build());
    assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(1, 1, 3).stride(0).build());
    assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 1, 0));
  }

  @Test
  void paddingModesHaveCorrectGradients() {
    for (String mode : new String[] {"reflect", "replicate", "circular"}) {
      Conv2d c =
          Conv2d.builder(2, 2, 3, 2).padding(2, 1).paddingMode(mode).dtype(DType.FLOAT64).build();
      Tensor x = Tensor.randn(1, 2, 4, 3).toDouble().requiresGrad(true);
      GradCheck.check(in -> c.call(in.get(0)), x);
    }
    Conv2d same =
        Conv2d.builder(1, 1, 4, 3)
            .padding("same")
            .paddingMode("reflect")
            .dtype(DType.FLOAT64)
            .build();
    GradCheck.check(
        in -> same.call(in.get(0)), Tensor.randn(1, 1, 5, 4).toDouble().requiresGrad(true));
  }

  @Test
  void maxPoolIndicesAndOptions() {
    MaxPool2d p = new MaxPool2d(2);
    Tensor x =
        Tensor.fromArray(new float[] {1, 5, 2, 0, 3, 4, 7, 8, 0, 0, 1, 1, 9, 0, 1, 2}, 1, 1, 4, 4);
    TensorWithIndices r = p.forwardWithIndices(x);
    assertArrayEquals(new double[] {5, 8, 9, 2}, r.output().toDoubleArray());
    assertArrayEquals(new long[] {1, 7, 12, 15}, r.indices().toLongArray());
    assertArrayEquals(new int[] {2, 2}, p.stride());
    assertFalse(p.ceilMode());
    AvgPool2d a = AvgPool2d.builder(3).divisorOverride(2).build();
    assertEquals(2, a.divisorOverride());
    assertArrayEquals(new int[] {3, 3}, a.stride());
  }

  @Test
  void adaptivePoolKeepsNullDims() {
    AdaptiveAvgPool2d p = new AdaptiveAvgPool2d(null, 2);
    assertEquals(Shape.of(3, 5, 2), p.call(Tensor.randn(3, 5, 7)).shape());
    assertEquals(
        Shape.of(2, 3, 1, 1), new AdaptiveAvgPool2d(1).call(Tensor.randn(2, 3, 4, 4)).shape());
  }

  @Test
  void softmaxImplicitDimFollowsPyTorch() {
    Tensor x = Tensor.randn(2, 3, 4);
    assertTensorClose(new Softmax(0).call(x), new Softmax().call(x), "3-d: dim 0");
    Tensor x2 = Tensor.randn(2, 3);
    assertTensorClose(new LogSoftmax(1).call(x2), new LogSoftmax().call(x2), "2-d: dim 1");
    assertNull(new Softmax().dim());
  }

  @Test
  void embeddingPaddingRowAndPretrained() {
    Embedding e = Embedding.builder(5, 3).paddingIdx(-2).build();
    assertEquals(3, e.paddingIdx());
    assertEquals(0.0, e.weight().select(0, 3).abs().sum().item());
    Tensor idx = Tensor.fromArray(new long[] {3, 1, 3});
    e.call(idx).sum().backward();
    assertEquals(0.0, e.weight().grad().select(0, 3).abs().sum().item());
    assertEquals(3.0, e.weight().grad().select(0, 1).sum().item());

    Tensor table = Tensor.randn(4, 2);
    Embedding frozen = Embedding.fromPretrained(table);
    assertFalse(frozen.weight().requiresGrad());
    assertTensorClose(
        table.select(0, 2), frozen.call(Tensor.fromArray(new long[] {2})).select(0, 0), "lookup");
    Embedding trainable = Embedding.fromPretrained(table, false, 0);
    assertTrue(trainable.weight().requiresGrad());
    assertEquals("Embedding(4, 2, padding_idx=0)", trainable.toString());
    assertThrows(IllegalArgumentException.class, () -> Embedding.fromPretrained(Tensor.zeros(3)));
  }

  @Test
  void activationsAndShapes() {
    Tensor x = Tensor.fromArray(new float[] {-2, -0.5f, 0, 1.5f});
    assertArrayEquals(new double[] {0, 0, 0, 1.5}, new ReLU().call(x).toDoubleArray(), 1e-7);
    assertArrayEquals(
        new double[] {-0.4, -0.1, 0, 1.5}, new LeakyReLU(0.2).call(x).toDoubleArray(), 1e-7);
    assertEquals(0.2, new LeakyReLU(0.2).negativeSlope());
    assertEquals("tanh", new GELU("tanh").approximate());
    assertEquals(Shape.of(2, 12), new Flatten().call(Tensor.zeros(2, 3, 4)).shape());
    assertEquals(Shape.of(24), new Flatten(0, -1).call(Tensor.zeros(2, 3, 4)).shape());
    assertSame(x, new Identity().call(x));
    assertEquals(Shape.of(2, 3), new LayerNorm(3).call(Tensor.randn(2, 3)).shape());
    LayerNorm ln = LayerNorm.builder(2, 3).eps(1e-3).elementwiseAffine(false).build();
    assertArrayEquals(new long[] {2, 3}, ln.normalizedShape());
    assertNull(ln.weight());
    assertThrows(IllegalArgumentException.class, () -> LayerNorm.builder(new long[0]));
  }

  @Test
  void modulesComposeInContainers() {
    Module net = LayerZoo.create("seq");
    Map<String, Parameter> params = net.namedParameters();
    assertEquals(
        List.of("0.weight", "0.bias", "1.weight", "1.bias", "6.weight", "6.bias"),
        List.copyOf(params.keySet()));
    net.eval();
    assertEquals(Shape.of(3, 10), net.call(Tensor.randn(3, 1, 12, 12)).shape());
  }
}
