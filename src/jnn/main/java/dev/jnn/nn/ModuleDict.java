package dev.jnn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An insertion-ordered dictionary of registered submodules ({@code torch.nn.ModuleDict}); keys
 * follow the module-name rules (no {@code "."}, not empty). It has no {@code forward} of its own.
 */
public class ModuleDict extends Module implements Iterable<String> {
  /** An empty dictionary. */
  public ModuleDict() {}

  /** A dictionary of {@code modules}, in the map's iteration order. */
  public ModuleDict(Map<String, ? extends Module> modules) {
    update(modules);
  }

  /**
   * The module under {@code key}.
   *
   * @throws IllegalArgumentException when absent (PyTorch's {@code KeyError})
   */
  public Module get(String key) {
    if (!modules.containsKey(key)) {
      throw new IllegalArgumentException(ModuleText.pyRepr(key));
    }
    return modules.get(key);
  }

  /** Adds or replaces the module under {@code key} ({@code add_module}, with its name checks). */
  public void put(String key, Module module) {
    registerModule(key, module);
  }

  /** Removes the module under {@code key}; throws when absent. */
  public void remove(String key) {
    get(key);
    modules.remove(key);
  }

  /** Removes and returns the module under {@code key}. */
  public Module pop(String key) {
    Module m = get(key);
    remove(key);
    return m;
  }

  /** Whether {@code key} is present. */
  public boolean contains(String key) {
    return modules.containsKey(key);
  }

  /** The number of entries. */
  public int size() {
    return modules.size();
  }

  /** Removes every entry. */
  public void clear() {
    modules.clear();
  }

  /** The keys in insertion order. */
  public List<String> keys() {
    return List.copyOf(modules.keySet());
  }

  /** The modules in insertion order. */
  public List<Module> values() {
    return Collections.unmodifiableList(new ArrayList<>(modules.values()));
  }

  /** The entries in insertion order (an unmodifiable snapshot). */
  public Map<String, Module> items() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(modules));
  }

  /** Adds or replaces every entry of {@code modules}, in its iteration order. */
  public void update(Map<String, ? extends Module> modules) {
    for (Map.Entry<String, ? extends Module> e : modules.entrySet()) {
      checkNoCycle(e.getKey(), e.getValue()); // all checked before any is added
    }
    for (Map.Entry<String, ? extends Module> e : modules.entrySet()) {
      put(e.getKey(), e.getValue());
    }
  }

  /** The keys in insertion order. */
  @Override
  public Iterator<String> iterator() {
    return keys().iterator();
  }
}
