package dev.jnn.backend.cuda;

import dev.jnn.core.Device;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-device state shared by all threads: the caching allocator, the loaded kernel module and its
 * functions, the pinned staging area. (Each thread's stream has its own error block: {@link
 * ThreadContext#errorBlock()}.)
 */
final class DeviceState {
  final int index;
  final Device device;
  final CachingAllocator allocator;
  final long module;
  final String moduleKind;
  private final ConcurrentHashMap<String, Long> functions = new ConcurrentHashMap<>();
  private final DeviceApi api;
  /** Pinned host memory for this device's host-device copies. */
  final PinnedStaging staging;
  /** Bytes the back end itself holds (error blocks, cuDNN workspaces): not any tensor's. */
  final java.util.concurrent.atomic.AtomicLong internalBytes = new java.util.concurrent.atomic.AtomicLong();

  DeviceState(DeviceApi api, int index, long module, String moduleKind) {
    this.api = api;
    this.index = index;
    this.device = Device.cuda(index);
    this.allocator = new CachingAllocator(api, index);
    this.staging = new PinnedStaging(api, index, PinnedStaging.CAPACITY);
    this.module = module;
    this.moduleKind = moduleKind;
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
