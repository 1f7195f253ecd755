package dev.jnn.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The in-place activations ({@code elu_}, {@code hardtanh_}, {@code F.silu(x, inplace=True)},
 * ...) and autograd's rules for them, as in PyTorch 1.13 (texts from {@code
 * scripts/golden/layers.py}, case {@code activation_errors}): they write into their input and
 * return it, bump its version once, refuse a leaf that requires grad and a view of one, leave the
 * input untouched when they fail; those whose backward works from the result ({@code elu_}, {@code
 * selu_}, {@code celu_}, {@code leaky_relu_}, {@code relu_}) fail backward when the result was
 * modified afterwards and refuse a negative slope there, while the others keep the input's old
 * values and do not. Values and gradients against PyTorch are the op registry's ({@code
 * dev.jnn.ops.ActivationEntries}).
 */
class ActivationInPlaceTest {
  private static final Golden.Case ERR = Golden.loadByName("layers.txt").get("activation_errors");

  /** The in-place form (name to op) and its out-of-place twin, for every in-place activation. */
  private static final Map<String, UnaryOperator<Tensor>[]> OPS = new LinkedHashMap<>();

  @SafeVarargs
  private static void pair(String name, UnaryOperator<Tensor>... inAndOut) {
    OPS.put(name, inAndOut);
  }

  static {
    pair("relu_", Functional::relu_, Functional::relu);
    pair("relu6", x -> Functional.relu6(x, true), Functional::relu6);
    pair("elu_", x -> Functional.elu_(x, 0.5), x -> Functional.elu(x, 0.5));
    pair("selu_", Functional::selu_, Functional::selu);
    // an alpha exact in float: with others 1.13's celu and celu_ backward round differently
    pair("celu_", x -> Functional.celu_(x, 0.5), x -> Functional.celu(x, 0.5));
    pair("leaky_relu_", x -> Functional.leakyRelu_(x, 0.2), x -> Functional.leakyRelu(x, 0.2));
    pair("silu", x -> Functional.silu(x, true), Functional::silu);
    pair("mish", x -> Functional.mish(x, true), Functional::mish);
    pair("hardswish", x -> Functional.hardswish(x, true), Functional::hardswish);
    pair("hardsigmoid", x -> Functional.hardsigmoid(x, true), Functional::hardsigmoid);
    pair("hardtanh_", x -> Functional.hardtanh_(x, -0.5, 0.5),
        x -> Functional.hardtanh(x, -0.5, 0.5));
    pair("threshold_", x -> Functional.threshold_(x, 0.1, 2.0),
        x -> Functional.threshold(x, 0.1, 2.0));
  }

  private static Tensor input() {
    return Tensor.randn(Shape.of(3, 4), DType.FLOAT64, new Generator(11)).mul(3.0);
  }

  @Test
  void theInputIsWrittenAndReturnedWithOneVersionBump() {
    OPS.forEach((name, f) -> {
      Tensor x = input();
      Tensor expected = f[1].apply(x);
      int v = x.version();
      assertSame(x, f[0].apply(x), name);
      assertArrayEquals(expected.toDoubleArray(), x.toDoubleArray(), name);
      assertEquals(v + 1, x.version(), name + ": version");
      // through a non-contiguous view: the base's elements change in place
      Tensor base = input();
      Tensor expectedT = f[1].apply(base.t()).t();
      f[0].apply(base.t());
      assertArrayEquals(expectedT.toDoubleArray(), base.toDoubleArray(), name + " (view)");
    });
  }

  @Test
  void recordedOnANonLeafTheGradientIsTheOutOfPlaceOnes() {
    OPS.forEach((name, f) -> {
      Tensor a = input().requiresGrad(true);
      Tensor b = input().requiresGrad(true);
      Tensor h = a.mul(1.5);
      assertSame(h, f[0].apply(h), name);
      Tensor gy = Tensor.randn(Shape.of(3, 4), DType.FLOAT64, new Generator(3));
      h.backward(gy);
      f[1].apply(b.mul(1.5)).backward(gy);
      assertArrayEquals(b.grad().toDoubleArray(), a.grad().toDoubleArray(), 1e-12, name);
    });
  }

