package dev.jnn.backend;

import dev.jnn.backend.cpu.CpuBackend;
import dev.jnn.core.CudaUnavailableException;
import dev.jnn.core.Device;
import java.util.ServiceLoader;

/**
 * Finds the back end for a device. The CPU back end is always present; others are discovered with
 * {@link ServiceLoader} and may report why they are unusable.
 */
public final class Backends {
  private static final Backend CPU = new CpuBackend();
  private static volatile Backend cuda;
  private static volatile String cudaReason;

  private Backends() {}

  /** The CPU back end. */
  public static Backend cpu() {
    return CPU;
  }

  /** The back end serving {@code device}; throws {@link CudaUnavailableException} with the reason. */
  public static Backend forDevice(Device device) {
    if (device.isCpu()) {
      return CPU;
    }
    Backend b = cuda;
    if (b == null) {
      synchronized (Backends.class) {
        if (cuda == null && cudaReason == null) {
          discoverCuda();
        }
        b = cuda;
      }
    }
    if (b == null) {
      throw new CudaUnavailableException(cudaReason);
    }
    return b;
  }

  private static void discoverCuda() {
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
      if (p.type() == Device.Type.CUDA) {
        try {
          cuda = p.create();
          return;
        } catch (RuntimeException | LinkageError e) {
          cudaReason = e.getMessage() == null ? e.toString() : e.getMessage();
          return;
        }
      }
    }
    cudaReason =
        "jnn's CUDA back end is not part of this build (no "
            + BackendProvider.class.getName()
            + " for CUDA was found)";
  }

  /**
   * Replaces the CUDA back end for tests (for example one running the CUDA kernels in a CPU
   * emulation); {@code null} forgets it, so that the next use discovers the real one again. Not
   * for applications.
   */
  public static synchronized void setCudaBackendForTesting(Backend backend) {
    cuda = backend;
    cudaReason = null;
  }

  /** Why CUDA cannot be used, or null when it can (or has not been probed successfully yet). */
  public static String cudaUnavailableReason() {
    try {
      forDevice(Device.cuda(0));
      return null;
    } catch (CudaUnavailableException e) {
      return cudaReason;
    }
  }
}
