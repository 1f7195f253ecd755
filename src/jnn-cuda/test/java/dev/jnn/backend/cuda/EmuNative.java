package dev.jnn.backend.cuda;

/**
 * JNI entry points of the CPU kernel emulator ({@code native-kernels/emu/emu_runtime.cpp}), built
 * and loaded by {@link Emulator}. Not thread-safe: {@link EmuDeviceApi} serialises all calls.
 */
final class EmuNative {
  private EmuNative() {}

  static native long malloc(long bytes);

  static native boolean free(long ptr);

  static native int liveAllocations();

  static native boolean valid(long ptr, long bytes);

  static native void memset(long ptr, int value, long bytes);

  static native void copyToDevice(long dst, Object array, long bytes);

  static native void copyToHost(Object array, long src, long bytes);

  static native void copyDeviceToDevice(long dst, long src, long bytes);

  static native int kernelIndex(String name);

  static native int kernelArity(int kernel);

  /** Bit i set when the kernel's parameter i points to non-const memory. */
  static native long kernelWritable(int kernel);

  /** The start of the live allocation holding {@code ptr}, or 0. */
  static native long allocationOf(long ptr);

  /** The size of the allocation starting at {@code base}, or -1. */
  static native long allocationBytes(long base);

  /** A 64-bit FNV-1a hash of device memory. */
  static native long hash(long ptr, long bytes);

  /** Copies between a direct buffer (pinned host memory) at {@code offset} and device memory. */
  static native void copyBuffer(java.nio.ByteBuffer buffer, long offset, long dev, long bytes, boolean toDevice);

  static native String launch(
      int kernel, int gx, int gy, int gz, int bx, int by, int bz, long[] slots, boolean fibers);
}
