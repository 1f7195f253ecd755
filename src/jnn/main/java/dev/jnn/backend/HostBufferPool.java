package dev.jnn.backend;

import dev.jnn.core.DType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycles the Java arrays of closed {@link HostBuffer}s, so that a training loop whose
 * temporaries are closed (by {@code MemoryScope}, by autograd once a gradient is consumed, or by
 * hand) allocates no new large arrays once it has run a step: each allocation of a size seen before
 * takes an array back from here instead of asking the JVM for a fresh one (which costs zeroing,
 * page faults on fresh heap, and garbage-collection work).
 *
 * <p>Correctness rests on three rules, each enforced in one place:
 *
 * <ul>
 *   <li>An array enters the pool only from {@link HostBuffer#close()}, which first drops the
 *       buffer's reference to it (any later use of that buffer throws), and only once: the buffer
 *       is owned by exactly one {@code Storage}, which closes it when its last tensor is closed.
 *   <li>Only arrays the library allocated itself ({@link HostBuffer#allocate}) are recycled, never
 *       an array a caller wrapped ({@link HostBuffer#wrap(float[])}).
 *   <li>Buckets are exact lengths, so a recycled buffer's array length is its element count, as
 *       for a fresh one. {@link HostBuffer#allocate} zero-fills a recycled array; only {@link
 *       HostBuffer#allocateUninitialized} (for outputs a kernel overwrites entirely) skips that.
 * </ul>
 *
 * <p>Arrays smaller than {@link #MIN_BYTES} are not pooled (the JVM allocates those cheaply in the
 * thread-local allocation buffer). The pool holds at most {@code jnn.cpu.pool.mb} MiB (system
 * property; default a quarter of the maximum heap, at most 2 GiB; 0 disables pooling); beyond
 * that, closed arrays are left to the garbage collector. Thread-safe.
 */
public final class HostBufferPool {
  /** Smallest array (in bytes) that is pooled. */
  public static final int MIN_BYTES = 32 * 1024;

  private static final Object LOCK = new Object();
  private static final Map<Long, ArrayDeque<Object>> FREE = new HashMap<>();
  private static long limitBytes = defaultLimit();
  private static long pooledBytes;
  private static long hits;
  private static long misses;
  private static long returned;
  private static long dropped;

  private HostBufferPool() {}

  private static long defaultLimit() {
    String p = System.getProperty("jnn.cpu.pool.mb");
    if (p != null) {
      try {
        return Math.max(0, Long.parseLong(p.trim())) << 20;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("jnn.cpu.pool.mb must be an integer, got '" + p + "'");
      }
    }
    return Math.min(Runtime.getRuntime().maxMemory() / 4, 2L << 30);
  }

  private static long key(DType dtype, int length) {
    return ((long) dtype.ordinal() << 32) | (length & 0xffffffffL);
  }

  /** Whether an array of this type and length is pooled at all. */
  static boolean poolable(DType dtype, int length) {
    return (long) length * dtype.byteSize() >= MIN_BYTES;
  }

  /** A recycled array of exactly this type and length, or null (not zeroed). */
  static Object take(DType dtype, int length) {
    synchronized (LOCK) {
      ArrayDeque<Object> q = FREE.get(key(dtype, length));
      Object a = q == null ? null : q.pollLast();
      if (a == null) {
        misses++;
        return null;
      }
      hits++;
      pooledBytes -= (long) length * dtype.byteSize();
      return a;
    }
  }

  /** Takes back the array of a buffer that was just closed. */
  static void give(DType dtype, int length, Object array) {
    long bytes = (long) length * dtype.byteSize();
    synchronized (LOCK) {
      if (pooledBytes + bytes > limitBytes) {
        dropped++;
        return;
      }
      FREE.computeIfAbsent(key(dtype, length), k -> new ArrayDeque<>()).addLast(array);
      pooledBytes += bytes;
      returned++;
    }
  }

  /** Counters since start (or the last {@link #clear()}). */
  public record Stats(long hits, long misses, long returned, long dropped, long pooledBytes,
      long limitBytes) {
    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "host buffer pool: %d reused, %d fresh, %d returned, %d dropped, %.1f MiB held (limit %d MiB)",
          hits, misses, returned, dropped, pooledBytes / 1048576.0, limitBytes >> 20);
    }
  }

  /** The current counters. */
  public static Stats stats() {
    synchronized (LOCK) {
      return new Stats(hits, misses, returned, dropped, pooledBytes, limitBytes);
    }
  }

  /** Drops every pooled array (they become garbage) and resets the counters. */
  public static void clear() {
    synchronized (LOCK) {
      FREE.clear();
      pooledBytes = 0;
      hits = 0;
      misses = 0;
      returned = 0;
      dropped = 0;
    }
  }

  /** Sets the most bytes the pool may hold (0 disables pooling); drops everything pooled now. */
  public static void setLimitBytes(long bytes) {
    synchronized (LOCK) {
      limitBytes = Math.max(0, bytes);
      FREE.clear();
      pooledBytes = 0;
    }
  }
}
