package dev.jnn.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.tensor.Tensor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code Functional}'s sections by family live in sealed abstract superclasses ({@code
 * FunctionalActivations} <- {@code FunctionalAttention} <- {@code FunctionalLosses} <- {@code
 * FunctionalConvolution} <- {@code FunctionalPooling} <- {@code FunctionalSampling} <- {@code
 * Functional}): a chain nobody else can extend or instantiate, holding public static methods only,
 * each name-and-signature in one place, all reachable as {@code Functional.x(...)}.
 */
class FunctionalFacadeTest {
  static final List<Class<?>> CHAIN = List.of(
      FunctionalActivations.class, FunctionalAttention.class, FunctionalLosses.class,
      FunctionalConvolution.class, FunctionalPooling.class, FunctionalSampling.class,
      Functional.class);

  @Test
  void theSectionsAreASealedChainEndingInFunctional() {
    for (int i = 0; i + 1 < CHAIN.size(); i++) {
      Class<?> c = CHAIN.get(i);
      assertTrue(c.isSealed(), c + " is sealed");
      assertTrue(Modifier.isAbstract(c.getModifiers()), c + " is abstract");
      assertArrayEquals(new Class<?>[] {CHAIN.get(i + 1)}, c.getPermittedSubclasses(), c.toString());
      assertEquals(i == 0 ? Object.class : CHAIN.get(i - 1), c.getSuperclass(), c.toString());
      for (var k : c.getDeclaredConstructors()) {
        assertTrue(!Modifier.isPublic(k.getModifiers()) && !Modifier.isProtected(k.getModifiers()),
            k.toString());
      }
    }
    assertTrue(Modifier.isFinal(Functional.class.getModifiers()));
    assertEquals(FunctionalSampling.class, Functional.class.getSuperclass());
  }

  @Test
  void everyPublicMethodIsStaticAndHasOneHome() {
    Map<String, Class<?>> home = new HashMap<>();
    for (Class<?> c : CHAIN) {
      for (Method m : c.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) {
          continue;
        }
        assertTrue(Modifier.isStatic(m.getModifiers()), m.toString());
        String sig = m.getName() + java.util.Arrays.toString(m.getParameterTypes());
        Class<?> before = home.put(sig, c);
        assertEquals(null, before, sig + " declared in " + before + " and " + c);
      }
    }
  }

  @Test
  void inheritedSectionsAreCalledThroughFunctional() throws Exception {
    Method relu = Functional.class.getMethod("relu", Tensor.class);
    assertEquals(FunctionalActivations.class, relu.getDeclaringClass());
    Tensor x = Tensor.fromArray(new double[] {-1, 2}, 2);
    assertArrayEquals(new double[] {0, 2}, Functional.relu(x).toDoubleArray());
    assertEquals(-100, Functional.DEFAULT_IGNORE_INDEX);
  }
}
