package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jnn.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * {@link CudaParitySuite} on a real GPU. Tagged {@code gpu}: excluded by default, run by {@code mvn
 * -B verify -Pgpu} and by {@code scripts/gpu/device-run.sh}; fails (does not skip) when no GPU is
 * usable, with the reason.
 */
@Tag("gpu")
class GpuCudaSuiteTest extends CudaParitySuite {
  @BeforeAll
  static void requireGpu() {
    Backends.setCudaBackendForTesting(null);
    String why = Cuda.unavailableReason();
    if (why != null) {
      fail("no usable GPU: " + why);
    }
    System.out.println(Cuda.describe());
  }

  @Override
  int trainingBatch() {
    return 64;
  }

  @Override
  int trainingSteps() {
    return 10;
  }

  @AfterAll
  static void report() throws InterruptedException {
    if (Cuda.isAvailable()) {
      System.out.println("memory after the GPU suite: " + leakReport());
      assertNoTensorMemoryLeft();
    }
  }
}
