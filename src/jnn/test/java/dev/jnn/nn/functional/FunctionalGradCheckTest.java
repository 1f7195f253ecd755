package dev.jnn.nn.functional;

import dev.jnn.autograd.GradCheck;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Float64 finite-difference checks of every {@link Functional} backward. */
class FunctionalGradCheckTest {
  private final Generator gen = new Generator(42);

  /** The reductions these losses take ({@code BATCHMEAN} is {@code kl_div}'s alone). */
  private static final Reduction[] LOSS_REDUCTIONS = {Reduction.NONE, Reduction.MEAN, Reduction.SUM};

  private Tensor r(long... dims) {
    return Tensor.randn(Shape.of(dims), DType.FLOAT64, gen).requiresGrad(true);
  }

  private Tensor constant(long... dims) {
    return Tensor.randn(Shape.of(dims), DType.FLOAT64, gen);
  }

  private static void check(Function<List<Tensor>, Tensor> fn, Tensor... inputs) {
    GradCheck.check(fn, inputs);
  }

  private static Tensor idx(long... v) {
    return Tensor.fromArray(v, v.length);
  }

  @Test
  void conv2dStridePadBias() {
    check(
        in -> Functional.conv2d(in.get(0), in.get(1), in.get(2), new int[] {2}, new int[] {1},
            new int[] {1}, 1),
        r(2, 2, 5, 5), r(3, 2, 3, 3), r(3));
  }

  @Test
  void conv2dDilationAsymmetric() {
    check(
        in -> Functional.conv2d(in.get(0), in.get(1), null, new int[] {1, 2}, new int[] {2, 0},
            new int[] {2, 1}, 1),
        r(1, 2, 6, 5), r(2, 2, 2, 3));
  }

  @Test
  void conv2dGroups() {
    check(
        in -> Functional.conv2d(in.get(0), in.get(1), in.get(2), new int[] {1}, new int[] {1},
            new int[] {1}, 2),
        r(1, 4, 4, 4), r(4, 2, 3, 3), r(4));
  }

  @Test
  void conv2dSamePaddingEvenKernelAndUnbatched() {
    check(
        in -> Functional.conv2d(in.get(0), in.get(1), in.get(2), new int[] {1}, "same",
            new int[] {1}, 1),
        r(2, 5, 4), r(3, 2, 2, 3), r(3));
  }

  @Test
  void conv2dPointwise() {
    check(in -> Functional.conv2d(in.get(0), in.get(1), in.get(2)), r(2, 3, 3, 2), r(2, 3, 1, 1), r(2));
  }

  @Test
  void linear() {
    check(in -> Functional.linear(in.get(0), in.get(1), in.get(2)), r(2, 3, 4), r(5, 4), r(5));
    check(in -> Functional.linear(in.get(0), in.get(1)), r(4), r(3, 4));
  }

  @Test
  void activations() {
    check(in -> Functional.relu(in.get(0)), r(3, 4));
    check(in -> Functional.leakyRelu(in.get(0), 0.3), r(3, 4));
    check(in -> Functional.gelu(in.get(0)), r(3, 4));
    check(in -> Functional.gelu(in.get(0), "tanh"), r(3, 4));
    check(in -> Functional.sigmoid(in.get(0)), r(3, 4));
    check(in -> Functional.tanh(in.get(0)), r(3, 4));
  }

  @Test
  void softmaxAndLogSoftmaxEveryDim() {
    for (int d = -1; d < 3; d++) {
      final int dim = d;
      check(in -> Functional.softmax(in.get(0), dim), r(2, 3, 4));
      check(in -> Functional.logSoftmax(in.get(0), dim), r(2, 3, 4));
    }
  }

  @Test
  void maxPool2d() {
    check(
        in -> Functional.maxPool2d(in.get(0), new int[] {3}, new int[] {2}, new int[] {1},
            new int[] {1}, true),
        r(1, 2, 6, 5));
    check(
        in -> Functional.maxPool2d(in.get(0), new int[] {2, 2}, new int[] {1}, new int[] {0},
            new int[] {2}, false),
        r(2, 5, 5));
  }

  @Test
  void avgPool2d() {
    check(
        in -> Functional.avgPool2d(in.get(0), new int[] {3}, new int[] {2}, new int[] {1}, true,
            false, null),
        r(1, 2, 6, 5));
    check(
        in -> Functional.avgPool2d(in.get(0), new int[] {2, 3}, null, new int[] {1}, false, true,
            4),
        r(1, 2, 5, 6));
  }

  @Test
  void adaptiveAvgPool2d() {
    check(in -> Functional.adaptiveAvgPool2d(in.get(0), new int[] {3, 2}), r(1, 2, 7, 5));
    check(in -> Functional.adaptiveAvgPool2d(in.get(0), 4), r(2, 3, 3));
  }

