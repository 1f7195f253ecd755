package dev.jnn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Function}, jnn's {@code torch.autograd.Function}, against PyTorch 1.13
 * ({@code scripts/golden/custom_function.py}): values and input gradients, backward node names,
 * {@code needs_input_grad}, multiple outputs, PyTorch's errors for a backward that returns the
 * wrong number or shape of gradients; and float64 gradient checks.
 */
class FunctionTest {
  private static final Map<String, Golden.Case> G = Golden.loadByName("custom_function.txt");

  static final class MyExp extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      Tensor y = in[0].exp();
      ctx.saveForBackward(y);
      return new Tensor[] {y};
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      return new Tensor[] {grad[0].mul(ctx.savedTensors()[0])};
    }
  }

  /** a * b * scale; records needsInputGrad and computes only the gradients needed. */
  static final class ScaledMul extends Function {
    final double scale;
    boolean[] seen;

    ScaledMul(double scale) {
      this.scale = scale;
    }

    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0], in[1]);
      ctx.set("scale", scale);
      return new Tensor[] {in[0].mul(in[1]).mul(scale)};
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... g) {
      Tensor[] s = ctx.savedTensors();
      double k = ctx.get("scale");
      seen = new boolean[] {ctx.needsInputGrad(0), ctx.needsInputGrad(1)};
      return new Tensor[] {
        ctx.needsInputGrad(0) ? g[0].mul(s[1]).mul(k) : null,
        ctx.needsInputGrad(1) ? g[0].mul(s[0]).mul(k) : null
      };
    }
  }

  /** Two outputs: (2x, x^2). */
  static final class SplitTwo extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return new Tensor[] {in[0].mul(2), in[0].mul(in[0])};
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... g) {
      Tensor x = ctx.savedTensors()[0];
      return new Tensor[] {g[0].mul(2).add(g[1].mul(x).mul(2))};
    }
  }

  static final class TooMany extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      return new Tensor[] {in[0].mul(2)};
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... g) {
      return new Tensor[] {g[0].mul(2), g[0]};
    }
  }

  static final class WrongShape extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      return new Tensor[] {in[0].sum(0, false)};
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... g) {
      return new Tensor[] {g[0]};
    }
  }

  private static Tensor leaf(Tensor t) {
    return t.detach().requiresGrad(true);
  }

  @Test
  void valuesGradientsAndNodeNameMatchPyTorch() {
    Golden.Case c = G.get("my_exp");
    Tensor x = leaf(c.tensor("x"));
    Tensor y = new MyExp().apply(x)[0];
    assertEquals(c.text("node"), y.gradFn().name());
    assertArrayEquals(c.tensor("out").toDoubleArray(), y.toDoubleArray(), 1e-15);
    y.backward(Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertArrayEquals(c.tensor("grad_x").toDoubleArray(), x.grad().toDoubleArray(), 1e-14);
  }

  @Test
  void needsInputGradAndNonTensorStateMatchPyTorch() {
    Golden.Case c = G.get("scaled_mul");
    Tensor a = leaf(c.tensor("a"));
    Tensor b = c.tensor("b");
    ScaledMul f = new ScaledMul(c.doubleAttr("scale"));
    Tensor out = f.apply(a, b)[0];
    assertEquals(c.text("node"), out.gradFn().name());
    out.sum().backward();
    int[] want = c.intsAttr("needs_input_grad"); // PyTorch's also lists the non-tensor scale
    assertEquals(want[0] == 1, f.seen[0]);
    assertEquals(want[1] == 1, f.seen[1]);
    assertArrayEquals(c.tensor("out").toDoubleArray(), out.toDoubleArray(), 1e-15);
    assertArrayEquals(c.tensor("grad_a").toDoubleArray(), a.grad().toDoubleArray(), 1e-15);
    assertNull(b.grad());
  }

  @Test
  void twoOutputsShareOneNode() {
    Golden.Case c = G.get("split_two");
    Tensor x = leaf(c.tensor("x"));
    Tensor[] o = new SplitTwo().apply(x);
    assertSame(o[0].gradFn(), o[1].gradFn());
    o[0].sum().add(o[1].mul(Tensor.fromArray(new double[] {1, 2, 3}, 3)).sum()).backward();
    assertArrayEquals(c.tensor("out1").toDoubleArray(), o[0].toDoubleArray(), 1e-15);
    assertArrayEquals(c.tensor("out2").toDoubleArray(), o[1].toDoubleArray(), 1e-15);
    assertArrayEquals(c.tensor("grad_x").toDoubleArray(), x.grad().toDoubleArray(), 1e-15);
  }

  @Test
  void wrongNumberOrShapeOfGradientsFailsWithPyTorchsText() {
    Golden.Case c = G.get("errors");
    Tensor x = leaf(Tensor.ones(2));
    Exception e = assertThrows(IllegalStateException.class,
        () -> new TooMany().apply(x)[0].sum().backward());
    assertEquals(c.text("too_many"), e.getMessage());
    Tensor y = leaf(Tensor.ones(2, 3));
    e = assertThrows(IllegalStateException.class,
        () -> new WrongShape().apply(y)[0].sum().backward());
    assertEquals(c.text("wrong_shape"), e.getMessage());
  }

  @Test
  void aGradientThatBroadcastsToItsInputIsSummedDown() {
    Function f = new Function() {
      @Override
      protected Tensor[] forward(Context ctx, Tensor... in) {
        return new Tensor[] {in[0].mul(1)};
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor... g) {
        return new Tensor[] {g[0].expand(4, 3)}; // [4, 3] for an input of [1, 3]
      }
    };
    Tensor x = leaf(Tensor.ones(1, 3));
    f.apply(x)[0].sum().backward();
    assertEquals(Shape.of(1, 3), x.grad().shape());
    assertArrayEquals(new float[] {4, 4, 4}, x.grad().toFloatArray());
  }

  @Test
  void forwardRunsWithoutRecordingAndSavedTensorsAreVersionChecked() {
    boolean[] gradInForward = new boolean[1];
    Function f = new Function() {
      @Override
      protected Tensor[] forward(Context ctx, Tensor... in) {
        gradInForward[0] = GradMode.isEnabled();
        ctx.saveForBackward(in[0]);
        return new Tensor[] {in[0].mul(3)};
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor... g) {
        return new Tensor[] {g[0].mul(3)};
      }
    };
    Tensor x = leaf(Tensor.ones(3));
    Tensor w = x.mul(1); // a non-leaf we can modify in place
    Tensor y = f.apply(w)[0];
    assertFalse(gradInForward[0]);
    assertEquals("FunctionBackward", y.gradFn().name()); // an anonymous class has no simple name
    try (var g = NoGrad.enter()) {
      w.addInPlace(Tensor.ones(3));
    }
    Exception e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
    assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
  }

  @Test
  void integerOutputsAreNotDifferentiableAndNoGradMeansNoNode() {
    Function argmaxAndDouble = new Function() {
      @Override
      protected Tensor[] forward(Context ctx, Tensor... in) {
        return new Tensor[] {in[0].argmax(), in[0].mul(2)};
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor... g) {
        assertNull(g[0], "the gradient of an integer output");
        return new Tensor[] {g[1].mul(2)};
      }
    };
    Tensor x = leaf(Tensor.fromArray(new double[] {1, 5, 2}, 3));
    Tensor[] o = argmaxAndDouble.apply(x);
    assertFalse(o[0].requiresGrad());
    assertTrue(o[1].requiresGrad());
    o[1].sum().backward();
    assertArrayEquals(new double[] {2, 2, 2}, x.grad().toDoubleArray());
    try (var g = NoGrad.enter()) {
      assertNull(new MyExp().apply(x)[0].gradFn());
    }
    assertNull(new MyExp().apply(Tensor.ones(2))[0].gradFn());
  }

  @Test
  void gradCheckInFloat64() {
    Tensor x = Tensor.randn(Shape.of(3, 4), DType.FLOAT64, new Generator(5)).requiresGrad(true);
    Tensor a = Tensor.randn(Shape.of(3, 4), DType.FLOAT64, new Generator(6)).requiresGrad(true);
    GradCheck.check(in -> new MyExp().apply(in.get(0))[0], x);
    GradCheck.check(in -> new ScaledMul(0.7).apply(in.get(0), in.get(1))[0], x, a);
    GradCheck.check(in -> {
      Tensor[] o = new SplitTwo().apply(in.get(0));
      return o[0].add(o[1]);
    }, x);
  }

  @Test
  void inputsMustBeTensors() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> new MyExp().apply((Tensor) null));
    assertEquals("MyExpBackward: input 0 is null (inputs are tensors; pass other arguments through"
        + " the function's fields)", e.getMessage());
  }
}
