package dev.jnn.backend;

import dev.jnn.core.DType;
import dev.jnn.core.Device;

/**
 * Host memory: a Java array ({@code float[]}, {@code double[]}, {@code long[]} or {@code
 * boolean[]} for FLOAT32, FLOAT64, INT64, BOOL).
 */
public final class HostBuffer implements Buffer {
  private final DType dtype;
  private final int numel;
  private Object array;

  private HostBuffer(DType dtype, Object array, int numel) {
    this.dtype = dtype;
    this.array = array;
    this.numel = numel;
  }

  /** A zero-filled buffer. */
  public static HostBuffer allocate(DType dtype, long numel) {
    int n;
    try {
      n = Math.toIntExact(numel);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "CPU tensors are limited to 2^31-1 elements, requested " + numel);
    }
    Object a =
        switch (dtype) {
          case FLOAT32 -> new float[n];
          case FLOAT64 -> new double[n];
          case INT64 -> new long[n];
          case BOOL -> new boolean[n];
        };
    return new HostBuffer(dtype, a, n);
  }

  /** Wraps (does not copy) a float array. */
  public static HostBuffer wrap(float[] a) {
    return new HostBuffer(DType.FLOAT32, a, a.length);
  }

  /** Wraps (does not copy) a double array. */
  public static HostBuffer wrap(double[] a) {
    return new HostBuffer(DType.FLOAT64, a, a.length);
  }

  /** Wraps (does not copy) a long array. */
  public static HostBuffer wrap(long[] a) {
    return new HostBuffer(DType.INT64, a, a.length);
  }

  /** Wraps (does not copy) a boolean array. */
  public static HostBuffer wrap(boolean[] a) {
    return new HostBuffer(DType.BOOL, a, a.length);
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

  @Override
  public void close() {
    array = null;
  }

  /** True after {@link #close()}. */
  public boolean isClosed() {
    return array == null;
  }
}