  @Test
  void aLeafThatRequiresGradOrAViewOfOneIsRefusedAndKept() {
    OPS.forEach((name, f) -> {
      Tensor leaf = input().requiresGrad(true);
      double[] before = leaf.toDoubleArray();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> f[0].apply(leaf));
      assertTrue(e.getMessage().startsWith(ERR.text("inplace_leaf")), name + ": " + e.getMessage());
      assertArrayEquals(before, leaf.toDoubleArray(), name);
      assertEquals(0, leaf.version(), name);
      Tensor view = leaf.select(0, 1);
      IllegalStateException v = assertThrows(IllegalStateException.class, () -> f[0].apply(view));
      assertTrue(v.getMessage().startsWith(ERR.text("inplace_view_of_leaf")), name);
      assertArrayEquals(before, leaf.toDoubleArray(), name);
    });
    // the module form says the same
    Tensor leaf = Tensor.zeros(2).requiresGrad(true);
    assertTrue(assertThrows(IllegalStateException.class,
        () -> new dev.jnn.nn.layers.ELU(1.0, true).call(leaf)).getMessage()
        .startsWith(ERR.text("inplace_leaf")));
  }

  @Test
  void withoutGradModeNothingIsRecorded() {
    Tensor leaf = input().requiresGrad(true);
    try (var g = NoGrad.enter()) {
      assertSame(leaf, Functional.elu_(leaf, 1.0));
    }
    assertEquals(null, leaf.gradFn());
    assertTrue(leaf.isLeaf());
  }

  @Test
  void aFailingInPlaceOpChangesNothing() {
    Tensor ints = Tensor.fromArray(new long[] {-1, 0, 2});
    for (UnaryOperator<Tensor> f : java.util.List.<UnaryOperator<Tensor>>of(
        x -> Functional.elu_(x, 1.0), x -> Functional.silu(x, true),
        x -> Functional.leakyRelu_(x, 0.1), x -> Functional.hardswish(x, true))) {
      assertThrows(IllegalArgumentException.class, () -> f.apply(ints));
      assertArrayEquals(new long[] {-1, 0, 2}, ints.toLongArray());
      assertEquals(0, ints.version());
    }
    Tensor x = input();
    double[] before = x.toDoubleArray();
    assertEquals(ERR.text("celu_zero"),
        assertThrows(IllegalArgumentException.class, () -> Functional.celu_(x, 0.0))
            .getMessage());
    Tensor bools = Tensor.fromArray(new boolean[] {true, false});
    assertThrows(IllegalArgumentException.class, () -> Functional.hardtanh_(bools, -1, 1));
    assertArrayEquals(before, x.toDoubleArray());
    assertEquals(0, x.version());
  }

  /** Runs {@code op} on a non-leaf, modifies the result in place, then runs backward. */
  private static void modifyResultThenBackward(UnaryOperator<Tensor> op) {
    Tensor a = input().requiresGrad(true);
    Tensor y = op.apply(a.mul(1.0));
    y.mulInPlace(2.0);
    y.sum().backward();
  }

  @Test
  void formulasOnTheResultFailWhenItWasModifiedTheOthersDoNot() {
    for (String name : new String[] {"relu_", "elu_", "selu_", "celu_", "leaky_relu_"}) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> modifyResultThenBackward(OPS.get(name)[0]), name);
      assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
    }
    // PyTorch keeps the original input for these: backward works and equals the out-of-place one
    for (String name : new String[] {"relu6", "silu", "mish", "hardswish", "hardsigmoid",
        "hardtanh_", "threshold_"}) {
      modifyResultThenBackward(OPS.get(name)[0]);
    }
  }

  @Test
  void negativeSlopesFailInBackwardWithPyTorchsText() {
    Tensor a = Tensor.fromArray(new double[] {-1.0, 0.5}).requiresGrad(true);
    Tensor y = Functional.elu_(a.mul(1.0), -0.5); // the forward is allowed
    assertArrayEquals(Functional.elu(a.detach(), -0.5).toDoubleArray(), y.toDoubleArray());
    assertEquals(ERR.text("elu_inplace_negative_alpha"),
        assertThrows(IllegalStateException.class, () -> y.sum().backward()).getMessage());
    Tensor c = Functional.celu_(a.mul(1.0), -0.5);
    assertEquals(ERR.text("celu_inplace_negative_alpha"),
        assertThrows(IllegalStateException.class, () -> c.sum().backward()).getMessage());
    Tensor l = Functional.leakyRelu_(a.mul(1.0), -0.5);
    assertEquals(ERR.text("leaky_inplace_negative_slope"),
        assertThrows(IllegalStateException.class, () -> l.sum().backward()).getMessage());
    // alpha 0 and out of place are fine
    Functional.elu_(a.mul(1.0), 0.0).sum().backward();
    Functional.elu(a, -0.5).sum().backward();
  }

  @Test
  void outOfPlaceFormsLeaveTheirInput() {
    OPS.forEach((name, f) -> {
      Tensor x = input();
      double[] before = x.toDoubleArray();
      assertNotSame(x, f[1].apply(x), name);
      assertArrayEquals(before, x.toDoubleArray(), name);
      assertEquals(0, x.version(), name);
    });
  }
}
