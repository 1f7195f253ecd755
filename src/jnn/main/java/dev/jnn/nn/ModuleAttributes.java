package dev.jnn.nn;

import dev.jnn.tensor.MemoryScope;
import dev.jnn.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Python attribute emulation for {@link Module}: the bodies of {@code register_parameter}, {@code
 * register_buffer}, {@code register_module}, {@code __setattr__}, {@code __getattr__}, {@code
 * __delattr__} and the dotted-path lookups ({@code get_submodule}, ...), which Module's public
 * methods delegate to. Parameters, buffers, children, plain attributes and {@code "training"} share
 * one namespace; the registries themselves stay in the module's fields.
 */
final class ModuleAttributes {
  private ModuleAttributes() {}

  // ================================================================ registration

  /** {@link Module#registerParameter}. */
  static <P extends Parameter> P registerParameter(Module module, String name, P param) {
    checkMemberName(module, "parameter", name, module.parameters);
    if (param == null) {
      module.parameters.put(name, null);
      return null;
    }
    if (param.gradFn() != null) {
      throw new IllegalArgumentException(
          "Cannot assign non-leaf Tensor to parameter '"
              + name
              + "'. Model parameters must be created explicitly. To express '"
              + name
              + "' as a function of another Tensor, compute the value in the forward() method.");
    }
    Parameter p = param;
    for (ParameterRegistrationHook hook : ModuleHooks.GLOBAL_PARAMETER_REGISTRATION.hooks()) {
      Parameter out = hook.apply(module, name, p);
      if (out != null) {
        p = out;
      }
    }
    module.parameters.put(name, p);
    return registered(param, p, "parameter");
  }

  /** {@link Module#registerBuffer(String, Tensor, boolean)}. */
  static <T extends Tensor> T registerBuffer(
      Module module, String name, T tensor, boolean persistent) {
    checkMemberName(module, "buffer", name, module.buffers);
    Tensor t = tensor;
    for (BufferRegistrationHook hook : ModuleHooks.GLOBAL_BUFFER_REGISTRATION.hooks()) {
      Tensor out = hook.apply(module, name, t);
      if (out != null) {
        t = out;
      }
    }
    MemoryScope.escape(t); // a buffer outlives any step's MemoryScope
    module.buffers.put(name, t);
    if (persistent) {
      module.nonPersistentBuffers.remove(name);
    } else {
      module.nonPersistentBuffers.add(name);
    }
    return registered(tensor, t, "buffer");
  }

  /** {@link Module#registerModule}. */
  static <M extends Module> M registerModule(Module module, String name, M child) {
    if (name == null) {
      throw new IllegalArgumentException("module name should be a string. Got NoneType");
    }
    if (module.hasAttribute(name) && !module.modules.containsKey(name)) {
      throw new IllegalArgumentException("attribute '" + name + "' already exists");
    }
    if (name.contains(".")) {
      throw new IllegalArgumentException("module name can't contain \".\", got: " + name);
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("module name can't be empty string \"\"");
    }
    checkNoCycle(module, name, child);
    Module m = runModuleRegistrationHooks(module, name, child);
    checkNoCycle(module, name, m);
    module.modules.put(name, m);
    return registered(child, m, "module");
  }

  /** {@link Module#checkNoCycle}. */
  static void checkNoCycle(Module module, String name, Module child) {
    if (child == null) {
      return;
    }
    String path = pathTo(child, module, Collections.newSetFromMap(new IdentityHashMap<>()));
    if (path == null) {
      return;
    }
    String where =
        path.isEmpty()
            ? "it is that " + module.typeName() + " itself"
            : module.typeName() + " is already its descendant '" + path + "'";
    throw new IllegalArgumentException(
        "cannot register module '"
            + name
            + "' ("
            + child.typeName()
            + ") as a child of "
            + module.typeName()
            + ": "
            + where
            + ", so the module tree would contain a cycle (jnn refuses cycles, which PyTorch"
            + " allows; stateDict(), train() and toString() could not terminate)");
  }

