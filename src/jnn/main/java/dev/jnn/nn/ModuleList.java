package dev.jnn.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A list of registered submodules ({@code torch.nn.ModuleList}), keyed {@code "0"}, {@code "1"},
 * ...; it has no {@code forward} of its own.
 */
public class ModuleList extends Module implements Iterable<Module> {
  /** An empty list. */
  public ModuleList() {}

  /** A list of {@code modules}. */
  public ModuleList(Iterable<? extends Module> modules) {
    extend(modules);
  }

  /** The number of modules. */
  public int size() {
    return modules.size();
  }

  /** The module at {@code idx}; negative indices count from the end. */
  public Module get(int idx) {
    return modules.get(String.valueOf(Containers.absIndex(idx, size())));
  }

  /** A new ModuleList of {@code [start:stop]} (Python slice). */
  public ModuleList slice(int start, int stop) {
    return slice(start, stop, 1);
  }

  /** A new ModuleList of {@code [start:stop:step]}. */
  public ModuleList slice(int start, int stop, int step) {
    List<Module> vals = new ArrayList<>(modules.values());
    List<Module> picked = new ArrayList<>();
    for (int i : Containers.sliceIndices(vals.size(), start, stop, step)) {
      picked.add(vals.get(i));
    }
    return new ModuleList(picked);
  }

  /** Replaces the module at {@code idx}. */
  public void set(int idx, Module module) {
    setAttribute(String.valueOf(Containers.absIndex(idx, size())), module);
  }

  /** Removes the module at {@code idx}; the remaining ones are re-keyed {@code "0"..."n-1"}. */
  public void remove(int idx) {
    delAttribute(String.valueOf(Containers.absIndex(idx, size())));
    List<Module> vals = new ArrayList<>(modules.values());
    modules.clear();
    for (int i = 0; i < vals.size(); i++) {
      modules.put(String.valueOf(i), vals.get(i));
    }
  }

  /** Removes and returns the module at {@code idx}. */
  public Module pop(int idx) {
    Module m = get(idx);
    remove(idx);
    return m;
  }

  /** Appends {@code module}; returns this. */
  public ModuleList append(Module module) {
    registerModule(String.valueOf(size()), module);
    return this;
  }

  /** Appends all of {@code modules}; returns this. */
  public ModuleList extend(Iterable<? extends Module> modules) {
    List<Module> all = new ArrayList<>();
    modules.forEach(all::add);
    int offset = size();
    for (int i = 0; i < all.size(); i++) {
      checkNoCycle(String.valueOf(offset + i), all.get(i)); // all checked before any is added
    }
    int i = 0;
    for (Module m : all) {
      registerModule(String.valueOf(offset + i), m);
      i++;
    }
    return this;
  }

  /**
   * Inserts {@code module} before position {@code index}, shifting the later entries.
   *
   * @throws IndexOutOfBoundsException when {@code index} is not in {@code [0, size()]} (PyTorch
   *     leaves a corrupted list in that case)
   */
  public void insert(int index, Module module) {
    int n = modules.size();
    if (index < 0 || index > n) {
      throw new IndexOutOfBoundsException("index " + index + " is out of range");
    }
    checkNoCycle(String.valueOf(index), module);
    for (int i = n; i > index; i--) {
      modules.put(String.valueOf(i), modules.get(String.valueOf(i - 1)));
    }
    modules.put(String.valueOf(index), module);
  }

  /** {@code self + other}: a new ModuleList of both lists' modules. */
  public ModuleList plus(Iterable<? extends Module> other) {
    ModuleList combined = new ModuleList(this);
    combined.extend(other);
    return combined;
  }

  /** The modules in order. */
  @Override
  public Iterator<Module> iterator() {
    return new ArrayList<>(modules.values()).iterator();
  }

  /**
   * PyTorch 2.x's ModuleList repr, which folds runs of identical module reprs: {@code (0-2): 3 x
   * Linear(...)}.
   */
  @Override
  String repr() {
    List<String> reprs = new ArrayList<>();
    for (Module m : this) {
      reprs.add(m == null ? "None" : m.repr());
    }
    if (reprs.isEmpty()) {
      return typeName() + "()";
    }
    List<int[]> ranges = new ArrayList<>();
    List<String> blocks = new ArrayList<>();
    ranges.add(new int[] {0, 0});
    blocks.add(reprs.get(0));
    for (int i = 1; i < reprs.size(); i++) {
      if (reprs.get(i).equals(blocks.get(blocks.size() - 1))) {
        ranges.get(ranges.size() - 1)[1]++;
        continue;
      }
      ranges.add(new int[] {i, i});
      blocks.add(reprs.get(i));
    }
    List<String> lines = new ArrayList<>();
    for (int k = 0; k < blocks.size(); k++) {
      int start = ranges.get(k)[0];
      int end = ranges.get(k)[1];
      String local =
          start == end
              ? "(" + start + "): " + blocks.get(k)
              : "(" + start + "-" + end + "): " + (end - start + 1) + " x " + blocks.get(k);
      lines.add(ModuleText.addIndent(local, 2));
    }
    return typeName() + "(\n  " + String.join("\n  ", lines) + "\n)";
  }
}
