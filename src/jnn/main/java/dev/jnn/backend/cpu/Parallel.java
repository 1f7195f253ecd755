package dev.jnn.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU back end's one fixed team of threads. Every multi-threaded kernel splits its work here,
 * so the library never oversubscribes the machine. The size is {@code jnn.cpu.threads} (system
 * property) or {@code JNN_NUM_THREADS} (environment), else the number of available processors.
 *
 * <p>A parallel region runs on the calling thread and {@code threads() - 1} daemon workers ({@code
 * jnn-cpu-0, ...}), which take its chunks dynamically: a worker that wakes late finds its chunk
 * done by the others instead of holding the region up. Workers spin briefly ({@link #SPIN_NS})
 * between regions before they park, and the caller spins the same while it waits for the last
 * chunk, so the back-to-back regions of a network's forward pass (about two hundred in a ResNet-50
 * batch-1 forward, most under a millisecond) do not each pay a futex wake-up or two (the
 * fork/join pool this replaced lost ~110 us a region on a 2-vCPU VM, and the caller sat idle).
 *
 * <p>One region runs at a time. Work started from inside a region (nested parallelism, on a worker
 * or on the region's caller) runs on that thread, and so does work another application thread
 * starts while a region is running; neither changes how work is split ({@link #reductionRanges}
 * depends only on the thread count and on nesting), so results never depend on timing.
 */
public final class Parallel {
  private static final int THREADS = resolveThreads();
  /** How long a worker or a waiting caller spins before it parks. */
  static final long SPIN_NS = 50_000;
  private static final Team TEAM = THREADS <= 1 ? null : new Team(THREADS - 1);

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
    if (chunks <= 1 || TEAM == null || !TEAM.run(body, n, chunks)) {
      body.run(0, n);
    }
  }

  /**
   * Runs {@code body} for units {@code 0 .. units-1} on all threads, each thread taking the next
   * unit as it becomes free: a thread slowed by other load on the machine (on a shared VM a core's
   * throughput was seen to swing 2x within seconds) hands its share to the others, where {@link
   * #parallelFor}'s equal chunks would wait for it. For units of comparable, sizeable work (an
   * image, a block of a product).
   */
  public static void forEach(int units, java.util.function.IntConsumer body) {
    if (units <= 1) {
      if (units == 1) {
        body.accept(0);
      }
      return;
    }
    forRanges(units, units, (r, s, e) -> body.accept(r));
  }

  /**
   * Whether work started on the calling thread now may be split over the team: there is more
   * than one thread and the caller is not inside a region (on a worker, or the region's caller).
   */
  public static boolean canSplit() {
    return TEAM != null && !TEAM.inRegion(Thread.currentThread());
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
   * How many fixed ranges a reduction over {@code n} items uses: two per thread (one inside a
   * region, where nested work stays on the thread that runs it).
   */
  public static int reductionRanges(int n) {
    return Math.max(1, Math.min(n, canSplit() ? 2 * THREADS : 1));
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
    // one chunk per range: the team's chunks are already handed out to whichever thread is free
    RangeBody body =
        (r0, r1) -> {
          for (int r = r0; r < r1; r++) {
            task.run(r, (int) ((long) n * r / ranges), (int) ((long) n * (r + 1) / ranges));
          }
        };
    if (ranges == 1 || TEAM == null || !TEAM.run(body, ranges, ranges)) {
      body.run(0, ranges);
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

  /** The work of one region: chunks of {@code [0, n)}, claimed dynamically. */
  private static final class Job {
    /** Cleared when the region ends: the team's last job must not keep its arrays reachable. */
    RangeBody body;
    final int n;
    final int chunks;
    final Thread caller;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger pending;
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    volatile boolean callerParked;

    Job(RangeBody body, int n, int chunks, Thread caller) {
      this.body = body;
      this.n = n;
      this.chunks = chunks;
      this.caller = caller;
      this.pending = new AtomicInteger(chunks);
    }

    /** Runs chunks until none is left; a body's exception is kept for the caller. */
    void work() {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        try {
          body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
        if (pending.decrementAndGet() == 0 && callerParked) {
          LockSupport.unpark(caller);
        }
      }
    }

    /** The caller's wait for the chunks other threads are still running. */
    void await() {
      if (pending.get() == 0) {
        return;
      }
      long deadline = System.nanoTime() + SPIN_NS;
      while (pending.get() != 0 && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
      if (pending.get() == 0) {
        return;
      }
      boolean interrupted = false;
      callerParked = true;
      while (pending.get() != 0) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
      callerParked = false;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The workers and the region they are running (or last ran). */
  private static final class Team {
    private final Worker[] workers;
    /** The thread running a region, else null: one region at a time. */
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    volatile Job job;

    Team(int size) {
      workers = new Worker[size];
      for (int i = 0; i < size; i++) {
        workers[i] = new Worker(this, "jnn-cpu-" + i);
        workers[i].start();
      }
    }

    boolean inRegion(Thread t) {
      return t instanceof Worker || owner.get() == t;
    }

    /**
     * Runs {@code body} over {@code chunks} chunks of {@code [0, n)} on the calling thread and the
     * workers; false (nothing run) when the caller is inside a region or another thread's region
     * is running.
     */
    boolean run(RangeBody body, int n, int chunks) {
      Thread me = Thread.currentThread();
      if (me instanceof Worker || !owner.compareAndSet(null, me)) {
        return false;
      }
      Job j = new Job(body, n, chunks, me);
      try {
        job = j;
        for (Worker w : workers) {
          if (w.parked) {
            LockSupport.unpark(w);
          }
        }
        j.work();
        j.await();
      } finally {
        // every claimed chunk has finished (await), and later claims find none left
        j.body = null;
        owner.set(null);
      }
      Throwable t = j.failure.get();
      if (t instanceof RuntimeException e) {
        throw e;
      } else if (t instanceof Error e) {
        throw e;
      } else if (t != null) {
        throw new RuntimeException(t);
      }
      return true;
    }
  }

  private static final class Worker extends Thread {
    private final Team team;
    volatile boolean parked;

    Worker(Team team, String name) {
      super(name);
      this.team = team;
      setDaemon(true);
    }

    @Override
    public void run() {
      Job seen = null;
      while (true) {
        Job j = team.job;
        if (j == seen) {
          long deadline = System.nanoTime() + SPIN_NS;
          while ((j = team.job) == seen && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
          }
          if (j == seen) {
            parked = true;
            while ((j = team.job) == seen) {
              LockSupport.park(team);
            }
            parked = false;
          }
        }
        seen = j;
        j.work();
      }
    }
  }
}
