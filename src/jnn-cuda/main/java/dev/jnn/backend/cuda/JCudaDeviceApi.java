package dev.jnn.backend.cuda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUfunction;
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import jcuda.driver.JITOptions;

/**
 * {@link DeviceApi} on the CUDA driver API through JCuda 12.6 (exceptions off: every status is
 * checked here and turned into a {@link CudaException} naming the call). Each device's primary
 * context is retained once and made current per thread (the context cuBLAS and cuDNN use too).
 * Streams, modules and functions are kept in a handle table; handle 0 is the legacy default
 * stream.
 */
final class JCudaDeviceApi implements DeviceApi {
  private final int count;
  private final int driverVersion;
  private final CUdevice[] devices;
  private final CUcontext[] contexts;
  private final List<Object> handles = new ArrayList<>();
  private final ThreadLocal<int[]> current = ThreadLocal.withInitial(() -> new int[] {-1});

  /** Initialises the driver; throws {@link CudaException} when it cannot. */
  JCudaDeviceApi() {
    JCudaDriver.setExceptionsEnabled(false);
    check(JCudaDriver.cuInit(0), "cuInit");
    int[] v = {0};
    check(JCudaDriver.cuDriverGetVersion(v), "cuDriverGetVersion");
    driverVersion = v[0];
    int[] n = {0};
    check(JCudaDriver.cuDeviceGetCount(n), "cuDeviceGetCount");
    count = n[0];
    devices = new CUdevice[count];
    contexts = new CUcontext[count];
    for (int i = 0; i < count; i++) {
      devices[i] = new CUdevice();
      check(JCudaDriver.cuDeviceGet(devices[i], i), "cuDeviceGet");
    }
    handles.add(new CUstream()); // handle 0: the legacy default stream
  }

  /** The name of a driver status, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY (2)}. */
  static String status(int r) {
    return CUresult.stringFor(r) + " (" + r + ")";
  }

  static void check(int r, String what) {
    if (r != CUresult.CUDA_SUCCESS) {
      throw new CudaException(what + " failed: " + status(r));
    }
  }

  private synchronized long register(Object o) {
    handles.add(o);
    return handles.size() - 1;
  }

  private synchronized Object handle(long h) {
    return handles.get((int) h);
  }

  /** The JCuda stream object of a handle (for cuBLAS and cuDNN). */
  CUstream stream(long h) {
    return (CUstream) handle(h);
  }

  @Override
  public int deviceCount() {
    return count;
  }

  @Override
  public int driverVersion() {
    return driverVersion;
  }

  @Override
  public String deviceName(int device) {
    byte[] name = new byte[256];
    check(JCudaDriver.cuDeviceGetName(name, name.length, devices[device]), "cuDeviceGetName");
    int n = 0;
    while (n < name.length && name[n] != 0) {
      n++;
    }
    return new String(name, 0, n, StandardCharsets.US_ASCII).trim();
  }

  @Override
  public int[] computeCapability(int device) {
    int[] ma = {0};
    int[] mi = {0};
    check(JCudaDriver.cuDeviceGetAttribute(ma,
        CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, devices[device]),
        "cuDeviceGetAttribute");
    check(JCudaDriver.cuDeviceGetAttribute(mi,
        CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, devices[device]),
        "cuDeviceGetAttribute");
    return new int[] {ma[0], mi[0]};
  }

  @Override
  public long totalMemory(int device) {
    long[] m = {0};
    check(JCudaDriver.cuDeviceTotalMem(m, devices[device]), "cuDeviceTotalMem");
    return m[0];
  }

