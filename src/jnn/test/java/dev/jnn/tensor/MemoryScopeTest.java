package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.HostBufferPool;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Flatten;
import dev.jnn.nn.layers.Linear;
import dev.jnn.nn.layers.MaxPool2d;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a {@link MemoryScope} frees, what survives it, and that training in scopes is unchanged. */
class MemoryScopeTest {
  @Test
  void closesWhatWasCreatedInsideOnly() {
    Tensor outside = Tensor.randn(4, 4);
    Tensor inside;
    Tensor view;
    try (MemoryScope s = MemoryScope.open()) {
      inside = outside.mul(2.0);
      view = outside.narrow(0, 1, 2); // a view of an outside tensor: only the handle is closed
      assertEquals(2, s.size());
    }
    assertTrue(inside.storage().isFreed());
    assertThrows(IllegalStateException.class, inside::toFloatArray);
    assertFalse(outside.storage().isFreed());
    assertEquals(16, outside.toFloatArray().length);
    assertNotNull(view);
    assertNull(MemoryScope.current());
  }

  private static void assertNull(Object o) {
    assertEquals(null, o);
  }

  @Test
  void keepMovesToTheEnclosingScope() {
    Tensor kept;
    try (MemoryScope outer = MemoryScope.open()) {
      try (MemoryScope inner = MemoryScope.open()) {
        kept = inner.keep(Tensor.ones(3).add(1.0));
      }
      assertFalse(kept.storage().isFreed(), "survives the inner scope");
      assertEquals(2.0, kept.sum().item() / 3);
    }
    assertTrue(kept.storage().isFreed(), "freed with the outer scope");
  }

  @Test
  void keptByAnOutermostScopeIsLeftToTheCaller() {
    Tensor kept;
    try (MemoryScope s = MemoryScope.open()) {
      kept = s.keep(Tensor.ones(3).mul(5.0));
    }
    assertArrayEquals(new float[] {5f, 5f, 5f}, kept.toFloatArray());
  }

  @Test
  void scopesCloseInnermostFirst() {
    MemoryScope outer = MemoryScope.open();
    MemoryScope inner = MemoryScope.open();
    assertThrows(IllegalStateException.class, outer::close);
    inner.close();
    outer.close();
  }

  static final class Net extends Module {
    final Conv2d conv = registerModule("conv", new Conv2d(1, 4, 3));
    final BatchNorm2d bn = registerModule("bn", new BatchNorm2d(4));
    final Linear fc = registerModule("fc", new Linear(4 * 3 * 3, 3));

    @Override
    public Tensor forward(Tensor x) {
      Tensor h = Functional.maxPool2d(Functional.relu(bn.call(conv.call(x))), 2);
      return fc.call(Functional.flatten(h, 1, -1));
    }
  }

  private static List<float[]> train(boolean scoped, boolean setToNone) {
    Generator.manualSeed(3);
    Net net = new Net();
    SGD opt = new SGD(net.parameters(), 0.1, 0.9);
    Generator g = new Generator(5);
    Tensor x = Tensor.randn(Shape.of(8, 1, 8, 8), DType.FLOAT32, g);
    Tensor y = Tensor.randint(0, 3, Shape.of(8), g);
    List<float[]> losses = new ArrayList<>();
    for (int step = 0; step < 4; step++) {
      MemoryScope s = scoped ? MemoryScope.open() : null;
      try {
        Tensor loss = Functional.crossEntropy(net.call(x), y);
        opt.zeroGrad(setToNone);
        loss.backward();
        opt.step();
        losses.add(loss.toFloatArray());
      } finally {
        if (s != null) {
          s.close();
        }
      }
    }
    // parameters, their gradients, buffers and optimizer state all survived the scopes
    for (Parameter p : net.parameters()) {
      assertFalse(p.storage().isFreed());
      assertFalse(p.grad().storage().isFreed());
      losses.add(p.toFloatArray());
      losses.add(p.grad().toFloatArray());
      Tensor buf = (Tensor) opt.state().get(p).get("momentum_buffer");
      losses.add(buf.toFloatArray());
    }
    losses.add(net.bn.runningMean().toFloatArray());
    losses.add(net.bn.runningVar().toFloatArray());
    return losses;
  }

  @Test
  void trainingInScopesIsBitwiseTheSame() {
    for (boolean setToNone : new boolean[] {true, false}) {
      List<float[]> plain = train(false, setToNone);
      List<float[]> scoped = train(true, setToNone);
      assertEquals(plain.size(), scoped.size());
      for (int i = 0; i < plain.size(); i++) {
        assertArrayEquals(plain.get(i), scoped.get(i), "entry " + i);
      }
    }
  }

  @Test
  void steadyStateAllocatesNoNewLargeBuffers() {
    Generator.manualSeed(4);
    Module model =
        new Sequential(
            new Conv2d(1, 8, 5), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 12 * 12, 10));
    SGD opt = new SGD(model.parameters(), 0.01, 0.9);
    Tensor x = Tensor.randn(32, 1, 28, 28);
    Tensor y = Tensor.randint(0, 10, 32);
    long[] fresh = new long[4];
    for (int step = 0; step < 4; step++) {
      long before = HostBufferPool.stats().misses();
      try (MemoryScope s = MemoryScope.open()) {
        Tensor loss = Functional.crossEntropy(model.call(x), y);
        opt.zeroGrad(false);
        loss.backward();
        opt.step();
      }
      fresh[step] = HostBufferPool.stats().misses() - before;
    }
    assertTrue(fresh[0] > 0, "the first step allocates");
    assertEquals(0, fresh[2], "no new large buffer once warm");
    assertEquals(0, fresh[3], "no new large buffer once warm");
  }

  @Test
  void backwardAfterTheScopeFailsLoudly() {
    Tensor w = Tensor.randn(3).requiresGrad(true);
    Tensor loss;
    try (MemoryScope s = MemoryScope.open()) {
      loss = w.mul(w).sum();
    }
    assertThrows(IllegalStateException.class, loss::backward);
  }
}
