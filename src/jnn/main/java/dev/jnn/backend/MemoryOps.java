package dev.jnn.backend;

import dev.jnn.core.DType;
import dev.jnn.core.Device;

/**
 * The memory family of the back-end SPI: buffers on a device (allocation, transfers, copies,
 * fills) and the accounting of what is allocated ({@link #allocationStats}).
 *
 * <p>Every buffer {@link #allocate} or {@link #allocateUninitialized} returns is counted from its
 * allocation to its {@link Buffer#close()}, in the way Apache Arrow's {@code BufferAllocator}
 * ({@code getAllocatedMemory}, {@code getPeakMemoryAllocation}) and PyTorch's {@code
 * torch.cuda.memory_allocated} / {@code max_memory_allocated} report it. Host buffers handed to the
 * caller ({@link #download}'s result, arrays wrapped with {@link HostBuffer#wrap}) belong to the
 * caller and are not counted.
 */
public interface MemoryOps {
  /** A zero-filled buffer on {@code device}. */
  Buffer allocate(Device device, DType dtype, long numel);

  /**
   * A buffer whose contents are unspecified, for an output the caller overwrites entirely before
   * reading it (saves zeroing a recycled buffer). Defaults to {@link #allocate}.
   */
  default Buffer allocateUninitialized(Device device, DType dtype, long numel) {
    return allocate(device, dtype, numel);
  }

  /** Copies a host buffer's contents to a new buffer on {@code device}. */
  Buffer upload(Device device, HostBuffer host);

  /** Copies {@code src} (any device of this type) into a new host buffer, contiguous. */
  HostBuffer download(View src);

  /** Strided copy with dtype conversion; both views have the same shape. */
  void copy(View src, View dst);

  /** Fills every element of {@code dst} with {@code value} (cast to its dtype). */
  void fill(View dst, double value);

  /**
   * What is allocated on {@code device} now: bytes and buffers not yet closed, the peak since the
   * start or the last {@link #resetPeakAllocation}, and the number of allocations so far. See
   * {@link AllocationStats} for what each back end counts.
   */
  AllocationStats allocationStats(Device device);

  /** Sets the peak of {@link #allocationStats} back to the bytes allocated now. */
  void resetPeakAllocation(Device device);
}
