package dev.jnn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Autograd semantics, each compared with what PyTorch 1.13 does in the same situation. */
class AutogradTest {
  @AfterEach
  void restoreGradMode() {
    // a failing test must not leave this (shared) test thread in no-grad mode
    GradMode.set(true);
  }

  private static Tensor leaf(double... v) {
    return Tensor.fromArray(v).requiresGrad(true);
  }

  // ---------------------------------------------------------------- accumulation, retain_graph

  @Test
  void gradientsAccumulateAcrossBackwardCalls() {
    Tensor x = leaf(1, 2, 3);
    x.mul(x).sum().backward();
    assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray());
    Tensor firstGrad = x.grad();
    x.mul(3.0).sum().backward();
    assertArrayEquals(new double[] {5, 7, 9}, x.grad().toDoubleArray());
    // PyTorch accumulates into the existing .grad tensor in place
    assertSame(firstGrad, x.grad());
    assertArrayEquals(new double[] {5, 7, 9}, firstGrad.toDoubleArray());
  }

  @Test
  void accumulationDoesNotAliasTheSeedGradient() {
    Tensor x = leaf(1, 2);
    Tensor seed = Tensor.fromArray(new double[] {1, 1});
    x.backward(seed);
    x.mul(2.0).backward(Tensor.fromArray(new double[] {1, 1}));
    assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray());
    assertArrayEquals(new double[] {1, 1}, seed.toDoubleArray(), "the caller's seed was modified");
  }

  @Test
  void sharedGradientIsNotAliasedBetweenTwoLeaves() {
    Tensor a = leaf(1, 2);
    Tensor b = leaf(3, 4);
    a.add(b).sum().backward();
    a.grad().addInPlace(Tensor.fromArray(new double[] {10, 10}));
    assertArrayEquals(new double[] {1, 1}, b.grad().toDoubleArray());
  }

  @Test
  void secondBackwardWithoutRetainGraphFailsClearly() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(x).sum();
    y.backward();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(
        e.getMessage().startsWith("Trying to backward through the graph a second time"),
        e.getMessage());
    assertTrue(e.getMessage().contains("retainGraph=true"), e.getMessage());
  }

  @Test
  void retainGraphAllowsASecondBackward() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(x).sum();
    y.backward(null, true);
    y.backward();
    assertArrayEquals(new double[] {4, 8}, x.grad().toDoubleArray());
  }

  @Test
  void backwardOnNonScalarNeedsAGradient() {
    Tensor y = leaf(1, 2).mul(2.0);
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(
        e.getMessage().startsWith("grad can be implicitly created only for scalar outputs"),
        e.getMessage());
  }

  @Test
  void backwardWithAGradientOfTheWrongShapeFails() {
    Tensor y = leaf(1, 2).mul(2.0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3).toDouble()));
    assertEquals(
        "Mismatch in shape: grad_output[0] has a shape of [3] and output[0] has a shape of [2].",
        e.getMessage());
  }

  @Test
  void backwardOnATensorThatDoesNotRequireGradFails() {
    Tensor y = Tensor.ones(2).sum();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertEquals(
        "element 0 of tensors does not require grad and does not have a grad_fn", e.getMessage());
  }

  @Test
  void backwardOnALeafAccumulatesTheSeed() {
    Tensor x = leaf(1, 2);
    x.backward(Tensor.fromArray(new double[] {0.5, -1}));
    assertArrayEquals(new double[] {0.5, -1}, x.grad().toDoubleArray());
  }

  @Test
  void scalarBackwardSeedsOne() {
    Tensor x = leaf(3);
    x.reshape().mul(x.reshape()).backward();
    assertArrayEquals(new double[] {6}, x.grad().toDoubleArray());
  }

  @Test
  void diamondGraphSumsBothPaths() {
    Tensor x = leaf(2);
    Tensor a = x.mul(3.0);
    Tensor b = x.exp();
    a.add(b).mul(a).sum().backward();
    // d/dx[(3x + e^x) * 3x] = (3 + e^x) * 3x + (3x + e^x) * 3
    double ex = Math.exp(2);
    assertEquals((3 + ex) * 6 + (6 + ex) * 3, x.grad().item(), 1e-9);
  }

  // ---------------------------------------------------------------- detach, requiresGrad

  @Test
  void detachSharesStorageAndCutsTheGraph() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(2.0);
    Tensor d = y.detach();
    assertFalse(d.requiresGrad());
    assertNull(d.gradFn());
    assertTrue(d.isLeaf());
    assertSame(y.storage(), d.storage());
    d.fill(7); // in-place on a detached alias is allowed, as in PyTorch
    assertArrayEquals(new double[] {7, 7}, y.toDoubleArray());
  }

  @Test
  void inPlaceOnTheDetachedAliasOfALeafIsAllowedAndBumpsTheSharedVersion() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(x).sum(); // saves x
    x.detach().narrow(0, 0, 1).addInPlace(Tensor.scalar(5, DType.FLOAT64));
    assertArrayEquals(new double[] {6, 2}, x.toDoubleArray());
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
  }

  @Test
  void requiresGradPropagates() {
    Tensor a = leaf(1, 2);
    Tensor b = Tensor.fromArray(new double[] {3, 4});
    assertFalse(b.mul(2.0).requiresGrad());
    assertTrue(a.mul(b).requiresGrad());
    assertTrue(b.add(a).requiresGrad());
    assertFalse(a.isLeaf() && a.mul(b).isLeaf());
    assertTrue(a.isLeaf());
    assertFalse(a.gt(b).requiresGrad(), "comparisons are not differentiable");
    assertFalse(a.argmax().requiresGrad());
    assertEquals("MulBackward0", a.mul(b).gradFn().name());
  }

  @Test
  void onlyFloatingTensorsCanRequireGrad() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(3).requiresGrad(true));
    assertTrue(
        e.getMessage()
            .startsWith("only Tensors of floating point and complex dtype can require gradients"),
        e.getMessage());
  }

  @Test
  void nonLeafCannotStopRequiringGrad() {
    Tensor y = leaf(1).mul(2.0);
    assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
  }

  @Test
  void nonLeafGradIsNullUnlessRetained() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(2.0);
    Tensor z = x.mul(3.0);
    z.retainGrad();
    assertTrue(z.retainsGrad());
    y.mul(z).sum().backward();
    assertNull(y.grad());
    assertArrayEquals(new double[] {2, 4}, z.grad().toDoubleArray());
  }

  @Test
  void retainedGradAccumulatesLikePyTorch() {
    Tensor x = leaf(1, 1);
    Tensor y = x.mul(2.0);
    y.retainGrad();
    Tensor z = y.mul(y).sum();
    z.backward(null, true);
    z.backward();
    assertArrayEquals(new double[] {8, 8}, y.grad().toDoubleArray());
    assertArrayEquals(new double[] {16, 16}, x.grad().toDoubleArray());
  }

  @Test
  void retainGradOnALeafIsANoOp() {
    Tensor x = leaf(1);
    x.retainGrad();
    x.mul(2.0).sum().backward();
    assertArrayEquals(new double[] {2}, x.grad().toDoubleArray());
  }

  @Test
  void retainGradNeedsRequiresGrad() {
    assertThrows(IllegalStateException.class, () -> Tensor.ones(2).retainGrad());
  }

  // ---------------------------------------------------------------- NoGrad

  @Test
  void noGradStopsRecordingAndNests() {
    Tensor x = leaf(1, 2);
    assertTrue(GradMode.isEnabled());
    try (NoGrad outer = NoGrad.enter()) {
      assertFalse(x.mul(2.0).requiresGrad());
      try (NoGrad inner = NoGrad.enter()) {
        assertFalse(GradMode.isEnabled());
      }
      assertFalse(GradMode.isEnabled(), "leaving the inner scope must restore the outer one");
      try (NoGrad enable = NoGrad.enableGrad()) {
        assertTrue(x.mul(2.0).requiresGrad());
      }
      assertFalse(GradMode.isEnabled());
    }
    assertTrue(GradMode.isEnabled());
    assertTrue(x.mul(2.0).requiresGrad());
  }

  @Test
  void noGradCloseIsIdempotent() {
    NoGrad g = NoGrad.enter();
    try (NoGrad inner = NoGrad.enter()) {
      inner.close();
      assertFalse(GradMode.isEnabled());
    }
    assertFalse(
        GradMode.isEnabled(), "a second close of the inner scope must not restore anything");
    g.close();
    g.close();
    assertTrue(GradMode.isEnabled());
  }

  @Test
  void noGradIsThreadLocal() throws InterruptedException {
    AtomicBoolean otherThreadEnabled = new AtomicBoolean();
    AtomicBoolean otherThreadRecorded = new AtomicBoolean();
    Tensor x = leaf(1, 2);
    try (NoGrad g = NoGrad.enter()) {
      Thread t =
          new Thread(
              () -> {
                otherThreadEnabled.set(GradMode.isEnabled());
                otherThreadRecorded.set(x.mul(2.0).requiresGrad());
              });
      t.start();
      t.join();
      assertFalse(x.mul(2.0).requiresGrad());
    }
    assertTrue(otherThreadEnabled.get());
    assertTrue(otherThreadRecorded.get());
  }

  @Test
  void backwardRestoresGradModeEvenWhenAFormulaThrows() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(2.0);
    y.registerHook(
        g -> {
          throw new IllegalArgumentException("boom");
        });
    assertThrows(IllegalArgumentException.class, () -> y.sum().backward());
    assertTrue(GradMode.isEnabled());
  }

  // ---------------------------------------------------------------- hooks

  @Test
  void leafHookReplacesTheGradientBeforeAccumulation() {
    Tensor x = leaf(1, 1);
    List<double[]> seen = new ArrayList<>();
    RemovableHandle h =
        x.registerHook(
            g -> {
              seen.add(g.toDoubleArray());
              return g.mul(10.0);
            });
    x.mul(3.0).sum().backward();
    assertArrayEquals(new double[] {3, 3}, seen.get(0));
    assertArrayEquals(new double[] {30, 30}, x.grad().toDoubleArray());
    h.remove();
    h.remove();
    x.mul(3.0).sum().backward();
    assertArrayEquals(new double[] {33, 33}, x.grad().toDoubleArray());
  }

  @Test
  void nonLeafHookReplacesTheGradientFlowingFurther() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(2.0);
    y.registerHook(g -> g.mul(0.5));
    y.mul(y).sum().backward();
    // dL/dy = 2y = [4, 8], halved to [2, 4], times dy/dx = 2
    assertArrayEquals(new double[] {4, 8}, x.grad().toDoubleArray());
  }

  @Test
  void hookReturningNullKeepsTheGradient() {
    Tensor x = leaf(1, 2);
    List<Tensor> seen = new ArrayList<>();
    x.registerHook(
        g -> {
          seen.add(g);
          return null;
        });
    x.mul(2.0).sum().backward();
    assertArrayEquals(new double[] {2, 2}, x.grad().toDoubleArray());
    x.mul(2.0).sum().backward();
    assertArrayEquals(new double[] {4, 4}, x.grad().toDoubleArray());
    // a gradient the hook saw (and may keep) must not become .grad and be accumulated into
    assertEquals(2, seen.size());
    assertArrayEquals(new double[] {2, 2}, seen.get(0).toDoubleArray());
  }

  @Test
  void hooksRunInRegistrationOrderAndCompose() {
    Tensor x = leaf(1);
    List<String> order = new ArrayList<>();
    x.registerHook(
        g -> {
          order.add("first");
          return g.add(1.0);
        });
    x.registerHook(
        g -> {
          order.add("second");
          return g.mul(10.0);
        });
    x.mul(2.0).sum().backward();
    assertEquals(List.of("first", "second"), order);
    assertEquals(30.0, x.grad().item());
  }

  @Test
  void hookNeedsRequiresGrad() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Tensor.ones(1).registerHook(g -> g));
    assertEquals(
        "cannot register a hook on a tensor that doesn't require gradient", e.getMessage());
  }

  @Test
  void retainGradSeesTheHookedGradient() {
    Tensor x = leaf(1);
    Tensor y = x.mul(2.0);
    y.retainGrad();
    y.registerHook(g -> g.mul(5.0));
    y.sum().backward();
    assertEquals(5.0, y.grad().item());
    assertEquals(10.0, x.grad().item());
  }

  // ---------------------------------------------------------------- depth, graph freeing

  @Test
  void veryDeepChainBackpropagatesWithoutStackOverflow() {
    Tensor x = leaf(1);
    Tensor y = x;
    int n = 100_000;
    try {
      for (int i = 0; i < n; i++) {
        y = y.mul(1.0);
      }
    } finally {
      // nothing: the chain is released with y
    }
    y.sum().backward();
    assertEquals(1.0, x.grad().item());
  }

  @Test
  void noGradModeInsideBackwardFormulas() {
    Tensor x = leaf(1, 2);
    AtomicBoolean modeInHook = new AtomicBoolean(true);
    x.registerHook(
        g -> {
          modeInHook.set(GradMode.isEnabled());
          return null;
        });
    x.mul(2.0).sum().backward();
    assertFalse(modeInHook.get());
    assertFalse(x.grad().requiresGrad());
  }

  @Test
  void gradFnNamesAndEdgesFollowPyTorch() {
    Tensor a = leaf(1, 2);
    Tensor b = Tensor.fromArray(new double[] {3, 4});
    Tensor y = a.mul(b).add(a);
    assertEquals("AddBackward0", y.gradFn().name());
    List<Edge> edges = y.gradFn().nextEdges();
    assertEquals(2, edges.size());
    assertEquals("MulBackward0", edges.get(0).node().name());
    assertEquals("AccumulateGrad", edges.get(1).node().name());
    assertNull(edges.get(0).node().nextEdges().get(1), "b does not require grad");
    assertEquals("<AddBackward0>", y.gradFn().toString());
  }

  @Test
  void setGradValidates() {
    Tensor x = leaf(1, 2);
    assertThrows(RuntimeException.class, () -> x.setGrad(Tensor.ones(3).toDouble()));
    assertThrows(IllegalArgumentException.class, () -> x.setGrad(Tensor.ones(2)));
    x.setGrad(Tensor.fromArray(new double[] {5, 6}));
    x.mul(1.0).sum().backward();
    assertArrayEquals(new double[] {6, 7}, x.grad().toDoubleArray());
    x.setGrad(null);
    assertNull(x.grad());
  }

  @Test
  void float32GradientsStayFloat32() {
    Tensor x = Tensor.fromArray(new float[] {1f, 2f}).requiresGrad(true);
    x.toDouble().mul(2.0).sum().backward();
    assertEquals(DType.FLOAT32, x.grad().dtype());
    assertArrayEquals(new float[] {2f, 2f}, x.grad().toFloatArray());
  }

  /** x^3 with its backward written by hand, through the public extension point. */
  static final class Cube extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return new Tensor[] {in[0].mul(in[0]).mul(in[0])};
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... g) {
      Tensor x = ctx.savedTensors()[0];
      return new Tensor[] {g[0].mul(x.mul(x)).mul(3.0)};
    }
  }

  @Test
  void customFunctionThroughFunction() {
    Tensor x = leaf(2);
    Tensor cube = new Cube().apply(x)[0];
    assertEquals("CubeBackward", cube.gradFn().name());
    cube.sum().backward();
    assertEquals(12.0, x.grad().item(), 1e-12);
  }

  /**
   * A root gradient of another dtype is converted to the output's before backward, as PyTorch's
   * engine ({@code validate_outputs}) does: a float32 gradient of a float64 output gives float64
   * gradients computed in float64, not float32-rounded ones.
   */
  @Test
  void rootGradientIsConvertedToTheOutputsDtype() {
    dev.jnn.tensor.Tensor x = dev.jnn.tensor.Tensor.fromArray(new double[] {1, 2, 3}, 3)
        .requiresGrad(true);
    dev.jnn.tensor.Tensor y = x.mul(0.1);
    dev.jnn.tensor.Tensor g32 = dev.jnn.tensor.Tensor.fromArray(new double[] {0.3, -1.7, 2.9}, 3)
        .to(dev.jnn.core.DType.FLOAT32);
    y.backward(g32);
    assertEquals(dev.jnn.core.DType.FLOAT64, x.grad().dtype());
    double[] g = g32.to(dev.jnn.core.DType.FLOAT64).toDoubleArray();
    double[] got = x.grad().toDoubleArray();
    for (int i = 0; i < 3; i++) {
      assertEquals(g[i] * 0.1, got[i], 0.0, "element " + i);
    }
  }
}
