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
 * <p>Blocks used on other streams too (a tensor handed to another thread, whose stream is its
 * own) follow PyTorch's {@code record_stream} rule: when such a block is freed, an event is
 * recorded on every other stream that used it, and the block returns to its pool only once those
 * events have completed (checked, without blocking, at each allocation). Which streams used a
 * block, and which stream wrote it last, is kept in the block ({@link Block#read}, {@link
 * Block#write}); those calls also order a stream after another stream's pending write or reads
 * with an event ({@code cuStreamWaitEvent}), so that a tensor computed on one thread is correct on
 * another without the user synchronising.
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
    // stream use since the block was handed out (guarded by the block)
    private long writer;
    // streams other than the writer that read since the last write, each already ordered after it
    private long[] readers = NO_STREAMS;
    private long[] used = NO_STREAMS;    // streams other than 'stream' that used the block

    Block(long address, long size, long stream) {
      this.address = address;
      this.size = size;
      this.stream = stream;
      this.writer = stream;
    }

    private void reset() {
      writer = stream;
      readers = NO_STREAMS;
      used = NO_STREAMS;
    }

    /**
     * Work about to be queued on {@code on} reads this block: orders {@code on} after the last
     * write when another stream made it.
     */
    void read(CachingAllocator owner, long on) {
      synchronized (this) {
        if (writer == on) {
          return; // the fast path: one stream
        }
        if (!contains(readers, on)) {
          owner.order(on, writer);
          readers = add(readers, on);
        }
        if (on != stream) {
          used = add(used, on);
        }
      }
    }

    /**
     * Work about to be queued on {@code on} writes this block: orders {@code on} after the last
     * write and every read since made by other streams.
     */
    void write(CachingAllocator owner, long on) {
      synchronized (this) {
        if (writer == on && readers.length == 0) {
          return;
        }
        if (writer != on) {
          owner.order(on, writer);
        }
        for (long r : readers) {
          if (r != on) {
            owner.order(on, r);
          }
        }
        writer = on;
        readers = NO_STREAMS;
        if (on != stream) {
          used = add(used, on);
        }
      }
    }

    /** Streams other than the block's own that used it since it was handed out. */
    synchronized long[] otherStreams() {
      return used;
    }

    private static boolean contains(long[] a, long v) {
      for (long x : a) {
        if (x == v) {
          return true;
        }
      }
      return false;
    }

    private static long[] add(long[] a, long v) {
      if (contains(a, v)) {
        return a;
      }
      long[] r = java.util.Arrays.copyOf(a, a.length + 1);
      r[a.length] = v;
      return r;
    }
  }

  private static final long[] NO_STREAMS = {};

  /** A freed block waiting for the events recorded on the other streams that used it. */
  private record Pending(Block block, long[] events) {}

  private final DeviceApi api;
  private final int device;
  private final Map<Long, Map<Long, ArrayDeque<Block>>> pools = new HashMap<>();
  private final ConcurrentLinkedQueue<Block> deferred = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final ConcurrentLinkedQueue<Long> spareEvents = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicLong crossStreamWaits = new java.util.concurrent.atomic.AtomicLong();
  private long allocated;
  private long reserved;
  private long peak;
  private long cachedBytes;
  private long cachedBlocks;
  private long live;
  private long leaked;
  private long driverAllocations;
  private long allocations;
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
    processPending(false);
    long size = roundUp(bytes);
    Map<Long, ArrayDeque<Block>> bySize = pools.get(stream);
    ArrayDeque<Block> q = bySize == null ? null : bySize.get(size);
    Block b = q == null ? null : q.pollLast();
    if (b != null) {
      cachedBytes -= size;
      cachedBlocks--;
      b.reset();
    } else {
      b = fresh(size, stream);
    }
    allocated += size;
    live++;
    allocations++;
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

  /**
   * Returns a block to its stream's pool (its memory stays reserved); a block other streams used
   * waits for events recorded on them now.
   */
  synchronized void free(Block b) {
    allocated -= b.size;
    live--;
    cachedBytes += b.size;
    cachedBlocks++;
    long[] others = b.otherStreams();
    if (others.length > 0) {
      api.setCurrent(device);
      long[] evs = new long[others.length];
      for (int i = 0; i < others.length; i++) {
        evs[i] = takeEvent();
        api.recordEvent(evs[i], others[i]);
      }
      pending.addLast(new Pending(b, evs));
      return;
    }
    pool(b);
  }

  private void pool(Block b) {
    pools.computeIfAbsent(b.stream, k -> new HashMap<>())
        .computeIfAbsent(b.size, k -> new ArrayDeque<>())
        .addLast(b);
  }

  /** Pools the freed blocks whose events completed (all of them after a device synchronisation). */
  private void processPending(boolean deviceSynchronized) {
    for (var it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      boolean done = true;
      for (long e : p.events()) {
        done &= deviceSynchronized || api.queryEvent(e);
      }
      if (done) {
        it.remove();
        for (long e : p.events()) {
          spareEvents.add(e);
        }
        pool(p.block());
      }
    }
  }

  /** Blocks freed and waiting for other streams' work (tests). */
  synchronized int pendingBlocks() {
    return pending.size();
  }

  /** Times a stream was made to wait for another stream's work on a block. */
  long crossStreamWaits() {
    return crossStreamWaits.get();
  }

  private long takeEvent() {
    Long e = spareEvents.poll();
    return e != null ? e : api.createEvent();
  }

  /**
   * Makes work queued on {@code stream} from now on wait for the work queued on {@code after} so
   * far. Takes no allocator lock (callers hold a block's lock; {@link #free} takes them the other
   * way round).
   */
  void order(long stream, long after) {
    api.setCurrent(device);
    long e = takeEvent();
    api.recordEvent(e, after);
    api.streamWaitEvent(stream, e);
    spareEvents.add(e); // the wait took the event's state: it may be recorded again at once
    crossStreamWaits.incrementAndGet(); // no allocator lock here: callers hold a block's lock
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
    if (cachedBlocks == 0 && pending.isEmpty()) {
      return;
    }
    api.setCurrent(device);
    api.synchronizeDevice();
    processPending(true);
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

  /** The counters the back-end SPI reports ({@link dev.jnn.backend.MemoryOps#allocationStats}). */
  synchronized dev.jnn.backend.AllocationStats allocationStats() {
    drainDeferred();
    return new dev.jnn.backend.AllocationStats(allocated, peak, live, allocations);
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