  @Test
  void batchNormTrainingAndEval() {
    Tensor rm = Tensor.zeros(Shape.of(3), DType.FLOAT64, dev.jnn.core.Device.CPU);
    Tensor rv = Tensor.ones(Shape.of(3), DType.FLOAT64, dev.jnn.core.Device.CPU);
    check(
        in -> Functional.batchNorm(in.get(0), rm, rv, in.get(1), in.get(2), true, 0.1, 1e-5),
        r(4, 3, 2, 2), r(3), r(3));
    check(
        in -> Functional.batchNorm(in.get(0), null, null, null, null, true, 0.1, 1e-5), r(5, 3));
    Tensor rv2 = constant(3).abs().add(0.5);
    check(
        in -> Functional.batchNorm(in.get(0), constant(3).detach().mul(0).add(0.2), rv2,
            in.get(1), in.get(2), false, 0.1, 1e-5),
        r(2, 3, 4), r(3), r(3));
  }

  @Test
  void layerNorm() {
    check(
        in -> Functional.layerNorm(in.get(0), new long[] {2, 3}, in.get(1), in.get(2), 1e-5),
        r(3, 2, 3), r(2, 3), r(2, 3));
    check(in -> Functional.layerNorm(in.get(0), new long[] {4}), r(3, 4));
  }

  @Test
  void padEveryMode() {
    check(in -> Functional.pad(in.get(0), new int[] {2, -1, 0, 1}, "constant", 0.5), r(2, 3, 4));
    check(in -> Functional.pad(in.get(0), new int[] {2, 1, 1, 2}, "reflect"), r(1, 2, 3, 4));
    check(in -> Functional.pad(in.get(0), new int[] {2, 3}, "replicate"), r(2, 3, 4));
    check(in -> Functional.pad(in.get(0), new int[] {1, 2, 0, 1, 1, 0}, "circular"), r(1, 2, 2, 3, 3));
  }

  @Test
  void embeddingWithPadding() {
    // The padding row gets no gradient by design (a finite difference would see it), so the
    // check uses indices without it; FunctionalGoldenTest covers a used padding row.
    Tensor i = idx(1, 3, 3, 0, 0, 1);
    check(in -> Functional.embedding(i.reshape(2, 3), in.get(0), 2), r(4, 2));
    check(in -> Functional.embedding(i, in.get(0)), r(4, 3));
  }

  @Test
  void dropoutUsesOneMaskPerSeed() {
    check(
        in -> Functional.dropout(in.get(0), 0.4, true, new Generator(7)), r(4, 5));
  }

  @Test
  void crossEntropyIndexTargets() {
    Tensor t = idx(2, 0, -100, 3, 1);
    Tensor w = constant(4).abs().add(0.1);
    for (Reduction red : LOSS_REDUCTIONS) {
      check(in -> Functional.crossEntropy(in.get(0), t, w, -100, red, 0.0), r(5, 4));
      check(in -> Functional.crossEntropy(in.get(0), t, w, -100, red, 0.3), r(5, 4));
    }
    Tensor ts = idx(0, 2, 1, 1, 2, 0).reshape(2, 3);
    check(in -> Functional.crossEntropy(in.get(0), ts), r(2, 3, 3));
  }

  @Test
  void crossEntropyProbabilityTargets() {
    Tensor w = constant(4).abs().add(0.1);
    for (Reduction red : LOSS_REDUCTIONS) {
      check(
          in -> Functional.crossEntropy(in.get(0), in.get(1), w, -100, red, 0.2),
          r(3, 4), r(3, 4));
    }
  }

  @Test
  void nllLoss() {
    Tensor t = idx(2, 0, 1, 3, 1);
    Tensor w = constant(4).abs().add(0.1);
    for (Reduction red : LOSS_REDUCTIONS) {
      check(in -> Functional.nllLoss(in.get(0), t, w, 1, red), r(5, 4));
    }
  }

  @Test
  void regressionLosses() {
    for (Reduction red : LOSS_REDUCTIONS) {
      check(in -> Functional.mseLoss(in.get(0), in.get(1), red), r(3, 4), r(3, 4));
      check(in -> Functional.l1Loss(in.get(0), in.get(1), red), r(3, 4), r(3, 4));
    }
  }

  @Test
  void binaryCrossEntropyWithLogits() {
    Tensor w = constant(4).abs();
    Tensor pw = constant(4).abs().add(0.5);
    for (Reduction red : LOSS_REDUCTIONS) {
      check(
          in -> Functional.binaryCrossEntropyWithLogits(in.get(0), in.get(1), w, red, pw),
          r(3, 4), r(3, 4));
      check(
          in -> Functional.binaryCrossEntropyWithLogits(in.get(0), in.get(1), null, red, null),
          r(3, 4), r(3, 4));
    }
  }
}
