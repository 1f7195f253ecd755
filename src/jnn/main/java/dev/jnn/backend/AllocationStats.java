package dev.jnn.backend;

/**
 * A back end's allocation counters for one device ({@link MemoryOps#allocationStats}), the
 * reading Apache Arrow's {@code BufferAllocator} ({@code getAllocatedMemory}, {@code
 * getPeakMemoryAllocation}) and PyTorch's {@code torch.cuda.memory_allocated()} / {@code
 * max_memory_allocated()} / {@code memory_stats()["allocation.all.current"]} give.
 *
 * <ul>
 *   <li><b>CPU</b>: the buffers {@code allocate}/{@code allocateUninitialized} handed out and that
 *       are not closed yet, at {@code numel * dtype size} bytes each. A buffer that is
 *       garbage-collected without being closed stays counted (nothing tells the back end), so a
 *       count that keeps growing shows tensors nobody closes.
 *   <li><b>CUDA</b>: the device's caching allocator, whose bytes are rounded up to its size
 *       classes; it includes the back end's own blocks (the kernel error flag, cuDNN workspaces),
 *       and buffers the Cleaner safety net returned leave it. Cached (free, still reserved) blocks
 *       are not allocated.
 * </ul>
 *
 * @param allocatedBytes bytes held by buffers not yet closed
 * @param peakAllocatedBytes the maximum of {@code allocatedBytes} since start or the last {@link
 *     MemoryOps#resetPeakAllocation}
 * @param liveBuffers buffers not yet closed
 * @param totalAllocations buffers allocated since start (never reset)
 */
public record AllocationStats(
    long allocatedBytes, long peakAllocatedBytes, long liveBuffers, long totalAllocations) {}
