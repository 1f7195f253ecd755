package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code Tensor}'s instance ops are default methods of facade interfaces sealed to it, one per
 * family ("Op families" in docs/ARCHITECTURE.md): the interfaces hold nothing else (statics stay
 * on {@code Tensor}, where callers write {@code Tensor.cat(...)}), every op has one home, and a
 * subclass of {@code Tensor} still overrides an op like any method.
 */
class TensorFacadeTest {
  private static List<Class<?>> facade() {
    List<Class<?>> r = new ArrayList<>();
    for (Class<?> i : Tensor.class.getInterfaces()) {
      if (i.getPackageName().equals(Tensor.class.getPackageName())) {
        r.add(i);
      }
    }
    return r;
  }

  @Test
  void facadeInterfacesAreSealedToTensor() {
    assertEquals(
        Set.of(TensorPointwise.class, TensorReductions.class, TensorLinalg.class,
            TensorShaping.class, TensorInPlace.class),
        Set.copyOf(facade()));
    for (Class<?> i : facade()) {
      assertTrue(Modifier.isPublic(i.getModifiers()), i + " is public (its javadoc is the API's)");
      assertTrue(i.isSealed(), i + " is sealed");
      assertArrayEquals(new Class<?>[] {Tensor.class}, i.getPermittedSubclasses(), i.toString());
    }
    // Parameter, Buffer and users' classes extend Tensor
    assertFalse(Tensor.class.isSealed());
    assertFalse(Modifier.isFinal(Tensor.class.getModifiers()));
  }

  @Test
  void facadeInterfacesHoldOneLineDefaultsOnly() {
    for (Class<?> i : facade()) {
      int defaults = 0;
      for (Method m : i.getDeclaredMethods()) {
        if (m.isSynthetic()) {
          continue;
        }
        if (Modifier.isPrivate(m.getModifiers())) {
          assertEquals("self", m.getName(), i.getSimpleName() + " has a private helper " + m);
          assertFalse(Modifier.isStatic(m.getModifiers()), m.toString());
          continue;
        }
        assertTrue(m.isDefault(), i.getSimpleName() + "." + m.getName()
            + " is not a default method (statics stay on Tensor, which callers name)");
        defaults++;
        // one home per op: Tensor does not declare it again
        assertThrows(NoSuchMethodException.class,
            () -> Tensor.class.getDeclaredMethod(m.getName(), m.getParameterTypes()),
            "Tensor redeclares " + i.getSimpleName() + "." + m.getName());
      }
      assertTrue(defaults > 0, i + " declares no op");
    }
  }

  /** Shifts the results of relu and clamp by one: overrides of facade ops by a subclass. */
  private static final class Shifted extends Tensor {
    Shifted(Tensor data) {
      super(data, false);
    }

    @Override
    public Tensor relu() {
      return super.relu().add(1.0);
    }

    @Override
    public Tensor clamp(double min, double max) {
      return super.clamp(min, max).add(1.0);
    }
  }

  @Test
  void subclassesOverrideFacadeOps() {
    UnaryOperator<Tensor> relu = Tensor::relu;
    float[] data = {-1f, 2f};
    Tensor plain = Tensor.fromArray(data);
    Tensor shifted = new Shifted(Tensor.fromArray(data));
    assertArrayEquals(new float[] {0f, 2f}, relu.apply(plain).toFloatArray());
    assertArrayEquals(new float[] {1f, 3f}, relu.apply(shifted).toFloatArray());
    // a default method that calls another op (clampMin is clamp(min, NaN)) reaches the override,
    // as the instance methods of Tensor did
    assertArrayEquals(new float[] {0f, 2f}, plain.clampMin(0).toFloatArray());
    assertArrayEquals(new float[] {1f, 3f}, shifted.clampMin(0).toFloatArray());
  }
}
