package dev.jnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** {@link Parallel#sumPartials}: load-balanced, yet the same bits whatever the timing. */
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
}
