package dev.jnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.nn.TestModules.Linear;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A module may not become its own descendant (PyTorch allows it and then recurses forever in
 * state_dict, train and repr; jnn refuses it at registration, by every registration path).
 */
class ModuleCycleTest {
  static final class Box extends Module {}

  /** The children and the state dict keys: what a refused registration must leave unchanged. */
  private static String shape(Module m) {
    return m.namedModules("", false).keySet() + " " + m.stateDict().keySet();
  }

  private static IllegalArgumentException refused(Module parent, Executable register) {
    String before = shape(parent);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, register);
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    assertEquals(before, shape(parent), "nothing registered");
    // and the module is still usable
    parent.train(false);
    parent.train(true);
    assertTrue(parent.toString().startsWith(parent.typeName()));
    return e;
  }

  @Test
  void moduleAsItsOwnChildIsRefused() {
    Box m = new Box();
    m.registerModule("lin", new Linear(2, 2));
    IllegalArgumentException e = refused(m, () -> m.registerModule("self", m));
    assertEquals(
        "cannot register module 'self' (Box) as a child of Box: it is that Box itself, so the"
            + " module tree would contain a cycle (jnn refuses cycles, which PyTorch allows;"
            + " stateDict(), train() and toString() could not terminate)",
        e.getMessage());
    refused(m, () -> m.addModule("self", m));
    refused(m, () -> m.setAttribute("self", m));
    assertTrue(!m.hasAttribute("self"));
  }

  @Test
  void longerCyclesAreRefusedAndNamed() {
    Box a = new Box();
    Box b = a.registerModule("b", new Box());
    Box c = b.registerModule("c", new Box());
    IllegalArgumentException e = refused(c, () -> c.registerModule("back", a));
    assertTrue(e.getMessage().contains("Box is already its descendant 'b.c'"), e.getMessage());
    refused(b, () -> b.registerModule("a", a));
    refused(c, () -> c.setAttribute("x", b));
    refused(a, () -> a.setSubmodule("b.c.loop", a));
    refused(a, () -> a.setSubmodule("b.c", b)); // replacing c by its own parent
    assertSame(c, a.getSubmodule("b.c"));
    assertEquals(List.of("", "b", "b.c"), List.copyOf(a.namedModules().keySet()));
  }

  @Test
  void sharedModulesAreStillAllowed() {
    Box root = new Box();
    Linear shared = new Linear(2, 2);
    root.registerModule("x", shared);
    Box inner = root.registerModule("inner", new Box());
    inner.registerModule("y", shared); // a DAG, not a cycle
    root.registerModule("again", shared);
    assertEquals(List.of("x.weight", "x.bias", "inner.y.weight", "inner.y.bias", "again.weight",
        "again.bias"), List.copyOf(root.stateDict().keySet()));
    assertEquals(List.of("", "x", "inner"), List.copyOf(root.namedModules().keySet()));
  }

  @Test
  void containersRefuseCyclesAndAddNothing() {
    Box outer = new Box();
    ModuleList list = outer.registerModule("list", new ModuleList(List.of(new Linear(1, 1))));
    Linear ok = new Linear(1, 1);
    refused(list, () -> list.append(list));
    refused(list, () -> list.append(outer));
    refused(list, () -> list.extend(List.of(ok, outer))); // checked before the first is added
    refused(list, () -> list.insert(0, outer));
    refused(list, () -> list.set(0, outer));
    assertEquals(1, list.size());

    Sequential seq = outer.registerModule("seq", new Sequential(new Linear(1, 1)));
    refused(seq, () -> seq.append(seq));
    refused(seq, () -> seq.extend(List.of(ok, outer)));
    refused(seq, () -> seq.insert(0, outer));
    refused(seq, () -> seq.set(0, outer));
    assertEquals(1, seq.size());

    ModuleDict dict = outer.registerModule("dict", new ModuleDict());
    refused(dict, () -> dict.put("me", dict));
    refused(dict, () -> dict.update(Map.of("outer", outer)));
    refused(
        dict,
        () -> dict.update(new java.util.LinkedHashMap<>(Map.of("ok", ok, "outer", outer))));
    assertEquals(0, dict.size());
    assertTrue(outer.stateDict().keySet().containsAll(List.of("list.0.weight", "seq.0.weight")));
  }

  @Test
  void aRegistrationHookCannotSubstituteAnAncestor() {
    Box parent = new Box();
    Supplier<Module> self = () -> parent;
    HookHandle h =
        Module.registerModuleModuleRegistrationHook(
            (m, name, child) -> m == parent && name.equals("sub") ? self.get() : null);
    try {
      refused(parent, () -> parent.registerModule("sub", new Box()));
      refused(parent, () -> parent.setAttribute("sub", new Box()));
    } finally {
      h.remove();
    }
  }
}
