package dev.jnn.tensor;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.Backend;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;

/**
 * What the op families behind {@code nn.functional.Functional} ({@link ConvOps}, {@link PoolOps},
 * {@link ActivationOps}, {@link NormOps}, {@link LossOps}, {@link NnMiscOps}, {@link AttentionOps})
 * share: the kernel family of a tensor's device, contiguous inputs, output allocation, and
 * PyTorch's dtype and device checks with its messages.
 */
final class NnOpSupport {
  private NnOpSupport() {}

  static Backend backend(Tensor t) {
    return t.backend();
  }

  /** {@code t} itself when contiguous, else a contiguous copy cut from the graph. */
  static Tensor contig(Tensor t) {
    if (t == null) {
      return null;
    }
    return t.isContiguous() ? t : t.detach().contiguous();
  }

  static View view(Tensor t) {
    return t == null ? null : t.view();
  }

  static Buffer buf(Tensor t) {
    return t.storage().buffer();
  }

  static Tensor zeros(Shape s, Tensor like) {
    return Tensor.zeros(s, like.dtype(), like.device());
  }

  /** For an output the kernel overwrites entirely (no zeroing pass). */
  static Tensor uninitialized(Shape s, Tensor like) {
    return Tensor.uninitialized(s, like.dtype(), like.device());
  }

  static boolean needsGrad(Tensor t) {
    return t != null && t.requiresGrad();
  }

  /** PyTorch's scalar-type name for messages ({@code Float}, {@code Double}, {@code Long}). */
  static String typeName(DType d) {
    return switch (d) {
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      case INT64 -> "Long";
      case BOOL -> "Bool";
    };
  }

  static String lowerTypeName(DType d) {
    return switch (d) {
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      case INT64 -> "long int";
      case BOOL -> "bool";
    };
  }

  static void checkFloating(String op, Tensor t) {
    if (!t.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "\"" + op + "\" not implemented for '" + typeName(t.dtype()) + "'");
    }
  }

  /** {@code expected scalar type Float but found Double}, as PyTorch's dtype checks say. */
  static void checkSameType(Tensor ref, Tensor other) {
    if (other != null && other.dtype() != ref.dtype()) {
      throw new IllegalArgumentException(
          "expected scalar type "
              + typeName(ref.dtype())
              + " but found "
              + typeName(other.dtype()));
    }
  }

  static void checkDevice(String op, Tensor ref, Tensor... others) {
    for (Tensor o : others) {
      if (o != null) {
        Checks.checkSameDevice(op, ref, o);
      }
    }
  }

}
