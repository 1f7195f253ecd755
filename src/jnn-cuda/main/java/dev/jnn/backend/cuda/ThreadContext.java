package dev.jnn.backend.cuda;

/**
 * What one thread uses on one device: its stream, the cuBLAS / cuDNN handles bound to that stream
 * (created by the {@link Blas} / {@link Dnn} implementations on first use and kept in the slots
 * below) and a reusable workspace for cuDNN.
 */
final class ThreadContext {
  final CudaRuntime runtime;
  final DeviceState device;
  final long stream;
  /** Slot for the {@link Blas} implementation's per-stream handle. */
  Object blasHandle;
  /** Slot for the {@link Dnn} implementation's per-stream handle. */
  Object dnnHandle;
  private CachingAllocator.Block workspace;
  private CachingAllocator.Block errorBlock;
  /** Set when a kernel that can report an error was launched on this stream since the last check. */
  boolean errorCheckPending;

  ThreadContext(CudaRuntime runtime, DeviceState device, long stream) {
    this.runtime = runtime;
    this.device = device;
    this.stream = stream;
  }

  /** Device index. */
  int index() {
    return device.index;
  }

  /**
   * A workspace of at least {@code bytes} bytes on this stream, grown on demand and reused across
   * calls (0 when none is needed).
   */
  long workspace(long bytes) {
    if (bytes <= 0) {
      return 0;
    }
    if (workspace == null || workspace.size < bytes) {
      if (workspace != null) {
        device.allocator.free(workspace);
        device.internalBytes.addAndGet(-workspace.size);
      }
      workspace = null;
      workspace = device.allocator.allocate(bytes, stream);
      device.internalBytes.addAndGet(workspace.size);
    }
    return workspace.address;
  }

  /**
   * This stream's error block: 4 x int64 {code, value, dim, size}, zero when no error is pending;
   * kernels that find a bad index write it. One per stream, so that an error on one thread is
   * never reported on another.
   */
  long errorBlock() {
    if (errorBlock == null) {
      errorBlock = device.allocator.allocate(32, stream);
      device.internalBytes.addAndGet(errorBlock.size);
      runtime.api.memsetZeroAsync(errorBlock.address, 32, stream);
    }
    return errorBlock.address;
  }

  /** Bytes of the current workspace. */
  long workspaceBytes() {
    return workspace == null ? 0 : workspace.size;
  }
}
