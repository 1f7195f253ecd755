package dev.jnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.nn.TestModules.Linear;
import dev.jnn.nn.TestModules.Net;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code loadStateDict} is all-or-nothing also for failures that only show while values are being
 * written (a closed value, a throwing {@code setExtraState}, a throwing registration hook under
 * {@code assign}): every parameter and buffer stays bit-identical and the same object.
 */
class LoadStateDictAtomicityTest {

  /** Every parameter and buffer by name: the object and its bits. */
  private record Snapshot(Map<String, Tensor> objects, Map<String, byte[]> bits) {
    static Snapshot of(Module m) {
      Map<String, Tensor> objects = new LinkedHashMap<>();
      Map<String, byte[]> bits = new LinkedHashMap<>();
      m.namedParameters().forEach((k, v) -> objects.put(k, v));
      m.namedBuffers().forEach((k, v) -> objects.put(k, v));
      objects.forEach((k, v) -> bits.put(k, raw(v)));
      return new Snapshot(objects, bits);
    }

    void assertUnchanged(Module m) {
      Snapshot now = of(m);
      assertEquals(objects.keySet(), now.objects.keySet());
      for (String k : objects.keySet()) {
        assertSame(objects.get(k), now.objects.get(k), k + " is the same object");
        assertArrayEquals(bits.get(k), now.bits.get(k), k + " is bit-identical");
      }
    }
  }

  private static byte[] raw(Tensor t) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) t.numel() * 8);
    switch (t.dtype()) {
      case FLOAT32 -> {
        for (float f : t.toFloatArray()) {
          b.putInt(Float.floatToRawIntBits(f));
        }
      }
      case FLOAT64 -> {
        for (double d : t.toDoubleArray()) {
          b.putLong(Double.doubleToRawLongBits(d));
        }
      }
      case INT64 -> {
        for (long l : t.toLongArray()) {
          b.putLong(l);
        }
      }
      case BOOL -> {
        for (boolean x : t.toBooleanArray()) {
          b.put((byte) (x ? 1 : 0));
        }
      }
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  /** A state dict of fresh copies filled with {@code v}, in the module's key order. */
  private static LinkedHashMap<String, Tensor> filled(Module m, double v) {
    LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
    try (NoGrad g = NoGrad.enter()) {
      for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
        sd.put(e.getKey(), e.getValue().clone().fill(v));
      }
    }
    return sd;
  }

  @Test
  void closedValueAsTheLastKeyLoadsNothing() {
    Net net = new Net();
    Snapshot before = Snapshot.of(net);
    LinkedHashMap<String, Tensor> sd = filled(net, 5);
    List<String> keys = new ArrayList<>(sd.keySet());
    String last = keys.get(keys.size() - 1);
    sd.get(last).close();

    StateDictException e = assertThrows(StateDictException.class, () -> net.loadStateDict(sd));
    assertTrue(e.getMessage().startsWith("Error(s) in loading state_dict for Net:"), e.getMessage());
    assertTrue(e.getMessage().contains("\"" + last + "\""), e.getMessage());
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    before.assertUnchanged(net);

    // the same dict with a live value loads completely
    sd.put(last, Tensor.zeros(net.stateDict().get(last).shape().dims()).fill(5));
    assertTrue(net.loadStateDict(sd).allKeysMatched());
    assertEquals(5.0, net.fc2.bias.item());
  }

  @Test
  void closedValueOfAnotherDtypeLoadsNothing() {
    // the value needs a conversion (float64 -> float32) and is closed: found before any write
    Net net = new Net();
    Snapshot before = Snapshot.of(net);
    LinkedHashMap<String, Tensor> sd = filled(net, 3);
    String last = "fc2.bias";
    Tensor d = sd.get(last).toDouble();
    d.close();
    sd.put(last, d);
    assertThrows(StateDictException.class, () -> net.loadStateDict(sd));
    before.assertUnchanged(net);
  }

  @Test
  void freedModuleParameterLoadsNothingElse() {
    Module m = new Module() {};
    m.registerParameter("a", new Parameter(Tensor.ones(3)));
    m.registerBuffer("b", Tensor.fromArray(new long[] {1, 2}));
    Tensor data = Tensor.zeros(2);
    Parameter z = m.registerParameter("z", new Parameter(data));
    data.close();
    float[] a = m.getParameter("a").toFloatArray();
    long[] b = m.getBuffer("b").toLongArray();
    Map<String, Tensor> sd = new LinkedHashMap<>();
    sd.put("a", Tensor.zeros(3).fill(4));
    sd.put("b", Tensor.fromArray(new long[] {8, 9}));
    sd.put("z", Tensor.zeros(2).fill(4));
    z.close(); // the module's own last parameter: its storage is freed
    StateDictException e = assertThrows(StateDictException.class, () -> m.loadStateDict(sd));
    assertTrue(e.getMessage().contains("\"z\""), e.getMessage());
    assertArrayEquals(a, m.getParameter("a").toFloatArray(), "a untouched");
    assertArrayEquals(b, m.getBuffer("b").toLongArray(), "b untouched");
  }

  /** Extra state whose setter fails for the marked value. */
  static final class Picky extends Module {
    Tensor extra = Tensor.fromArray(new float[] {7f}, 1);
    final Linear lin = registerModule("lin", new Linear(2, 2));

    @Override
    protected Tensor getExtraState() {
      return extra;
    }

    @Override
    protected void setExtraState(Tensor state) {
      if (state.toFloatArray()[0] < 0) {
        throw new IllegalArgumentException("negative extra state (simulated failure)");
      }
      extra = state;
    }
  }

  @Test
  void failingSetExtraStateUndoesEverything() {
    Module root = new Module() {};
    Picky a = root.registerModule("a", new Picky());
    Picky b = root.registerModule("b", new Picky());
    Snapshot before = Snapshot.of(root);
    Tensor extraA = a.extra;
    Tensor extraB = b.extra;
    Map<String, Tensor> sd = filled(root, 9);
    sd.put("a._extra_state", Tensor.fromArray(new float[] {1f}, 1)); // accepted
    sd.put("b._extra_state", Tensor.fromArray(new float[] {-1f}, 1)); // refused, after a's

    StateDictException e = assertThrows(StateDictException.class, () -> root.loadStateDict(sd));
    assertTrue(e.getMessage().contains("negative extra state"), e.getMessage());
    before.assertUnchanged(root);
    assertSame(extraA, a.extra, "a's extra state restored");
    assertSame(extraB, b.extra);

    sd.put("b._extra_state", Tensor.fromArray(new float[] {2f}, 1));
    root.loadStateDict(sd);
    assertEquals(9.0, a.lin.weight.select(0, 0).select(0, 0).item());
    assertEquals(2.0, b.extra.item());
  }

  @Test
  void failingRegistrationHookUnderAssignUndoesEverything() {
    Net net = new Net();
    Snapshot before = Snapshot.of(net);
    Map<String, Tensor> sd = filled(net, 6);
    HookHandle h =
        Module.registerModuleParameterRegistrationHook(
            (m, name, p) -> {
              if (m instanceof Linear && p.shape().dims().length == 1 && p.numel() == 1) {
                throw new IllegalStateException("hook refuses " + name + " (simulated)");
              }
              return null;
            });
    try {
      StateDictException e =
          assertThrows(StateDictException.class, () -> net.loadStateDict(sd, true, true));
      assertTrue(e.getMessage().contains("hook refuses bias"), e.getMessage());
    } finally {
      h.remove();
    }
    before.assertUnchanged(net);
    assertEquals(DType.FLOAT32, net.fc1.weight.dtype());
  }
}
