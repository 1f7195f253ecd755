package dev.jnn.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The CPU back end's one fixed thread pool. Every multi-threaded kernel splits its work here, so
 * the library never oversubscribes the machine. The size is {@code jnn.cpu.threads} (system
 * property) or {@code JNN_NUM_THREADS} (environment), else the number of available processors.
 */
public final class Parallel {
  private static final int THREADS = resolveThreads();
  private static final ForkJoinPool POOL =
      THREADS <= 1
          ? null
          : new ForkJoinPool(
              THREADS,
              pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("jnn-cpu-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
              },
              null,
              false);

  private Parallel() {}

  /** A body run over the half-open range {@code [start, end)}. */
  @FunctionalInterface
  public interface RangeBody {
    /** Processes items {@code start} (inclusive) to {@code end} (exclusive). */
    void run(int start, int end);
  }

  /** Number of worker threads kernels may use. */
  public static int threads() {
    return THREADS;
  }

  private static int resolveThreads() {
    String p = System.getProperty("jnn.cpu.threads");
    if (p == null) {
      p = System.getenv("JNN_NUM_THREADS");
    }
    if (p != null) {
      try {
        return Math.max(1, Integer.parseInt(p.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("jnn.cpu.threads / JNN_NUM_THREADS must be an integer, got '" + p + "'");
      }
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks, each at
   * least {@code grain} items. Runs inline when the work is small, when there is one thread, or
   * when called from a pool worker (nested parallelism stays on the calling thread).
   */
  public static void parallelFor(int n, int grain, RangeBody body) {
    if (n <= 0) {
      return;
    }
    int chunks = Math.min(THREADS, Math.max(1, n / Math.max(1, grain)));
    if (chunks <= 1 || POOL == null || ForkJoinTask.inForkJoinPool()) {
      body.run(0, n);
      return;
    }
    POOL.invoke(new Chunk(body, n, chunks, 0, chunks));
  }

  private static final class Chunk extends RecursiveAction {
    private final RangeBody body;
    private final int n;
    private final int chunks;
    private final int lo;
    private final int hi;

    Chunk(RangeBody body, int n, int chunks, int lo, int hi) {
      this.body = body;
      this.n = n;
      this.chunks = chunks;
      this.lo = lo;
      this.hi = hi;
    }

    @Override
    protected void compute() {
      if (hi - lo == 1) {
        int start = (int) ((long) n * lo / chunks);
        int end = (int) ((long) n * (lo + 1) / chunks);
        body.run(start, end);
        return;
      }
      int mid = (lo + hi) >>> 1;
      invokeAll(new Chunk(body, n, chunks, lo, mid), new Chunk(body, n, chunks, mid, hi));
    }
  }
}
