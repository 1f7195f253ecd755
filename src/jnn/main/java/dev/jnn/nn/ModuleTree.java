package dev.jnn.nn;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.tensor.MemoryScope;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The recursive walks over a {@link Module} tree behind Module's public methods: {@code
 * named_children}/{@code named_modules}/{@code _named_members} (registration order, depth-first,
 * shared modules and tensors once unless asked otherwise), {@code _apply} (children first,
 * parameters keep their identity, with the checks made before anything is converted), {@code
 * __repr__}, {@code apply}, {@code train}, {@code requires_grad_} and {@code zero_grad}.
 */
final class ModuleTree {
  private ModuleTree() {}

  static <T> Set<T> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }

  /** {@link Module#apply}: {@code child.apply(fn)} for every child, then {@code fn(module)}. */
  static Module apply(Module module, Consumer<? super Module> fn) {
    for (Module child : module.children()) {
      child.apply(fn);
    }
    fn.accept(module);
    return module;
  }

  /** {@link Module#train(boolean)}: the flag here, then {@code child.train(mode)} per child. */
  static Module train(Module module, boolean mode) {
    module.training = mode;
    for (Module child : module.children()) {
      child.train(mode);
    }
    return module;
  }

  /** {@link Module#requiresGrad(boolean)}: the flag on every parameter, recursively. */
  static Module requiresGrad(Module module, boolean requiresGrad) {
    for (Parameter p : module.parameters()) {
      p.requiresGrad(requiresGrad);
    }
    return module;
  }

  /** {@link Module#zeroGrad(boolean)}: every parameter's gradient set to null or zeroed. */
  static void zeroGrad(Module module, boolean setToNull) {
    for (Parameter p : module.parameters()) {
      Tensor g = p.grad();
      if (g == null) {
        continue;
      }
      if (setToNull) {
        p.setGrad(null);
      } else {
        if (g.gradFn() != null) {
          g = g.detach();
          p.setGrad(g);
        } else {
          g.requiresGrad(false);
        }
        try (NoGrad ng = NoGrad.enter()) {
          g.zero();
        }
      }
    }
  }

  /** {@link Module#namedChildren()}: direct non-null children, each once. */
  static Map<String, Module> namedChildren(Module module) {
    LinkedHashMap<String, Module> out = new LinkedHashMap<>();
    Set<Module> memo = identitySet();
    for (Map.Entry<String, Module> e : module.modules.entrySet()) {
      Module m = e.getValue();
      if (m != null && memo.add(m)) {
        out.put(e.getKey(), m);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@link Module#namedModules(String, boolean)}. */
  static Map<String, Module> namedModules(Module module, String prefix, boolean removeDuplicate) {
    LinkedHashMap<String, Module> out = new LinkedHashMap<>();
    collectModules(module, identitySet(), prefix, removeDuplicate, out);
    return Collections.unmodifiableMap(out);
  }

  private static void collectModules(
      Module module,
      Set<Module> memo,
      String prefix,
      boolean removeDuplicate,
      Map<String, Module> out) {
    if (memo.contains(module)) {
      return;
    }
    if (removeDuplicate) {
      memo.add(module);
    }
    out.put(prefix, module);
    for (Map.Entry<String, Module> e : module.modules.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      String sub = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      collectModules(e.getValue(), memo, sub, removeDuplicate, out);
    }
  }

  /** PyTorch's {@code _named_members}: {@code members} of every (or only this) module by name. */
  static <T extends Tensor> Map<String, T> namedMembers(
      Module module,
      Function<Module, Map<String, T>> members,
      String prefix,
      boolean recurse,
      boolean removeDuplicate) {
    Map<String, Module> mods =
        recurse ? module.namedModules(prefix, removeDuplicate) : Map.of(prefix, module);
    LinkedHashMap<String, T> out = new LinkedHashMap<>();
    Set<Tensor> memo = identitySet();
    for (Map.Entry<String, Module> me : mods.entrySet()) {
      String modulePrefix = me.getKey();
      for (Map.Entry<String, T> e : members.apply(me.getValue()).entrySet()) {
        T v = e.getValue();
        if (v == null || memo.contains(v)) {
          continue;
        }
        if (removeDuplicate) {
          memo.add(v);
        }
        out.put(modulePrefix + (modulePrefix.isEmpty() ? "" : ".") + e.getKey(), v);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@link Module#applyConversion}: PyTorch's {@code _apply}. */
  static void applyConversion(Module module, UnaryOperator<Tensor> fn) {
    for (Module child : module.children()) {
      child.applyConversion(fn);
    }
    for (Parameter p : module.parameters.values()) {
      if (p == null) {
        continue;
      }
      Tensor applied;
      try (NoGrad g = NoGrad.enter()) {
        applied = fn.apply(p);
      }
      adopt(p, applied);
      Tensor grad = p.grad();
      if (grad != null) {
        Tensor gradApplied;
        try (NoGrad g = NoGrad.enter()) {
          gradApplied = fn.apply(grad);
        }
        adopt(grad, gradApplied);
      }
    }
    for (Map.Entry<String, Tensor> e : module.buffers.entrySet()) {
      if (e.getValue() != null) {
        Tensor applied = fn.apply(e.getValue());
        MemoryScope.escape(applied); // a buffer outlives any step's MemoryScope
        e.setValue(applied);
      }
    }
  }

  private static void adopt(Tensor target, Tensor applied) {
    if (applied != target) {
      target.setData(applied);
      applied.close();
    }
  }

  /** {@link Module#toString()}: PyTorch's {@code __repr__}, children through their own repr. */
  static String repr(Module module) {
    List<String> extraLines = new ArrayList<>();
    String extra = module.extraRepr();
    if (extra != null && !extra.isEmpty()) {
      extraLines.addAll(Arrays.asList(extra.split("\n", -1)));
    }
    List<String> childLines = new ArrayList<>();
    for (Map.Entry<String, Module> e : module.modules.entrySet()) {
      String modStr =
          ModuleText.addIndent(
              String.valueOf(e.getValue() == null ? "None" : e.getValue().repr()), 2);
      childLines.add("(" + e.getKey() + "): " + modStr);
    }
    List<String> lines = new ArrayList<>(extraLines);
    lines.addAll(childLines);
    StringBuilder main = new StringBuilder(module.typeName()).append('(');
    if (!lines.isEmpty()) {
      if (extraLines.size() == 1 && childLines.isEmpty()) {
        main.append(extraLines.get(0));
      } else {
        main.append("\n  ").append(String.join("\n  ", lines)).append('\n');
      }
    }
    return main.append(')').toString();
  }

  /** {@code to(dtype)} accepts floating-point dtypes only. */
  static void checkFloatingTarget(DType dtype) {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "nn.Module.to only accepts floating point or complex dtypes, but got desired dtype="
              + dtype);
    }
  }

  /**
   * Fails (CudaUnavailableException) before any tensor is touched when {@code device} is unusable.
   */
  static void checkDeviceUsable(Device device) {
    if (!device.isCpu()) {
      Tensor.empty(Shape.of(0), DType.FLOAT32, device).close();
    }
  }
}
