package dev.jnn.backend.cuda;

import dev.jnn.backend.Buffer;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import java.lang.ref.Cleaner;

/**
 * Device memory behind one storage: a block of the device's {@link CachingAllocator}. {@link
 * #close()} returns the block at once (deterministic free); a buffer that becomes unreachable
 * without being closed is returned by the Cleaner safety net through the allocator's deferred
 * queue and counted as leaked. Bool elements are one byte each.
 */
final class CudaBuffer implements Buffer {
  private static final Cleaner CLEANER = Cleaner.create();

  private final DType dtype;
  private final Device device;
  private final long numel;
  private final long address;
  private final Owner owner;
  private final Cleaner.Cleanable cleanable;
  private volatile boolean closed;

  /** The cleaning action; must not reference the buffer. */
  private static final class Owner implements Runnable {
    private final CachingAllocator allocator;
    private final CachingAllocator.Block block;
    private volatile boolean explicit;

    Owner(CachingAllocator allocator, CachingAllocator.Block block) {
      this.allocator = allocator;
      this.block = block;
    }

    @Override
    public void run() {
      if (explicit) {
        allocator.free(block);
      } else {
        allocator.deferFree(block);
      }
    }
  }

  CudaBuffer(DType dtype, Device device, long numel, CachingAllocator allocator, CachingAllocator.Block block) {
    this.dtype = dtype;
    this.device = device;
    this.numel = numel;
    this.address = block.address;
    this.owner = new Owner(allocator, block);
    this.cleanable = CLEANER.register(this, owner);
  }

  /** Bytes per element on the device. */
  static int elementSize(DType dt) {
    return dt == DType.BOOL ? 1 : dt.byteSize();
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public long numel() {
    return numel;
  }

  @Override
  public long byteSize() {
    return numel * elementSize(dtype);
  }

  /** The device address of element 0; throws once closed. */
  long address() {
    if (closed) {
      throw new IllegalStateException(
          "use of a freed tensor storage (" + dtype + ", " + numel + " elements on " + device + ")");
    }
    return address;
  }

  /** The device address of element {@code index}. */
  long address(long index) {
    return address() + index * elementSize(dtype);
  }

  /**
   * The device address of element {@code index} for work about to be queued on {@code c}'s stream
   * that reads this buffer: the stream is first ordered after another stream's pending write.
   */
  long read(ThreadContext c, long index) {
    long a = address(index);
    owner.block.read(owner.allocator, c.stream);
    return a;
  }

  /** {@link #read(ThreadContext, long)} of element 0. */
  long read(ThreadContext c) {
    return read(c, 0);
  }

  /**
   * The device address of element {@code index} for work about to be queued on {@code c}'s stream
   * that writes this buffer (and may read it): the stream is first ordered after other streams'
   * pending reads and write.
   */
  long write(ThreadContext c, long index) {
    long a = address(index);
    owner.block.write(owner.allocator, c.stream);
    return a;
  }

  /** {@link #write(ThreadContext, long)} of element 0. */
  long write(ThreadContext c) {
    return write(c, 0);
  }

  /** The stream the block was allocated for. */
  long stream() {
    return owner.block.stream;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    owner.explicit = true;
    cleanable.clean();
  }

  /** True after {@link #close()}. */
  boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "CudaBuffer[" + dtype + " x " + numel + " on " + device + " @0x" + Long.toHexString(address)
        + (closed ? ", closed" : "") + "]";
  }
}
