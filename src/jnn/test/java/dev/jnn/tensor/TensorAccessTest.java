package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * "Public API vs internals" (docs/ARCHITECTURE.md): {@code Tensor}'s autograd plumbing is not
 * public, and its bridge {@link TensorAccess} is handed to jnn's autograd and nn packages only.
 */
class TensorAccessTest {
  @Test
  void onlyJnnsAutogradAndNnObtainTheBridge() {
    IllegalCallerException e = assertThrows(IllegalCallerException.class, () -> TensorAccess.get());
    assertEquals(
        "dev.jnn.tensor.TensorAccess is internal to jnn (called from "
            + TensorAccessTest.class.getName()
            + "); write a dev.jnn.autograd.Function for a custom differentiable op",
        e.getMessage());
  }

  @Test
  void tensorsInternalsAreNotPublic() {
    Set<String> internal =
        Set.of("record", "recordMulti", "metaOnly", "gradAccumulator", "accumulateGrad",
            "createdSince", "creationMark", "uninitialized");
    Set<String> leaked = new TreeSet<>();
    // Tensor's public methods, inherited default methods of its facade interfaces included, and
    // each facade interface's own (a static interface method is not among Tensor's)
    List<Method> methods = new ArrayList<>(List.of(Tensor.class.getMethods()));
    List<Class<?>> facade = new ArrayList<>();
    for (Class<?> i : Tensor.class.getInterfaces()) {
      if (i.getPackageName().equals(Tensor.class.getPackageName())) {
        facade.add(i);
        methods.addAll(List.of(i.getMethods()));
      }
    }
    assertTrue(facade.size() > 1, "Tensor's facade interfaces: " + facade);
    for (Method m : methods) {
      if (internal.contains(m.getName())
          || (m.getName().equals("view") && m.getParameterCount() == 0)) {
        leaked.add(m.getDeclaringClass().getSimpleName() + "." + m.getName()
            + Arrays.toString(m.getParameterTypes()));
      }
    }
    assertEquals(Set.of(), leaked, "public internals of Tensor");
    assertTrue(
        Arrays.stream(Storage.class.getMethods()).noneMatch(m -> m.getName().equals("buffer")),
        "Storage.buffer() (the back end's Buffer) is not public");
  }
}
