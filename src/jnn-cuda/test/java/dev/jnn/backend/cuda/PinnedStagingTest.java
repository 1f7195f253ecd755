package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PinnedStaging} on the emulated device, whose pinned copies run as late as the host allows
 * (lazy mode), as soon as they are queued (eager mode) or in between (random mode): a staging area
 * that rewrote pinned memory before its DMA ran, or let a DMA overwrite memory the host had not
 * read yet, corrupts the data here.
 */
class PinnedStagingTest {
  @Test
  void manyUploadsThroughASmallRingArriveIntact() {
    EmuDeviceApi api = EmulatedCuda.api();
    EmuDeviceApi.Mode mode = api.mode();
    api.setMode(EmuDeviceApi.Mode.LAZY, 1); // copies run only when waited for
    PinnedStaging st = new PinnedStaging(api, 0, 4096);
    Random r = new Random(1);
    List<long[]> blocks = new ArrayList<>();
    List<float[]> data = new ArrayList<>();
    long stream = api.createStream();
    try {
      // sizes below, at and far above the 2 KiB chunk, so that the ring wraps many times
      for (int n : new int[] {1, 3, 64, 511, 512, 513, 700, 1, 5000, 2, 128, 3000, 17, 1024}) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] = r.nextFloat();
        }
        long dst = api.malloc(4L * n);
        blocks.add(new long[] {dst, n});
        data.add(a.clone());
        assertTrue(st.upload(dst, a, 4L * n, stream));
        java.util.Arrays.fill(a, -1f); // the caller may reuse its array at once
      }
      assertTrue(api.queuedCopies() > 0, "uploads ran synchronously");
      assertTrue(st.waits() > 0, "the ring never wrapped onto a copy in flight");
      // downloads, large ones through the ring too, interleaved with more uploads
      for (int k = 0; k < blocks.size(); k++) {
        long[] b = blocks.get(k);
        float[] back = new float[(int) b[1]];
        assertTrue(st.download(back, b[0], 4 * b[1], stream));
        assertArrayEquals(data.get(k), back, "block " + k + " of " + b[1] + " floats");
        float[] more = {k, k + 0.5f};
        long extra = api.malloc(8);
        st.upload(extra, more, 8, stream);
        double[] check = new double[1];
        st.download(check, extra, 8, stream);
        assertEquals(Double.doubleToRawLongBits(check[0]),
            (long) Float.floatToRawIntBits(k + 0.5f) << 32 | Float.floatToRawIntBits(k) & 0xFFFFFFFFL);
        api.free(extra);
      }
    } finally {
      api.drain();
      for (long[] b : blocks) {
        api.free(b[0]);
      }
      api.setMode(mode, 1);
    }
  }

  /**
   * Round trips of 1 to 33 MiB started at several ring positions, in every emulator mode. A
   * download of two or more chunks keeps two in flight; when the ring's write position was in
   * (0, capacity / 2) at the start, the second chunk's region overlapped the first one's before
   * the host had copied it out (and reused its event), so in eager mode a tensor of 0.5s read
   * back with other values in it. Fails on the code before the fix in eager and random modes.
   */
  @Test
  void largeRoundTripsFromEveryRingPositionInEveryMode() {
    EmuDeviceApi api = EmulatedCuda.api();
    EmuDeviceApi.Mode before = api.mode();
    long[] sizes = {1L << 20, (4L << 20) + 4, 5L << 20, (8L << 20) + 256, 12L << 20, 33L << 20};
    long[] positions = {0, 256, 1L << 20, (3L << 20) + 768, 4L << 20, (6L << 20) + 4};
    try {
      for (EmuDeviceApi.Mode mode : EmuDeviceApi.Mode.values()) {
        api.setMode(mode, 7);
        for (long bytes : sizes) {
          for (long pos : positions) {
            PinnedStaging st = new PinnedStaging(api, 0, PinnedStaging.CAPACITY);
            long stream = api.createStream();
            long dst = api.malloc(bytes);
            long pad = api.malloc(8L << 20);
            try {
              if (pos > 0) { // moves the ring's write position to pos
                assertTrue(st.upload(pad, new byte[(int) pos], pos, stream));
              }
              float[] a = new float[(int) (bytes / 4)];
              for (int i = 0; i < a.length; i++) {
                a[i] = i % 1000 + 0.5f;
              }
              assertTrue(st.upload(dst, a, bytes, stream));
              float[] back = new float[a.length];
              assertTrue(st.download(back, dst, bytes, stream));
              assertArrayEquals(a, back, api.modeText() + ": " + bytes + " bytes from ring position " + pos);
            } finally {
              api.free(dst);
              api.free(pad);
            }
          }
        }
      }
      assertEquals(java.util.List.of(), api.races());
    } finally {
      api.setMode(before, 1);
    }
  }

  @Test
  void everyPrimitiveArrayType() {
    EmuDeviceApi api = EmulatedCuda.api();
    PinnedStaging st = new PinnedStaging(api, 0, 1024);
    long stream = api.createStream();
    long dst = api.malloc(4000);
    try {
      double[] d = new double[300];
      long[] l = new long[300];
      int[] i = new int[600];
      byte[] b = new byte[2001];
      for (int k = 0; k < 300; k++) {
        d[k] = k / 7.0;
        l[k] = -k * 1_000_000_007L;
      }
      for (int k = 0; k < 600; k++) {
        i[k] = k * 31 - 5;
      }
      for (int k = 0; k < b.length; k++) {
        b[k] = (byte) (k * 13);
      }
      st.upload(dst, d, 2400, stream);
      double[] d2 = new double[300];
      st.download(d2, dst, 2400, stream);
      assertArrayEquals(d, d2);
      st.upload(dst, l, 2400, stream);
      long[] l2 = new long[300];
      st.download(l2, dst, 2400, stream);
      assertArrayEquals(l, l2);
      st.upload(dst, i, 2400, stream);
      int[] i2 = new int[600];
      st.download(i2, dst, 2400, stream);
      assertArrayEquals(i, i2);
      st.upload(dst, b, b.length, stream);
      byte[] b2 = new byte[b.length];
      st.download(b2, dst, b.length, stream);
      assertArrayEquals(b, b2);
    } finally {
      api.drain();
      api.free(dst);
    }
  }

  @Test
  void withoutPinnedMemoryTheCallerFallsBack() {
    EmuDeviceApi api = EmulatedCuda.api();
    synchronized (EmuDeviceApi.LOCK) {
      api.refusePinned = true;
    }
    try {
      PinnedStaging st = new PinnedStaging(api, 0, 4096);
      assertFalse(st.upload(0, new float[1], 4, 0));
      assertFalse(st.download(new float[1], 0, 4, 0));
      assertEquals(0, st.pinnedBytes());
    } finally {
      synchronized (EmuDeviceApi.LOCK) {
        api.refusePinned = false;
      }
    }
  }

  @Test
  void tensorsMoveThroughTheDevicesStagingArea() {
    EmulatedCuda.install();
    try {
      DeviceState dev = EmulatedCuda.backend().rt.context(0).device;
      long before = dev.staging.stagedBytes();
      // larger than the ring: chunked both ways
      Tensor x = Tensor.randn(Shape.of(3, 1_000_001), DType.FLOAT32, new dev.jnn.tensor.Generator(4));
      Tensor g = x.to(Device.cuda(0));
      assertArrayEquals(x.toFloatArray(), g.cpu().toFloatArray());
      assertEquals(before + 2 * 12_000_012L, dev.staging.stagedBytes());
      assertEquals(PinnedStaging.CAPACITY, dev.staging.pinnedBytes());
    } finally {
      EmulatedCuda.uninstall();
    }
  }
}
