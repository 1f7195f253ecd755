package dev.jnn.ops;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every registry sample, in float32 and float64, forward and backward against PyTorch 1.13
 * (golden/op_registry.txt from scripts/golden/op_registry.py), looked up by exact case name
 * {@code <op>/<sample>/<dtype>}: the inputs (the shared generator's values, bit for bit), the
 * output(s), PyTorch's grad_fn name, and the input gradients for PyTorch's upstream gradient.
 */
class OpRegistryGoldenTest {
  static Map<String, Golden.Case> fixture() {
    return Golden.loadByName(RegistryFiles.GOLDEN);
  }

  @TestFactory
  Stream<DynamicTest> forwardAndBackward() {
    Map<String, Golden.Case> cases = fixture();
    List<DynamicTest> r = new ArrayList<>();
    for (OpInfo op : OpRegistry.all()) {
      for (int i = 0; i < op.samples().size(); i++) {
        Sample s = op.samples().get(i);
        for (DType dt : OpInfo.DTYPES) {
          String name = op.caseName(i, dt);
          r.add(DynamicTest.dynamicTest(name + " " + s, () -> check(op, s, dt, cases.get(name), name)));
        }
      }
    }
    return r.stream();
  }

  private static void check(OpInfo op, Sample s, DType dt, Golden.Case c, String name) {
    assertNotNull(c, name + ": no golden case (run /usr/bin/python3 scripts/golden/op_registry.py)");
    List<Tensor> xs = OpInfo.inputs(s, dt);
    for (int k = 0; k < xs.size(); k++) {
      assertExact(c.tensor("in" + k), xs.get(k), name + " in" + k + " (shared generator)");
      if (op.differentiable() && s.inputs().get(k).requiresGrad()) {
        xs.get(k).requiresGrad(true);
      }
    }
    Object r = op.call(xs, s);
    Tensor out = OpInfo.first(r);
    assertClose(op, c.tensor("out"), out, name + " out");
    if (c.has("out1")) {
      assertExact(c.tensor("out1"), OpInfo.second(r), name + " out1");
    }
    if (!c.has("gout")) {
      assertFalse(out.requiresGrad(), name + ": PyTorch's output does not require grad");
      return;
    }
    assertTrue(out.requiresGrad(), name + ": output does not require grad");
    if (op.gradFnDeviation() == null) {
      assertEquals(c.attr("grad_fn", null), out.gradFn() == null ? null : out.gradFn().name(),
          name + ": grad_fn name");
    }
    out.backward(c.tensor("gout"));
    for (int k = 0; k < xs.size(); k++) {
      Tensor x = xs.get(k);
      if (!x.requiresGrad()) {
        continue;
      }
      String what = name + " grad of in" + k;
      if (c.has("gin" + k)) {
        assertNotNull(x.grad(), what + " is null");
        assertClose(op, c.tensor("gin" + k), x.grad(), what);
      } else if (x.grad() != null) {
        for (double v : x.grad().toDoubleArray()) {
          assertEquals(0.0, v, what + ": PyTorch has none, jnn's should be zero");
        }
      }
    }
  }

  private static void assertClose(OpInfo op, Tensor expected, Tensor actual, String what) {
    assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
    assertEquals(expected.shape(), actual.shape(), what + ": shape");
    if (expected.isFloatingPoint()) {
      double tol = op.rtol(expected.dtype());
      assertTensorClose(expected, actual, tol, tol, what);
    } else {
      assertExact(expected, actual, what);
    }
  }

  static void assertExact(Tensor expected, Tensor actual, String what) {
    assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
    assertEquals(expected.shape(), actual.shape(), what + ": shape");
    if (expected.dtype() == DType.BOOL) {
      assertArrayEquals(expected.toBooleanArray(), actual.toBooleanArray(), what);
    } else if (expected.dtype() == DType.INT64) {
      assertArrayEquals(expected.toLongArray(), actual.toLongArray(), what);
    } else {
      assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), what);
    }
  }

  /** No case in the fixture that the registry does not have (a renamed op, a dropped sample). */
  @Test
  void fixtureHasNoStaleCases() {
    Set<String> expected = new HashSet<>(Set.of("_registry"));
    for (OpInfo op : OpRegistry.all()) {
      for (int i = 0; i < op.samples().size(); i++) {
        for (DType dt : OpInfo.DTYPES) {
          expected.add(op.caseName(i, dt));
        }
      }
      for (int i = 0; i < op.errors().size(); i++) {
        expected.add(op.errorName(i));
      }
    }
    Set<String> stale = new HashSet<>(fixture().keySet());
    stale.removeAll(expected);
    assertEquals(Set.of(), stale, "golden/op_registry.txt has cases the registry does not");
  }
}