  @Override
  public void setCurrent(int device) {
    int[] cur = current.get();
    if (cur[0] == device) {
      return;
    }
    CUcontext ctx;
    synchronized (this) {
      ctx = contexts[device];
      if (ctx == null) {
        ctx = new CUcontext();
        check(JCudaDriver.cuDevicePrimaryCtxRetain(ctx, devices[device]), "cuDevicePrimaryCtxRetain");
        contexts[device] = ctx;
      }
    }
    check(JCudaDriver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
    cur[0] = device;
  }

  @Override
  public long createStream() {
    CUstream s = new CUstream();
    check(JCudaDriver.cuStreamCreate(s, 0), "cuStreamCreate");
    return register(s);
  }

  @Override
  public long malloc(long bytes) {
    DevicePointers.Allocated p = new DevicePointers.Allocated();
    int r = JCudaDriver.cuMemAlloc(p, bytes);
    if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
      return 0;
    }
    check(r, "cuMemAlloc(" + bytes + " bytes)");
    return p.address();
  }

  @Override
  public void free(long address) {
    check(JCudaDriver.cuMemFree(DevicePointers.of(address)), "cuMemFree");
  }

  @Override
  public void memsetZeroAsync(long address, long bytes, long stream) {
    check(JCudaDriver.cuMemsetD8Async(DevicePointers.of(address), (byte) 0, bytes, stream(stream)),
        "cuMemsetD8Async");
  }

  static Pointer hostPointer(Object array) {
    if (array instanceof float[] a) {
      return Pointer.to(a);
    } else if (array instanceof double[] a) {
      return Pointer.to(a);
    } else if (array instanceof long[] a) {
      return Pointer.to(a);
    } else if (array instanceof byte[] a) {
      return Pointer.to(a);
    } else if (array instanceof int[] a) {
      return Pointer.to(a);
    }
    throw new IllegalArgumentException("not a primitive array: " + array);
  }

  @Override
  public void copyHostToDevice(long dst, Object array, long bytes, long stream) {
    // synchronous copies from Java arrays (JCuda pins them for the call only); waiting for the
    // stream first keeps the copy ordered after queued kernels that may still use the block
    check(JCudaDriver.cuStreamSynchronize(stream(stream)), "cuStreamSynchronize");
    check(JCudaDriver.cuMemcpyHtoD(DevicePointers.of(dst), hostPointer(array), bytes), "cuMemcpyHtoD");
  }

  @Override
  public void copyDeviceToHost(Object array, long src, long bytes, long stream) {
    check(JCudaDriver.cuStreamSynchronize(stream(stream)), "cuStreamSynchronize");
    check(JCudaDriver.cuMemcpyDtoH(hostPointer(array), DevicePointers.of(src), bytes), "cuMemcpyDtoH");
  }

  @Override
  public void copyDeviceToDeviceAsync(long dst, long src, long bytes, long stream) {
    check(JCudaDriver.cuMemcpyDtoDAsync(DevicePointers.of(dst), DevicePointers.of(src), bytes,
        stream(stream)), "cuMemcpyDtoDAsync");
  }

  @Override
  public void synchronizeStream(long stream) {
    check(JCudaDriver.cuStreamSynchronize(stream(stream)), "cuStreamSynchronize");
  }

  @Override
  public void synchronizeDevice() {
    check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
  }

  @Override
  public long[] memoryInfo() {
    long[] free = {0};
    long[] total = {0};
    check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
    return new long[] {free[0], total[0]};
  }

  @Override
  public long loadModule(byte[] image, boolean ptx) {
    CUmodule m = new CUmodule();
    byte[] data = image;
    if (ptx) {
      data = java.util.Arrays.copyOf(image, image.length + 1); // NUL-terminated text
    }
    int r = JCudaDriver.cuModuleLoadData(m, data);
    if (r != CUresult.CUDA_SUCCESS) {
      throw new CudaException("cuModuleLoadData(" + (ptx ? "PTX" : "fatbin") + ", " + image.length
          + " bytes) failed: " + status(r) + jitLog(data));
    }
    return register(m);
  }

