package dev.jnn.io;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The element types found in files, named as safetensors names them, with the jnn dtype each is
 * read into: the half-precision floats widen to float32, the narrower integers to int64.
 */
enum ElementType {
  F64(8, DType.FLOAT64),
  F32(4, DType.FLOAT32),
  F16(2, DType.FLOAT32),
  BF16(2, DType.FLOAT32),
  I64(8, DType.INT64),
  I32(4, DType.INT64),
  I16(2, DType.INT64),
  I8(1, DType.INT64),
  U8(1, DType.INT64),
  BOOL(1, DType.BOOL);

  /** The largest element count a jnn (array-backed) tensor can hold. */
  static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  final int size;
  final DType target;

  ElementType(int size, DType target) {
    this.size = size;
    this.target = target;
  }

  /** The type a jnn dtype is written as. */
  static ElementType of(DType d) {
    return switch (d) {
      case FLOAT32 -> F32;
      case FLOAT64 -> F64;
      case INT64 -> I64;
      case BOOL -> BOOL;
    };
  }

  /** The safetensors name ({@code "F32"}), or null when unknown. */
  static ElementType bySafetensorsName(String name) {
    for (ElementType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** A new array of the target dtype's Java type with {@code n} elements. */
  Object newArray(int n) {
    return switch (target) {
      case FLOAT32 -> new float[n];
      case FLOAT64 -> new double[n];
      case INT64 -> new long[n];
      case BOOL -> new boolean[n];
    };
  }

  /**
   * Decodes {@code n} little-endian elements from {@code src} (from its position, which advances)
   * into {@code dst} (an array from {@link #newArray}) starting at {@code off}.
   */
  void decode(ByteBuffer src, Object dst, int off, int n) {
    ByteBuffer b = src.slice().order(ByteOrder.LITTLE_ENDIAN);
    switch (this) {
      case F64 -> b.asDoubleBuffer().get((double[]) dst, off, n);
      case F32 -> b.asFloatBuffer().get((float[]) dst, off, n);
      case I64 -> b.asLongBuffer().get((long[]) dst, off, n);
      case F16 -> {
        float[] d = (float[]) dst;
        for (int i = 0; i < n; i++) {
          d[off + i] = halfToFloat(b.getShort(2 * i) & 0xffff);
        }
      }
      case BF16 -> {
        float[] d = (float[]) dst;
        for (int i = 0; i < n; i++) {
          d[off + i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
        }
      }
      case I32 -> {
        long[] d = (long[]) dst;
        for (int i = 0; i < n; i++) {
          d[off + i] = b.getInt(4 * i);
        }
      }
      case I16 -> {
        long[] d = (long[]) dst;
        for (int i = 0; i < n; i++) {
          d[off + i] = b.getShort(2 * i);
        }
      }
      case I8 -> {
        long[] d = (long[]) dst;
        for (int i = 0; i < n; i++) {
          d[off + i] = b.get(i);
        }
      }
      case U8 -> {
        long[] d = (long[]) dst;
        for (int i = 0; i < n; i++) {
          d[off + i] = b.get(i) & 0xff;
        }
      }
      case BOOL -> {
        boolean[] d = (boolean[]) dst;
        for (int i = 0; i < n; i++) {
          d[off + i] = b.get(i) != 0;
        }
      }
    }
    src.position(src.position() + n * size);
  }

  /** IEEE 754 binary16 to float (exact). */
  static float halfToFloat(int h) {
    int sign = (h >>> 15) << 31;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0) {
      float v = mant * 0x1p-24f; // zero or subnormal
      return sign != 0 ? -v : v;
    }
    if (exp == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // inf or NaN
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  /** A CPU tensor over a decoded array ({@code dims} empty for a 0-d tensor). */
  static Tensor tensor(Object array, long[] dims) {
    long[] d = dims.length == 0 ? new long[] {1} : dims;
    Tensor t;
    if (array instanceof float[] a) {
      t = Tensor.fromArray(a, d);
    } else if (array instanceof double[] a) {
      t = Tensor.fromArray(a, d);
    } else if (array instanceof long[] a) {
      t = Tensor.fromArray(a, d);
    } else {
      t = Tensor.fromArray((boolean[]) array, d);
    }
    return dims.length == 0 ? t.reshape() : t;
  }

  /**
   * Encodes a tensor's elements (row-major, contiguous) little-endian, {@code chunk} elements at a
   * time, through {@code sink}.
   */
  static void encode(Tensor t, ByteBuffer buf, IoSink sink) throws java.io.IOException {
    buf.clear();
    buf.order(ByteOrder.LITTLE_ENDIAN);
    switch (t.dtype()) {
      case FLOAT32 -> {
        float[] a = t.toFloatArray();
        for (float v : a) {
          if (buf.remaining() < 4) {
            sink.flush(buf);
          }
          buf.putFloat(v);
        }
      }
      case FLOAT64 -> {
        double[] a = t.toDoubleArray();
        for (double v : a) {
          if (buf.remaining() < 8) {
            sink.flush(buf);
          }
          buf.putDouble(v);
        }
      }
      case INT64 -> {
        long[] a = t.toLongArray();
        for (long v : a) {
          if (buf.remaining() < 8) {
            sink.flush(buf);
          }
          buf.putLong(v);
        }
      }
      case BOOL -> {
        boolean[] a = t.toBooleanArray();
        for (boolean v : a) {
          if (buf.remaining() < 1) {
            sink.flush(buf);
          }
          buf.put((byte) (v ? 1 : 0));
        }
      }
    }
    sink.flush(buf);
  }

  /**
   * Where {@link #encode} sends full buffers: write {@code buf} (flipped by the sink), clear it.
   */
  @FunctionalInterface
  interface IoSink {
    void flush(ByteBuffer buf) throws java.io.IOException;
  }
}
