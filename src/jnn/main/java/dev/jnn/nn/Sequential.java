package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A chain of modules ({@code torch.nn.Sequential}): {@link #forward} feeds the input to the first
 * module and each output to the next. Children are keyed {@code "0"}, {@code "1"}, ... (or by the
 * names of the map passed to {@link #Sequential(Map)}), so state-dict keys are {@code "0.weight"}.
 *
 * <pre>{@code
 * Sequential model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * }</pre>
 */
public class Sequential extends Module implements Iterable<Module> {
  /** A chain of {@code modules}, keyed by position. */
  public Sequential(Module... modules) {
    for (int i = 0; i < modules.length; i++) {
      registerModule(String.valueOf(i), modules[i]);
    }
  }

  /**
   * A chain of named modules, in the map's iteration order (PyTorch's {@code
   * Sequential(OrderedDict(...))}); pass a {@link LinkedHashMap}.
   */
  public Sequential(Map<String, ? extends Module> namedModules) {
    for (Map.Entry<String, ? extends Module> e : namedModules.entrySet()) {
      registerModule(e.getKey(), e.getValue());
    }
  }

  /** The number of modules. */
  public int size() {
    return modules.size();
  }

  private String keyAt(int idx) {
    int i = Containers.absIndex(idx, size());
    return new ArrayList<>(modules.keySet()).get(i);
  }

  /**
   * The module at {@code idx}; negative indices count from the end.
   *
   * @throws IndexOutOfBoundsException {@code index 5 is out of range}
   */
  public Module get(int idx) {
    return modules.get(keyAt(idx));
  }

  /** A new Sequential of the entries {@code [start:stop]} (Python slice), keeping their keys. */
  public Sequential slice(int start, int stop) {
    return slice(start, stop, 1);
  }

  /** A new Sequential of the entries {@code [start:stop:step]}, keeping their keys. */
  public Sequential slice(int start, int stop, int step) {
    List<Map.Entry<String, Module>> items = new ArrayList<>(modules.entrySet());
    LinkedHashMap<String, Module> picked = new LinkedHashMap<>();
    for (int i : Containers.sliceIndices(items.size(), start, stop, step)) {
      picked.put(items.get(i).getKey(), items.get(i).getValue());
    }
    return new Sequential(picked);
  }

  /** Replaces the module at {@code idx} (keeping its key). */
  public void set(int idx, Module module) {
    setAttribute(keyAt(idx), module);
  }

  /** Removes the module at {@code idx}; the remaining ones are re-keyed {@code "0"..."n-1"}. */
  public void remove(int idx) {
    delAttribute(keyAt(idx));
    renumber();
  }

  /** Removes and returns the module at {@code idx}. */
  public Module pop(int idx) {
    Module m = get(idx);
    remove(idx);
    return m;
  }

  private void renumber() {
    List<Module> vals = new ArrayList<>(modules.values());
    modules.clear();
    for (int i = 0; i < vals.size(); i++) {
      modules.put(String.valueOf(i), vals.get(i));
    }
  }

  /** Appends {@code module} under key {@code String.valueOf(size())}; returns this. */
  public Sequential append(Module module) {
    registerModule(String.valueOf(size()), module);
    return this;
  }

  /**
   * Inserts {@code module} before position {@code index} (negative counts from the end), shifting
   * the later entries; returns this.
   *
   * @throws IndexOutOfBoundsException {@code Index out of range: 7}
   */
  public Sequential insert(int index, Module module) {
    Objects.requireNonNull(
        module, "module should be of type: <class 'torch.nn.modules.module.Module'>");
    int n = modules.size();
    if (!(-n <= index && index <= n)) {
      throw new IndexOutOfBoundsException("Index out of range: " + index);
    }
    if (index < 0) {
      index += n;
    }
    checkNoCycle(String.valueOf(index), module);
    for (int i = n; i > index; i--) {
      if (!modules.containsKey(String.valueOf(i - 1))) {
        // PyTorch raises KeyError here too (insert assumes positional keys)
        throw new IllegalArgumentException("'" + (i - 1) + "'");
      }
    }
    for (int i = n; i > index; i--) {
      modules.put(String.valueOf(i), modules.get(String.valueOf(i - 1)));
    }
    modules.put(String.valueOf(index), module);
    return this;
  }

  /** Appends every module of {@code sequential}; returns this. */
  public Sequential extend(Iterable<? extends Module> sequential) {
    List<Module> all = new ArrayList<>();
    sequential.forEach(all::add);
    for (int i = 0; i < all.size(); i++) {
      checkNoCycle(String.valueOf(size() + i), all.get(i)); // all checked before any is added
    }
    for (Module m : all) {
      append(m);
    }
    return this;
  }

  /** {@code self + other}: a new Sequential of both chains' modules (shared, re-keyed). */
  public Sequential plus(Sequential other) {
    Sequential ret = new Sequential();
    for (Module m : this) {
      ret.append(m);
    }
    for (Module m : other) {
      ret.append(m);
    }
    return ret;
  }

  /** The modules in order (null entries included). */
  @Override
  public Iterator<Module> iterator() {
    return new ArrayList<>(modules.values()).iterator();
  }

  /** Feeds {@code input} through every module in order (each via {@link #call}). */
  @Override
  public Tensor forward(Tensor input) {
    for (Module m : this) {
      input = m.call(input);
    }
    return input;
  }
}
