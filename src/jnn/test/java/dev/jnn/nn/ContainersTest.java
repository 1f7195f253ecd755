package dev.jnn.nn;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.nn.TestModules.Linear;
import dev.jnn.nn.TestModules.ReLU;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Sequential, ModuleList, ModuleDict, ParameterList and ParameterDict. */
class ContainersTest {
  static List<String> keys(Module m) {
    return new ArrayList<>(m.modules.keySet());
  }

  @Test
  void sequentialChainsAndIndexes() {
    Linear a = new Linear(2, 3).fill(0.1);
    ReLU r = new ReLU();
    Linear b = new Linear(3, 1).fill(-0.2);
    Sequential seq = new Sequential(a, r, b);
    Tensor x = Tensor.fromArray(new float[] {1, -2, 0.5f, 3}, 2, 2);
    assertTensorClose(b.call(r.call(a.call(x))), seq.call(x), "chain");
    assertSame(a, seq.get(0));
    assertSame(b, seq.get(-1));
    assertEquals(3, seq.size());
    List<Module> it = new ArrayList<>();
    seq.forEach(it::add);
    assertEquals(List.of(a, r, b), it);

    Sequential tail = seq.slice(1, 3);
    assertEquals(List.of("1", "2"), keys(tail), "slicing keeps keys");
    assertSame(r, tail.get(0));
    assertEquals(List.of("2", "0"), keys(seq.slice(-1, -4, -2)));

    Linear c = new Linear(3, 1);
    seq.set(-1, c);
    assertSame(c, seq.get(2));
    seq.remove(0);
    assertEquals(List.of("0", "1"), keys(seq), "renumbered");
    assertSame(r, seq.get(0));
    assertSame(c, seq.pop(1));
    seq.append(b).insert(0, a);
    assertEquals(List.of(a, r, b), List.of(seq.get(0), seq.get(1), seq.get(2)));
    seq.insert(-1, new ReLU());
    assertEquals(List.of("0", "1", "2", "3"), keys(seq));
    assertInstanceOf(ReLU.class, seq.get(2));
    Sequential both = seq.plus(new Sequential(new ReLU()));
    assertEquals(5, both.size());
    seq.extend(List.of(new ReLU(), new ReLU()));
    assertEquals(6, seq.size());
  }

  @Test
  void sequentialFromNamedEntries() {
    Map<String, Module> named = new LinkedHashMap<>();
    named.put("conv", new Linear(1, 2));
    named.put("act", new ReLU());
    Sequential seq = new Sequential(named);
    assertEquals(List.of("conv", "act"), keys(seq));
    assertEquals(List.of("conv.weight", "conv.bias"), List.copyOf(seq.stateDict().keySet()));
    seq.append(new ReLU());
    assertEquals(List.of("conv", "act", "2"), keys(seq));
    seq.remove(0); // PyTorch re-keys everything to positions after a deletion
    assertEquals(List.of("0", "1"), keys(seq));
    assertThrows(IllegalArgumentException.class, () -> new Sequential(Map.of("a.b", new ReLU())));
    Sequential named2 = new Sequential(Map.of("x", new ReLU()));
    assertThrows(IllegalArgumentException.class, () -> named2.insert(0, new ReLU()));
    assertEquals(List.of("x"), keys(named2), "unchanged");
  }

  @Test
  void moduleListBehavesLikeAList() {
    ReLU r0 = new ReLU();
    ReLU r1 = new ReLU();
    ModuleList ml = new ModuleList(List.of(r0, r1));
    assertEquals(List.of("0", "1"), keys(ml));
    assertSame(r1, ml.get(-1));
    ReLU r2 = new ReLU();
    ml.append(r2).extend(List.of(new ReLU()));
    assertEquals(4, ml.size());
    ReLU ins = new ReLU();
    ml.insert(1, ins);
    assertEquals(List.of(r0, ins, r1, r2), List.of(ml.get(0), ml.get(1), ml.get(2), ml.get(3)));
    assertThrows(IndexOutOfBoundsException.class, () -> ml.insert(-1, new ReLU()));
    assertThrows(IndexOutOfBoundsException.class, () -> ml.insert(9, new ReLU()));
    ml.remove(0);
    assertEquals(List.of("0", "1", "2", "3"), keys(ml));
    assertSame(ins, ml.pop(0));
    ml.set(0, r0);
    assertSame(r0, ml.get(0));
    assertEquals(2, ml.slice(0, 2).size());
    assertSame(r0, ml.slice(0, 2).get(0));
    assertEquals(5, ml.plus(List.of(new ReLU(), new ReLU())).size());
    UnsupportedOperationException e =
        assertThrows(UnsupportedOperationException.class, () -> ml.call(Tensor.ones(1)));
    assertEquals(
        "Module [ModuleList] is missing the required \"forward\" function", e.getMessage());
    ModuleList withParams = new ModuleList(List.of(new Linear(1, 1), new Linear(1, 1)));
    assertEquals(
        List.of("0.weight", "0.bias", "1.weight", "1.bias"),
        List.copyOf(withParams.namedParameters().keySet()));
  }

