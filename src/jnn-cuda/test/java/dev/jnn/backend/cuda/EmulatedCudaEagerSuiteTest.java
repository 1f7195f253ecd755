package dev.jnn.backend.cuda;

import org.junit.jupiter.api.BeforeAll;

/** {@link CudaParitySuite} on the emulated device with every queued operation run as soon as it is queued (an idle GPU). */
class EmulatedCudaEagerSuiteTest extends EmulatedCudaSuiteTest {
  @BeforeAll
  static void mode() {
    EmulatedCuda.api().setMode(EmuDeviceApi.Mode.EAGER, 1);
  }
}
