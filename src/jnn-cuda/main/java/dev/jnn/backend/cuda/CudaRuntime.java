package dev.jnn.backend.cuda;

import java.nio.charset.StandardCharsets;

/**
 * The CUDA back end's state: the driver ({@link DeviceApi}), cuBLAS ({@link Blas}), cuDNN ({@link
 * Dnn}), the kernel module, per-device state (created on first use of a device) and per-thread
 * contexts (one stream per device per thread).
 */
final class CudaRuntime {
  final DeviceApi api;
  final Blas blas;
  final Dnn dnn;
  final KernelSignatures signatures;
  /** How the native libraries were found and loaded (for {@link Cuda#describe()}). */
  final String loadReport;
  private final DeviceState[] devices;
  private final ThreadLocal<ThreadContext[]> contexts;

  CudaRuntime(DeviceApi api, Blas blas, Dnn dnn, String loadReport) {
    this.api = api;
    this.blas = blas;
    this.dnn = dnn;
    this.loadReport = loadReport;
    this.signatures = KernelImages.signatures();
    int n = api.deviceCount();
    this.devices = new DeviceState[n];
    this.contexts = ThreadLocal.withInitial(() -> new ThreadContext[n]);
  }

  int deviceCount() {
    return devices.length;
  }

  /** The state of device {@code index}, loading the kernel module on first use. */
  DeviceState device(int index) {
    if (index < 0 || index >= devices.length) {
      throw new IllegalArgumentException(
          "CUDA error: invalid device ordinal (cuda:" + index + " requested, " + devices.length
              + " device" + (devices.length == 1 ? "" : "s") + " available)");
    }
    DeviceState d = devices[index];
    if (d == null) {
      synchronized (this) {
        d = devices[index];
        if (d == null) {
          d = initDevice(index);
          devices[index] = d;
        }
      }
    }
    return d;
  }

  /** Devices initialised so far (null entries for unused ones). */
  DeviceState[] initialisedDevices() {
    return devices.clone();
  }

  private DeviceState initDevice(int index) {
    api.setCurrent(index);
    String kind = KernelImages.choose(api.driverVersion());
    long module;
    String used;
    if (kind.equals("fatbin")) {
      try {
        module = api.loadModule(KernelImages.resource(KernelImages.FATBIN), false);
        used = "fatbin (sm_80/86/89/90 SASS + compute_75 PTX)";
      } catch (RuntimeException e) {
        module = api.loadModule(KernelImages.ptx().getBytes(StandardCharsets.UTF_8), true);
        used = "PTX 8.0 (JIT; the fatbin failed: " + e.getMessage() + ")";
      }
    } else {
      module = api.loadModule(KernelImages.ptx().getBytes(StandardCharsets.UTF_8), true);
      used = "PTX 8.0 (JIT)";
    }
    return new DeviceState(api, index, module, used);
  }

  /** The calling thread's context on {@code device}; makes that device current. */
  ThreadContext context(int device) {
    ThreadContext[] mine = contexts.get();
    ThreadContext c = device >= 0 && device < mine.length ? mine[device] : null;
    if (c == null) {
      DeviceState d = device(device);
      api.setCurrent(device);
      c = new ThreadContext(this, d, api.createStream());
      mine[device] = c;
    } else {
      api.setCurrent(device);
    }
    return c;
  }

  /** Launches {@code name} on {@code ctx}'s stream after checking the arguments. */
  void launch(ThreadContext ctx, String name, int gridX, int gridY, int block, KernelArgs args) {
    KernelSignatures.Signature s = signatures.get(name);
    signatures.check(name, args);
    api.launch(ctx.device.function(name), gridX, gridY, block, ctx.stream, args, s.usesBarrier());
  }
}
