package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An insertion-ordered dictionary of registered parameters ({@code torch.nn.ParameterDict}); plain
 * tensors are wrapped in a {@link Parameter}. Keys become the parameter names.
 */
public class ParameterDict extends Module implements Iterable<String> {
  private final LinkedHashSet<String> keys = new LinkedHashSet<>();

  /** An empty dictionary. */
  public ParameterDict() {}

  /** A dictionary of {@code parameters}; see {@link #update} for the order. */
  public ParameterDict(Map<String, ? extends Tensor> parameters) {
    update(parameters);
  }

  /**
   * The entry under {@code key}.
   *
   * @throws IllegalArgumentException {@code 'ParameterDict' object has no attribute 'k'}
   */
  public Tensor get(String key) {
    return (Tensor) getAttribute(key);
  }

  /** The entry under {@code key}, or {@code defaultValue} when absent. */
  public Tensor get(String key, Tensor defaultValue) {
    return contains(key) ? get(key) : defaultValue;
  }

  /** Adds or replaces the entry under {@code key}; a plain tensor is wrapped in a Parameter. */
  public void put(String key, Tensor value) {
    Tensor v = value != null && !(value instanceof Parameter) ? new Parameter(value) : value;
    setAttribute(key, v);
    keys.add(key); // after a successful assignment (PyTorch records the key even when it fails)
  }

  /** Removes the entry under {@code key}. */
  public void remove(String key) {
    if (!keys.contains(key)) {
      throw new IllegalArgumentException(ModuleText.pyRepr(key));
    }
    keys.remove(key);
    delAttribute(key);
  }

  /** Removes and returns the entry under {@code key}. */
  public Tensor pop(String key) {
    Tensor v = get(key);
    remove(key);
    return v;
  }

  /** Whether {@code key} is present. */
  public boolean contains(String key) {
    return keys.contains(key);
  }

  /** The number of entries. */
  public int size() {
    return keys.size();
  }

  /** Removes every entry. */
  public void clear() {
    for (String k : new ArrayList<>(keys)) {
      remove(k);
    }
  }

  /** The keys in insertion order. */
  public List<String> keys() {
    return List.copyOf(keys);
  }

  /** The values in insertion order. */
  public List<Tensor> values() {
    List<Tensor> l = new ArrayList<>();
    for (String k : keys) {
      l.add(get(k));
    }
    return Collections.unmodifiableList(l);
  }

  /** The entries in insertion order (an unmodifiable snapshot). */
  public Map<String, Tensor> items() {
    LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
    for (String k : keys) {
      m.put(k, get(k));
    }
    return Collections.unmodifiableMap(m);
  }

  /** A new ParameterDict with the same entries (the same Parameter objects). */
  public ParameterDict copy() {
    return new ParameterDict(new LinkedHashMap<>(items()));
  }

  /**
   * Adds or replaces the entries of {@code parameters}. Ordered maps ({@link LinkedHashMap}, {@link
   * SortedMap}) keep their order; any other map is added in sorted key order, as PyTorch does for a
   * plain (unordered) {@code dict}.
   */
  public void update(Map<String, ? extends Tensor> parameters) {
    Map<String, ? extends Tensor> ordered =
        parameters instanceof LinkedHashMap || parameters instanceof SortedMap
            ? parameters
            : new TreeMap<>(parameters);
    for (Map.Entry<String, ? extends Tensor> e : ordered.entrySet()) {
      put(e.getKey(), e.getValue());
    }
  }

  /** The keys in insertion order. */
  @Override
  public Iterator<String> iterator() {
    return keys().iterator();
  }

  /** A ParameterDict cannot be called. */
  @Override
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    throw new IllegalStateException("ParameterDict should not be called.");
  }

  /** One line per entry: {@code (k): Parameter containing: [torch.FloatTensor of size 2]}. */
  @Override
  protected String extraRepr() {
    List<String> lines = new ArrayList<>();
    for (String k : keys) {
      lines.add("  (" + k + "): " + ParameterList.describe(getAttribute(k), true));
    }
    return String.join("\n", lines);
  }
}