  /** The dotted path from {@code from} down to {@code target} ({@code ""} if it is it), or null. */
  private static String pathTo(Module from, Module target, Set<Module> visited) {
    if (from == target) {
      return "";
    }
    if (!visited.add(from)) {
      return null;
    }
    for (Map.Entry<String, Module> e : from.modules.entrySet()) {
      Module c = e.getValue();
      if (c != null) {
        String sub = pathTo(c, target, visited);
        if (sub != null) {
          return sub.isEmpty() ? e.getKey() : e.getKey() + "." + sub;
        }
      }
    }
    return null;
  }

  private static Module runModuleRegistrationHooks(Module module, String name, Module child) {
    Module m = child;
    for (ModuleRegistrationHook hook : ModuleHooks.GLOBAL_MODULE_REGISTRATION.hooks()) {
      Module out = hook.apply(module, name, m);
      if (out != null) {
        m = out;
      }
    }
    return m;
  }

  private static void checkMemberName(
      Module module, String kind, String name, Map<String, ?> own) {
    if (name == null) {
      throw new IllegalArgumentException(kind + " name should be a string. Got NoneType");
    }
    if (name.contains(".")) {
      throw new IllegalArgumentException(kind + " name can't contain \".\"");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException(kind + " name can't be empty string \"\"");
    }
    if (module.hasAttribute(name) && !own.containsKey(name)) {
      throw new IllegalArgumentException("attribute '" + name + "' already exists");
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T registered(T original, Object stored, String kind) {
    if (stored == original || original == null) {
      return original; // a hook may replace a null registration; the caller passed null
    }
    if (!original.getClass().isInstance(stored)) {
      throw new IllegalStateException(
          "a "
              + kind
              + " registration hook replaced a "
              + original.getClass().getSimpleName()
              + " by an incompatible "
              + (stored == null ? "null" : stored.getClass().getSimpleName()));
    }
    return (T) stored;
  }

  // ================================================================ __setattr__ and friends

  /** {@link Module#setAttribute}: PyTorch's {@code __setattr__}, rule by rule. */
  static void set(Module module, String name, Object value) {
    Objects.requireNonNull(name, "name");
    if (value instanceof Parameter p) {
      module.attributes.remove(name);
      module.buffers.remove(name);
      module.modules.remove(name);
      module.nonPersistentBuffers.remove(name);
      module.registerParameter(name, p);
    } else if (module.parameters.containsKey(name)) {
      if (value != null) {
        throw new IllegalArgumentException(
            "cannot assign '"
                + ModuleText.torchTypename(value)
                + "' as parameter '"
                + name
                + "' (torch.nn.Parameter or None expected)");
      }
      module.registerParameter(name, null);
    } else if (value instanceof Module m) {
      checkNoCycle(module, name, m);
      Module registered = runModuleRegistrationHooks(module, name, m);
      checkNoCycle(module, name, registered);
      module.attributes.remove(name);
      module.parameters.remove(name);
      module.buffers.remove(name);
      module.nonPersistentBuffers.remove(name);
      module.modules.put(name, registered);
    } else if (module.modules.containsKey(name)) {
      if (value != null) {
        throw new IllegalArgumentException(
            "cannot assign '"
                + ModuleText.torchTypename(value)
                + "' as child module '"
                + name
                + "' (torch.nn.Module or None expected)");
      }
      module.modules.put(name, runModuleRegistrationHooks(module, name, null));
    } else if (value instanceof Buffer || module.buffers.containsKey(name)) {
      if (value != null && !(value instanceof Tensor)) {
        throw new IllegalArgumentException(
            "cannot assign '"
                + ModuleText.torchTypename(value)
                + "' as buffer '"
                + name
                + "' (torch.nn.Buffer, torch.Tensor or None expected)");
      }
      boolean persistent =
          value instanceof Buffer b ? b.persistent() : !module.nonPersistentBuffers.contains(name);
      module.registerBuffer(name, (Tensor) value, persistent);
    } else if ("training".equals(name)) {
      if (!(value instanceof Boolean b)) {
        throw new IllegalArgumentException("training mode is expected to be boolean");
      }
      module.training = b;
    } else {
      if (value instanceof Tensor t) {
        MemoryScope.escape(t); // an attribute outlives any step's MemoryScope
      }
      module.attributes.put(name, value);
    }
  }

  /** {@link Module#getAttribute}: {@code "training"}, attributes, parameters, buffers, children. */
  static Object get(Module module, String name) {
    if ("training".equals(name)) {
      return module.training;
    }
    if (module.attributes.containsKey(name)) {
      return module.attributes.get(name);
    }
    if (module.parameters.containsKey(name)) {
      return module.parameters.get(name);
    }
    if (module.buffers.containsKey(name)) {
      return module.buffers.get(name);
    }
    if (module.modules.containsKey(name)) {
      return module.modules.get(name);
    }
    throw noAttribute(module, name);
  }

  /** {@link Module#hasAttribute}. */
  static boolean has(Module module, String name) {
    return "training".equals(name)
        || module.attributes.containsKey(name)
        || module.parameters.containsKey(name)
        || module.buffers.containsKey(name)
        || module.modules.containsKey(name);
  }

  /** {@link Module#delAttribute}: parameters, else buffers, else children, else attributes. */
  static void del(Module module, String name) {
    if (module.parameters.containsKey(name)) {
      module.parameters.remove(name);
    } else if (module.buffers.containsKey(name)) {
      module.buffers.remove(name);
      module.nonPersistentBuffers.remove(name);
    } else if (module.modules.containsKey(name)) {
      module.modules.remove(name);
    } else if (module.attributes.containsKey(name)) {
      module.attributes.remove(name);
    } else {
      throw noAttribute(module, name);
    }
  }

  private static IllegalArgumentException noAttribute(Module module, String name) {
    return new IllegalArgumentException(
        "'" + module.pythonClassName() + "' object has no attribute '" + name + "'");
  }

  // ================================================================ lookup by path

  /** {@link Module#getSubmodule}. */
  static Module getSubmodule(Module module, String target) {
    if (target.isEmpty()) {
      return module;
    }
    Module mod = module;
    for (String item : target.split("\\.", -1)) {
      if (!mod.hasAttribute(item)) {
        throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + item + "`");
      }
      Object next = mod.getAttribute(item);
      if (!(next instanceof Module m)) {
        throw new IllegalArgumentException("`" + item + "` is not an nn.Module");
      }
      mod = m;
    }
    return mod;
  }

  /** {@link Module#setSubmodule(String, Module, boolean)}. */
  static void setSubmodule(Module module, String target, Module child, boolean strict) {
    if (target.isEmpty()) {
      throw new IllegalArgumentException("Cannot set the submodule without a target name!");
    }
    String[] atoms = target.split("\\.", -1);
    if (child == null) {
      throw new IllegalArgumentException("`module` is not an nn.Module, found <class 'NoneType'>");
    }
    Module parent =
        atoms.length == 1
            ? module
            : module.getSubmodule(String.join(".", Arrays.copyOf(atoms, atoms.length - 1)));
    String leaf = atoms[atoms.length - 1];
    if (strict && !parent.hasAttribute(leaf)) {
      throw new IllegalArgumentException(parent.typeName() + " has no attribute `" + leaf + "`");
    }
    if (parent.hasAttribute(leaf) && !(parent.getAttribute(leaf) instanceof Module)) {
      throw new IllegalArgumentException("`" + leaf + "` is not an nn.Module");
    }
    parent.setAttribute(leaf, child);
  }

  /** {@link Module#getParameter}. */
  static Parameter getParameter(Module module, String target) {
    int dot = target.lastIndexOf('.');
    Module mod = module.getSubmodule(dot < 0 ? "" : target.substring(0, dot));
    String name = target.substring(dot + 1);
    if (!mod.hasAttribute(name)) {
      throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + name + "`");
    }
    if (!(mod.getAttribute(name) instanceof Parameter p)) {
      throw new IllegalArgumentException("`" + name + "` is not an nn.Parameter");
    }
    return p;
  }

  /** {@link Module#getBuffer}. */
  static Tensor getBuffer(Module module, String target) {
    int dot = target.lastIndexOf('.');
    Module mod = module.getSubmodule(dot < 0 ? "" : target.substring(0, dot));
    String name = target.substring(dot + 1);
    if (!mod.hasAttribute(name)) {
      throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + name + "`");
    }
    if (!mod.buffers.containsKey(name)) {
      throw new IllegalArgumentException("`" + name + "` is not a buffer");
    }
    return mod.buffers.get(name);
  }
}
