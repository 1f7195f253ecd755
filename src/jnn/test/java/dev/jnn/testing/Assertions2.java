package dev.jnn.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;

/** Tensor comparisons for tests, with the project's golden tolerances. */
public final class Assertions2 {
  /** Relative tolerance for float32 golden comparisons. */
  public static final double F32_RTOL = 1e-5;
  /** Relative tolerance for float64 golden comparisons. */
  public static final double F64_RTOL = 1e-10;

  private Assertions2() {}

  /** Same shape and values within the dtype's golden tolerance (relative, with a tiny absolute floor). */
  public static void assertTensorClose(Tensor expected, Tensor actual, String what) {
    double rtol = actual.dtype() == DType.FLOAT64 && expected.dtype() == DType.FLOAT64 ? F64_RTOL : F32_RTOL;
    assertTensorClose(expected, actual, rtol, rtol, what);
  }

  /** Same shape and |a - e| <= atol + rtol * |e| element-wise (NaN matches NaN). */
  public static void assertTensorClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
    assertEquals(expected.shape(), actual.shape(), what + ": shape");
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      if (Double.isNaN(e[i]) && Double.isNaN(a[i])) {
        continue;
      }
      if (e[i] == a[i]) {
        continue;
      }
      if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
        fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]
            + " (rtol " + rtol + ", atol " + atol + ")");
      }
    }
  }
}
