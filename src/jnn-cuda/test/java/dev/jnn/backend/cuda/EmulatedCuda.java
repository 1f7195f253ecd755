package dev.jnn.backend.cuda;

import dev.jnn.backend.Backends;
import org.junit.jupiter.api.Assumptions;

/**
 * The CUDA back end running on the CPU kernel emulator: the real {@link CudaBackend}, {@link
 * CudaNnKernels}, allocator and kernel sources, with {@link EmuDeviceApi}, {@link EmuBlas} and
 * {@link EmuDnn} in place of JCuda. One instance per JVM.
 */
public final class EmulatedCuda {
  private static CudaBackend backend;
  private static EmuDeviceApi api;

  private EmulatedCuda() {}

  /** The emulated back end; skips the calling test only when g++ or the JDK headers are missing. */
  static synchronized CudaBackend backend() {
    if (backend == null) {
      String why = Emulator.unavailableReason();
      Assumptions.assumeTrue(why == null, () -> "CUDA kernel emulator unavailable: " + why);
      api = new EmuDeviceApi();
      CudaRuntime rt = new CudaRuntime(api, new EmuBlas(api), new EmuDnn(api), "emulated");
      backend = new CudaBackend(rt);
    }
    return backend;
  }

  static EmuDeviceApi api() {
    backend();
    return api;
  }

  /** Makes {@code Device.cuda(0)} resolve to the emulated back end until {@link #uninstall()}. */
  public static void install() {
    Backends.setCudaBackendForTesting(backend());
  }

  /** Restores discovery of the real CUDA back end. */
  public static void uninstall() {
    Backends.setCudaBackendForTesting(null);
  }
}
