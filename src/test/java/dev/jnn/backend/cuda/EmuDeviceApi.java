package dev.jnn.backend.cuda;

/**
 * {@link DeviceApi} over the CPU kernel emulator: one "device" whose memory is host memory with
 * guard pages, kernels run by the emulator. Every pointer a copy or a kernel argument uses must lie
 * inside a live allocation, which catches address arithmetic errors before they run.
 */
final class EmuDeviceApi implements DeviceApi {
  static final Object LOCK = new Object();
  private long streams;
  long launches;

  @Override
  public int deviceCount() {
    return 1;
  }

  @Override
  public int driverVersion() {
    return 13000;
  }

  @Override
  public String deviceName(int device) {
    return "CPU emulation of jnn's CUDA kernels";
  }

  @Override
  public int[] computeCapability(int device) {
    return new int[] {9, 0};
  }

  @Override
  public long totalMemory(int device) {
    return 1L << 30;
  }

  @Override
  public void setCurrent(int device) {
    if (device != 0) {
      throw new IllegalArgumentException("emulated device " + device);
    }
  }

  @Override
  public long createStream() {
    synchronized (LOCK) {
      return ++streams;
    }
  }

  @Override
  public long malloc(long bytes) {
    synchronized (LOCK) {
      return EmuNative.malloc(bytes);
    }
  }

  @Override
  public void free(long address) {
    synchronized (LOCK) {
      runQueued(Long.MAX_VALUE);
      if (!EmuNative.free(address)) {
        throw new IllegalStateException("free of an address that is no allocation: 0x" + Long.toHexString(address));
      }
    }
  }

  private static void checkRange(long p, long bytes, String what) {
    if (!EmuNative.valid(p, bytes)) {
      throw new IllegalStateException(what + ": [0x" + Long.toHexString(p) + ", +" + bytes
          + ") is not inside one live device allocation");
    }
  }

  @Override
  public void memsetZeroAsync(long address, long bytes, long stream) {
    synchronized (LOCK) {
      runQueued(Long.MAX_VALUE);
      checkRange(address, bytes, "memset");
      EmuNative.memset(address, 0, bytes);
    }
  }

  @Override
  public void copyHostToDevice(long dst, Object array, long bytes, long stream) {
    synchronized (LOCK) {
      runQueued(Long.MAX_VALUE);
      checkRange(dst, bytes, "copyHostToDevice");
      EmuNative.copyToDevice(dst, array, bytes);
    }
  }

  @Override
  public void copyDeviceToHost(Object array, long src, long bytes, long stream) {
    synchronized (LOCK) {
      runQueued(Long.MAX_VALUE);
      checkRange(src, bytes, "copyDeviceToHost");
      EmuNative.copyToHost(array, src, bytes);
    }
  }

  @Override
  public void copyDeviceToDeviceAsync(long dst, long src, long bytes, long stream) {
    synchronized (LOCK) {
      runQueued(Long.MAX_VALUE);
      checkRange(dst, bytes, "copyDeviceToDevice dst");
      checkRange(src, bytes, "copyDeviceToDevice src");
      EmuNative.copyDeviceToDevice(dst, src, bytes);
    }
  }

  @Override
  public void synchronizeStream(long stream) {
    drain();
  }

  @Override
  public void synchronizeDevice() {
    drain();
  }

  @Override
  public long[] memoryInfo() {
    return new long[] {1L << 30, 1L << 30};
  }

  @Override
  public long loadModule(byte[] image, boolean ptx) {
    if (image.length == 0) {
      throw new IllegalStateException("empty module image");
    }
    return 1;
  }

  @Override
  public long function(long module, String name) {
    synchronized (LOCK) {
      int k = EmuNative.kernelIndex(name);
      if (k < 0) {
        throw new IllegalStateException("the emulator has no kernel " + name);
      }
      return k;
    }
  }

