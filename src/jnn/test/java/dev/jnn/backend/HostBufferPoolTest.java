package dev.jnn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import org.junit.jupiter.api.Test;

/**
 * {@link HostBufferPool}'s rules: only closed, library-allocated, large arrays come back; they come
 * back for exactly the same type and length, zeroed unless the caller asked for an uninitialized
 * buffer; the closed buffer can no longer reach the array. Sizes are odd numbers unique to each
 * test, so other tests sharing the JVM-wide pool do not interfere.
 */
class HostBufferPoolTest {
  private static final int N = HostBufferPool.MIN_BYTES / 4 + 1013;

  @Test
  void closedArrayIsReusedZeroedAndUnreachableFromTheOldBuffer() {
    HostBuffer a = HostBuffer.allocate(DType.FLOAT32, N);
    float[] arr = a.floats();
    java.util.Arrays.fill(arr, 3f);
    a.close();
    assertTrue(a.isClosed());
    assertThrows(IllegalStateException.class, a::floats);
    HostBuffer b = HostBuffer.allocate(DType.FLOAT32, N);
    assertSame(arr, b.floats(), "the closed buffer's array is reused");
    for (float v : b.floats()) {
      assertEquals(0f, v);
    }
    assertEquals(N, b.floats().length);
    b.close();
    a.close(); // idempotent: the array is not handed out twice
    HostBuffer c = HostBuffer.allocate(DType.FLOAT32, N);
    HostBuffer d = HostBuffer.allocate(DType.FLOAT32, N);
    assertNotSame(c.floats(), d.floats());
  }

  @Test
  void uninitializedSkipsZeroing() {
    HostBuffer a = HostBuffer.allocate(DType.FLOAT64, N + 2);
    a.doubles()[5] = 7.0;
    a.close();
    HostBuffer b = HostBuffer.allocateUninitialized(DType.FLOAT64, N + 2);
    assertEquals(7.0, b.doubles()[5], "recycled as is");
  }

  @Test
  void onlyExactTypeAndLengthMatch() {
    HostBuffer a = HostBuffer.allocate(DType.FLOAT32, N + 4);
    float[] arr = a.floats();
    a.close();
    assertNotSame(arr, HostBuffer.allocate(DType.FLOAT32, N + 6).floats());
    assertTrue(HostBuffer.allocate(DType.INT64, N + 4).longs().length == N + 4);
    assertSame(arr, HostBuffer.allocate(DType.FLOAT32, N + 4).floats());
  }

  @Test
  void wrappedAndSmallArraysAreNeverPooled() {
    float[] mine = new float[N + 8];
    HostBuffer w = HostBuffer.wrap(mine);
    w.close();
    assertNotSame(mine, HostBuffer.allocate(DType.FLOAT32, N + 8).floats());

    HostBuffer small = HostBuffer.allocate(DType.FLOAT32, 100);
    float[] s = small.floats();
    small.close();
    assertNotSame(s, HostBuffer.allocate(DType.FLOAT32, 100).floats());
  }

  @Test
  void countsReuse() {
    HostBufferPool.Stats before = HostBufferPool.stats();
    HostBuffer a = HostBuffer.allocate(DType.FLOAT32, N + 10);
    a.close();
    HostBuffer.allocate(DType.FLOAT32, N + 10);
    HostBufferPool.Stats after = HostBufferPool.stats();
    assertEquals(1, after.misses() - before.misses());
    assertEquals(1, after.hits() - before.hits());
    assertEquals(1, after.returned() - before.returned());
  }
}
