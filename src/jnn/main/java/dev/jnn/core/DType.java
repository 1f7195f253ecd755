package dev.jnn.core;

/** Element types, named as in PyTorch ({@code torch.float32} is {@link #FLOAT32}). */
public enum DType {
  /** 32-bit IEEE float, PyTorch's default ({@code torch.float32}). */
  FLOAT32("float32", 4, true),
  /** 64-bit IEEE float ({@code torch.float64}). */
  FLOAT64("float64", 8, true),
  /** 64-bit signed integer ({@code torch.int64}, PyTorch's default integer type). */
  INT64("int64", 8, false),
  /** Boolean, the result of comparisons ({@code torch.bool}). */
  BOOL("bool", 1, false);

  private final String torchName;
  private final int byteSize;
  private final boolean floatingPoint;

  DType(String torchName, int byteSize, boolean floatingPoint) {
    this.torchName = torchName;
    this.byteSize = byteSize;
    this.floatingPoint = floatingPoint;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether this is a floating-point type ({@code torch.is_floating_point}). */
  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /** PyTorch's name without the {@code torch.} prefix, e.g. {@code "float32"}. */
  public String torchName() {
    return torchName;
  }

  /** PyTorch's printed form, e.g. {@code "torch.float32"}. */
  @Override
  public String toString() {
    return "torch." + torchName;
  }

  /**
   * Type promotion for binary ops (PyTorch's {@code torch.result_type} restricted to the types
   * jnn has): floating beats integer beats bool; the wider float wins.
   */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
    }
    if (a == FLOAT64 || b == FLOAT64) {
      return FLOAT64;
    }
    if (a == FLOAT32 || b == FLOAT32) {
      return FLOAT32;
    }
    if (a == INT64 || b == INT64) {
      return INT64;
    }
    return BOOL;
  }
}