  @Test
  void moduleDictBehavesLikeAnOrderedMap() {
    ModuleDict md = new ModuleDict();
    ReLU a = new ReLU();
    md.put("z", a);
    md.put("a", new Linear(1, 1));
    assertEquals(List.of("z", "a"), md.keys());
    assertSame(a, md.get("z"));
    assertTrue(md.contains("a"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> md.get("nope"));
    assertEquals("'nope'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> md.put("a.b", new ReLU()));
    assertThrows(IllegalArgumentException.class, () -> md.put("training", new ReLU()));
    md.put("z", new ReLU()); // replacing keeps the position
    assertEquals(List.of("z", "a"), md.keys());
    assertSame(md.get("a"), md.pop("a"));
    assertEquals(1, md.size());
    Map<String, Module> more = new LinkedHashMap<>();
    more.put("q", new ReLU());
    more.put("b", new ReLU());
    md.update(more);
    assertEquals(List.of("z", "q", "b"), md.keys());
    List<String> iterated = new ArrayList<>();
    md.forEach(iterated::add);
    assertEquals(md.keys(), iterated);
    md.clear();
    assertEquals(0, md.size());
  }

  @Test
  void parameterListWrapsTensors() {
    Tensor plain = Tensor.zeros(2);
    Parameter p = new Parameter(Tensor.ones(3));
    ParameterList pl = new ParameterList(List.of(plain, p));
    assertInstanceOf(Parameter.class, pl.get(0));
    assertNotSame(plain, pl.get(0));
    assertSame(plain.storage(), pl.get(0).storage());
    assertSame(p, pl.get(-1));
    assertEquals(List.of("0", "1"), List.copyOf(pl.namedParameters().keySet()));
    pl.append(Tensor.zeros(1));
    assertEquals(3, pl.size());
    Parameter q = new Parameter(Tensor.zeros(4));
    pl.set(0, q);
    assertSame(q, pl.get(0));
    assertThrows(IndexOutOfBoundsException.class, () -> pl.get(3));
    List<Tensor> all = new ArrayList<>();
    pl.forEach(all::add);
    assertEquals(List.of(q, p, pl.get(2)), all);
    assertEquals(2, pl.slice(1, 3).size());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> pl.call(Tensor.ones(1)));
    assertEquals("ParameterList should not be called.", e.getMessage());
  }

  @Test
  void parameterDictKeepsOrderAndWrapsTensors() {
    ParameterDict pd = new ParameterDict();
    pd.put("w", Tensor.zeros(2));
    pd.put("b", new Parameter(Tensor.zeros(1)));
    assertEquals(List.of("w", "b"), pd.keys());
    assertInstanceOf(Parameter.class, pd.get("w"));
    assertEquals(List.of("w", "b"), List.copyOf(pd.namedParameters().keySet()));
    assertTrue(pd.contains("b"));
    assertEquals(null, pd.get("nope", null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pd.get("nope"));
    assertEquals("'ParameterDict' object has no attribute 'nope'", e.getMessage());
    Tensor b = pd.pop("b");
    assertFalse(pd.contains("b"));
    assertFalse(pd.namedParameters().containsKey("b"));
    pd.put("b", b);
    assertEquals(List.of("w", "b"), pd.keys());
    // sorted maps and ordered maps keep their order, other maps are sorted
    Map<String, Tensor> ordered = new LinkedHashMap<>();
    ordered.put("z", Tensor.zeros(1));
    ordered.put("y", Tensor.zeros(1));
    assertEquals(List.of("z", "y"), new ParameterDict(ordered).keys());
    assertEquals(List.of("y", "z"), new ParameterDict(new TreeMap<>(ordered)).keys());
    assertEquals(
        List.of("y", "z"),
        new ParameterDict(Map.of("z", Tensor.zeros(1), "y", Tensor.zeros(1))).keys());
    ParameterDict copy = pd.copy();
    assertEquals(pd.keys(), copy.keys());
    assertSame(pd.get("w"), copy.get("w"));
    pd.clear();
    assertEquals(0, pd.size());
    assertTrue(pd.namedParameters().isEmpty());
    assertThrows(IllegalStateException.class, () -> copy.call(Tensor.ones(1)));
  }
}
