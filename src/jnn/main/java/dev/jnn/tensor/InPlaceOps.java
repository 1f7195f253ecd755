package dev.jnn.tensor;

import static dev.jnn.tensor.Autograd.NONE;
import static dev.jnn.tensor.Autograd.gradFor;
import static dev.jnn.tensor.Autograd.in;
import static dev.jnn.tensor.Autograd.record;

import dev.jnn.autograd.GradMode;
import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.UnaryOp;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * In-place variants ({@code add_}, {@code relu_}, {@code fill_}, {@code copy_}, ...): the checks
 * PyTorch makes before writing into a tensor (leaves that require grad, views in a graph, output
 * shape and dtype), the version counter, and how the tensor takes over the history of the
 * out-of-place op it ran. The public entry points are {@link Tensor}'s methods (documented there).
 */
final class InPlaceOps {
  private InPlaceOps() {}

  static Tensor reluInPlace(Tensor self) {
    if (self.dtype() == DType.BOOL) {
      throw new IllegalArgumentException("Boolean inputs not supported for relu");
    }
    if (recordsInPlace(self)) {
      // derivatives.yaml's relu_: threshold_backward(grad, result, 0), on the result
      return activationInPlace(self, "relu_", "ReluBackward0", true, UnaryOps::relu,
          (g, r) -> BinaryOps.binaryRaw("threshold_backward", BinaryOp.THRESHOLD_BACKWARD, g, r));
    }
    checkInPlace(self, "relu_");
    // element-wise: in place is safe
    self.backend().unary(UnaryOp.RELU, self.view(), self.view(), 0, 0);
    self.storage.bumpVersion();
    return self;
  }

  /**
   * An element-wise op written into {@code self} ({@code relu_}, {@code elu_}, {@code hardtanh_},
   * ...): PyTorch's in-place checks, then {@code forward}'s value (computed unrecorded from the old
   * values, so a failing op changes nothing) copied in and the version bumped. When autograd
   * records, {@code self} takes over one node {@code gradFn} whose backward is {@code backward(g,
   * saved)}: with {@code savesResult}, {@code saved} is {@code self} itself, for the formulas
   * derivatives.yaml writes on {@code result} (a later in-place change of {@code self} then fails
   * backward on the version counter, as in PyTorch); otherwise a copy of the old values, as
   * PyTorch keeps the original {@code self} for the formulas written on it.
   */
  static Tensor activationInPlace(Tensor self, String op, String gradFn, boolean savesResult,
      UnaryOperator<Tensor> forward, BinaryOperator<Tensor> backward) {
    checkInPlace(self, op);
    boolean records = recordsInPlace(self);
    Tensor value;
    Tensor original = null;
    try (var ng = NoGrad.enter()) {
      value = forward.apply(self);
      if (records && !savesResult) {
        original = self.clone();
      }
    }
    copyRaw(self, value);
    self.storage.bumpVersion();
    if (!records) {
      return self;
    }
    final Tensor saved = savesResult ? self : original;
    Autograd.record(gradFn, self, in(self), in(saved),
        g -> new Tensor[] {backward.apply(g[0], saved)});
    self.storage.bumpHistoryVersion();
    self.retainsGrad = false;
    return self;
  }

  private static void checkInPlace(Tensor self, String op, Tensor... others) {
    if (!GradMode.isEnabled()) {
      return;
    }
    boolean othersRequire = false;
    for (Tensor o : others) {
      othersRequire |= o != null && o.requiresGrad;
    }
    if (self.isLeaf() && self.requiresGrad) {
      throw new IllegalStateException(
          "a leaf Variable that requires grad is being used in an in-place operation. (" + op + ")");
    }
    if (self.viewBase != null
        && (self.viewBase.requiresGrad || self.requiresGrad || othersRequire)) {
      if (self.viewBase.isLeaf() && self.viewBase.requiresGrad) {
        throw new IllegalStateException(
            "a view of a leaf Variable that requires grad is being used in an in-place operation. ("
                + op + ")");
      }
      if (self.requiresGrad || othersRequire) {
        throw new UnsupportedOperationException(
            op + ": in-place modification of a view that is part of an autograd graph is not"
                + " supported by jnn; use the out-of-place op");
      }
    }
  }

  /** Writes {@code src} (broadcast, cast) into this tensor's elements without autograd. */
  static void copyRaw(Tensor self, Tensor src) {
    Checks.checkSameDevice("copy_", self, src);
    self.backend().copy(src.broadcastView(self.shape), self.view());
  }

  /** Replaces this tensor's values by {@code result}'s and takes over its autograd history. */
  private static Tensor commitInPlace(Tensor self, Tensor result) {
    copyRaw(self, result);
    self.storage.bumpVersion();
    if (result.gradFn != null) {
      self.storage.bumpHistoryVersion();
      self.gradFn = result.gradFn;
      self.outputNr = result.outputNr;
      self.requiresGrad = true;
      self.retainsGrad = false;
    }
    return self;
  }

  private static boolean recordsInPlace(Tensor self, Tensor... others) {
    return Autograd.anyRequiresGrad(others) || (GradMode.isEnabled() && self.requiresGrad);
  }

