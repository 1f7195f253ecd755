package dev.jnn.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;

/**
 * Compares the distribution of a jnn-initialised tensor with PyTorch's ({@code init_*} cases of
 * {@code layers.txt}): jnn draws from different random streams, so values differ; the support, mean
 * and standard deviation must agree.
 */
public final class InitStats {
  private InitStats() {}

  /** Sample mean and standard deviation (n - 1), minimum, maximum. */
  public record Stats(long n, double min, double max, double mean, double std) {}

  /** The statistics of {@code t}. */
  public static Stats of(Tensor t) {
    double[] v = t.toDoubleArray();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (double x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    double mean = sum / v.length;
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return new Stats(v.length, min, max, mean, Math.sqrt(ss / (v.length - 1)));
  }

  /**
   * Checks {@code t} against the case: same element count; for a uniform case ({@code bound} or
   * {@code lo}/{@code hi}) every value inside the bounds and the extremes near them; the mean
   * within 5 standard errors of the expected one; the standard deviation within {@code stdTol}
   * (relative) of both PyTorch's sample value and the analytic one.
   */
  public static void check(Golden.Case c, Tensor t, double stdTol) {
    Stats s = of(t);
    String what = c.name();
    assertEquals(Long.parseLong(c.attr("numel")), s.n(), what + " numel");
    double lo;
    double hi;
    double expectedMean = Double.parseDouble(c.attr("expected_mean", "0"));
    double expectedStd;
    if (!c.attr("bound", "").isEmpty()) {
      hi = c.doubleAttr("bound");
      lo = -hi;
    } else if (!c.attr("lo", "").isEmpty()) {
      lo = c.doubleAttr("lo");
      hi = c.doubleAttr("hi");
    } else {
      lo = Double.NaN;
      hi = Double.NaN;
    }
    if (!Double.isNaN(lo)) {
      expectedMean = (lo + hi) / 2;
      expectedStd = (hi - lo) / Math.sqrt(12);
      double slack = 1e-6 * (hi - lo);
      assertTrue(s.min() >= lo - slack, what + ": min " + s.min() + " below " + lo);
      assertTrue(s.max() <= hi + slack, what + ": max " + s.max() + " above " + hi);
      double near = s.n() >= 10_000 ? 0.01 : 0.1;
      assertTrue(s.min() < lo + near * (hi - lo), what + ": min " + s.min() + " far from " + lo);
      assertTrue(s.max() > hi - near * (hi - lo), what + ": max " + s.max() + " far from " + hi);
      // PyTorch's own sample agrees with the bounds too (guards the fixture)
      assertTrue(c.doubleAttr("min") >= lo - slack && c.doubleAttr("max") <= hi + slack, what);
    } else {
      expectedStd = c.doubleAttr("expected_std");
    }
    double se = expectedStd / Math.sqrt(s.n());
    assertEquals(expectedMean, s.mean(), 5 * se, what + " mean");
    assertEquals(expectedMean, c.doubleAttr("mean"), 5 * se, what + " PyTorch's mean");
    assertEquals(c.doubleAttr("std"), s.std(), stdTol * expectedStd, what + " std vs PyTorch");
    assertEquals(expectedStd, s.std(), stdTol * expectedStd, what + " std vs analytic");
  }
}
