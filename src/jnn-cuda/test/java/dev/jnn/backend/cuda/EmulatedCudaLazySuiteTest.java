package dev.jnn.backend.cuda;

import org.junit.jupiter.api.BeforeAll;

/** {@link CudaParitySuite} on the emulated device with queued operations run only when the host waits for them, and only what the wait needs. */
class EmulatedCudaLazySuiteTest extends EmulatedCudaSuiteTest {
  @BeforeAll
  static void mode() {
    EmulatedCuda.api().setMode(EmuDeviceApi.Mode.LAZY, 1);
  }
}
