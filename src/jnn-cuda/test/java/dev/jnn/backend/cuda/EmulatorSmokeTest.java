package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.ReduceOp;
import dev.jnn.backend.UnaryOp;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import org.junit.jupiter.api.Test;

class EmulatorSmokeTest {
  @Test
  void reluAndSum() {
    CudaBackend be = EmulatedCuda.backend();
    float[] x = {-1f, 2f, -3f, 4f, 5f, -6f};
    Buffer d = be.upload(Device.cuda(0), HostBuffer.wrap(x.clone()));
    Buffer o = be.allocate(Device.cuda(0), d.dtype(), 6);
    be.unary(UnaryOp.RELU, View.contiguous(d, new int[] {2, 3}), View.contiguous(o, new int[] {2, 3}), 0, 0);
    assertArrayEquals(new float[] {0, 2, 0, 4, 5, 0}, be.download(View.contiguous(o, new int[] {6})).floats());
    Buffer s = be.allocate(Device.cuda(0), d.dtype(), 2);
    be.reduce(ReduceOp.SUM, d, 0, 2, 3, s);
    assertArrayEquals(new float[] {-2f, 3f}, be.download(View.contiguous(s, new int[] {2})).floats());
  }

  /**
   * Past the emulator's cap on live allocations (each costs two memory mappings, and the process
   * has at most vm.max_map_count of them) its malloc reports out-of-memory like a full device, and
   * the caching allocator's retry path collects the buffers nobody closed instead of the JVM
   * dying on a refused mapping.
   */
  @Test
  void unclosedBuffersPastTheAllocationCapAreCollectedByTheRetryPath() {
    CudaBackend be = EmulatedCuda.backend();
    EmuDeviceApi api = EmulatedCuda.api();
    int cap;
    int old;
    synchronized (EmuDeviceApi.LOCK) {
      cap = EmuNative.liveAllocations() + 32;
      old = EmuDeviceApi.allocationCap;
      EmuDeviceApi.allocationCap = cap;
    }
    try {
      long p = 0;
      int refused = 0;
      java.util.List<Long> held = new java.util.ArrayList<>();
      while (held.size() < 64) {
        p = api.malloc(8);
        if (p == 0) {
          refused++;
          break;
        }
        held.add(p);
      }
      assertEquals(1, refused, "malloc past the cap of live allocations reports out-of-memory (0)");
      assertEquals(cap, EmuNative.liveAllocations());
      for (long q : held) {
        api.free(q);
      }
      // 500 buffers of distinct sizes (no cached block fits the next one), none closed
      for (int i = 0; i < 500; i++) {
        Buffer b = be.allocate(Device.cuda(0), DType.FLOAT32, 1024L * (i + 1));
        assertTrue(b != null);
        assertTrue(EmuNative.liveAllocations() <= cap, "live allocations stay within the cap");
      }
      float[] x = {1f, -2f, 3f};
      Buffer d = be.upload(Device.cuda(0), HostBuffer.wrap(x.clone()));
      assertArrayEquals(x, be.download(View.contiguous(d, new int[] {3})).floats());
    } finally {
      synchronized (EmuDeviceApi.LOCK) {
        EmuDeviceApi.allocationCap = old;
      }
    }
  }
}