  /** In-place add without autograd bookkeeping (used for gradient accumulation). */
  static void addInPlaceRaw(Tensor self, Tensor other) {
    Checks.checkSameDevice("add_", self, other);
    self.backend().binary(BinaryOp.ADD, self.view(), other.broadcastView(self.shape), self.view());
    self.storage.bumpVersion();
  }

  private static void checkInPlaceShape(Tensor self, String op, Tensor other) {
    Shape b = Shape.broadcast(self.shape, other.shape, op);
    if (!b.equals(self.shape)) {
      throw new ShapeMismatchException(
          op + ": output with shape " + self.shape + " doesn't match the broadcast shape " + b);
    }
    DType rt = Checks.resultType(self, other);
    // PyTorch's canCast: only a cast to a lower category (float -> int, int -> bool) is refused
    if (Checks.category(rt) > Checks.category(self.dtype())) {
      throw new IllegalArgumentException(
          "result type " + Checks.scalarTypeName(rt) + " can't be cast to the desired output type "
              + Checks.scalarTypeName(self.dtype()));
    }
  }

  private static Tensor inPlaceBinary(Tensor self, String op, BinaryOp bop, Tensor other) {
    checkInPlace(self, op, other);
    checkInPlaceShape(self, op, other);
    if (bop == BinaryOp.DIV && !self.isFloatingPoint()) {
      // true division: the result type is floating (torch.tensor([3]).div_(2) fails)
      throw new IllegalArgumentException(
          "result type Float can't be cast to the desired output type "
              + Checks.scalarTypeName(self.dtype()));
    }
    if (recordsInPlace(self, other)) {
      Tensor copy = self.clone();
      Tensor r =
          switch (bop) {
            case ADD -> copy.add(other);
            case SUB -> copy.sub(other);
            case MUL -> copy.mul(other);
            case DIV -> copy.div(other);
            default -> throw new IllegalArgumentException(op);
          };
      return commitInPlace(self, r.dtype() == self.dtype() ? r : r.to(self.dtype()));
    }
    Checks.checkSameDevice(op, self, other);
    Tensor o = other.dtype() == self.dtype() ? other : UnaryOps.toRaw(other, self.dtype());
    self.backend().binary(bop, self.view(), o.broadcastView(self.shape), self.view());
    self.storage.bumpVersion();
    return self;
  }

  static Tensor addInPlace(Tensor self, Tensor other) {
    return inPlaceBinary(self, "add_", BinaryOp.ADD, other);
  }

  static Tensor subInPlace(Tensor self, Tensor other) {
    return inPlaceBinary(self, "sub_", BinaryOp.SUB, other);
  }

  static Tensor mulInPlace(Tensor self, Tensor other) {
    return inPlaceBinary(self, "mul_", BinaryOp.MUL, other);
  }

  static Tensor divInPlace(Tensor self, Tensor other) {
    return inPlaceBinary(self, "div_", BinaryOp.DIV, other);
  }

  static Tensor fill(Tensor self, double value) {
    return fillImpl(self, "fill_", "FillBackward2", value);
  }

  static Tensor zero(Tensor self) {
    return fillImpl(self, "zero_", "ZeroBackward0", 0.0);
  }

  private static Tensor fillImpl(Tensor self, String op, String nodeName, double value) {
    checkInPlace(self, op);
    self.backend().fill(self.view(), value);
    self.storage.bumpVersion();
    if (GradMode.isEnabled() && self.requiresGrad && self.gradFn != null) {
      // the new values do not depend on the old ones: the history gets zeros (as in PyTorch)
      Tensor r = record(nodeName, Tensor.zerosLike(self).detach(), in(self), NONE,
          g -> new Tensor[] {Tensor.zerosLike(g[0])});
      self.storage.bumpHistoryVersion();
      self.gradFn = r.gradFn;
      self.outputNr = 0;
    }
    return self;
  }

  static Tensor copyFrom(Tensor self, Tensor src) {
    checkInPlace(self, "copy_", src);
    Shape b = Shape.broadcast(self.shape, src.shape, "copy_");
    if (!b.equals(self.shape)) {
      throw new ShapeMismatchException(
          "copy_: the size of src " + src.shape + " must be broadcastable to " + self.shape);
    }
    Tensor s = src.device().equals(self.device()) ? src : src.to(self.device());
    if (recordsInPlace(self, src)) {
      // PyTorch's CopyBackwards: the gradient goes to src (summed over broadcast dims, cast back
      // to its dtype); this tensor's old history, whose values were overwritten, gets zeros
      Tensor out = Tensor.allocate(self.shape, self.dtype(), self.device());
      self.backend().copy(s.broadcastView(self.shape), out.view());
      Tensor r = record("CopyBackwards", out, in(self, s), NONE,
          g -> new Tensor[] {Tensor.zerosLike(g[0]), gradFor(g[0], s)});
      return commitInPlace(self, r);
    }
    copyRaw(self, s);
    self.storage.bumpVersion();
    return self;
  }
}