  /** Best effort: the JIT's error log for an image that failed to load. */
  private static String jitLog(byte[] image) {
    try {
      JITOptions o = new JITOptions();
      o.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, 8192);
      o.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, new byte[8192]);
      int r = JCudaDriver.cuModuleLoadDataJIT(new CUmodule(), Pointer.to(image), o);
      String log = o.getString(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
      return log == null || log.isBlank() ? "" : "; JIT log (" + r + "): " + log.trim().replace('\n', ' ');
    } catch (Throwable t) {
      return "";
    }
  }

  @Override
  public long function(long module, String name) {
    CUfunction f = new CUfunction();
    check(JCudaDriver.cuModuleGetFunction(f, (CUmodule) handle(module), name),
        "cuModuleGetFunction(" + name + ")");
    return register(f);
  }

  @Override
  public void launch(
      long function, int gridX, int gridY, int blockX, long stream, KernelArgs args,
      boolean usesBarrier) {
    Pointer[] params = new Pointer[args.size()];
    for (int i = 0; i < params.length; i++) {
      long v = args.value(i);
      params[i] =
          switch (args.kind(i)) {
            case PTR, I64 -> Pointer.to(new long[] {v});
            case I32 -> Pointer.to(new int[] {(int) v});
            case F32 -> Pointer.to(new float[] {Float.intBitsToFloat((int) v)});
            case F64 -> Pointer.to(new double[] {Double.longBitsToDouble(v)});
            case STRUCT -> Pointer.to(args.struct(i));
          };
    }
    int r = JCudaDriver.cuLaunchKernel((CUfunction) handle(function), gridX, gridY, 1, blockX, 1, 1,
        0, stream(stream), Pointer.to(params), null);
    check(r, "cuLaunchKernel");
  }

  // ---------------------------------------------------------------- pinned staging

  /** The driver pointers of pinned buffers, by buffer identity. */
  private final java.util.Map<java.nio.ByteBuffer, Pointer> pinned = new java.util.IdentityHashMap<>();

  private synchronized Pointer pinnedPointer(java.nio.ByteBuffer b) {
    Pointer p = pinned.get(b);
    if (p == null) {
      throw new IllegalArgumentException("not a pinned buffer of this driver");
    }
    return p;
  }

  @Override
  public java.nio.ByteBuffer allocPinned(long bytes) {
    Pointer p = new Pointer();
    int r = JCudaDriver.cuMemAllocHost(p, bytes);
    if (r != CUresult.CUDA_SUCCESS) {
      return null;
    }
    java.nio.ByteBuffer b = p.getByteBuffer(0, bytes);
    synchronized (this) {
      pinned.put(b, p);
    }
    return b;
  }

  @Override
  public void copyPinnedToDeviceAsync(
      long dst, java.nio.ByteBuffer buffer, long offset, long bytes, long stream) {
    check(JCudaDriver.cuMemcpyHtoDAsync(DevicePointers.of(dst),
        pinnedPointer(buffer).withByteOffset(offset), bytes, stream(stream)), "cuMemcpyHtoDAsync");
  }

  @Override
  public void copyDeviceToPinnedAsync(
      java.nio.ByteBuffer buffer, long offset, long src, long bytes, long stream) {
    check(JCudaDriver.cuMemcpyDtoHAsync(pinnedPointer(buffer).withByteOffset(offset),
        DevicePointers.of(src), bytes, stream(stream)), "cuMemcpyDtoHAsync");
  }

  @Override
  public long createEvent() {
    CUevent e = new CUevent();
    check(JCudaDriver.cuEventCreate(e, CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
    return register(e);
  }

  @Override
  public void recordEvent(long event, long stream) {
    check(JCudaDriver.cuEventRecord((CUevent) handle(event), stream(stream)), "cuEventRecord");
  }

  @Override
  public void synchronizeEvent(long event) {
    check(JCudaDriver.cuEventSynchronize((CUevent) handle(event)), "cuEventSynchronize");
  }

  @Override
  public void streamWaitEvent(long stream, long event) {
    check(JCudaDriver.cuStreamWaitEvent(stream(stream), (CUevent) handle(event), 0), "cuStreamWaitEvent");
  }

  @Override
  public boolean queryEvent(long event) {
    int r = JCudaDriver.cuEventQuery((CUevent) handle(event));
    if (r == CUresult.CUDA_ERROR_NOT_READY) {
      return false;
    }
    check(r, "cuEventQuery");
    return true;
  }
}
