package dev.jnn.tensor;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;

/**
 * Checks and type rules the op families share, with PyTorch's messages: same device, binary result
 * type (including the 0-dim rule), a Java number as a Python scalar operand, ScalarType names.
 */
final class Checks {
  private Checks() {}

  static void checkSameDevice(String op, Tensor a, Tensor b) {
    if (!a.device().equals(b.device())) {
      throw new IllegalArgumentException(
          "Expected all tensors to be on the same device, but found at least two devices, "
              + a.device()
              + " and "
              + b.device()
              + "! (when checking argument for "
              + op
              + ")");
    }
  }

  static int category(DType d) {
    return d == DType.BOOL ? 0 : d == DType.INT64 ? 1 : 2;
  }

  /** PyTorch's result type of a binary op, including the 0-dim rule. */
  static DType resultType(Tensor a, Tensor b) {
    boolean az = a.dim() == 0;
    boolean bz = b.dim() == 0;
    if (az == bz) {
      return DType.promote(a.dtype(), b.dtype());
    }
    Tensor dimmed = az ? b : a;
    Tensor zero = az ? a : b;
    if (category(zero.dtype()) > category(dimmed.dtype())) {
      return DType.promote(dimmed.dtype(), zero.dtype());
    }
    return dimmed.dtype();
  }

  static Tensor wrapScalar(Tensor self, double v) {
    // Java cannot tell 2 from 2.0: an integral value acts like a Python int (int64, so a bool
    // tensor + 1 is int64 as in PyTorch), any other like a Python float (float32 default)
    DType dt;
    if (self.isFloatingPoint()) {
      dt = self.dtype();
    } else if (v == Math.rint(v) && !Double.isInfinite(v)) {
      dt = DType.INT64;
    } else {
      dt = DType.FLOAT32;
    }
    return Tensor.full(Shape.scalar(), v, dt, self.device());
  }

  /** PyTorch's ScalarType name used in its messages ("Float", "Double", "Long", "Bool"). */
  static String scalarTypeName(DType d) {
    return switch (d) {
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      case INT64 -> "Long";
      case BOOL -> "Bool";
    };
  }
}
