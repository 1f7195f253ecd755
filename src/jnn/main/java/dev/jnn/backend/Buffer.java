package dev.jnn.backend;

import dev.jnn.core.DType;
import dev.jnn.core.Device;

/**
 * A flat, typed block of memory on one device. Owned by exactly one {@code Storage}; freed by
 * {@link #close()} (idempotent). Back ends receive buffers, never tensors.
 */
public interface Buffer extends AutoCloseable {
  /** Element type. */
  DType dtype();

  /** Where the memory lives. */
  Device device();

  /** Number of elements. */
  long numel();

  /** Size in bytes. */
  default long byteSize() {
    return numel() * dtype().byteSize();
  }

  /** Releases the memory (host buffers drop their array; device buffers return to the cache). */
  @Override
  void close();
}
