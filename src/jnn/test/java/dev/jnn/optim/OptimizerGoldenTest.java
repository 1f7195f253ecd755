package dev.jnn.optim;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.core.DType;
import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Optimizer updates, schedulers and clipping against PyTorch 1.13 (scripts/golden/optim.py). */
class OptimizerGoldenTest {
  private static final Map<String, Golden.Case> G = Golden.loadByName("optim.txt");

  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("sgd_plain", (Function<List<Parameter>, Optimizer>) ps -> new SGD(ps, 0.1)),
        Arguments.of("sgd_momentum", (Function<List<Parameter>, Optimizer>) ps -> new SGD(ps, 0.1, 0.9)),
        Arguments.of("sgd_dampening_wd",
            (Function<List<Parameter>, Optimizer>) ps -> new SGD(ps, 0.05, 0.8, 0.3, 0.01, false, false)),
        Arguments.of("sgd_nesterov_maximize",
            (Function<List<Parameter>, Optimizer>) ps -> new SGD(ps, 0.05, 0.9, 0, 0, true, true)),
        Arguments.of("adam", (Function<List<Parameter>, Optimizer>) ps -> new Adam(ps, 0.01)),
        Arguments.of("adam_wd_amsgrad",
            (Function<List<Parameter>, Optimizer>) ps -> new Adam(ps, 0.02, 0.8, 0.95, 1e-6, 0.1, true, false)),
        Arguments.of("adam_maximize",
            (Function<List<Parameter>, Optimizer>) ps -> new Adam(ps, 0.01, 0.9, 0.999, 1e-8, 0, false, true)),
        Arguments.of("adamw", (Function<List<Parameter>, Optimizer>) ps -> new AdamW(ps, 0.01)),
        Arguments.of("adamw_amsgrad",
            (Function<List<Parameter>, Optimizer>) ps -> new AdamW(ps, 0.03, 0.9, 0.999, 1e-8, 0.05, true, false)),
        Arguments.of("rmsprop", (Function<List<Parameter>, Optimizer>) ps -> new RMSprop(ps, 0.01)),
        Arguments.of("rmsprop_centered_momentum_wd",
            (Function<List<Parameter>, Optimizer>) ps -> new RMSprop(ps, 0.01, 0.9, 1e-8, 0.02, 0.5, true, false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void threeStepsMatchPyTorch(String name, Function<List<Parameter>, Optimizer> make) {
    Golden.Case c = G.get(name);
    for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      Parameter p = new Parameter(c.tensor("p0").to(dt).clone());
      Parameter q = new Parameter(c.tensor("q0").to(dt).clone());
      Optimizer opt = make.apply(List.of(p, q));
      for (int i = 0; i < 3; i++) {
        p.setGrad(c.tensor("gp" + i).to(dt).clone());
        q.setGrad(c.tensor("gq" + i).to(dt).clone());
        opt.step();
        double tol = dt == DType.FLOAT64 ? 1e-10 : 1e-5;
        assertTensorClose(c.tensor("p" + (i + 1)), p.detach().toDouble(), tol, tol, name + " " + dt + " p step " + (i + 1));
        assertTensorClose(c.tensor("q" + (i + 1)), q.detach().toDouble(), tol, tol, name + " " + dt + " q step " + (i + 1));
      }
    }
  }

  private static double[] lrs(LRSchedulerFactory f, int epochs) {
    Parameter p = new Parameter(Tensor.zeros(1));
    SGD opt = new SGD(List.of(p), 0.5);
    LRScheduler s = f.make(opt);
    double[] r = new double[epochs + 1];
    r[0] = opt.paramGroups().get(0).lr();
    for (int e = 0; e < epochs; e++) {
      opt.step();
      s.step();
      r[e + 1] = opt.paramGroups().get(0).lr();
    }
    return r;
  }

  interface LRSchedulerFactory {
    LRScheduler make(Optimizer o);
  }

  @Test
  void schedulersMatchPyTorch() {
    assertArrayEquals(G.get("steplr").tensor("lrs").toDoubleArray(), lrs(o -> new StepLR(o, 3, 0.5), 12), 1e-12);
    assertArrayEquals(G.get("multisteplr").tensor("lrs").toDoubleArray(),
        lrs(o -> new MultiStepLR(o, new int[] {2, 5, 5, 9}, 0.1), 12), 1e-12);
    assertArrayEquals(G.get("cosine").tensor("lrs").toDoubleArray(),
        lrs(o -> new CosineAnnealingLR(o, 5, 0.01), 16), 1e-12);
    assertArrayEquals(G.get("linearlr").tensor("lrs").toDoubleArray(),
        lrs(o -> new LinearLR(o, 0.25, 1.0, 4), 12), 1e-12);
  }

  @Test
  void clipGradNormMatchesPyTorch() {
    for (Golden.Case c : G.values()) {
      if (!c.name().startsWith("clip_norm")) {
        continue;
      }
      Parameter a = new Parameter(Tensor.zeros(dev.jnn.core.Shape.of(3, 4), DType.FLOAT64, dev.jnn.core.Device.CPU));
      Parameter b = new Parameter(Tensor.zeros(dev.jnn.core.Shape.of(5), DType.FLOAT64, dev.jnn.core.Device.CPU));
      a.setGrad(c.tensor("g1").clone());
      b.setGrad(c.tensor("g2").clone());
      double nt = c.doubleAttr("norm_type");
      double total = ClipGrad.clipGradNorm(List.of(a, b), c.doubleAttr("max_norm"), nt);
      assertEquals(c.tensor("total").item(), total, 1e-10 * Math.abs(total), c.name());
      assertTensorClose(c.tensor("a"), a.grad(), c.name() + " a");
      assertTensorClose(c.tensor("b"), b.grad(), c.name() + " b");
    }
    Golden.Case c = G.get("clip_value");
    Parameter a = new Parameter(Tensor.zeros(dev.jnn.core.Shape.of(3, 4), DType.FLOAT64, dev.jnn.core.Device.CPU));
    a.setGrad(c.tensor("g1").clone());
    ClipGrad.clipGradValue(List.of(a), 0.5);
    assertTensorClose(c.tensor("a"), a.grad(), "clip_value");
  }

  @Test
  void updatesAreInPlaceOnTheSameParameterObjects() {
    Parameter p = new Parameter(Tensor.ones(4));
    var storage = p.storage();
    SGD opt = new SGD(List.of(p), 0.5, 0.9);
    p.setGrad(Tensor.ones(4));
    opt.step();
    assertSame(storage, p.storage());
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, p.toFloatArray());
    assertSame(opt.paramGroups().get(0).params().get(0), p);
  }

