package dev.jnn.backend.cuda;

import dev.jnn.backend.Backend;
import dev.jnn.backend.Backends;
import dev.jnn.core.CudaUnavailableException;
import dev.jnn.core.Device;
import java.util.ArrayList;
import java.util.List;

/**
 * CUDA for users ({@code torch.cuda}): availability and the reason when unavailable, devices,
 * synchronisation and the caching allocator's memory statistics.
 *
 * <pre>{@code
 * Device dev = Cuda.isAvailable() ? Device.cuda() : Device.CPU;
 * model.to(dev);
 * System.out.println(Cuda.describe());
 * }</pre>
 */
public final class Cuda {
  private Cuda() {}

  /** Whether a usable GPU exists (the first call loads the native libraries). */
  public static boolean isAvailable() {
    return Backends.cudaUnavailableReason() == null;
  }

  /** Why CUDA cannot be used, or null when it can. */
  public static String unavailableReason() {
    return Backends.cudaUnavailableReason();
  }

  /** Number of GPUs, 0 when CUDA is unavailable. */
  public static int deviceCount() {
    CudaBackend b = backendOrNull();
    return b == null ? 0 : b.rt.deviceCount();
  }

  private static CudaBackend backendOrNull() {
    try {
      Backend b = Backends.forDevice(Device.cuda(0));
      return b instanceof CudaBackend c ? c : null;
    } catch (CudaUnavailableException e) {
      return null;
    }
  }

  private static CudaBackend backend() {
    Backend b = Backends.forDevice(Device.cuda(0));
    if (b instanceof CudaBackend c) {
      return c;
    }
    throw new IllegalStateException("the CUDA back end in use is not jnn's (" + b.getClass() + ")");
  }

  /**
   * A multi-line description: devices, driver, the cuBLAS / cuDNN versions and how they were
   * loaded (direct or through the shims), the kernel image in use, the settings; or the reason
   * CUDA is unavailable.
   */
  public static String describe() {
    CudaBackend b = backendOrNull();
    if (b == null) {
      return "CUDA is not available: " + unavailableReason();
    }
    CudaRuntime rt = b.rt;
    StringBuilder sb = new StringBuilder();
    int drv = rt.api.driverVersion();
    sb.append("CUDA driver ").append(drv / 1000).append('.').append(drv % 1000 / 10)
        .append(" (").append(drv).append("), ").append(rt.deviceCount()).append(" device(s)\n");
    DeviceState[] init = rt.initialisedDevices();
    for (int i = 0; i < rt.deviceCount(); i++) {
      int[] cc = rt.api.computeCapability(i);
      sb.append("  cuda:").append(i).append(": ").append(rt.api.deviceName(i)).append(", sm_")
          .append(cc[0]).append(cc[1]).append(", ")
          .append(CachingAllocator.human(rt.api.totalMemory(i)));
      if (init[i] != null) {
        sb.append(", kernels: ").append(init[i].moduleKind);
      }
      sb.append('\n');
    }
    sb.append(rt.blas.describe()).append('\n');
    sb.append(rt.dnn.describe()).append('\n');
    sb.append(rt.loadReport);
    return sb.toString().trim();
  }

  /** Waits for the calling thread's work on every initialised device; reports kernel errors. */
  public static void synchronize() {
    CudaBackend b = backend();
    DeviceState[] init = b.rt.initialisedDevices();
    for (int i = 0; i < init.length; i++) {
      if (init[i] != null) {
        b.synchronize(i);
      }
    }
  }

  /** Waits for the calling thread's work on {@code device}. */
  public static void synchronize(int device) {
    backend().synchronize(device);
  }

  /** Memory statistics of {@code cuda:0}. */
  public static MemoryStats memoryStats() {
    return memoryStats(0);
  }

  /** Memory statistics of {@code cuda:device}. */
  public static MemoryStats memoryStats(int device) {
    return backend().rt.device(device).allocator.stats();
  }

  /** Statistics of every initialised device. */
  public static List<MemoryStats> allMemoryStats() {
    List<MemoryStats> out = new ArrayList<>();
    for (DeviceState d : backend().rt.initialisedDevices()) {
      if (d != null) {
        out.add(d.allocator.stats());
      }
    }
    return out;
  }

  /** Returns all cached (unused) device memory to the driver ({@code torch.cuda.empty_cache}). */
  public static void emptyCache() {
    for (DeviceState d : backend().rt.initialisedDevices()) {
      if (d != null) {
        d.allocator.emptyCache();
      }
    }
  }

  /** Resets the peak-allocation counters to the current allocation. */
  public static void resetPeakMemoryStats() {
    for (DeviceState d : backend().rt.initialisedDevices()) {
      if (d != null) {
        d.allocator.resetPeak();
      }
    }
  }
}
