package dev.jnn.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * Page-locked (pinned) host memory through which one device's host-device copies go. Java arrays
 * are pageable and may move during garbage collection, so the driver cannot DMA from them while
 * the host goes on; jnn stages them instead, as PyTorch's {@code pin_memory} does:
 *
 * <ul>
 *   <li>an upload copies the array into a ring of pinned memory and queues an asynchronous DMA on
 *       the stream, then returns: uploads never wait for queued kernels (the old pageable path
 *       synchronised the stream first); uploads larger than half the ring go in chunks;
 *   <li>a download of at least {@link #DOWNLOAD_MIN} bytes is split into chunks whose DMA into the
 *       ring overlaps the copy of the previous chunk into the array.
 * </ul>
 *
 * <p>Before a region of the ring is written again, the event recorded after the DMA that last used
 * it is waited for. The ring ({@link #CAPACITY} bytes) is allocated on first use and kept for the
 * life of the process, like the driver's own staging buffers; when the driver refuses pinned
 * memory the back end falls back to pageable copies. One lock per device: copies from several
 * threads to one device take turns here (their DMAs still queue on each thread's stream).
 */
final class PinnedStaging {
  /** Bytes of pinned memory per device. */
  static final long CAPACITY = 8L << 20;
  /** Downloads from this size on go through the ring; smaller ones are plain synchronous copies. */
  static final long DOWNLOAD_MIN = 1L << 20;
  /** Ring positions are multiples of this (keeps every primitive type's view aligned). */
  static final long ALIGN = 256;

  /** A region of the ring whose DMA may still be running, and the event recorded after it. */
  private record Segment(long start, long end, long event) {}

  private final DeviceApi api;
  private final int device;
  private final long capacity;
  private final ArrayDeque<Segment> inFlight = new ArrayDeque<>();
  private final ArrayDeque<Long> freeEvents = new ArrayDeque<>();
  private ByteBuffer ring;
  private boolean refused;
  private long head;
  private long stagedBytes;
  private long waits;

  PinnedStaging(DeviceApi api, int device, long capacity) {
    if (capacity < 4 * ALIGN || capacity % ALIGN != 0) {
      throw new IllegalArgumentException("staging capacity " + capacity);
    }
    this.api = api;
    this.device = device;
    this.capacity = capacity;
  }

  /** The ring, allocated on first use; null when the driver refused pinned memory. */
  private ByteBuffer ring() {
    if (ring == null && !refused) {
      api.setCurrent(device);
      ring = api.allocPinned(capacity);
      if (ring == null) {
        refused = true;
      } else {
        ring.order(ByteOrder.nativeOrder());
      }
    }
    return ring;
  }

  /**
   * Copies {@code bytes} bytes from the start of a primitive array to device address {@code dst},
   * ordered on {@code stream}; returns when the array may be reused, usually before the data has
   * arrived. Returns false (and does nothing) when no pinned memory is available.
   */
  synchronized boolean upload(long dst, Object array, long bytes, long stream) {
    if (ring() == null) {
      return false;
    }
    long chunk = capacity / 2;
    for (long done = 0; done < bytes; done += chunk) {
      long n = Math.min(chunk, bytes - done);
      long at = reserve(n);
      put(ring, at, array, done, n);
      api.copyPinnedToDeviceAsync(dst + done, ring, at, n, stream);
      inFlight.addLast(new Segment(at, at + n, record(stream)));
    }
    stagedBytes += bytes;
    return true;
  }

  /**
   * Copies {@code bytes} bytes from device address {@code src} into the start of a primitive
   * array, after the work queued on {@code stream}; returns when the array holds them. Returns
   * false (and does nothing) when no pinned memory is available.
   */
  synchronized boolean download(Object array, long src, long bytes, long stream) {
    if (ring() == null) {
      return false;
    }
    long chunk = capacity / 2;
    ArrayDeque<long[]> issued = new ArrayDeque<>(); // {array byte offset, ring offset, bytes, event}
    long next = 0;
    while (next < bytes || !issued.isEmpty()) {
      while (next < bytes && issued.size() < 2) {
        long n = Math.min(chunk, bytes - next);
        // A region whose DMA has finished may still hold a chunk the host has not copied out:
        // reserve() only waits for DMAs, so while the new region overlaps an issued chunk, copy
        // out the oldest one (chunks leave in the order they were issued).
        long at = place(n);
        long end = at + aligned(n);
        while (overlapsAny(issued, at, end)) {
          copyOut(issued.pollFirst(), array);
        }
        at = reserve(n);
        api.copyDeviceToPinnedAsync(ring, at, src + next, n, stream);
        long ev = record(stream);
        inFlight.addLast(new Segment(at, at + n, ev));
        issued.addLast(new long[] {next, at, n, ev});
        next += n;
      }
      if (!issued.isEmpty()) {
        copyOut(issued.pollFirst(), array);
      }
    }
    stagedBytes += bytes;
    return true;
  }

  /** Waits for an issued download chunk's DMA and copies it from the ring into the array. */
  private void copyOut(long[] c, Object array) {
    api.synchronizeEvent(c[3]);
    get(ring, c[1], array, c[0], c[2]);
  }

  private static boolean overlapsAny(ArrayDeque<long[]> issued, long at, long end) {
    for (long[] c : issued) {
      if (c[1] < end && at < c[1] + c[2]) {
        return true;
      }
    }
    return false;
  }

  private static long aligned(long n) {
    return (n + ALIGN - 1) / ALIGN * ALIGN;
  }

  /** Where {@link #reserve} would put {@code n} bytes, without waiting or moving the head. */
  private long place(long n) {
    return head + aligned(n) > capacity ? 0 : head;
  }

  /**
   * A ring offset for {@code n <= capacity / 2} bytes, after waiting for the DMAs still using that
   * region. Segments are in ring order (oldest first): the ones to wait for are a prefix of the
   * queue - on a wrap-around, those left in the skipped tail of the ring, then those overlapping
   * the new region. Waiting for a DMA does not mean the host is done with a download's region:
   * {@link #download} copies out the chunks a new region overlaps before calling this.
   */
  private long reserve(long n) {
    long size = aligned(n);
    long at = place(n);
    boolean wrapped = at != head;
    long oldHead = head;
    while (!inFlight.isEmpty()) {
      Segment s = inFlight.peekFirst();
      boolean skippedTail = wrapped && s.start() >= oldHead;
      boolean overlaps = s.start() < at + size && at < s.end();
      if (!skippedTail && !overlaps) {
        break;
      }
      api.synchronizeEvent(s.event());
      waits++;
      freeEvents.addLast(s.event());
      inFlight.pollFirst();
    }
    head = at + size;
    return at;
  }

  private long record(long stream) {
    Long e = freeEvents.pollFirst();
    long ev = e != null ? e : api.createEvent();
    api.recordEvent(ev, stream);
    return ev;
  }

  /** Copies {@code n} bytes of a primitive array, from byte {@code from}, into the ring at {@code at}. */
  static void put(ByteBuffer ring, long at, Object array, long from, long n) {
    ByteBuffer b = ring.slice((int) at, (int) n).order(ByteOrder.nativeOrder());
    if (array instanceof float[] a) {
      b.asFloatBuffer().put(a, (int) (from / 4), (int) (n / 4));
    } else if (array instanceof double[] a) {
      b.asDoubleBuffer().put(a, (int) (from / 8), (int) (n / 8));
    } else if (array instanceof long[] a) {
      b.asLongBuffer().put(a, (int) (from / 8), (int) (n / 8));
    } else if (array instanceof int[] a) {
      b.asIntBuffer().put(a, (int) (from / 4), (int) (n / 4));
    } else if (array instanceof byte[] a) {
      b.put(a, (int) from, (int) n);
    } else {
      throw new IllegalArgumentException("not a primitive array: " + array);
    }
  }

  /** Copies {@code n} bytes from the ring at {@code at} into a primitive array from byte {@code to}. */
  static void get(ByteBuffer ring, long at, Object array, long to, long n) {
    ByteBuffer b = ring.slice((int) at, (int) n).order(ByteOrder.nativeOrder());
    if (array instanceof float[] a) {
      b.asFloatBuffer().get(a, (int) (to / 4), (int) (n / 4));
    } else if (array instanceof double[] a) {
      b.asDoubleBuffer().get(a, (int) (to / 8), (int) (n / 8));
    } else if (array instanceof long[] a) {
      b.asLongBuffer().get(a, (int) (to / 8), (int) (n / 8));
    } else if (array instanceof int[] a) {
      b.asIntBuffer().get(a, (int) (to / 4), (int) (n / 4));
    } else if (array instanceof byte[] a) {
      b.get(a, (int) to, (int) n);
    } else {
      throw new IllegalArgumentException("not a primitive array: " + array);
    }
  }

  /** Bytes of pinned memory held (0 before first use or when refused). */
  synchronized long pinnedBytes() {
    return ring == null ? 0 : capacity;
  }

  /** Bytes copied through the ring so far. */
  synchronized long stagedBytes() {
    return stagedBytes;
  }

  /** Times a copy waited for an earlier DMA before reusing its region. */
  synchronized long waits() {
    return waits;
  }
}
