package dev.jnn.tensor;

import dev.jnn.backend.View;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;

/**
 * Test-only: the package-private internals of {@link Tensor} that jnn-cuda's tests inspect (this
 * class is in jnn's package {@code dev.jnn.tensor}, on the test class path only; it is no API).
 */
public final class TensorInternals {
  private TensorInternals() {}

  /** The back end's view of {@code t} (its buffer, int sizes, strides and offset). */
  public static View view(Tensor t) {
    return t.view();
  }

  /** A contiguous tensor whose contents are unspecified ({@code Tensor.uninitialized}). */
  public static Tensor uninitialized(Shape shape, DType dtype, Device device) {
    return Tensor.uninitialized(shape, dtype, device);
  }
}
