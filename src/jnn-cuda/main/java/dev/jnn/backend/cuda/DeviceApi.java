package dev.jnn.backend.cuda;

/**
 * The driver operations the back end needs, on plain {@code long} device addresses and handles.
 * Implemented by {@code JCudaDeviceApi} (the real driver through JCuda) and, in the unit tests, by
 * a CPU emulation. "Current device" is per thread, as in CUDA; implementations make {@link
 * #setCurrent} cheap when nothing changes.
 */
interface DeviceApi {
  /** Number of devices. */
  int deviceCount();

  /** {@code cuDriverGetVersion}, e.g. 13000. */
  int driverVersion();

  /** The device's name. */
  String deviceName(int device);

  /** {@code {major, minor}} compute capability. */
  int[] computeCapability(int device);

  /** Total memory in bytes. */
  long totalMemory(int device);

  /** Makes {@code device}'s primary context current on the calling thread. */
  void setCurrent(int device);

  /** A new stream on the current device (blocking with respect to the legacy default stream). */
  long createStream();

  /** Allocates on the current device; returns 0 when the device is out of memory. */
  long malloc(long bytes);

  /** Frees memory from {@link #malloc}. */
  void free(long address);

  /** Zeroes {@code bytes} bytes, ordered on {@code stream}. */
  void memsetZeroAsync(long address, long bytes, long stream);

  /**
   * Copies {@code bytes} bytes from the start of a primitive array ({@code float[]}, {@code
   * double[]}, {@code long[]}, {@code byte[]}, {@code int[]}) to the device, ordered after all
   * work queued on {@code stream}; returns when the source array may be reused.
   */
  void copyHostToDevice(long dst, Object array, long bytes, long stream);

  /** Waits for {@code stream}, then copies {@code bytes} bytes into the start of a primitive array. */
  void copyDeviceToHost(Object array, long src, long bytes, long stream);

  /** Device-to-device copy ordered on {@code stream}. */
  void copyDeviceToDeviceAsync(long dst, long src, long bytes, long stream);

  /** Waits until all work queued on {@code stream} is done. */
  void synchronizeStream(long stream);

  /** Waits until all work on the current device is done. */
  void synchronizeDevice();

  /** {@code {free, total}} bytes of the current device. */
  long[] memoryInfo();

  /**
   * Loads a module image (a fatbin, or NUL-free PTX text) into the current device's context;
   * returns a handle. Throws {@link CudaException} with the JIT log when it fails.
   */
  long loadModule(byte[] image, boolean ptx);

  /** A kernel of a loaded module by name. */
  long function(long module, String name);

  /**
   * Launches a kernel: 1-D blocks of {@code blockX} threads, a {@code gridX x gridY} grid, static
   * shared memory only. {@code usesBarrier} tells an emulation whether the kernel synchronises
   * its threads (the real driver ignores it).
   */
  void launch(
      long function, int gridX, int gridY, int blockX, long stream, KernelArgs args,
      boolean usesBarrier);

  /**
   * {@code bytes} bytes of page-locked host memory usable by the current device's DMA, as a direct
   * buffer; null when the driver refuses (callers then copy from pageable memory).
   */
  java.nio.ByteBuffer allocPinned(long bytes);

  /**
   * Queues a copy of {@code bytes} bytes at {@code offset} in pinned memory from {@link
   * #allocPinned} to the device, on {@code stream}; returns at once (the host memory must stay
   * untouched until an event recorded after it completes).
   */
  void copyPinnedToDeviceAsync(long dst, java.nio.ByteBuffer pinned, long offset, long bytes, long stream);

  /** Queues a copy of {@code bytes} device bytes into pinned memory at {@code offset}, on {@code stream}. */
  void copyDeviceToPinnedAsync(java.nio.ByteBuffer pinned, long offset, long src, long bytes, long stream);

  /** A new event (no timing) on the current device. */
  long createEvent();

  /** Records {@code event} on {@code stream}: it completes when the work queued before it has. */
  void recordEvent(long event, long stream);

  /** Waits until {@code event} has completed. */
  void synchronizeEvent(long event);

  /**
   * Makes all work queued on {@code stream} after this call wait until {@code event} (as last
   * recorded) has completed, without blocking the host ({@code cuStreamWaitEvent}). An event
   * never recorded counts as complete.
   */
  void streamWaitEvent(long stream, long event);

  /** True when {@code event} has completed (or was never recorded); never blocks ({@code cuEventQuery}). */
  boolean queryEvent(long event);
}
