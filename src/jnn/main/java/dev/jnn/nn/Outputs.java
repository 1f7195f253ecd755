package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * How the hooked call reads a structured module output, mapped onto PyTorch's Python values: a
 * {@link Tensor} is a tensor, a Java {@link Record} is a tuple (a namedtuple: its components in
 * declaration order are the tuple's elements), a {@link Map} is a dict, a {@link List} is a list;
 * anything else (null included) is an opaque non-tensor value. Only the tuple view matters to full
 * backward hooks (PyTorch's {@code BackwardHook.setup_output_hook} looks at the top-level elements
 * of a tuple output only); the non-full hooks' search for "the first tensor" walks all three
 * containers.
 */
final class Outputs {
  private Outputs() {}

  /** The elements of a tuple output (a record's components, in declaration order). */
  static Object[] tupleElements(Record tuple) {
    return ACCESS.get(tuple.getClass()).read(tuple);
  }

  /**
   * A tuple of the same record class with the given elements (PyTorch 2.x rebuilds a namedtuple
   * output as {@code type(args)(*new_args)}; 1.13 returned a plain tuple).
   */
  static Record withElements(Record tuple, Object[] elements) {
    return ACCESS.get(tuple.getClass()).construct(elements);
  }

  /**
   * The tensor whose {@code grad_fn} receives the non-full backward hooks: PyTorch's {@code while
   * not isinstance(var, Tensor): var = next(tensor value) if dict else var[0]}.
   */
  static Tensor firstTensor(Object output) {
    Object var = output;
    while (!(var instanceof Tensor)) {
      if (var instanceof Map<?, ?> dict) {
        var =
            dict.values().stream()
                .filter(v -> v instanceof Tensor)
                .findFirst()
                .orElseThrow(
                    () ->
                        new NoSuchElementException(
                            "StopIteration: the dict output has no Tensor value"));
      } else if (var instanceof Record tuple) {
        Object[] elements = tupleElements(tuple);
        if (elements.length == 0) {
          throw new IndexOutOfBoundsException("tuple index out of range");
        }
        var = elements[0];
      } else if (var instanceof List<?> list) {
        if (list.isEmpty()) {
          throw new IndexOutOfBoundsException("list index out of range");
        }
        var = list.get(0);
      } else {
        throw new IllegalStateException("'" + typeName(var) + "' object is not subscriptable");
      }
    }
    return (Tensor) var;
  }

  /** The class name of a value for messages ({@code null} for null). */
  static String typeName(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }

  // ---------------------------------------------------------------- record reflection

  private static final ClassValue<RecordAccess> ACCESS =
      new ClassValue<>() {
        @Override
        protected RecordAccess computeValue(Class<?> type) {
          return new RecordAccess(type);
        }
      };

  /** The accessors and canonical constructor of one record class, made accessible once. */
  private static final class RecordAccess {
    private final Class<?> type;
    private final Method[] accessors;
    private final Constructor<?> constructor;
    private final boolean accessible;

    RecordAccess(Class<?> type) {
      this.type = type;
      RecordComponent[] components = type.getRecordComponents();
      accessors = new Method[components.length];
      Class<?>[] types = new Class<?>[components.length];
      boolean ok = true;
      for (int i = 0; i < components.length; i++) {
        accessors[i] = components[i].getAccessor();
        types[i] = components[i].getType();
        ok &= accessors[i].trySetAccessible();
      }
      try {
        constructor = type.getDeclaredConstructor(types);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
      }
      ok &= constructor.trySetAccessible();
      accessible = ok;
    }

    private IllegalStateException inaccessible(Exception cause) {
      return new IllegalStateException(
          "jnn cannot read or rebuild the record "
              + type.getName()
              + " returned by a module with backward hooks: make it accessible to dev.jnn"
              + " (a public record in an exported package, or a package opened to dev.jnn)",
          cause);
    }

    Object[] read(Record r) {
      Object[] values = new Object[accessors.length];
      try {
        for (int i = 0; i < accessors.length; i++) {
          values[i] = accessors[i].invoke(r);
        }
      } catch (IllegalAccessException e) {
        throw inaccessible(e);
      } catch (InvocationTargetException e) {
        throw rethrow(e);
      }
      return values;
    }

    Record construct(Object[] values) {
      if (!accessible) {
        throw inaccessible(null);
      }
      try {
        return (Record) constructor.newInstance(values);
      } catch (IllegalAccessException | InstantiationException e) {
        throw inaccessible(e);
      } catch (InvocationTargetException e) {
        throw rethrow(e);
      }
    }

    private static RuntimeException rethrow(InvocationTargetException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      return new IllegalStateException(c);
    }
  }
}
