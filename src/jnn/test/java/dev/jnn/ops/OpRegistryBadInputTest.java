package dev.jnn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every registry error input raises an unchecked exception whose message starts with PyTorch
 * 1.13's text (recorded by scripts/golden/op_registry.py, case {@code <op>/error/<i>}; jnn may
 * add context after it), of the matching kind (IndexError: IndexOutOfBoundsException), and leaves
 * its inputs unchanged (values and version counter).
 */
class OpRegistryBadInputTest {
  @TestFactory
  Stream<DynamicTest> errorInputsRaisePyTorchsMessage() {
    Map<String, Golden.Case> cases = OpRegistryGoldenTest.fixture();
    List<DynamicTest> r = new ArrayList<>();
    for (OpInfo op : OpRegistry.all()) {
      for (int i = 0; i < op.errors().size(); i++) {
        Sample s = op.errors().get(i);
        String name = op.errorName(i);
        r.add(DynamicTest.dynamicTest(name + " " + s, () -> check(op, s, cases.get(name), name)));
      }
    }
    return r.stream();
  }

  private static void check(OpInfo op, Sample s, Golden.Case c, String name) {
    assertNotNull(c, name + ": no golden case (run /usr/bin/python3 scripts/golden/op_registry.py)");
    String expected = c.text("message");
    List<Tensor> xs = OpInfo.inputs(s, DType.FLOAT32);
    List<String> before = new ArrayList<>();
    List<Integer> versions = new ArrayList<>();
    for (Tensor x : xs) {
      before.add(snapshot(x));
      versions.add(x.version());
    }
    RuntimeException e = assertThrows(RuntimeException.class, () -> op.call(xs, s), name);
    String m = String.valueOf(e.getMessage());
    assertTrue(m.startsWith(expected),
        name + ": message\n  jnn:     " + m + "\n  PyTorch: " + expected);
    if (c.attr("type").trim().equals("IndexError")) {
      assertInstanceOf(IndexOutOfBoundsException.class, e, name + ": PyTorch raises IndexError");
    }
    for (int k = 0; k < xs.size(); k++) {
      assertEquals(before.get(k), snapshot(xs.get(k)), name + ": in" + k + " changed");
      assertEquals(versions.get(k), xs.get(k).version(), name + ": in" + k + " version changed");
    }
  }

  private static String snapshot(Tensor x) {
    return switch (x.dtype()) {
      case BOOL -> java.util.Arrays.toString(x.toBooleanArray());
      case INT64 -> java.util.Arrays.toString(x.toLongArray());
      default -> java.util.Arrays.toString(x.toDoubleArray());
    };
  }
}
