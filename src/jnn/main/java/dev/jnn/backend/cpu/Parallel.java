package dev.jnn.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU back end's one fixed thread pool. Every multi-threaded kernel splits its work here, so
 * the library never oversubscribes the machine. The size is {@code jnn.cpu.threads} (system
 * property) or {@code JNN_NUM_THREADS} (environment), else the number of available processors.
 */
public final class Parallel {
  private static final int THREADS = resolveThreads();
  /** Numbers the workers' names (getPoolIndex() is not yet assigned inside the factory). */
  private static final AtomicInteger WORKER_NAMES = new AtomicInteger();
  private static final ForkJoinPool POOL =
      THREADS <= 1
          ? null
          : new ForkJoinPool(
              THREADS,
              pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("jnn-cpu-" + WORKER_NAMES.getAndIncrement());
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

  /** A body that accumulates the items {@code [start, end)} into {@code partial}. */
  @FunctionalInterface
  public interface PartialBody {
    /** Adds the contributions of items {@code start} to {@code end} to {@code partial}. */
    void run(int start, int end, float[] partial);
  }

  /** A body run for one of {@link #forRanges}' fixed ranges. */
  @FunctionalInterface
  public interface RangeTask {
    /** Processes range number {@code range}, items {@code start} to {@code end}. */
    void run(int range, int start, int end);
  }

  /** The calling thread's grow-only partial sums for {@link #sumPartials}, one per range. */
  private static final ThreadLocal<float[][][]> PARTIALS =
      ThreadLocal.withInitial(() -> new float[][][] {new float[0][]});

  /**
   * How many fixed ranges a reduction over {@code n} items uses: two per thread (one on the calling
   * thread, or inside a pool worker, where nested work stays on that thread).
   */
  public static int reductionRanges(int n) {
    return Math.max(1, Math.min(n, POOL == null || ForkJoinTask.inForkJoinPool() ? 1 : 2 * THREADS));
  }

  /**
   * Runs {@code task} for ranges {@code 0 .. ranges-1} of {@code [0, n)} (range r is items {@code
   * [n * r / ranges, n * (r + 1) / ranges)}), the threads taking the next range as they become
   * free. For reductions: give each range its own partial and combine them in range order
   * afterwards, and the result cannot depend on which thread ran which range, or when.
   */
  public static void forRanges(int n, int ranges, RangeTask task) {
    if (n <= 0 || ranges <= 0) {
      return;
    }
    final AtomicInteger next = new AtomicInteger();
    RangeBody worker =
        (s, e) -> {
          for (int r = next.getAndIncrement(); r < ranges; r = next.getAndIncrement()) {
            task.run(r, (int) ((long) n * r / ranges), (int) ((long) n * (r + 1) / ranges));
          }
        };
    if (ranges == 1 || POOL == null || ForkJoinTask.inForkJoinPool()) {
      worker.run(0, 1);
    } else {
      POOL.invoke(new Chunk(worker, THREADS, THREADS, 0, THREADS));
    }
  }

  /**
   * A float sum over items {@code [0, n)} that is reproducible and still balances load: {@link
   * #forRanges} over {@link #reductionRanges} ranges (a thread slowed by other load on the machine
   * does fewer), each range accumulating into its own zeroed partial of {@code size} floats, the
   * partials added into {@code out[0 .. size)} in range order. Only the number of threads can
   * change the result (it sets the ranges).
   */
  public static void sumPartials(int n, int size, float[] out, PartialBody body) {
    if (n <= 0) {
      return;
    }
    final int ranges = reductionRanges(n);
    float[][][] holder = PARTIALS.get();
    if (holder[0].length < ranges) {
      holder[0] = java.util.Arrays.copyOf(holder[0], ranges);
    }
    final float[][] parts = holder[0];
    for (int r = 0; r < ranges; r++) {
      if (parts[r] == null || parts[r].length < size) {
        parts[r] = new float[size];
      }
    }
    forRanges(
        n,
        ranges,
        (r, s, e) -> {
          java.util.Arrays.fill(parts[r], 0, size, 0f);
          body.run(s, e, parts[r]);
        });
    for (int r = 0; r < ranges; r++) {
      float[] part = parts[r];
      for (int i = 0; i < size; i++) {
        out[i] += part[i];
      }
    }
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
