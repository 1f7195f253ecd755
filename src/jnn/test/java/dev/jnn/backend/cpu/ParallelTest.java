package dev.jnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel}'s team: every item once, nested and concurrent work on the calling thread,
 * exceptions reach the caller; {@link Parallel#sumPartials}: load-balanced, yet the same bits
 * whatever the timing.
 */
class ParallelTest {
  /** Item i adds values whose float sum depends on the order of addition. */
  private static void add(int i, float[] partial) {
    for (int j = 0; j < partial.length; j++) {
      partial[j] += (float) Math.scalb(1.0 + (i * 7919 + j * 104729) % 1000 / 1000.0, (i * 31 + j) % 40 - 20);
    }
  }

  @Test
  void partialsAreSummedInRangeOrderWhateverTheTiming() {
    int n = 37;
    int size = 11;
    // the reference: ranges as documented (two per thread), each summed from zero, then added
    // into the output in range order
    int ranges = Math.min(n, Parallel.threads() > 1 ? 2 * Parallel.threads() : 1);
    float[] expected = new float[size];
    java.util.Arrays.fill(expected, 0.5f);
    for (int r = 0; r < ranges; r++) {
      float[] part = new float[size];
      for (int i = n * r / ranges; i < n * (r + 1) / ranges; i++) {
        add(i, part);
      }
      for (int j = 0; j < size; j++) {
        expected[j] += part[j];
      }
    }
    Random jitter = new Random(3);
    ConcurrentHashMap<Long, String> threads = new ConcurrentHashMap<>();
    for (int rep = 0; rep < 30; rep++) {
      float[] out = new float[size];
      java.util.Arrays.fill(out, 0.5f);
      long[] delays = new long[n];
      for (int i = 0; i < n; i++) {
        delays[i] = jitter.nextInt(4) == 0 ? 200_000 : 0;
      }
      Parallel.sumPartials(
          n,
          size,
          out,
          (s, e, partial) -> {
            threads.put(Thread.currentThread().getId(), Thread.currentThread().getName());
            for (int i = s; i < e; i++) {
              LockSupport.parkNanos(delays[i]);
              add(i, partial);
            }
          });
      for (int j = 0; j < size; j++) {
        assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(out[j]),
            "rep " + rep + " element " + j + ": " + expected[j] + " vs " + out[j]);
      }
    }
    if (Parallel.threads() > 1) {
      assertTrue(threads.size() > 1, "ranges ran on one thread only: " + threads);
      assertEquals(threads.size(), new java.util.HashSet<>(threads.values()).size(),
          "worker names are distinct: " + threads);
    }
  }

  @Test
  void nothingToSumLeavesTheOutputAlone() {
    float[] out = {1f, 2f};
    Parallel.sumPartials(0, 2, out, (s, e, p) -> p[0] = 99f);
    assertEquals(1f, out[0]);
    assertEquals(2f, out[1]);
  }

  @Test
  void everyItemRunsExactlyOnceRegionAfterRegion() {
    ConcurrentHashMap<Long, String> threads = new ConcurrentHashMap<>();
    for (int rep = 0; rep < 2000; rep++) {
      int n = 1 + rep % 97;
      AtomicIntegerArray seen = new AtomicIntegerArray(n);
      Parallel.parallelFor(
          n,
          1,
          (s, e) -> {
            threads.put(Thread.currentThread().getId(), Thread.currentThread().getName());
            for (int i = s; i < e; i++) {
              seen.incrementAndGet(i);
            }
          });
      for (int i = 0; i < n; i++) {
        assertEquals(1, seen.get(i), "rep " + rep + " item " + i);
      }
    }
    if (Parallel.threads() > 1) {
      assertTrue(threads.size() > 1, "items ran on one thread only: " + threads);
      assertTrue(threads.containsKey(Thread.currentThread().getId()),
          "the calling thread takes part in its regions: " + threads);
    }
  }

  @Test
  void forEachHandsOutEveryUnitOnceAndASlowThreadDoesFewer() {
    int units = 24;
    AtomicIntegerArray seen = new AtomicIntegerArray(units);
    ConcurrentHashMap<Long, AtomicInteger> perThread = new ConcurrentHashMap<>();
    Thread caller = Thread.currentThread();
    Parallel.forEach(
        units,
        u -> {
          seen.incrementAndGet(u);
          perThread.computeIfAbsent(Thread.currentThread().getId(), k -> new AtomicInteger())
              .incrementAndGet();
          // the calling thread is ten times slower than the workers
          LockSupport.parkNanos(Thread.currentThread() == caller ? 20_000_000 : 2_000_000);
        });
    for (int u = 0; u < units; u++) {
      assertEquals(1, seen.get(u), "unit " + u);
    }
    if (Parallel.threads() > 1) {
      int mine = perThread.getOrDefault(caller.getId(), new AtomicInteger()).get();
      assertTrue(mine < units / Parallel.threads(),
          "the slow thread took " + mine + " of " + units + " units: " + perThread);
    }
    Parallel.forEach(0, u -> { throw new AssertionError("no units"); });
  }

  @Test
  void theTeamKeepsNothingOfAFinishedRegion() throws InterruptedException {
    java.lang.ref.WeakReference<float[]> ref = runRegionOverABigArray();
    for (int i = 0; i < 20 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertTrue(ref.get() == null, "a finished region's arrays are still reachable");
  }

  private static java.lang.ref.WeakReference<float[]> runRegionOverABigArray() {
    float[] big = new float[1 << 22];
    Parallel.parallelFor(big.length, 1024, (s, e) -> java.util.Arrays.fill(big, s, e, 1f));
    assertEquals(1f, big[big.length - 1]);
    return new java.lang.ref.WeakReference<>(big);
  }

  @Test
  void nestedWorkRunsOnTheThreadThatStartsIt() {
    assertEquals(Parallel.threads() > 1, Parallel.canSplit());
    AtomicInteger mismatches = new AtomicInteger();
    AtomicInteger splittable = new AtomicInteger();
    AtomicInteger nestedItems = new AtomicInteger();
    AtomicInteger outerChunks = new AtomicInteger();
    Parallel.parallelFor(
        8,
        1,
        (s, e) -> {
          outerChunks.incrementAndGet();
          Thread outer = Thread.currentThread();
          if (Parallel.canSplit()) {
            splittable.incrementAndGet();
          }
          if (Parallel.reductionRanges(100) != 1) {
            splittable.incrementAndGet();
          }
          Parallel.parallelFor(
              100,
              1,
              (s2, e2) -> {
                if (Thread.currentThread() != outer) {
                  mismatches.incrementAndGet();
                }
                nestedItems.addAndGet(e2 - s2);
              });
        });
    assertEquals(0, mismatches.get(), "nested chunks ran on another thread");
    assertEquals(0, splittable.get(), "inside a region, work must not split again");
    assertEquals(100 * outerChunks.get(), nestedItems.get(), "every nested item once");
  }

  @Test
  void aChunksExceptionReachesTheCallerAfterTheRegionEnds() {
    RuntimeException boom = new IllegalStateException("boom");
    AtomicInteger finished = new AtomicInteger();
    RuntimeException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                Parallel.parallelFor(
                    4,
                    1,
                    (s, e) -> {
                      if (e == 4) {
                        throw boom;
                      }
                      LockSupport.parkNanos(20_000_000);
                      finished.incrementAndGet();
                    }));
    assertSame(boom, thrown);
    // the other chunks had finished when the exception arrived: nothing runs on after the call
    assertEquals(Parallel.threads() > 1 ? Math.min(4, Parallel.threads()) - 1 : 0, finished.get());
    // and the team still works
    AtomicInteger count = new AtomicInteger();
    Parallel.parallelFor(100, 1, (s, e) -> count.addAndGet(e - s));
    assertEquals(100, count.get());
  }

  @Test
  void concurrentCallersAllFinishWithTheirOwnResults() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          int callers = 4;
          Thread[] ts = new Thread[callers];
          AtomicReference<Throwable> failure = new AtomicReference<>();
          CountDownLatch start = new CountDownLatch(1);
          for (int c = 0; c < callers; c++) {
            final int id = c;
            ts[c] = new Thread(() -> {
              try {
                start.await();
                for (int r = 0; r < 300; r++) {
                  final int rep = r;
                  int n = 50 + (rep + id) % 50;
                  long[] out = new long[n];
                  Parallel.parallelFor(n, 1, (s, e) -> {
                    for (int i = s; i < e; i++) {
                      out[i] = (long) i * id + rep;
                    }
                  });
                  for (int i = 0; i < n; i++) {
                    assertEquals((long) i * id + rep, out[i]);
                  }
                }
              } catch (Throwable t) {
                failure.compareAndSet(null, t);
              }
            });
            ts[c].start();
          }
          start.countDown();
          for (Thread t : ts) {
            t.join();
          }
          if (failure.get() != null) {
            throw new AssertionError(failure.get());
          }
        });
  }

  @Test
  void anotherThreadsRegionDoesNotChangeHowWorkIsSplit() throws Exception {
    if (Parallel.threads() < 2) {
      assertEquals(1, Parallel.reductionRanges(100));
      return;
    }
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread other = new Thread(() -> Parallel.parallelFor(2, 1, (s, e) -> {
      inside.countDown();
      try {
        release.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }));
    other.start();
    try {
      assertTrue(inside.await(30, java.util.concurrent.TimeUnit.SECONDS));
      assertTrue(Parallel.canSplit(), "this thread is not inside the other's region");
      assertEquals(2 * Parallel.threads(), Parallel.reductionRanges(100));
      // its work runs here meanwhile, and completes
      AtomicInteger count = new AtomicInteger();
      Parallel.parallelFor(100, 1, (s, e) -> count.addAndGet(e - s));
      assertEquals(100, count.get());
    } finally {
      release.countDown();
      other.join();
    }
    assertFalse(other.isAlive());
  }
}
