package dev.jnn.backend.cuda;

/**
 * Counters of one device's caching allocator ({@code torch.cuda.memory_stats}, reduced).
 *
 * @param device the device index
 * @param allocatedBytes bytes held by live buffers (rounded to the allocator's size classes)
 * @param reservedBytes bytes obtained from the driver: allocated plus cached
 * @param peakAllocatedBytes the maximum of {@code allocatedBytes} since start or the last reset
 * @param liveBuffers buffers not yet freed
 * @param cachedBlocks free blocks kept for reuse
 * @param leakedBuffers buffers that were garbage-collected without being closed (freed by the
 *     Cleaner safety net; normal for temporaries nobody closes)
 * @param driverAllocations calls to the driver's allocator so far
 */
public record MemoryStats(
    int device,
    long allocatedBytes,
    long reservedBytes,
    long peakAllocatedBytes,
    long liveBuffers,
    long cachedBlocks,
    long leakedBuffers,
    long driverAllocations) {}
