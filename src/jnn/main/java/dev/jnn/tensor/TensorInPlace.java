package dev.jnn.tensor;

/**
 * The in-place ops of {@link Tensor}, PyTorch's trailing-underscore methods under Java names
 * ({@code add_} is {@code addInPlace}, {@code fill_} is {@code fill}, {@code copy_} is {@code
 * copyFrom}, ...). Each writes into this tensor and returns it, with PyTorch's checks: a leaf that
 * requires grad (or a view of one) is refused, the storage's version counter is bumped (a backward
 * pass that saved the old values then fails instead of using the new ones), and when autograd
 * records, this tensor takes over the op's history.
 *
 * <p>One of the facade interfaces that {@link Tensor} implements, one per family of ops, so that
 * its methods can be read by family (as PyTorch's documentation groups them) and no file of the
 * facade grows past about 1,000 lines. It is sealed to {@code Tensor}: users never implement it
 * and never need to name it, since every method is called on a {@code Tensor} ({@code
 * w.addInPlace(g)}, {@code Tensor::zero}) and a subclass of {@code Tensor} may override any of
 * them. Each method is one line into the package's op family that holds the op's body ({@code
 * InPlaceOps}); see "Op families" in docs/ARCHITECTURE.md.
 */
public sealed interface TensorInPlace permits Tensor {
  /** This object as the {@link Tensor} it is (the only permitted implementation). */
  private Tensor self() {
    return (Tensor) this;
  }

  // ------------------------------------------------------------------ in-place (InPlaceOps)

  /**
   * {@code t.relu_()}: {@code max(x, 0)} written into this tensor, which is returned. As for the
   * other in-place ops, a leaf that requires grad (or a view of one) is refused, the storage's
   * version is bumped (so a backward pass that saved the old values fails instead of using the
   * new ones), and when autograd records, this tensor takes over the ReLU's history.
   */
  default Tensor reluInPlace() {
    return InPlaceOps.reluInPlace(self());
  }

  /** {@code t.add_(other)}. */
  default Tensor addInPlace(Tensor other) {
    return InPlaceOps.addInPlace(self(), other);
  }

  /** {@code t.add_(other, alpha=alpha)}. */
  default Tensor addInPlace(Tensor other, double alpha) {
    return alpha == 1.0 ? addInPlace(other) : addInPlace(other.mul(alpha));
  }

  /** {@code t.add_(s)}. */
  default Tensor addInPlace(double s) {
    return addInPlace(Checks.wrapScalar(self(), s));
  }

  /** {@code t.sub_(other)}. */
  default Tensor subInPlace(Tensor other) {
    return InPlaceOps.subInPlace(self(), other);
  }

  /** {@code t.mul_(other)}. */
  default Tensor mulInPlace(Tensor other) {
    return InPlaceOps.mulInPlace(self(), other);
  }

  /** {@code t.mul_(s)}. */
  default Tensor mulInPlace(double s) {
    return mulInPlace(Checks.wrapScalar(self(), s));
  }

  /** {@code t.div_(other)}. */
  default Tensor divInPlace(Tensor other) {
    return InPlaceOps.divInPlace(self(), other);
  }

  /** {@code t.div_(s)}. */
  default Tensor divInPlace(double s) {
    return divInPlace(Checks.wrapScalar(self(), s));
  }

  /** {@code t.fill_(v)}. */
  default Tensor fill(double value) {
    return InPlaceOps.fill(self(), value);
  }

  /** {@code t.zero_()}. */
  default Tensor zero() {
    return InPlaceOps.zero(self());
  }

  /** {@code t.copy_(src)}: copies values (broadcast, cast, across devices) into this tensor. */
  default Tensor copyFrom(Tensor src) {
    return InPlaceOps.copyFrom(self(), src);
  }
}
