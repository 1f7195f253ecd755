package dev.jnn.tensor;

import dev.jnn.backend.HostBuffer;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;

/**
 * Range factories (issue 17 item 7): the {@code torch.arange} overloads with PyTorch's dtype
 * inference (int64 when every argument is an integer, else the default float32: Java's {@code
 * long} and {@code double} overloads), {@code torch.linspace} and {@code torch.logspace}, with
 * PyTorch 1.13's CPU arithmetic (RangeFactories.cpp: the first half counted from {@code start},
 * the second from {@code end}; float32 in float arithmetic, logspace's exponent in double) and
 * its messages, in its order. Values are made on the host, as every jnn factory is.
 */
final class FactoryOps {
  private FactoryOps() {}

  private static String num(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return v == Math.rint(v) && Math.abs(v) < 0x1p63 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * {@code torch.arange(start, end, step)} in {@code dtype}: PyTorch's checks in its order (step,
   * finite bounds, sign), then {@link Factories#arangeFill} fills it.
   */
  static Tensor arange(double start, double end, double step, DType dtype) {
    if (dtype == DType.BOOL) {
      throw new IllegalArgumentException("\"arange_cpu\" not implemented for 'Bool'");
    }
    if (dtype == DType.INT64) {
      // PyTorch converts the three scalars to int64 first (truncating), then checks
      start = toInt64(start);
      end = toInt64(end);
      step = toInt64(step);
    }
    if (!(step > 0 || step < 0)) {
      throw new IllegalArgumentException("step must be nonzero");
    }
    if (!Double.isFinite(start) || !Double.isFinite(end)) {
      throw new IllegalArgumentException("unsupported range: " + num(start) + " -> " + num(end));
    }
    if (!((step > 0 && end >= start) || (step < 0 && end <= start))) {
      throw new IllegalArgumentException(
          "upper bound and larger bound inconsistent with step sign");
    }
    if (!(Math.ceil((end - start) / step) <= 0x1p63)) {
      throw new IllegalArgumentException("invalid size, possible overflow?");
    }
    return Factories.arangeFill(start, end, step, dtype);
  }

  /** A Python number as c10::Scalar::to<int64_t>() converts it (truncation, range checked). */
  private static double toInt64(double v) {
    if (!(v >= -0x1p63 && v < 0x1p63)) {
      throw new IllegalArgumentException(
          "value cannot be converted to type int64_t without overflow");
    }
    return (double) (long) v;
  }

  private static void checkSteps(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("number of steps must be non-negative");
    }
  }

  private static Tensor host(HostBuffer h, long n) {
    return new Tensor(new Storage(h), Shape.of(n), new long[] {1}, 0);
  }

  /** {@code torch.linspace(start, end, steps, dtype=dtype)}. */
  static Tensor linspace(double start, double end, long steps, DType dtype) {
    checkSteps(steps);
    if (dtype == DType.BOOL) {
      throw new IllegalArgumentException("\"linspace_cpu\" not implemented for 'Bool'");
    }
    int n = Tensor.hostNumel("linspace", Shape.of(steps));
    HostBuffer h = HostBuffer.allocate(dtype, n);
    long half = steps / 2;
    if (steps == 1) {
      h.setDouble(0, dtype == DType.INT64 ? (double) (long) start : start);
    } else if (dtype == DType.FLOAT32) {
      float s = (float) start;
      float e = (float) end;
      float st = (e - s) / (float) (steps - 1);
      for (int i = 0; i < n; i++) {
        h.setDouble(i, i < half ? s + st * (float) i : e - st * (float) (steps - i - 1));
      }
    } else if (dtype == DType.INT64) {
      // step in double, values truncated to int64 (PyTorch's integral kernel)
      long s = (long) start;
      long e = (long) end;
      double st = ((double) e - (double) s) / (steps - 1);
      for (int i = 0; i < n; i++) {
        h.setDouble(i, (long) (i < half ? s + st * i : e - st * (steps - i - 1)));
      }
    } else {
      double st = (end - start) / (steps - 1);
      for (int i = 0; i < n; i++) {
        h.setDouble(i, i < half ? start + st * i : end - st * (steps - i - 1));
      }
    }
    return host(h, steps);
  }

  /** {@code torch.logspace(start, end, steps, base=base, dtype=dtype)}. */
  static Tensor logspace(double start, double end, long steps, double base, DType dtype) {
    checkSteps(steps);
    if (dtype == DType.BOOL) {
      throw new IllegalArgumentException("\"logspace_cpu\" not implemented for 'Bool'");
    }
    int n = Tensor.hostNumel("logspace", Shape.of(steps));
    HostBuffer h = HostBuffer.allocate(dtype, n);
    // start and end are first converted to the output type, the exponent is a double
    double s = dtype == DType.FLOAT32 ? (float) start : dtype == DType.INT64 ? (long) start : start;
    double e = dtype == DType.FLOAT32 ? (float) end : dtype == DType.INT64 ? (long) end : end;
    if (steps == 1) {
      h.setDouble(0, trunc(Math.pow(base, start), dtype));
    } else {
      double st = (e - s) / (steps - 1);
      long half = steps / 2;
      for (int i = 0; i < n; i++) {
        double x = i < half ? Math.pow(base, s + st * i) : Math.pow(base, e - st * (steps - i - 1));
        h.setDouble(i, trunc(x, dtype));
      }
    }
    return host(h, steps);
  }

  private static double trunc(double v, DType dtype) {
    return dtype == DType.INT64 ? (double) (long) v : v;
  }
}
