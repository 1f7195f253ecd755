package dev.jnn.tensor;

import dev.jnn.backend.Buffer;
import dev.jnn.core.DType;
import dev.jnn.core.Device;

/**
 * The memory behind one or more tensors (a tensor and its views share one storage). Owns one
 * {@link Buffer}; reference-counted: the buffer is freed when the last tensor using it is closed.
 * Carries the version counter that in-place ops bump and autograd checks.
 */
public final class Storage {
  private Buffer buffer;
  private final DType dtype;
  private final Device device;
  private int refs = 1;
  private int version;
  private int historyVersion;

  Storage(Buffer buffer) {
    this.buffer = buffer;
    this.dtype = buffer.dtype();
    this.device = buffer.device();
  }

  /** The buffer (the back end's, internal to this package); throws if it was freed. */
  Buffer buffer() {
    Buffer b = buffer;
    if (b == null) {
      throw new IllegalStateException("use of a tensor whose storage was freed (tensor was closed)");
    }
    return b;
  }

  /** Element type of the buffer; throws if it was freed. */
  public DType dtype() {
    return buffer().dtype();
  }

  /** Device of the buffer; throws if it was freed. */
  public Device device() {
    return buffer().device();
  }

  /** Element type of the buffer, also once it was freed (for printing). */
  DType dtypeEvenIfFreed() {
    return dtype;
  }

  /** Device of the buffer, also once it was freed (for printing). */
  Device deviceEvenIfFreed() {
    return device;
  }

  /** Times an in-place op modified this storage. */
  public int version() {
    return version;
  }

  void bumpVersion() {
    version++;
  }

  /** Times an in-place op recorded by autograd gave this storage's data a new history. */
  int historyVersion() {
    return historyVersion;
  }

  void bumpHistoryVersion() {
    historyVersion++;
  }

  synchronized void retain() {
    if (buffer == null) {
      throw new IllegalStateException("use of a tensor whose storage was freed (tensor was closed)");
    }
    refs++;
  }

  synchronized void release() {
    if (buffer == null) {
      return;
    }
    if (--refs == 0) {
      buffer.close();
      buffer = null;
    }
  }

  /** Number of tensor handles holding this storage. */
  synchronized int refCount() {
    return refs;
  }

  /** True once the buffer has been freed. */
  public synchronized boolean isFreed() {
    return buffer == null;
  }
}
