package dev.jnn.tensor;

import dev.jnn.backend.HostBuffer;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;

/**
 * Random draws ({@code torch.rand/randn/randint}) from a {@link Generator}: drawn on the host in
 * float64 (so every device gets the same values), then converted. The public entry points are
 * {@link Tensor}'s static methods of the same names (documented there).
 */
final class RandomOps {
  private RandomOps() {}

  static Tensor rand(Shape shape, DType dtype, Generator gen) {
    double[] v = new double[Tensor.hostNumel("rand", shape)];
    gen.fillUniform(v);
    if (dtype == DType.FLOAT32) {
      // a double just below 1 rounds to 1.0f; keep the float32 result in [0, 1) as PyTorch does
      for (int i = 0; i < v.length; i++) {
        if ((float) v[i] >= 1.0f) {
          v[i] = Math.nextDown(1.0f);
        }
      }
    }
    // fromHost keeps a 0-d shape (fromArray would make it 1-D)
    return Factories.fromHost(HostBuffer.wrap(v), shape, Device.CPU).to(dtype);
  }

  static Tensor randn(Shape shape, DType dtype, Generator gen) {
    double[] v = new double[Tensor.hostNumel("randn", shape)];
    gen.fillNormal(v);
    return Factories.fromHost(HostBuffer.wrap(v), shape, Device.CPU).to(dtype);
  }

  static Tensor randint(long low, long high, Shape shape, Generator gen) {
    if (low >= high) {
      throw new IllegalArgumentException(
          "random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
    }
    long[] v = new long[Tensor.hostNumel("randint", shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = gen.nextLong(low, high);
    }
    return Factories.fromHost(HostBuffer.wrap(v), shape, Device.CPU);
  }
}
