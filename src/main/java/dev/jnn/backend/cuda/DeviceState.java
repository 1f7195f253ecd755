package dev.jnn.backend.cuda;

import dev.jnn.core.Device;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-device state shared by all threads: the caching allocator, the loaded kernel module and its
 * functions, and the error block kernels report data-dependent errors into.
 */
final class DeviceState {
  final int index;
  final Device device;
  final CachingAllocator allocator;
  final long module;
  final String moduleKind;
  private final ConcurrentHashMap<String, Long> functions = new ConcurrentHashMap<>();
  private final DeviceApi api;
  /** 4 x int64 {code, value, dim, size}; zero when no error is pending. */
  final CachingAllocator.Block errorBlock;
  /** Pinned host memory for this device's host-device copies. */
  final PinnedStaging staging;
  /** Bytes the back end itself holds (error block, cuDNN workspaces): not any tensor's. */
  final java.util.concurrent.atomic.AtomicLong internalBytes = new java.util.concurrent.atomic.AtomicLong();
  /** Set when a kernel that can report an error was launched since the last check. */
  volatile boolean errorCheckPending;

  DeviceState(DeviceApi api, int index, long module, String moduleKind, long errorStream) {
    this.api = api;
    this.index = index;
    this.device = Device.cuda(index);
    this.allocator = new CachingAllocator(api, index);
    this.staging = new PinnedStaging(api, index, PinnedStaging.CAPACITY);
    this.module = module;
    this.moduleKind = moduleKind;
    this.errorBlock = allocator.allocate(32, errorStream);
    internalBytes.addAndGet(errorBlock.size);
    api.memsetZeroAsync(errorBlock.address, 32, errorStream);
    api.synchronizeStream(errorStream);
  }

  /** The kernel {@code name} of this device's module. */
  long function(String name) {
    Long f = functions.get(name);
    if (f == null) {
      f = api.function(module, name);
      functions.put(name, f);
    }
    return f;
  }
}
