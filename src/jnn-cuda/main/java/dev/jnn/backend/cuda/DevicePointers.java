package dev.jnn.backend.cuda;

import java.lang.reflect.Field;
import jcuda.NativePointerObject;
import jcuda.driver.CUdeviceptr;

/**
 * Converts between the back end's {@code long} device addresses and JCuda's {@link CUdeviceptr}
 * objects. JCuda has no public constructor from an address, so the address is written into the
 * pointer object's {@code nativePointer} field (JCuda's JNI code reads {@code nativePointer +
 * byteOffset}); if reflection is not permitted, an offset from a null pointer gives the same sum.
 */
final class DevicePointers {
  private static final Field NATIVE_POINTER = nativePointerField();

  private DevicePointers() {}

  private static Field nativePointerField() {
    try {
      Field f = NativePointerObject.class.getDeclaredField("nativePointer");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A pointer object for {@code address}. */
  static CUdeviceptr of(long address) {
    if (NATIVE_POINTER != null) {
      CUdeviceptr p = new CUdeviceptr();
      try {
        NATIVE_POINTER.setLong(p, address);
        return p;
      } catch (IllegalAccessException e) {
        // fall through
      }
    }
    return new CUdeviceptr().withByteOffset(address);
  }

  /**
   * A pointer object to pass to {@code cuMemAlloc}, which can tell the address it received
   * without reflection.
   */
  static final class Allocated extends CUdeviceptr {
    /** The address (native pointer plus byte offset). */
    long address() {
      return getNativePointer() + getByteOffset();
    }
  }
}
