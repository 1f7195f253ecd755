package dev.jnn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A leaf adopts a freshly computed gradient as its {@code grad} instead of copying it only when
 * nothing else can see that gradient: never a caller's seed, never one object routed to two
 * leaves, never a view sharing storage, never when a hook could have kept it. Each case checks the
 * values and that later in-place accumulation does not leak between tensors.
 */
class GradAdoptionTest {
  @Test
  void oneGradientObjectForTwoLeavesIsCopiedForEach() {
    Tensor a = Tensor.fromArray(new float[] {1, 2, 3}).requiresGrad(true);
    Tensor b = Tensor.fromArray(new float[] {4, 5, 6}).requiresGrad(true);
    a.add(b).sum().backward(); // AddBackward hands the same gradient to both inputs
    assertNotSame(a.grad(), b.grad());
    a.grad().addInPlace(Tensor.ones(3));
    assertArrayEquals(new float[] {2, 2, 2}, a.grad().toFloatArray());
    assertArrayEquals(new float[] {1, 1, 1}, b.grad().toFloatArray());
  }

  @Test
  void theCallersSeedIsNeverAdopted() {
    Tensor a = Tensor.fromArray(new float[] {1, 2}).requiresGrad(true);
    Tensor seed = Tensor.fromArray(new float[] {3, 4});
    a.mul(1.0).backward(seed);
    Tensor x = Tensor.fromArray(new float[] {1, 2}).requiresGrad(true);
    x.clone().backward(seed); // CloneBackward passes the seed object through
    assertNotSame(seed, x.grad());
    x.clone().backward(seed); // accumulates into x.grad, not into the seed
    assertArrayEquals(new float[] {6, 8}, x.grad().toFloatArray());
    assertArrayEquals(new float[] {3, 4}, seed.toFloatArray());
    assertArrayEquals(new float[] {3, 4}, a.grad().toFloatArray());
  }

  @Test
  void adoptedGradientsAccumulateCorrectly() {
    Tensor w = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
    Tensor x = Tensor.fromArray(new float[] {1, 0, 2, 1}, 2, 2);
    for (int i = 0; i < 3; i++) {
      x.matmul(w).sum().backward();
    }
    // d/dw sum(x @ w) = x^T @ ones = [[3, 3], [1, 1]], three times
    assertArrayEquals(new float[] {9, 9, 3, 3}, w.grad().toFloatArray());
  }

  @Test
  void gradientViewsAreCopied() {
    Tensor w = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}).requiresGrad(true);
    Tensor v = w.reshape(2, 3); // the gradient reaching w is a reshaped view
    Tensor u = Tensor.fromArray(new float[] {1, 2, 3}).requiresGrad(true);
    v.mul(2.0).add(u).sum().backward();
    assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, w.grad().toFloatArray());
    assertArrayEquals(new float[] {2, 2, 2}, u.grad().toFloatArray());
    w.grad().addInPlace(Tensor.ones(6));
    assertArrayEquals(new float[] {2, 2, 2}, u.grad().toFloatArray());
  }

  @Test
  void aHookThatKeepsTheGradientStillSeesItUnchanged() {
    Tensor w = Tensor.fromArray(new float[] {1, 2}).requiresGrad(true);
    Tensor[] kept = new Tensor[1];
    w.registerHook(g -> {
      kept[0] = g;
      return null;
    });
    w.mul(3.0).sum().backward();
    w.mul(3.0).sum().backward();
    assertArrayEquals(new float[] {3, 3}, kept[0].toFloatArray());
    assertArrayEquals(new float[] {6, 6}, w.grad().toFloatArray());
  }

  @Test
  void adoptionSavesTheCopy() {
    int n = 12_347; // large enough to be counted by the host buffer pool, and a size of its own
    Tensor w = Tensor.ones(n).requiresGrad(true);
    long before = dev.jnn.backend.HostBufferPool.stats().misses();
    w.mul(3.0).sum().backward(); // forward product + its gradient: two large buffers, no copy
    long fresh = dev.jnn.backend.HostBufferPool.stats().misses() - before;
    org.junit.jupiter.api.Assertions.assertEquals(2, fresh);
    org.junit.jupiter.api.Assertions.assertEquals(3.0 * n, w.grad().sum().item(), 1e-3);
  }

  @Test
  void adoptionHappensForAPlainLeaf() {
    Tensor w = Tensor.fromArray(new float[] {1, 2}).requiresGrad(true);
    w.mul(3.0).sum().backward();
    Tensor g = w.grad();
    w.mul(3.0).sum().backward();
    assertSame(g, w.grad(), "accumulated in place");
    assertArrayEquals(new float[] {6, 6}, g.toFloatArray());
  }
}
