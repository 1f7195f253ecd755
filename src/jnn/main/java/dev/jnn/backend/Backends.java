package dev.jnn.backend;

import dev.jnn.core.CudaUnavailableException;
import dev.jnn.core.Device;
import java.util.ServiceLoader;

/**
 * Finds the back end for a device. Back ends are discovered with {@link ServiceLoader} ({@link
 * BackendProvider}): the CPU back end is always present (jnn lists it), CUDA when {@code
 * dev.jnn:jnn-cuda} is on the class path; a back end that cannot be used reports why.
 */
public final class Backends {
  private static final Backend CPU = loadCpu();
  private static volatile Backend cuda;
  private static volatile String cudaReason;

  private Backends() {}

  private static Backend loadCpu() {
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
      if (p.type() == Device.Type.CPU) {
        return p.create();
      }
    }
    throw new IllegalStateException("no CPU back end: jnn's META-INF/services/"
        + BackendProvider.class.getName() + " (dev.jnn.backend.cpu.CpuProvider) is missing from the class path");
  }

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
    cudaReason = missingCudaArtifact();
  }

  /** The CUDA back end's Maven coordinates, {@code dev.jnn:jnn-cuda:<this jnn's version>}. */
  public static String cudaArtifact() {
    String version = "<the version of dev.jnn:jnn>";
    try (java.io.InputStream in = Backends.class.getResourceAsStream("/dev/jnn/jnn.properties")) {
      if (in != null) {
        java.util.Properties p = new java.util.Properties();
        p.load(in);
        version = p.getProperty("version", version);
      }
    } catch (java.io.IOException e) {
      // keep the placeholder
    }
    return "dev.jnn:jnn-cuda:" + version;
  }

  /** The reason given when no CUDA {@link BackendProvider} is on the class path. */
  static String missingCudaArtifact() {
    return "jnn's CUDA back end is not on the class or module path: add the dependency "
        + cudaArtifact()
        + " (it brings JCuda, cuBLAS/cuDNN bindings and jnn's kernels; NVIDIA GPUs on Linux x86-64)"
        + " next to dev.jnn:jnn; it is found with ServiceLoader ("
        + BackendProvider.class.getName()
        + ")";
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
