package dev.jnn.backend.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One device's caching allocator (PyTorch's CUDACachingAllocator, much reduced). Requests are
 * rounded up to size classes (512 B steps below 1 MiB, 2 MiB steps above); freed blocks are kept
 * per stream and per size class and handed out again to allocations on the same stream, which is
 * what makes reuse safe without synchronisation (work on one stream runs in order).
 *
 * <p>When the driver reports out-of-memory the allocator releases every cached block and retries;
 * then it asks the JVM to collect unreachable tensors (their buffers come back through the
 * Cleaner) and retries once more; then it throws {@link CudaOutOfMemoryException} with the
 * requested, live and cached bytes.
 *
 * <p>Buffers garbage-collected without {@link CudaBuffer#close()} are queued by the Cleaner thread
 * ({@link #deferFree}) and returned to their pool by the next allocation: no CUDA call ever runs
 * on the Cleaner thread.
 */
final class CachingAllocator {
  static final long SMALL_LIMIT = 1L << 20;
  static final long SMALL_STEP = 512;
  static final long LARGE_STEP = 2L << 20;

  /** A block of device memory owned by this allocator, tagged with the stream it serves. */
  static final class Block {
    final long address;
    final long size;
    final long stream;

    Block(long address, long size, long stream) {
      this.address = address;
      this.size = size;
      this.stream = stream;
    }
  }

  private final DeviceApi api;
  private final int device;
  private final Map<Long, Map<Long, ArrayDeque<Block>>> pools = new HashMap<>();
  private final ConcurrentLinkedQueue<Block> deferred = new ConcurrentLinkedQueue<>();
  private long allocated;
  private long reserved;
  private long peak;
  private long cachedBytes;
  private long cachedBlocks;
  private long live;
  private long leaked;
  private long driverAllocations;
  private long limit = Long.MAX_VALUE;

  CachingAllocator(DeviceApi api, int device) {
    this.api = api;
    this.device = device;
  }

  /** The size class of a request. */
  static long roundUp(long bytes) {
    long b = Math.max(bytes, 1);
    if (b < SMALL_LIMIT) {
      return (b + SMALL_STEP - 1) / SMALL_STEP * SMALL_STEP;
    }
    return (b + LARGE_STEP - 1) / LARGE_STEP * LARGE_STEP;
  }

  /** A block of at least {@code bytes} bytes for work on {@code stream}. */
  synchronized Block allocate(long bytes, long stream) {
    drainDeferred();
    long size = roundUp(bytes);
    Map<Long, ArrayDeque<Block>> bySize = pools.get(stream);
    ArrayDeque<Block> q = bySize == null ? null : bySize.get(size);
    Block b = q == null ? null : q.pollLast();
    if (b != null) {
      cachedBytes -= size;
      cachedBlocks--;
    } else {
      b = fresh(size, stream);
    }
    allocated += size;
    live++;
    peak = Math.max(peak, allocated);
    return b;
  }

  private Block fresh(long size, long stream) {
    long p = tryMalloc(size);
    if (p == 0) {
      releaseCached();
      p = tryMalloc(size);
    }
    if (p == 0) {
      // unreachable tensors nobody closed still hold memory until the Cleaner returns it
      for (int i = 0; i < 3 && p == 0; i++) {
        System.gc();
        try {
          Thread.sleep(20L << i);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        drainDeferred();
        releaseCached();
        p = tryMalloc(size);
      }
    }
    if (p == 0) {
      throw new CudaOutOfMemoryException(
          String.format(
              "CUDA out of memory. Tried to allocate %s on cuda:%d; %s allocated by live"
                  + " tensors, %s reserved (cached blocks were released and retried)%s",
              human(size), device, human(allocated), human(reserved), totalText()));
    }
    driverAllocations++;
    reserved += size;
    return new Block(p, size, stream);
  }

  private String totalText() {
    try {
      long[] info = api.memoryInfo();
      return String.format("; the device has %s free of %s", human(info[0]), human(info[1]));
    } catch (RuntimeException e) {
      return "";
    }
  }

  private long tryMalloc(long size) {
    if (reserved + size > limit) {
      return 0;
    }
    api.setCurrent(device);
    return api.malloc(size);
  }

  /** Returns a block to its stream's pool (its memory stays reserved). */
  synchronized void free(Block b) {
    allocated -= b.size;
    live--;
    cachedBytes += b.size;
    cachedBlocks++;
    pools.computeIfAbsent(b.stream, k -> new HashMap<>())
        .computeIfAbsent(b.size, k -> new ArrayDeque<>())
        .addLast(b);
  }

  /** Called from the Cleaner thread for a buffer that was never closed. */
  void deferFree(Block b) {
    deferred.add(b);
  }

  private void drainDeferred() {
    Block b;
    while ((b = deferred.poll()) != null) {
      leaked++;
      free(b);
    }
  }

  /** Hands every cached block back to the driver (after the device finished using them). */
  synchronized void emptyCache() {
    drainDeferred();
    releaseCached();
  }

  private void releaseCached() {
    if (cachedBlocks == 0) {
      return;
    }
    api.setCurrent(device);
    api.synchronizeDevice();
    for (Map<Long, ArrayDeque<Block>> bySize : pools.values()) {
      for (ArrayDeque<Block> q : bySize.values()) {
        for (Block b : q) {
          api.free(b.address);
          reserved -= b.size;
        }
      }
    }
    pools.clear();
    cachedBytes = 0;
    cachedBlocks = 0;
  }

  /** The counters. */
  synchronized MemoryStats stats() {
    drainDeferred();
    return new MemoryStats(
        device, allocated, reserved, peak, live, cachedBlocks, leaked, driverAllocations);
  }

  /** Sets the peak back to the current allocation. */
  synchronized void resetPeak() {
    peak = allocated;
  }

  /** Caps the reserved bytes (tests; {@code Long.MAX_VALUE} for none). */
  synchronized void setLimit(long bytes) {
    limit = bytes;
  }

  static String human(long b) {
    if (b < 1024) {
      return b + " B";
    }
    if (b < 1L << 20) {
      return String.format("%.1f KiB", b / 1024.0);
    }
    if (b < 1L << 30) {
      return String.format("%.2f MiB", b / (double) (1L << 20));
    }
    return String.format("%.2f GiB", b / (double) (1L << 30));
  }
}
