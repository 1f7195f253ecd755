package dev.jnn.tensor;

import dev.jnn.backend.HostBuffer;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;

/**
 * Tensor factories ({@code torch.empty/zeros/ones/full/arange/eye/tensor}): PyTorch's size and
 * argument errors, then one allocation. The public entry points are {@link Tensor}'s static methods
 * of the same names (documented there).
 */
final class Factories {
  private Factories() {}

  /** {@link Tensor#allocate} for factory {@code op}: the size errors name the op and the shape. */
  private static Tensor allocate(String op, Shape shape, DType dtype, Device device) {
    if (device.isCpu()) {
      Tensor.hostNumel(op, shape);
    } else {
      Tensor.storageNumel(op, shape);
    }
    return Tensor.allocate(shape, dtype, device);
  }

  static Tensor empty(Shape shape, DType dtype, Device device) {
    return allocate("empty", shape, dtype, device);
  }

  static Tensor uninitialized(Shape shape, DType dtype, Device device) {
    if (device.isCpu()) {
      Tensor.hostNumel("uninitialized", shape);
    } else {
      Tensor.storageNumel("uninitialized", shape);
    }
    return Tensor.allocateUninit(shape, dtype, device);
  }

  static Tensor zeros(Shape shape, DType dtype, Device device) {
    return allocate("zeros", shape, dtype, device);
  }

  static Tensor ones(Shape shape, DType dtype, Device device) {
    return fill("ones", shape, 1.0, dtype, device);
  }

  static Tensor full(Shape shape, double value, DType dtype, Device device) {
    return fill("full", shape, value, dtype, device);
  }

  private static Tensor fill(String op, Shape shape, double value, DType dtype, Device device) {
    Tensor t = allocate(op, shape, dtype, device);
    if (value != 0.0) {
      t.backend().fill(t.view(), value);
    }
    return t;
  }

  /**
   * The values of {@code torch.arange(start, end, step)} in {@code dtype}, unchecked: {@link
   * FactoryOps#arange} checks the arguments first (PyTorch's texts, in its order).
   */
  static Tensor arangeFill(double start, double end, double step, DType dtype) {
    double size = Math.ceil((end - start) / step);
    long n = (long) size;
    HostBuffer h = HostBuffer.allocate(dtype, Tensor.hostNumel("arange", Shape.of(n)));
    for (int i = 0; i < n; i++) {
      h.setDouble(i, start + i * step);
    }
    return new Tensor(new Storage(h), Shape.of(n), new long[] {1}, 0);
  }

  static Tensor eye(long n, DType dtype, Device device) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be greater or equal to 0, got " + n + " (eye)");
    }
    try {
      Math.multiplyExact(n, n);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "numel: integer multiplication overflow (eye: shape [" + n + ", " + n + "])");
    }
    HostBuffer h = HostBuffer.allocate(dtype, Tensor.hostNumel("eye", Shape.of(n, n)));
    for (int i = 0; i < n; i++) {
      h.setDouble((int) (i * n + i), 1.0);
    }
    return fromHost(h, Shape.of(n, n), device);
  }

  private static Shape checkedShape(int length, long[] dims) {
    Shape s = dims.length == 0 ? Shape.of(length) : Shape.of(dims);
    long n;
    try {
      n = s.numel();
    } catch (ArithmeticException e) {
      n = -1; // an overflowing product never matches the data's length
    }
    if (n != length) {
      throw new ShapeMismatchException(
          "fromArray: shape " + s + " is invalid for input of size " + length);
    }
    return s;
  }

  static Tensor fromHost(HostBuffer h, Shape s, Device device) {
    Tensor t = new Tensor(new Storage(h), s, s.contiguousStrides(), 0);
    return device.isCpu() ? t : t.to(device);
  }

  static Tensor fromArray(float[] data, long... dims) {
    return fromHost(HostBuffer.wrap(data.clone()), checkedShape(data.length, dims), Device.CPU);
  }

  static Tensor fromArray(double[] data, long... dims) {
    return fromHost(HostBuffer.wrap(data.clone()), checkedShape(data.length, dims), Device.CPU);
  }

  static Tensor fromArray(long[] data, long... dims) {
    return fromHost(HostBuffer.wrap(data.clone()), checkedShape(data.length, dims), Device.CPU);
  }

  static Tensor fromArray(boolean[] data, long... dims) {
    return fromHost(HostBuffer.wrap(data.clone()), checkedShape(data.length, dims), Device.CPU);
  }
}
