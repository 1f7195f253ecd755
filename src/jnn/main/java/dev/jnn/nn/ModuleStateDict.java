package dev.jnn.nn;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.tensor.Tensor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State-dict I/O of {@link Module} ({@code state_dict}, {@code _save_to_state_dict}, {@code
 * load_state_dict}, {@code _load_from_state_dict}): the bodies behind Module's public and
 * overridable state-dict methods, which delegate here. A {@link Module#loadStateDict} call is all
 * or nothing: while the tree is walked every entry is checked and every hook run, and the writes
 * are only gathered into a {@link LoadPlan} (kept in a thread-local, so an overridden {@code
 * loadFromStateDict} calling super joins the plan); the plan is committed when no error was found.
 */
final class ModuleStateDict {
  private ModuleStateDict() {}

  static final String EXTRA_STATE_KEY_SUFFIX = "_extra_state";

  /** Per class: whether it overrides {@link Module#getExtraState()} / {@code setExtraState}. */
  private static final ClassValue<boolean[]> EXTRA_STATE_OVERRIDES =
      new ClassValue<>() {
        @Override
        protected boolean[] computeValue(Class<?> type) {
          return new boolean[] {
            overrides(type, "getExtraState"), overrides(type, "setExtraState", Tensor.class)
          };
        }
      };

  /** What the {@link Module#loadStateDict} running on this thread will write (null outside one). */
  private static final ThreadLocal<LoadPlan> LOAD_PLAN = new ThreadLocal<>();

  /**
   * {@link Module#stateDict(StateDict, String, boolean)}: metadata entry, pre-hooks, {@link
   * Module#saveToStateDict}, children (through their own {@code stateDict}), post-hooks.
   */
  static StateDict stateDict(
      Module module, StateDict destination, String prefix, boolean keepVars) {
    StateDict dest = destination == null ? new StateDict() : destination;
    Map<String, Object> localMetadata = new LinkedHashMap<>();
    localMetadata.put("version", module.version());
    dest.metadata().put(dropLast(prefix), localMetadata);
    for (StateDictPreHook hook : module.hooks.stateDictPre.hooks()) {
      hook.apply(module, prefix, keepVars);
    }
    module.saveToStateDict(dest, prefix, keepVars);
    for (Map.Entry<String, Module> e : module.modules.entrySet()) {
      if (e.getValue() != null) {
        e.getValue().stateDict(dest, prefix + e.getKey() + ".", keepVars);
      }
    }
    for (StateDictPostHook hook : module.hooks.stateDictPost.hooks()) {
      hook.apply(module, dest, prefix, localMetadata);
    }
    return dest;
  }

  /** {@link Module#saveToStateDict}: own parameters, persistent buffers, extra state. */
  static void saveToStateDict(
      Module module, StateDict destination, String prefix, boolean keepVars) {
    for (Map.Entry<String, Parameter> e : module.parameters.entrySet()) {
      Parameter p = e.getValue();
      if (p != null) {
        destination.put(prefix + e.getKey(), keepVars ? p : p.detach());
      }
    }
    for (Map.Entry<String, Tensor> e : module.buffers.entrySet()) {
      Tensor b = e.getValue();
      if (b != null && !module.nonPersistentBuffers.contains(e.getKey())) {
        destination.put(prefix + e.getKey(), keepVars ? b : b.detach());
      }
    }
    if (EXTRA_STATE_OVERRIDES.get(module.getClass())[0]) {
      destination.put(prefix + EXTRA_STATE_KEY_SUFFIX, module.getExtraState());
    }
  }

  /**
   * {@link Module#loadStateDict(Map, boolean, boolean)}: checks every entry and runs every hook
   * while gathering the writes into a {@link LoadPlan}, then commits the plan, all or nothing.
   */
  static LoadResult loadStateDict(
      Module module, Map<String, ? extends Tensor> stateDict, boolean strict, boolean assign) {
    if (stateDict == null) {
      throw new IllegalArgumentException(
          "Expected state_dict to be dict-like, got <class 'NoneType'>.");
    }
    List<String> missingKeys = new ArrayList<>();
    List<String> unexpectedKeys = new ArrayList<>();
    List<String> errorMsgs = new ArrayList<>();
    Map<String, Map<String, Object>> metadata =
        stateDict instanceof StateDict sd ? sd.metadata() : null;
    LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>(stateDict);
    LoadPlan plan = new LoadPlan();
    LoadPlan outer = LOAD_PLAN.get();
    LOAD_PLAN.set(plan);
    try {
      load(module, copy, "", metadata, assign, missingKeys, unexpectedKeys, errorMsgs);
    } finally {
      LOAD_PLAN.set(outer);
    }
    if (strict) {
      if (!unexpectedKeys.isEmpty()) {
        errorMsgs.add(0, "Unexpected key(s) in state_dict: " + quoted(unexpectedKeys) + ". ");
      }
      if (!missingKeys.isEmpty()) {
        errorMsgs.add(0, "Missing key(s) in state_dict: " + quoted(missingKeys) + ". ");
      }
    }
    if (!errorMsgs.isEmpty()) {
      throw loadError(module, errorMsgs, missingKeys, unexpectedKeys);
    }
    List<String> commitErrors = plan.commit();
    if (!commitErrors.isEmpty()) {
      StateDictException e = loadError(module, commitErrors, missingKeys, unexpectedKeys);
      if (plan.cause != null) {
        e.initCause(plan.cause);
      }
      throw e;
    }
    return new LoadResult(List.copyOf(missingKeys), List.copyOf(unexpectedKeys));
  }

  private static StateDictException loadError(
      Module module, List<String> msgs, List<String> missingKeys, List<String> unexpectedKeys) {
    return new StateDictException(
        "Error(s) in loading state_dict for "
            + module.pythonClassName()
            + ":\n\t"
            + String.join("\n\t", msgs),
        missingKeys,
        unexpectedKeys,
        msgs);
  }

  private static void load(
      Module module,
      Map<String, Tensor> localStateDict,
      String prefix,
      Map<String, Map<String, Object>> metadata,
      boolean assign,
      List<String> missingKeys,
      List<String> unexpectedKeys,
      List<String> errorMsgs) {
    Map<String, Object> saved = metadata == null ? null : metadata.get(dropLast(prefix));
    Map<String, Object> localMetadata =
        saved == null ? new LinkedHashMap<>() : new LinkedHashMap<>(saved);
    if (assign) {
      localMetadata.put("assign_to_params_buffers", Boolean.TRUE);
    }
    module.loadFromStateDict(
        localStateDict, prefix, localMetadata, true, missingKeys, unexpectedKeys, errorMsgs);
    for (Map.Entry<String, Module> e : module.modules.entrySet()) {
      Module child = e.getValue();
      if (child == null) {
        continue;
      }
      String childPrefix = prefix + e.getKey() + ".";
      LinkedHashMap<String, Tensor> childStateDict = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> se : localStateDict.entrySet()) {
        if (se.getKey().startsWith(childPrefix)) {
          childStateDict.put(se.getKey(), se.getValue());
        }
      }
      load(
          child,
          childStateDict,
          childPrefix,
          metadata,
          assign,
          missingKeys,
          unexpectedKeys,
          errorMsgs);
    }
    LoadResult incompatible = new LoadResult(missingKeys, unexpectedKeys);
    for (LoadStateDictPostHook hook : module.hooks.loadStateDictPost.hooks()) {
      hook.apply(module, incompatible);
    }
  }

  /**
   * {@link Module#loadFromStateDict}: load pre-hooks, then each non-null parameter and persistent
   * buffer checked (type, shape, PyTorch's 1-D-into-0-D rule) and its write scheduled, extra state,
   * and with {@code strict} the missing and unexpected keys under {@code prefix}.
   */
  static void loadFromStateDict(
      Module module,
      Map<String, Tensor> stateDict,
      String prefix,
      Map<String, Object> localMetadata,
      boolean strict,
      List<String> missingKeys,
      List<String> unexpectedKeys,
      List<String> errorMsgs) {
    for (LoadStateDictPreHook hook : module.hooks.loadStateDictPre.hooks()) {
      hook.apply(
          module, stateDict, prefix, localMetadata, strict, missingKeys, unexpectedKeys, errorMsgs);
    }
    LinkedHashMap<String, Tensor> localState = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : module.parameters.entrySet()) {
      if (e.getValue() != null) {
        localState.put(e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, Tensor> e : module.buffers.entrySet()) {
      if (e.getValue() != null && !module.nonPersistentBuffers.contains(e.getKey())) {
        localState.put(e.getKey(), e.getValue());
      }
    }
    boolean assign = Boolean.TRUE.equals(localMetadata.get("assign_to_params_buffers"));
    for (Map.Entry<String, Tensor> e : localState.entrySet()) {
      String name = e.getKey();
      Tensor param = e.getValue();
      String key = prefix + name;
      if (!stateDict.containsKey(key)) {
        if (strict) {
          missingKeys.add(key);
        }
        continue;
      }
      Tensor input = stateDict.get(key);
      if (input == null) {
        errorMsgs.add(
            "While copying the parameter named \""
                + key
                + "\", expected torch.Tensor or Tensor-like object from checkpoint but received"
                + " <class 'NoneType'>");
        continue;
      }
      if (param.dim() == 0 && input.dim() == 1) {
        input = input.select(0, 0); // loading a 1-dim tensor from 0.3.* into a 0-dim parameter
      }
      if (!input.shape().equals(param.shape())) {
        errorMsgs.add(
            "size mismatch for "
                + key
                + ": copying a param with shape "
                + ModuleText.torchSize(input.shape())
                + " from checkpoint, the shape in current model is "
                + ModuleText.torchSize(param.shape())
                + ".");
        continue;
      }
      Tensor src = input;
      try {
        if (assign) {
          boolean requiresGrad = param.requiresGrad();
          boolean isParameter = module.parameters.get(name) == param;
          if (param instanceof Parameter && src instanceof Parameter sp) {
            // the checkpoint's Parameter is installed itself, with the module's requiresGrad
            boolean srcRequiresGrad = sp.requiresGrad();
            scheduleLoad(
                () -> module.setAttribute(name, sp.requiresGrad(requiresGrad)),
                () -> {
                  restoreMember(module, name, param, isParameter);
                  sp.requiresGrad(srcRequiresGrad);
                });
          } else {
            Object installed =
                param instanceof Parameter ? new Parameter(src, requiresGrad) : src;
            scheduleLoad(
                () -> module.setAttribute(name, installed),
                () -> restoreMember(module, name, param, isParameter));
          }
        } else {
          scheduleCopy(key, param, src);
        }
      } catch (RuntimeException ex) {
        errorMsgs.add(copyError(key, param, src, ex));
      }
    }
    String extraStateKey = prefix + EXTRA_STATE_KEY_SUFFIX;
    if (EXTRA_STATE_OVERRIDES.get(module.getClass())[1]) {
      if (stateDict.containsKey(extraStateKey)) {
        Tensor state = stateDict.get(extraStateKey);
        Tensor[] previous = new Tensor[1];
        scheduleLoad(
            () -> {
              previous[0] = module.getExtraState();
              module.setExtraState(state);
            },
            () -> module.setExtraState(previous[0]));
      } else if (strict) {
        missingKeys.add(extraStateKey);
      }
    } else if (strict && stateDict.containsKey(extraStateKey)) {
      unexpectedKeys.add(extraStateKey);
    }
    if (strict) {
      for (String key : stateDict.keySet()) {
        if (key.startsWith(prefix) && !key.equals(extraStateKey)) {
          String[] inputName = key.substring(prefix.length()).split("\\.", 2);
          if (inputName.length > 1) {
            if (!module.modules.containsKey(inputName[0])) {
              unexpectedKeys.add(key);
            }
          } else if (!localState.containsKey(inputName[0])) {
            unexpectedKeys.add(key);
          }
        }
      }
    }
  }

  private static String copyError(String key, Tensor param, Tensor input, RuntimeException ex) {
    return "While copying the parameter named \""
        + key
        + "\", whose dimensions in the model are "
        + ModuleText.torchSize(param.shape())
        + " and whose dimensions in the checkpoint are "
        + ModuleText.torchSize(input.shape())
        + ", an exception occurred : ('"
        + ex.getMessage()
        + "',).";
  }

  /** Puts a parameter or buffer back as it was before an {@code assign} load replaced it. */
  private static void restoreMember(Module module, String name, Tensor old, boolean isParameter) {
    if (isParameter) {
      module.parameters.put(name, (Parameter) old);
    } else {
      module.buffers.put(name, old);
    }
  }

  /**
   * Runs {@code action} at the end of the current {@link Module#loadStateDict} ({@code undo}
   * reverts it if a later step fails), or now outside one.
   */
  private static void scheduleLoad(Runnable action, Runnable undo) {
    LoadPlan plan = LOAD_PLAN.get();
    if (plan == null) {
      try (NoGrad g = NoGrad.enter()) {
        action.run();
      }
    } else {
      plan.actions.add(new Runnable[] {action, undo});
    }
  }

  /** Copies {@code src} into {@code param} at the end of the current load, or now outside one. */
  private static void scheduleCopy(String key, Tensor param, Tensor src) {
    LoadPlan plan = LOAD_PLAN.get();
    if (plan == null) {
      try (NoGrad g = NoGrad.enter()) {
        param.copyFrom(src);
      } catch (RuntimeException ex) {
        throw new IllegalStateException(copyError(key, param, src, ex), ex);
      }
    } else {
      plan.copies.add(new PendingCopy(key, param, src));
    }
  }

  /** One in-place copy of a load: {@code staged} is {@code src} on the parameter's device/dtype. */
  private static final class PendingCopy {
    final String key;
    final Tensor param;
    final Tensor src;
    Tensor staged;

    PendingCopy(String key, Tensor param, Tensor src) {
      this.key = key;
      this.param = param;
      this.src = src;
    }

    /**
     * Everything that can fail: both tensors alive, {@code src} converted to the parameter's
     * device and dtype (into new storage when they differ).
     */
    void prepare() {
      DType dtype = param.dtype(); // throws when the parameter's storage was freed
      Device device = param.device();
      src.dtype(); // throws when the value's storage was freed
      Tensor t = src.device().equals(device) ? src : src.to(device);
      Tensor u = t.dtype() == dtype ? t : t.to(dtype);
      if (t != src && t != u) {
        t.close();
      }
      staged = u;
    }

    void release() {
      if (staged != null && staged != src) {
        staged.close();
      }
      staged = null;
    }
  }

  /**
   * The writes of one {@link Module#loadStateDict}, gathered while every entry is checked and
   * applied only when all checks passed, all or nothing.
   */
  private static final class LoadPlan {
    final List<PendingCopy> copies = new ArrayList<>();

    /** {action, undo} pairs: assignments ({@code assign}) and {@code setExtraState} calls. */
    final List<Runnable[]> actions = new ArrayList<>();

    /** The first exception of a failed commit. */
    RuntimeException cause;

    /**
     * Applies the plan; returns the error messages (empty on success). On error nothing was
     * changed:
     *
     * <ol>
     *   <li>every copy is prepared first (liveness of both tensors, device transfer, dtype
     *       conversion, the allocations they need); any failure stops the load before a write;
     *   <li>the copies are written: same device, dtype and shape, both alive, so they cannot fail;
     *       when user code runs afterwards ({@code setExtraState}), the overwritten values are
     *       saved first;
     *   <li>the actions run in order; when one throws, those already run are undone in reverse
     *       order and the saved values are copied back.
     * </ol>
     */
    List<String> commit() {
      List<String> errors = new ArrayList<>();
      try (NoGrad g = NoGrad.enter()) {
        for (PendingCopy c : copies) {
          try {
            c.prepare();
          } catch (RuntimeException ex) {
            errors.add(copyError(c.key, c.param, c.src, ex));
            if (cause == null) {
              cause = ex;
            }
          }
        }
        if (!errors.isEmpty()) {
          copies.forEach(PendingCopy::release);
          return errors;
        }
        List<Tensor> saved = new ArrayList<>();
        try {
          if (!actions.isEmpty()) {
            for (PendingCopy c : copies) {
              saved.add(c.param.detach().clone());
            }
          }
          for (PendingCopy c : copies) {
            c.param.copyFrom(c.staged);
          }
        } finally {
          copies.forEach(PendingCopy::release);
        }
        int done = 0;
        try {
          for (Runnable[] a : actions) {
            a[0].run();
            done++;
          }
        } catch (RuntimeException ex) {
          for (int i = done - 1; i >= 0; i--) {
            try {
              actions.get(i)[1].run();
            } catch (RuntimeException undo) {
              ex.addSuppressed(undo);
            }
          }
          for (int i = 0; i < saved.size(); i++) {
            copies.get(i).param.copyFrom(saved.get(i));
          }
          errors.add(String.valueOf(ex.getMessage()));
          cause = ex;
        } finally {
          saved.forEach(Tensor::close);
        }
      }
      return errors;
    }
  }

  private static String quoted(List<String> keys) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append('"').append(keys.get(i)).append('"');
    }
    return b.toString();
  }

  private static String dropLast(String prefix) {
    return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
  }

  private static boolean overrides(Class<?> type, String method, Class<?>... params) {
    for (Class<?> k = type; k != null && k != Module.class; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (m.getName().equals(method) && Arrays.equals(m.getParameterTypes(), params)) {
          return true;
        }
      }
    }
    return false;
  }
}
