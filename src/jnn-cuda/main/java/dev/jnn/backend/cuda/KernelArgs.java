package dev.jnn.backend.cuda;

import java.util.Arrays;

/**
 * The typed argument list of one kernel launch: 64-bit pointers and integers, 32-bit integers,
 * floats, doubles and all-int structs passed by value. Checked against the kernel's PTX signature
 * before every launch ({@link KernelSignatures}).
 */
final class KernelArgs {
  /** Argument kinds. */
  enum Kind {
    PTR(8),
    I64(8),
    I32(4),
    F32(4),
    F64(8),
    STRUCT(-1);

    final int bytes;

    Kind(int bytes) {
      this.bytes = bytes;
    }
  }

  private Kind[] kinds = new Kind[12];
  private long[] values = new long[12];
  private int[][] structs = new int[12][];
  private int count;

  private KernelArgs add(Kind k, long v, int[] s) {
    if (count == kinds.length) {
      kinds = Arrays.copyOf(kinds, count * 2);
      values = Arrays.copyOf(values, count * 2);
      structs = Arrays.copyOf(structs, count * 2);
    }
    kinds[count] = k;
    values[count] = v;
    structs[count] = s;
    count++;
    return this;
  }

  /** A device address (0 for an optional operand that is absent). */
  KernelArgs ptr(long address) {
    return add(Kind.PTR, address, null);
  }

  /** A {@code long long}. */
  KernelArgs i64(long v) {
    return add(Kind.I64, v, null);
  }

  /** An {@code int}. */
  KernelArgs i32(int v) {
    return add(Kind.I32, v, null);
  }

  /** A boolean as an {@code int}. */
  KernelArgs bool(boolean v) {
    return add(Kind.I32, v ? 1 : 0, null);
  }

  /** A {@code float}. */
  KernelArgs f32(float v) {
    return add(Kind.F32, Float.floatToRawIntBits(v) & 0xffffffffL, null);
  }

  /** A {@code double}. */
  KernelArgs f64(double v) {
    return add(Kind.F64, Double.doubleToRawLongBits(v), null);
  }

  /** A struct of ints, by value. */
  KernelArgs struct(int[] words) {
    return add(Kind.STRUCT, 0, words.clone());
  }

  int size() {
    return count;
  }

  Kind kind(int i) {
    return kinds[i];
  }

  /** The raw 64-bit value (float bits in the low 32 bits for F32). */
  long value(int i) {
    return values[i];
  }

  int[] struct(int i) {
    return structs[i];
  }

  /** Size in bytes of argument {@code i}. */
  int bytes(int i) {
    return kinds[i] == Kind.STRUCT ? structs[i].length * 4 : kinds[i].bytes;
  }
}
