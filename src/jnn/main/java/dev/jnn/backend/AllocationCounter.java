package dev.jnn.backend;

/**
 * Thread-safe counters behind {@link AllocationStats}, for back ends that do not have an
 * allocator of their own (the CPU's host buffers): {@link #allocated} when a buffer is handed out,
 * {@link #freed} when it is closed (exactly once per buffer).
 */
public final class AllocationCounter {
  private long allocated;
  private long peak;
  private long live;
  private long total;

  /** Counts a buffer of {@code bytes} bytes handed out. */
  public synchronized void allocated(long bytes) {
    allocated += bytes;
    live++;
    total++;
    if (allocated > peak) {
      peak = allocated;
    }
  }

  /** Counts the release of a buffer of {@code bytes} bytes counted by {@link #allocated}. */
  public synchronized void freed(long bytes) {
    allocated -= bytes;
    live--;
  }

  /** The counters now. */
  public synchronized AllocationStats stats() {
    return new AllocationStats(allocated, peak, live, total);
  }

  /** Sets the peak back to the bytes allocated now. */
  public synchronized void resetPeak() {
    peak = allocated;
  }
}