  @Test
  void zeroGradSetsToNullByDefaultOrZeroes() {
    Parameter p = new Parameter(Tensor.ones(2));
    SGD opt = new SGD(List.of(p), 0.1);
    p.setGrad(Tensor.ones(2));
    opt.zeroGrad(false);
    assertArrayEquals(new float[] {0f, 0f}, p.grad().toFloatArray());
    opt.zeroGrad();
    assertEquals(null, p.grad());
  }

  @Test
  void badHyperParametersAreRejectedWithPyTorchMessages() {
    Parameter p = new Parameter(Tensor.ones(2));
    var e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), -1.0));
    assertEquals("Invalid learning rate: -1.0", e.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class,
        () -> new Adam(List.of(p), 0.1, 1.0, 0.999, 1e-8, 0, false, false));
    assertEquals("Invalid beta parameter at index 0: 1.0", e2.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1, 0, 0.5, 0, true, false));
  }

  @Test
  void stateDictRoundTripContinuesIdentically() {
    Golden.Case c = G.get("adam");
    Parameter p = new Parameter(c.tensor("p0").clone());
    Parameter q = new Parameter(c.tensor("q0").clone());
    Adam opt = new Adam(List.of(p, q), 0.01);
    p.setGrad(c.tensor("gp0").clone());
    q.setGrad(c.tensor("gq0").clone());
    opt.step();
    Map<String, Object> sd = opt.stateDict();
    Parameter p2 = new Parameter(p.detach().clone());
    Parameter q2 = new Parameter(q.detach().clone());
    Adam opt2 = new Adam(List.of(p2, q2), 0.5);
    opt2.loadStateDict(sd);
    assertEquals(0.01, opt2.paramGroups().get(0).lr());
    for (int i = 1; i < 3; i++) {
      p2.setGrad(c.tensor("gp" + i).clone());
      q2.setGrad(c.tensor("gq" + i).clone());
      opt2.step();
    }
    assertTensorClose(c.tensor("p3"), p2.detach(), "p after reload");
    assertTensorClose(c.tensor("q3"), q2.detach(), "q after reload");
  }
}
