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

  static native String launch(
      int kernel, int gx, int gy, int gz, int bx, int by, int bz, long[] slots, boolean fibers);
}
