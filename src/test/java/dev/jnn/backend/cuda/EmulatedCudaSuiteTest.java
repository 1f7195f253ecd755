package dev.jnn.backend.cuda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.jnn.nn.Parameter;
import dev.jnn.optim.Optimizer;

/**
 * {@link CudaParitySuite} on the CPU emulation of the CUDA kernels (runs in every build; skipped
 * only where g++ or the JDK headers are missing).
 */
class EmulatedCudaSuiteTest extends CudaParitySuite {
  @BeforeAll
  static void install() {
    EmulatedCuda.install();
  }

  @AfterAll
  static void uninstall() throws InterruptedException {
    try {
      assertNoTensorMemoryLeft();
    } finally {
      EmulatedCuda.uninstall();
    }
  }

  @Override
  EmuDnn emulatedDnn() {
    return (EmuDnn) EmulatedCuda.backend().rt.dnn;
  }

  @Override
  EmuBlas emulatedBlas() {
    return (EmuBlas) EmulatedCuda.backend().rt.blas;
  }

  /** Launches on the emulated device while {@code r} runs. */
  static long launches(Runnable r) {
    long before = EmulatedCuda.api().launches;
    r.run();
    return EmulatedCuda.api().launches - before;
  }

  @Test
  void optimizerStepsAndDropoutMasksAreSingleKernels() {
    for (var e : UPDATES.entrySet()) {
      Parameter p = new Parameter(rnd(910, 64, 3).to(GPU));
      Optimizer opt = e.getValue().apply(java.util.List.of(p));
      for (int s = 0; s < 2; s++) {
        p.setGrad(rnd(911 + s, 64, 3).to(GPU));
        assertEquals(1, launches(opt::step), e.getKey() + " step " + s + ": kernels per parameter");
      }
    }
    assertEquals(1, launches(() -> dev.jnn.tensor.FusedOps.dropoutMask(
        dev.jnn.core.Shape.of(1000), dev.jnn.core.DType.FLOAT32, GPU, 0.5, 2, 1)));
  }
}
