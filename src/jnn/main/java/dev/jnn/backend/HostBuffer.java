package dev.jnn.backend;

import dev.jnn.core.DType;
import dev.jnn.core.Device;

/**
 * Host memory: a Java array ({@code float[]}, {@code double[]}, {@code long[]} or {@code
 * boolean[]} for FLOAT32, FLOAT64, INT64, BOOL). The array's length is the element count.
 *
 * <p>Buffers made by {@link #allocate} own their array: {@link #close()} hands it to {@link
 * HostBufferPool} for reuse (large arrays only). Wrapped arrays belong to the caller and are never
 * recycled. A buffer allocated with an {@link AllocationCounter} reports itself to it when
 * allocated and when closed (the CPU back end's {@link MemoryOps#allocationStats}).
 */
public final class HostBuffer implements Buffer {
  private final DType dtype;
  private final int numel;
  private final boolean recyclable;
  private final AllocationCounter counter;
  private Object array;

  private HostBuffer(
      DType dtype, Object array, int numel, boolean recyclable, AllocationCounter counter) {
    this.dtype = dtype;
    this.array = array;
    this.numel = numel;
    this.recyclable = recyclable;
    this.counter = counter;
    if (counter != null) {
      counter.allocated(byteSize());
    }
  }

  /** A zero-filled buffer (a recycled array is zeroed first). */
  public static HostBuffer allocate(DType dtype, long numel) {
    return allocate(dtype, numel, true, null);
  }

  /**
   * A buffer whose contents are unspecified (a recycled array keeps old values): only for outputs
   * that the caller overwrites entirely before anyone reads them.
   */
  public static HostBuffer allocateUninitialized(DType dtype, long numel) {
    return allocate(dtype, numel, false, null);
  }

  /**
   * {@link #allocate} ({@code zero}) or {@link #allocateUninitialized}, counted by {@code counter}
   * (when not null) from now until {@link #close()}.
   */
  public static HostBuffer allocate(
      DType dtype, long numel, boolean zero, AllocationCounter counter) {
    int n;
    try {
      n = Math.toIntExact(numel);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "CPU tensors are limited to 2^31-1 elements, requested " + numel);
    }
    boolean pooled = HostBufferPool.poolable(dtype, n);
    Object a = pooled ? HostBufferPool.take(dtype, n) : null;
    if (a != null) {
      if (zero) {
        zeroFill(a);
      }
    } else {
      a =
          switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
          };
    }
    return new HostBuffer(dtype, a, n, pooled, counter);
  }

  private static void zeroFill(Object a) {
    if (a instanceof float[] f) {
      java.util.Arrays.fill(f, 0f);
    } else if (a instanceof double[] d) {
      java.util.Arrays.fill(d, 0.0);
    } else if (a instanceof long[] l) {
      java.util.Arrays.fill(l, 0L);
    } else {
      java.util.Arrays.fill((boolean[]) a, false);
    }
  }

  /** Wraps (does not copy) a float array. */
  public static HostBuffer wrap(float[] a) {
    return new HostBuffer(DType.FLOAT32, a, a.length, false, null);
  }

  /** Wraps (does not copy) a double array. */
  public static HostBuffer wrap(double[] a) {
    return new HostBuffer(DType.FLOAT64, a, a.length, false, null);
  }

  /** Wraps (does not copy) a long array. */
  public static HostBuffer wrap(long[] a) {
    return new HostBuffer(DType.INT64, a, a.length, false, null);
  }

  /** Wraps (does not copy) a boolean array. */
  public static HostBuffer wrap(boolean[] a) {
    return new HostBuffer(DType.BOOL, a, a.length, false, null);
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  public long numel() {
    return numel;
  }

  /** The backing array; throws if the buffer was closed. */
  public Object array() {
    Object a = array;
    if (a == null) {
      throw new IllegalStateException("use of a freed tensor storage (" + dtype + ", " + numel + " elements)");
    }
    return a;
  }

  /** The backing float array. */
  public float[] floats() {
    return (float[]) array();
  }

  /** The backing double array. */
  public double[] doubles() {
    return (double[]) array();
  }

  /** The backing long array. */
  public long[] longs() {
    return (long[]) array();
  }

  /** The backing boolean array. */
  public boolean[] bools() {
    return (boolean[]) array();
  }

  /** Element {@code i} as a double. */
  public double getDouble(int i) {
    Object a = array();
    return switch (dtype) {
      case FLOAT32 -> ((float[]) a)[i];
      case FLOAT64 -> ((double[]) a)[i];
      case INT64 -> ((long[]) a)[i];
      case BOOL -> ((boolean[]) a)[i] ? 1.0 : 0.0;
    };
  }

  /** Element {@code i} as a long (floats truncate toward zero, as a cast does). */
  public long getLong(int i) {
    Object a = array();
    return switch (dtype) {
      case FLOAT32 -> (long) ((float[]) a)[i];
      case FLOAT64 -> (long) ((double[]) a)[i];
      case INT64 -> ((long[]) a)[i];
      case BOOL -> ((boolean[]) a)[i] ? 1L : 0L;
    };
  }

  /** Sets element {@code i} from a double (cast to this dtype). */
  public void setDouble(int i, double v) {
    Object a = array();
    switch (dtype) {
      case FLOAT32 -> ((float[]) a)[i] = (float) v;
      case FLOAT64 -> ((double[]) a)[i] = v;
      case INT64 -> ((long[]) a)[i] = (long) v;
      case BOOL -> ((boolean[]) a)[i] = v != 0.0;
    }
  }

  /** Sets element {@code i} from a long (cast to this dtype). */
  public void setLong(int i, long v) {
    Object a = array();
    switch (dtype) {
      case FLOAT32 -> ((float[]) a)[i] = (float) v;
      case FLOAT64 -> ((double[]) a)[i] = (double) v;
      case INT64 -> ((long[]) a)[i] = v;
      case BOOL -> ((boolean[]) a)[i] = v != 0L;
    }
  }

  /** Drops the array; a buffer from {@link #allocate} hands it to {@link HostBufferPool}. */
  @Override
  public void close() {
    Object a;
    synchronized (this) {
      a = array;
      array = null;
    }
    if (a != null && counter != null) {
      counter.freed(byteSize());
    }
    if (a != null && recyclable) {
      HostBufferPool.give(dtype, numel, a);
    }
  }

  /** True after {@link #close()}. */
  public boolean isClosed() {
    return array == null;
  }
}
