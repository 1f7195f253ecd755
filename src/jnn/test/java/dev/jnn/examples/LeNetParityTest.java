package dev.jnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Linear;
import dev.jnn.optim.Adam;
import dev.jnn.optim.Optimizer;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Assertions2;
import dev.jnn.testing.Golden;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * docs/PERFORMANCE.md workload b trained for 5 SGD and 5 Adam steps from the same initial weights
 * and batches as PyTorch (scripts/golden/lenet_parity.py): losses and final weights within 1e-4.
 */
class LeNetParityTest {
  private static final int BATCH = 16;

  static final class LeNet extends Module {
    final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 20, 5));
    final Conv2d conv2 = registerModule("conv2", new Conv2d(20, 50, 5));
    final Linear fc1 = registerModule("fc1", new Linear(800, 500));
    final Linear fc2 = registerModule("fc2", new Linear(500, 10));

    @Override
    public Tensor forward(Tensor x) {
      x = Functional.maxPool2d(Functional.relu(conv1.call(x)), 2);
      x = Functional.maxPool2d(Functional.relu(conv2.call(x)), 2);
      x = Functional.flatten(x, 1, -1);
      return fc2.call(Functional.relu(fc1.call(x)));
    }
  }

  /** Element i: 0.1 * sin(0.7 * i + salt) * scale in float64, rounded to float32 (as the script). */
  static Tensor formula(long[] shape, double salt, double scale) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (0.1 * StrictMath.sin(0.7 * i + salt) * scale);
    }
    return Tensor.fromArray(v, shape);
  }

  static void init(LeNet m) {
    int k = 0;
    try (var g = NoGrad.enter()) {
      for (Parameter p : m.parameters()) {
        long fanIn = p.dim() > 1 ? p.numel() / p.size(0) : p.size(0);
        p.copyFrom(formula(p.shape().dims(), 1.0 + k, 10.0 / Math.sqrt(fanIn)));
        k++;
      }
    }
  }

  private void run(String name, Function<List<Parameter>, Optimizer> make, DType dtype, double rtol) {
    Golden.Case c = Golden.loadByName("lenet_parity.txt").get(name);
    LeNet model = new LeNet();
    init(model);
    model.to(dtype);
    Optimizer opt = make.apply(model.parameters());
    double[] expected = c.tensor("losses").toDoubleArray();
    for (int step = 0; step < expected.length; step++) {
      Tensor x = formula(new long[] {BATCH, 1, 28, 28}, 100.0 + step, 10.0).to(dtype);
      long[] y = new long[BATCH];
      for (int i = 0; i < BATCH; i++) {
        y[i] = (3L * i + 7L * step) % 10;
      }
      Tensor loss = Functional.crossEntropy(model.call(x), Tensor.fromArray(y));
      opt.zeroGrad();
      loss.backward();
      opt.step();
      assertEquals(expected[step], loss.item(), rtol * Math.abs(expected[step]), name + " " + dtype + " loss at step " + step);
    }
    Map<String, Tensor> sd = model.stateDict();
    for (String k : List.of("conv1.weight", "conv1.bias", "conv2.bias", "fc1.bias", "fc2.weight", "fc2.bias")) {
      assertWeightsClose(c.tensor(k), sd.get(k), rtol, name + " " + dtype + " " + k);
    }
    for (String k : List.of("conv2.weight", "fc1.weight")) {
      int every = k.startsWith("conv2") ? 13 : 101;
      Tensor flat = sd.get(k).reshape(-1);
      Tensor sampled = flat.slice(0, 0, flat.numel(), every);
      assertWeightsClose(c.tensor(k + ".every" + every), sampled, rtol, name + " " + dtype + " " + k);
      double sumsq = flat.toDouble().mul(flat.toDouble()).sum().item();
      double e = c.tensor(k + ".sumsq").item();
      assertEquals(e, sumsq, rtol * e, name + " " + dtype + " " + k + " sum of squares");
    }
  }

  /**
   * Weights agree within {@code rtol} relative to the tensor's norm ({@code ||w - ref|| <= rtol *
   * ||ref||}), and element-wise within {@code rtol} relative plus an absolute floor of {@code rtol}
   * times the tensor's RMS (Adam's near-zero elements move by +-lr whatever their gradient).
   */
  static void assertWeightsClose(Tensor ref, Tensor actual, double rtol, String what) {
    double[] e = ref.toDoubleArray();
    double[] a = actual.toDoubleArray();
    assertEquals(e.length, a.length, what + " size");
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < e.length; i++) {
      diff += (a[i] - e[i]) * (a[i] - e[i]);
      norm += e[i] * e[i];
    }
    org.junit.jupiter.api.Assertions.assertTrue(Math.sqrt(diff) <= rtol * Math.sqrt(norm),
        what + ": relative difference " + Math.sqrt(diff / norm) + " > " + rtol);
    double rms = Math.sqrt(norm / Math.max(1, e.length));
    Assertions2.assertTensorClose(ref, actual, rtol, rtol * rms, what);
  }

  @Test
  void fiveSgdStepsMatchPyTorch() {
    run("sgd", ps -> new SGD(ps, 0.05, 0.9), DType.FLOAT32, 1e-4);
  }

  /**
   * The Adam reference is PyTorch's float64 trajectory (see the fixture script: in float32 the
   * sign of ~1e-9 gradients decides Adam's first steps, and torch's own float32 run is 1.4e-4 off).
   */
  @Test
  void fiveAdamStepsMatchPyTorch() {
    run("adam", ps -> new Adam(ps, 1e-3), DType.FLOAT32, 1e-4);
    run("adam", ps -> new Adam(ps, 1e-3), DType.FLOAT64, 1e-9);
  }
}
