package dev.jnn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.HostBufferPool;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The engine closes the gradients a backward formula has consumed (PyTorch frees them when their
 * last reference goes), so their arrays return to the host pool during the pass; never a
 * gradient a hook or {@code retainGrad} can see, never the caller's seed, never one passed on.
 */
class FreeConsumedGradsTest {
  private static final int N = 64 * 1024; // 256 KiB of float32: pooled

  private static Tensor chain(Tensor x) {
    // relu's backward makes a gradient that mul's backward consumes (freed), mul's makes one that
    // add's passes on unchanged and tanh's consumes (freed), tanh's goes to x.grad (adopted)
    return x.tanh().add(1.0).mul(3.0).relu().sum();
  }

  @Test
  void consumedGradientsGoBackToThePoolAndResultsAreUnchanged() {
    Generator g = new Generator(5);
    Tensor x = Tensor.randn(Shape.of(N), DType.FLOAT32, g).requiresGrad(true);
    HostBufferPool.clear();
    chain(x).backward();
    long returned = HostBufferPool.stats().returned();
    assertEquals(2, returned, "gradient arrays returned to the pool");
    float[] got = x.grad().toFloatArray();
    float[] xs = x.toFloatArray();
    for (int i = 0; i < N; i++) {
      double t = Math.tanh(xs[i]);
      double e = (t + 1) * 3 > 0 ? 3 * (1 - t * t) : 0;
      assertEquals(e, got[i], 1e-5, "x.grad[" + i + "]");
    }
    // a second pass takes the returned arrays back and accumulates correctly
    chain(x).backward();
    assertTrue(HostBufferPool.stats().hits() > 0, "second pass reused pooled arrays");
    float[] twice = x.grad().toFloatArray();
    for (int i = 0; i < N; i += 997) {
      assertEquals(2 * got[i], twice[i], 1e-5, "accumulated x.grad[" + i + "]");
    }
  }

  @Test
  void gradientsAHookOrRetainGradCanSeeStayReadable() {
    Generator g = new Generator(6);
    Tensor x = Tensor.randn(Shape.of(N), DType.FLOAT32, g).requiresGrad(true);
    Tensor y = x.mul(2.0);
    Tensor z = y.tanh();
    Tensor[] kept = new Tensor[1];
    z.registerHook(t -> {
      kept[0] = t;
      return null;
    });
    y.retainGrad();
    z.sum().backward();
    // both still hold their values after the pass
    float[] k = kept[0].toFloatArray();
    assertEquals(N, k.length);
    for (int i = 0; i < N; i += 1009) {
      assertEquals(1f, k[i]);
    }
    float[] yg = y.grad().toFloatArray();
    float[] zs = z.toFloatArray();
    for (int i = 0; i < N; i += 1009) {
      assertEquals(1 - zs[i] * zs[i], yg[i], 1e-6);
    }
  }

  @Test
  void theCallersSeedIsNotClosed() {
    Tensor x = Tensor.ones(Shape.of(N), DType.FLOAT32, Device.CPU).requiresGrad(true);
    Tensor seed = Tensor.full(Shape.of(N), 2.0, DType.FLOAT32, Device.CPU);
    x.mul(3.0).tanh().backward(seed);
    assertEquals(2f, seed.toFloatArray()[7]);
    assertArrayEquals(new float[] {2f, 2f}, seed.narrow(0, 0, 2).toFloatArray());
  }
}
