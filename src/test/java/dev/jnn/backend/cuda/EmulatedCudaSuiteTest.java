package dev.jnn.backend.cuda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
  static void uninstall() {
    EmulatedCuda.uninstall();
  }
}
