package dev.jnn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A node's post hooks ({@code Node.register_hook}) see the output gradients as they reached the
 * node: PyTorch passes an undefined gradient to a hook as {@code None}, while the node's formula
 * (a Python {@code Function} with {@code materialize_grads}) sees zeros. Module backward hooks rely
 * on it to report {@code None} for an output that received no gradient.
 */
class NodePostHookTest {
  @Test
  void postHookSeesNullWhereNoGradientArrivedWhileTheFormulaSeesZeros() {
    Tensor a = Tensor.fromArray(new float[] {1f, 2f}, 2).requiresGrad(true);
    double[] formulaSecond = new double[1];
    Tensor[] outs =
        new Function() {
          @Override
          protected Tensor[] forward(Context ctx, Tensor... in) {
            return new Tensor[] {in[0].clone(), in[0].clone()};
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor... g) {
            formulaSecond[0] = g[1].abs().sum().item();
            return new Tensor[] {g[0].add(g[1])};
          }
        }.apply(a);
    Tensor[][] hookGout = new Tensor[1][];
    outs[0].gradFn().registerPostHook(
        (gin, gout) -> {
          hookGout[0] = gout.clone();
          return null;
        });
    outs[0].mul(3).sum().backward();
    assertNotNull(hookGout[0][0], "the used output's gradient");
    assertArrayEquals(new float[] {3f, 3f}, hookGout[0][0].toFloatArray());
    assertNull(hookGout[0][1], "no gradient reached the second output");
    assertEquals(0.0, formulaSecond[0], "the formula got zeros there");
    assertArrayEquals(new float[] {3f, 3f}, a.grad().toFloatArray());
  }

  @Test
  void postHookReturningNullEntrySendsNoGradient() {
    Tensor a = Tensor.fromArray(new float[] {1f, 2f}, 2).requiresGrad(true);
    Tensor y = a.mul(2);
    y.gradFn().registerPostHook((gin, gout) -> new Tensor[gin.length]);
    y.sum().backward();
    assertNull(a.grad());
  }
}