  @Override
  public void launch(
      long function, int gridX, int gridY, int blockX, long stream, KernelArgs args,
      boolean usesBarrier) {
    synchronized (LOCK) {
      runQueued(Long.MAX_VALUE);
      launches++;
      int n = args.size();
      long[] slots = new long[n];
      long[] temps = new long[n];
      try {
        for (int i = 0; i < n; i++) {
          switch (args.kind(i)) {
            case STRUCT -> {
              int[] w = args.struct(i);
              long t = EmuNative.malloc(4L * w.length);
              EmuNative.copyToDevice(t, w, 4L * w.length);
              temps[i] = t;
              slots[i] = t;
            }
            case PTR -> {
              long v = args.value(i);
              if (v != 0 && !EmuNative.valid(v, 1)) {
                throw new IllegalStateException("kernel argument " + i + ": 0x" + Long.toHexString(v)
                    + " is not inside a live device allocation");
              }
              slots[i] = v;
            }
            default -> slots[i] = args.value(i);
          }
        }
        String err = EmuNative.launch((int) function, gridX, gridY, 1, blockX, 1, 1, slots, usesBarrier);
        if (err != null) {
          throw new CudaException("emulated launch failed: " + err);
        }
      } finally {
        for (long t : temps) {
          if (t != 0) {
            EmuNative.free(t);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- pinned memory, events
  //
  // Copies between pinned memory and the device are queued, not performed: they run when an event
  // recorded after them is waited for, when a stream or the device is synchronised, or before
  // any other operation on device memory (which a real stream would order after them). A staging
  // bug that rewrites pinned memory before its DMA ran, or reads it before, then shows up as
  // wrong data.

  /** Queued pinned copies, in issue order; {@code seq} numbers them. */
  private final java.util.ArrayDeque<Object[]> queued = new java.util.ArrayDeque<>();
  private long queuedSeq;
  private long doneSeq;
  private final java.util.Map<Long, Long> eventSeq = new java.util.HashMap<>();
  private long events;
  /** Pinned buffers handed out; tests can make allocation fail. */
  long pinnedAllocations;
  boolean refusePinned;

  @Override
  public java.nio.ByteBuffer allocPinned(long bytes) {
    synchronized (LOCK) {
      if (refusePinned) {
        return null;
      }
      pinnedAllocations++;
      return java.nio.ByteBuffer.allocateDirect((int) bytes);
    }
  }

  /** Runs queued copies up to sequence number {@code upTo} (exclusive). */
  private void runQueued(long upTo) {
    while (!queued.isEmpty() && (long) queued.peekFirst()[0] < upTo) {
      Object[] q = queued.pollFirst();
      java.nio.ByteBuffer b = (java.nio.ByteBuffer) q[2];
      long dev = (long) q[4];
      int off = (int) (long) q[3];
      int n = (int) (long) q[5];
      byte[] tmp = new byte[n];
      if ((boolean) q[1]) {
        b.get(off, tmp);
        EmuNative.copyToDevice(dev, tmp, n);
      } else {
        EmuNative.copyToHost(tmp, dev, n);
        b.put(off, tmp);
      }
      doneSeq = (long) q[0] + 1;
    }
  }

  /** Runs every queued copy (any device-memory operation is ordered after them). */
  void drain() {
    synchronized (LOCK) {
      runQueued(Long.MAX_VALUE);
    }
  }

  @Override
  public void copyPinnedToDeviceAsync(long dst, java.nio.ByteBuffer pinned, long offset, long bytes, long stream) {
    synchronized (LOCK) {
      checkRange(dst, bytes, "copyPinnedToDeviceAsync");
      queued.addLast(new Object[] {queuedSeq++, true, pinned, offset, dst, bytes});
    }
  }

  @Override
  public void copyDeviceToPinnedAsync(java.nio.ByteBuffer pinned, long offset, long src, long bytes, long stream) {
    synchronized (LOCK) {
      checkRange(src, bytes, "copyDeviceToPinnedAsync");
      // device memory must hold what earlier queued uploads put there
      queued.addLast(new Object[] {queuedSeq++, false, pinned, offset, src, bytes});
    }
  }

  @Override
  public long createEvent() {
    synchronized (LOCK) {
      return ++events;
    }
  }

  @Override
  public void recordEvent(long event, long stream) {
    synchronized (LOCK) {
      eventSeq.put(event, queuedSeq);
    }
  }

  @Override
  public void synchronizeEvent(long event) {
    synchronized (LOCK) {
      Long upTo = eventSeq.get(event);
      if (upTo == null) {
        throw new IllegalStateException("synchronizeEvent on an event never recorded: " + event);
      }
      runQueued(upTo);
    }
  }

  /** Copies queued and not yet run (tests). */
  int queuedCopies() {
    synchronized (LOCK) {
      return queued.size();
    }
  }
}
