package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Binds a PyTorch-style {@code forward(*args, **kwargs)} call to a Python signature with named
 * parameters, raising Python's messages for a missing, repeated or unexpected argument (the
 * layers whose forward takes masks and flags: the Transformer family).
 */
final class ForwardArgs {
  private final String method;
  private final int required;
  private final List<String> names;

  /**
   * @param method the Python method, as its messages name it ({@code "forward()"})
   * @param required how many leading parameters have no default
   * @param names the parameters after {@code self}, in order
   */
  ForwardArgs(String method, int required, String... names) {
    this.method = method;
    this.required = required;
    this.names = List.of(names);
  }

  /**
   * The values of the parameters in order (null for an absent optional one).
   *
   * @throws IllegalArgumentException Python's {@code TypeError} texts
   */
  Object[] bind(List<Tensor> args, Map<String, Object> kwargs) {
    if (args.size() > names.size()) {
      throw new IllegalArgumentException(
          method + " takes from " + (required + 1) + " to " + (names.size() + 1)
              + " positional arguments but " + (args.size() + 1) + " were given");
    }
    Object[] v = new Object[names.size()];
    boolean[] set = new boolean[names.size()];
    for (int i = 0; i < args.size(); i++) {
      v[i] = args.get(i);
      set[i] = true;
    }
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      int i = names.indexOf(e.getKey());
      if (i < 0) {
        throw new IllegalArgumentException(
            method + " got an unexpected keyword argument '" + e.getKey() + "'");
      }
      if (set[i]) {
        throw new IllegalArgumentException(
            method + " got multiple values for argument '" + e.getKey() + "'");
      }
      v[i] = e.getValue();
      set[i] = true;
    }
    String[] missing =
        java.util.stream.IntStream.range(0, required)
            .filter(i -> !set[i])
            .mapToObj(i -> "'" + names.get(i) + "'")
            .toArray(String[]::new);
    if (missing.length > 0) {
      throw new IllegalArgumentException(
          method + " missing " + missing.length + " required positional argument"
              + (missing.length == 1 ? "" : "s") + ": " + pythonList(missing));
    }
    return v;
  }

  /** Python's list of missing names: {@code 'a'}, {@code 'a' and 'b'}, {@code 'a', 'b', and 'c'}. */
  private static String pythonList(String[] n) {
    if (n.length == 1) {
      return n[0];
    }
    if (n.length == 2) {
      return n[0] + " and " + n[1];
    }
    return String.join(", ", Arrays.copyOf(n, n.length - 1)) + ", and " + n[n.length - 1];
  }

  /** The bound value {@code v[i]} as a tensor (or null). */
  Tensor tensor(Object[] v, int i) {
    Object o = v[i];
    if (o == null || o instanceof Tensor) {
      return (Tensor) o;
    }
    throw new IllegalArgumentException(
        method + ": " + names.get(i) + " must be a Tensor or None, got " + o.getClass().getName());
  }

  /** The bound value {@code v[i]} as a boolean ({@code dflt} when absent). */
  boolean bool(Object[] v, int i, boolean dflt) {
    Object o = v[i];
    if (o == null) {
      return dflt;
    }
    if (o instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(
        method + ": " + names.get(i) + " must be a bool, got " + o.getClass().getName());
  }

  /**
   * PyTorch 1.13's check on a key-padding mask: {@code only bool and floating types of
   * key_padding_mask are supported}.
   */
  static void checkKeyPaddingMask(Tensor mask) {
    if (mask != null && mask.dtype() != DType.BOOL && !mask.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "only bool and floating types of key_padding_mask are supported");
    }
  }
}
