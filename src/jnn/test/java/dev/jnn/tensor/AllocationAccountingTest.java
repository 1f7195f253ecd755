package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.AllocationStats;
import dev.jnn.backend.Backend;
import dev.jnn.backend.Backends;
import dev.jnn.backend.Buffer;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Flatten;
import dev.jnn.nn.layers.Linear;
import dev.jnn.nn.layers.MaxPool2d;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.optim.Adam;
import dev.jnn.optim.Optimizer;
import dev.jnn.optim.SGD;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The CPU back end's allocation accounting ({@link Backend#allocationStats}): buffers are counted
 * from allocation to close, peak and totals move as documented, and a training step leaves no
 * buffer behind once its tensors are closed.
 */
class AllocationAccountingTest {
  private static final Backend CPU = Backends.cpu();

  private static AllocationStats stats() {
    return CPU.allocationStats(Device.CPU);
  }

  @Test
  void aBufferIsCountedFromAllocationToClose() {
    AllocationStats s0 = stats();
    CPU.resetPeakAllocation(Device.CPU);
    assertEquals(s0.allocatedBytes(), stats().peakAllocatedBytes(), "reset: peak = allocated");
    Buffer b = CPU.allocate(Device.CPU, DType.FLOAT64, 1000);
    Buffer u = CPU.allocateUninitialized(Device.CPU, DType.INT64, 10);
    AllocationStats s1 = stats();
    assertEquals(s0.allocatedBytes() + 8000 + 80, s1.allocatedBytes());
    assertEquals(s0.liveBuffers() + 2, s1.liveBuffers());
    assertEquals(s0.totalAllocations() + 2, s1.totalAllocations());
    assertEquals(s1.allocatedBytes(), s1.peakAllocatedBytes());
    b.close();
    b.close(); // idempotent: counted once
    u.close();
    AllocationStats s2 = stats();
    assertEquals(s0.allocatedBytes(), s2.allocatedBytes());
    assertEquals(s0.liveBuffers(), s2.liveBuffers());
    assertEquals(s1.totalAllocations(), s2.totalAllocations(), "the total never goes down");
    assertEquals(s1.peakAllocatedBytes(), s2.peakAllocatedBytes(), "the peak stays until a reset");
    CPU.resetPeakAllocation(Device.CPU);
    assertEquals(s2.allocatedBytes(), stats().peakAllocatedBytes());
  }

  @Test
  void tensorsAreCountedUntilTheyAreClosedAndWrappedArraysAreNot() {
    AllocationStats s0 = stats();
    Tensor t = Tensor.zeros(Shape.of(25, 40), DType.FLOAT32, Device.CPU);
    Tensor v = t.narrow(0, 1, 3); // a view shares the storage: nothing new
    assertEquals(s0.allocatedBytes() + 4000, stats().allocatedBytes());
    assertEquals(s0.liveBuffers() + 1, stats().liveBuffers());
    t.close();
    assertEquals(s0.liveBuffers() + 1, stats().liveBuffers(), "the view still holds the storage");
    v.close();
    assertEquals(s0.allocatedBytes(), stats().allocatedBytes());
    assertEquals(s0.liveBuffers(), stats().liveBuffers());
    // fromArray wraps a copy of the caller's array, and toFloatArray reads through a download:
    // neither is a buffer the back end allocated
    AllocationStats s1 = stats();
    Tensor w = Tensor.fromArray(new float[] {1, 2, 3});
    w.toFloatArray();
    assertEquals(s1.allocatedBytes(), stats().allocatedBytes());
    assertEquals(s1.totalAllocations(), stats().totalAllocations());
    w.close();
  }

  private static Module net() {
    return new Sequential(
        new Conv2d(1, 4, 3), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(),
        new Linear(4 * 3 * 3, 3));
  }

  private static void step(Module model, Optimizer opt, Tensor x, Tensor y) {
    Tensor loss = Functional.crossEntropy(model.call(x), y);
    opt.zeroGrad(false);
    loss.backward();
    opt.step();
  }

  @Test
  void aTrainingStepInAScopeLeavesAllocatedBytesWhereTheyWere() {
    List<Function<Module, Optimizer>> optimizers = List.of(
        m -> new SGD(m.parameters(), 0.1, 0.9), m -> new Adam(m.parameters(), 1e-2));
    for (Function<Module, Optimizer> make : optimizers) {
      Generator.manualSeed(6);
      Module model = net();
      Optimizer opt = make.apply(model);
      Generator g = new Generator(7);
      Tensor x = Tensor.randn(Shape.of(8, 1, 8, 8), DType.FLOAT32, g);
      Tensor y = Tensor.randint(0, 3, Shape.of(8), g);
      // the first step creates the gradients and the optimizer state, which stay
      try (MemoryScope s = MemoryScope.open()) {
        step(model, opt, x, y);
      }
      for (int i = 0; i < 3; i++) {
        AllocationStats before = stats();
        CPU.resetPeakAllocation(Device.CPU);
        try (MemoryScope s = MemoryScope.open()) {
          step(model, opt, x, y);
        }
        AllocationStats after = stats();
        String what = opt.getClass().getSimpleName() + " step " + (i + 2);
        assertEquals(before.allocatedBytes(), after.allocatedBytes(), what + ": bytes left behind");
        assertEquals(before.liveBuffers(), after.liveBuffers(), what + ": buffers left behind");
        assertTrue(after.peakAllocatedBytes() > before.allocatedBytes(),
            what + ": the step's temporaries raise the peak");
        assertTrue(after.totalAllocations() > before.totalAllocations(), what);
      }
    }
  }
}
