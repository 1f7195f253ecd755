package dev.jnn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every public method of {@link Tensor} and {@link Functional} is an op with a registry entry, an
 * op listed in {@code ops/not-yet-in-registry.txt} (migration still to do; the list may only
 * shrink), or a non-op listed in {@code ops/not-ops.txt} (accessors, conversions, autograd
 * plumbing, factories). Lines of both files: {@code Class.method(ParamType,...)}, then optional
 * {@code # comment}; blank lines and lines starting with {@code #} are ignored.
 *
 * <p>{@code Tensor}'s instance ops are default methods of the facade interfaces it implements
 * ({@code TensorPointwise}, {@code TensorReductions}, ...); they are scanned with {@code Tensor}
 * and named {@code Tensor.method(...)}, as callers see them.
 */
class OpRegistryCoverageTest {
  static final String NOT_YET = "ops/not-yet-in-registry.txt";
  static final String NOT_OPS = "ops/not-ops.txt";

  /**
   * {@code Tensor} and every interface of {@code dev.jnn.tensor} it implements (directly or
   * through another), i.e. its facade interfaces: their methods are {@code Tensor}'s.
   */
  static List<Class<?>> tensorFacade() {
    List<Class<?>> r = new ArrayList<>(List.of(Tensor.class));
    for (int i = 0; i < r.size(); i++) {
      for (Class<?> s : r.get(i).getInterfaces()) {
        if (s.getPackageName().equals(Tensor.class.getPackageName()) && !r.contains(s)) {
          r.add(s);
        }
      }
    }
    return r;
  }

  /**
   * {@code Functional} and its sealed superclasses in {@code dev.jnn.nn.functional} ({@code
   * FunctionalActivations}, ...): their static methods are called as {@code Functional}'s.
   */
  static List<Class<?>> functionalFacade() {
    List<Class<?>> r = new ArrayList<>();
    for (Class<?> c = Functional.class;
        c.getPackageName().equals(Functional.class.getPackageName());
        c = c.getSuperclass()) {
      r.add(c);
    }
    return r;
  }

  /**
   * {@code Tensor.add(Tensor,double)}: simple class names (a facade interface's methods as {@code
   * Tensor}'s), arrays and varargs as {@code []}.
   */
  static String signature(Method m) {
    Class<?> owner = m.getDeclaringClass();
    String name = tensorFacade().contains(owner) ? "Tensor"
        : functionalFacade().contains(owner) ? "Functional" : owner.getSimpleName();
    return name + "." + m.getName() + "("
        + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
            .collect(Collectors.joining(","))
        + ")";
  }

  static Set<String> publicMethods() {
    Set<String> r = new TreeSet<>();
    List<Class<?>> classes = new ArrayList<>(tensorFacade());
    classes.addAll(functionalFacade());
    for (Class<?> c : classes) {
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
          r.add(signature(m));
        }
      }
    }
    return r;
  }

  static Set<String> list(String resource) {
    String text = RegistryFiles.resource(resource);
    assertNotNull(text, "missing src/jnn/test/resources/" + resource);
    Set<String> r = new TreeSet<>();
    List<String> dup = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
      l = l.strip();
      if (!l.isEmpty() && !r.add(l)) {
        dup.add(l);
      }
    }
    assertEquals(List.of(), dup, resource + ": listed twice");
    return r;
  }

  static Set<String> registered() {
    Set<String> r = new TreeSet<>();
    for (OpInfo op : OpRegistry.all()) {
      r.add(op.javaSignature());
    }
    return r;
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> r = new TreeSet<>(a);
    r.removeAll(b);
    return r;
  }

  private static Set<String> both(Set<String> a, Set<String> b) {
    Set<String> r = new TreeSet<>(a);
    r.retainAll(b);
    return r;
  }

  private static String lines(Set<String> s) {
    return s.isEmpty() ? "(none)" : "\n  " + String.join("\n  ", s) + "\n";
  }

  @Test
  void everyPublicOpHasARegistryEntry() {
    Set<String> missing =
        minus(minus(minus(publicMethods(), registered()), list(NOT_YET)), list(NOT_OPS));
    assertEquals(Set.of(), missing,
        "public methods with no registry entry (add an OpInfo to dev.jnn.ops.OpRegistry, or a"
            + " non-op to " + NOT_OPS + "):" + lines(missing));
  }

  @Test
  void scansTensorsFacadeInterfaces() {
    List<Class<?>> facade = tensorFacade();
    assertTrue(facade.size() > 1, "Tensor implements no facade interface: " + facade);
    for (Class<?> c : facade.subList(1, facade.size())) {
      assertTrue(c.isInterface() && c.isSealed()
              && List.of(c.getPermittedSubclasses()).equals(List.of(Tensor.class)),
          c + " is not an interface sealed to Tensor");
    }
    // the ops that moved into the interfaces are found, under Tensor's name
    Set<String> methods = publicMethods();
    for (String op : List.of("Tensor.relu()", "Tensor.sum(int[],boolean)", "Tensor.matmul(Tensor)",
        "Tensor.view(long[])", "Tensor.addInPlace(Tensor)", "Tensor.cat(List,int)")) {
      assertTrue(methods.contains(op), op + " not among " + methods);
    }
  }

  @Test
  void notYetListOnlyShrinks() {
    Set<String> migrated = both(list(NOT_YET), registered());
    assertEquals(Set.of(), migrated,
        "these have a registry entry now: remove them from " + NOT_YET + lines(migrated));
    Set<String> gone = minus(list(NOT_YET), publicMethods());
    assertEquals(Set.of(), gone, NOT_YET + " lists methods that no longer exist:" + lines(gone));
  }

  @Test
  void exclusionsAreRealNonOps() {
    Set<String> gone = minus(list(NOT_OPS), publicMethods());
    assertEquals(Set.of(), gone, NOT_OPS + " lists methods that no longer exist:" + lines(gone));
    Set<String> registeredToo = both(list(NOT_OPS), registered());
    assertEquals(Set.of(), registeredToo, "both a non-op and a registry entry:" + lines(registeredToo));
    Set<String> alsoNotYet = both(list(NOT_OPS), list(NOT_YET));
    assertEquals(Set.of(), alsoNotYet, "on both lists:" + lines(alsoNotYet));
  }

  @Test
  void everyEntryNamesARealMethod() {
    Set<String> unknown = minus(registered(), publicMethods());
    assertEquals(Set.of(), unknown, "registry entries whose java signature is no public method:"
        + lines(unknown));
    assertEquals(OpRegistry.all().size(), registered().size(),
        "two registry entries name the same Java method");
  }
}
