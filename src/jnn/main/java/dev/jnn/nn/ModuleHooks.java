package dev.jnn.nn;

import dev.jnn.autograd.Node;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hook tables of one {@link Module}, the global (all-module) tables, and the hooked call
 * ({@code Module._call_impl}). Every table is a {@link HookTable}; forward pre-hooks and forward
 * hooks are stored as their {@code WithKwargs} form (a plain hook is wrapped, its entry's {@code
 * withKwargs} flag false), forward hooks moreover in their {@link ForwardHookAnyWithKwargs} form
 * (a tensor-typed hook is wrapped in a check that the output is a tensor), so firing needs no type
 * dispatch.
 */
final class ModuleHooks {
  // ---------------------------------------------------------------- global (all-module) tables

  static final HookTable<ForwardPreHookWithKwargs> GLOBAL_FORWARD_PRE = new HookTable<>();
  static final HookTable<ForwardHookAnyWithKwargs> GLOBAL_FORWARD = new HookTable<>();
  static final HookTable<BackwardPreHook> GLOBAL_BACKWARD_PRE = new HookTable<>();
  static final HookTable<BackwardHook> GLOBAL_BACKWARD = new HookTable<>();
  static final HookTable<BufferRegistrationHook> GLOBAL_BUFFER_REGISTRATION = new HookTable<>();
  static final HookTable<ModuleRegistrationHook> GLOBAL_MODULE_REGISTRATION = new HookTable<>();
  static final HookTable<ParameterRegistrationHook> GLOBAL_PARAMETER_REGISTRATION =
      new HookTable<>();

  /** Whether the global backward hooks are full ones; null until one is registered. */
  private static Boolean globalIsFullBackwardHook; // guarded by GLOBAL_BACKWARD

  // ---------------------------------------------------------------- per-module tables

  final HookTable<ForwardPreHookWithKwargs> forwardPre = new HookTable<>();
  final HookTable<ForwardHookAnyWithKwargs> forward = new HookTable<>();
  final HookTable<BackwardPreHook> backwardPre = new HookTable<>();
  final HookTable<BackwardHook> backward = new HookTable<>();
  final HookTable<StateDictPreHook> stateDictPre = new HookTable<>();
  final HookTable<StateDictPostHook> stateDictPost = new HookTable<>();
  final HookTable<LoadStateDictPreHook> loadStateDictPre = new HookTable<>();
  final HookTable<LoadStateDictPostHook> loadStateDictPost = new HookTable<>();

  /** Whether this module's backward hooks are full ones; null until one is registered. */
  private Boolean isFullBackwardHook;

  // ---------------------------------------------------------------- registration

  /** A plain forward pre-hook as a keyword-aware one that keeps the keyword arguments. */
  static ForwardPreHookWithKwargs withKwargs(ForwardPreHook hook) {
    Objects.requireNonNull(hook, "hook");
    return (module, args, kwargs) -> {
      List<Tensor> r = hook.apply(module, args);
      return r == null ? null : new ArgsKwargs(r, kwargs);
    };
  }

  /** A plain forward hook as a keyword-aware one that ignores the keyword arguments. */
  static ForwardHookAnyWithKwargs withKwargs(ForwardHook hook) {
    Objects.requireNonNull(hook, "hook");
    return (module, args, kwargs, output) ->
        hook.apply(module, args, tensorOutput(module, output, "ForwardHook"));
  }

  /** A tensor-typed keyword-aware forward hook as one that sees any output. */
  static ForwardHookAnyWithKwargs anyOutput(ForwardHookWithKwargs hook) {
    Objects.requireNonNull(hook, "hook");
    return (module, args, kwargs, output) ->
        hook.apply(module, args, kwargs, tensorOutput(module, output, "ForwardHookWithKwargs"));
  }

  /** A plain any-output forward hook as a keyword-aware one that ignores the keyword arguments. */
  static ForwardHookAnyWithKwargs withKwargs(ForwardHookAny hook) {
    Objects.requireNonNull(hook, "hook");
    return (module, args, kwargs, output) -> hook.apply(module, args, output);
  }

  /**
   * The output as a tensor for a tensor-typed forward hook; a structured output cannot be passed to
   * one (PyTorch would hand it the tuple or dict), so that is an error naming the any-output kind.
   */
  private static Tensor tensorOutput(Module module, Object output, String kind) {
    if (output == null || output instanceof Tensor) {
      return (Tensor) output;
    }
    throw new IllegalStateException(
        "a "
            + kind
            + " receives Tensor outputs, but "
            + module.pythonClassName()
            + " returned a "
            + Outputs.typeName(output)
            + "; register a ForwardHookAny (registerForwardHookAny) to see structured outputs");
  }

  /**
   * Adds a local backward hook, full or not ({@code register_backward_hook}); one module cannot
   * mix both kinds.
   */
  HookHandle addBackwardHook(BackwardHook hook, boolean prepend, boolean full) {
    Objects.requireNonNull(hook, "hook");
    if (Boolean.valueOf(!full).equals(isFullBackwardHook)) {
      throw new IllegalStateException(
          "Cannot use both regular backward hooks and full backward hooks on a single Module."
              + " Please use only one of them.");
    }
    isFullBackwardHook = full;
    return backward.add(hook, prepend);
  }

  /** Adds a global backward hook, full or not; the global table cannot mix both kinds either. */
  static HookHandle addGlobalBackwardHook(BackwardHook hook, boolean full) {
    Objects.requireNonNull(hook, "hook");
    synchronized (GLOBAL_BACKWARD) {
      if (Boolean.valueOf(!full).equals(globalIsFullBackwardHook)) {
        throw new IllegalStateException(
            "Cannot use both regular backward hooks and full backward hooks as a global Module"
                + " hook. Please use only one of them.");
      }
      globalIsFullBackwardHook = full;
      return GLOBAL_BACKWARD.add(hook);
    }
  }

  // ---------------------------------------------------------------- the hooked call

  /** Whether a call must take the hooked path (some call hook exists, locally or globally). */
  boolean hasCallHooks() {
    return !backward.isEmpty()
        || !backwardPre.isEmpty()
        || !forward.isEmpty()
        || !forwardPre.isEmpty()
        || !GLOBAL_BACKWARD_PRE.isEmpty()
        || !GLOBAL_BACKWARD.isEmpty()
        || !GLOBAL_FORWARD.isEmpty()
        || !GLOBAL_FORWARD_PRE.isEmpty();
  }

  /** Mutable state of one hooked call (PyTorch's {@code nonlocal result, args, kwargs}). */
  private static final class CallState {
    List<Tensor> args;
    Map<String, Object> kwargs;
    Object result;
    final Set<Long> calledAlwaysCalledHooks = new HashSet<>();

    CallState(List<Tensor> args, Map<String, Object> kwargs) {
      this.args = args;
      this.kwargs = kwargs;
    }
  }

  /**
   * {@code module(*args, **kwargs)}: {@link Module#forwardAny} directly when no hook exists, else
   * with the hooks; returns the (possibly hook-replaced) output, whatever its structure.
   */
  Object call(Module module, List<Tensor> args, Map<String, Object> kwargs) {
    if (!hasCallHooks()) {
      return module.forwardAny(args, kwargs); // fast path
    }
    CallState st = new CallState(args, kwargs);
    try {
      return callWithHooks(module, st);
    } catch (RuntimeException e) {
      runAlwaysCalledHooks(module, st, e);
      throw e;
    }
  }

  private Object callWithHooks(Module module, CallState st) {
    List<BackwardPreHook> bwPreHooks = new ArrayList<>();
    if (!backwardPre.isEmpty() || !GLOBAL_BACKWARD_PRE.isEmpty()) {
      bwPreHooks.addAll(GLOBAL_BACKWARD_PRE.hooks());
      bwPreHooks.addAll(backwardPre.hooks());
    }
    List<BackwardHook> fullHooks = new ArrayList<>();
    List<BackwardHook> nonFullHooks = new ArrayList<>();
    if (!backward.isEmpty() || !GLOBAL_BACKWARD.isEmpty()) {
      Boolean globalFull;
      synchronized (GLOBAL_BACKWARD) {
        globalFull = globalIsFullBackwardHook;
      }
      if (Boolean.TRUE.equals(globalFull)) {
        fullHooks.addAll(GLOBAL_BACKWARD.hooks());
      }
      if (Boolean.TRUE.equals(isFullBackwardHook)) {
        fullHooks.addAll(backward.hooks());
      }
      if (Boolean.FALSE.equals(globalFull)) {
        nonFullHooks.addAll(GLOBAL_BACKWARD.hooks());
      }
      if (Boolean.FALSE.equals(isFullBackwardHook)) {
        nonFullHooks.addAll(backward.hooks());
      }
    }

    List<ForwardPreHookWithKwargs> pre = GLOBAL_FORWARD_PRE.hooks();
    pre.addAll(forwardPre.hooks());
    for (ForwardPreHookWithKwargs hook : pre) {
      ArgsKwargs r = hook.apply(module, st.args, st.kwargs);
      if (r != null) {
        st.args = r.args();
        st.kwargs = r.kwargs();
      }
    }

    BackwardHookRunner bwHook = null;
    if (!fullHooks.isEmpty() || !bwPreHooks.isEmpty()) {
      bwHook = new BackwardHookRunner(module, fullHooks, bwPreHooks);
      st.args = bwHook.setupInputHook(st.args);
    }

    st.result = module.forwardAny(st.args, st.kwargs);

    List<HookTable.Entry<ForwardHookAnyWithKwargs>> post =
        new ArrayList<>(GLOBAL_FORWARD.entries());
    post.addAll(forward.entries());
    for (HookTable.Entry<ForwardHookAnyWithKwargs> e : post) {
      if (e.alwaysCall()) {
        st.calledAlwaysCalledHooks.add(e.id());
      }
      Object r = e.hook().apply(module, st.args, st.kwargs, st.result);
      if (r != null) {
        st.result = r;
      }
    }

    if (bwHook != null) {
      if (!(st.result instanceof Tensor || st.result instanceof Record)) {
        warnOutputNotTensorOrTuple(module, st.result);
      }
      if (st.result != null) {
        st.result = bwHook.setupOutputHook(st.result);
      }
    }

    if (!nonFullHooks.isEmpty() && st.result != null) {
      Node gradFn = Outputs.firstTensor(st.result).gradFn();
      if (gradFn != null) {
        for (BackwardHook hook : nonFullHooks) {
          gradFn.registerPostHook(
              (gin, gout) -> {
                List<Tensor> r =
                    hook.apply(
                        module,
                        Collections.unmodifiableList(Arrays.asList(gin.clone())),
                        Collections.unmodifiableList(Arrays.asList(gout.clone())));
                return r == null ? null : r.toArray(new Tensor[0]);
              });
        }
      }
    }
    return st.result;
  }

  /**
   * PyTorch's exception path: every {@code alwaysCall} forward hook (global, then local) that has
   * not run yet runs with whatever result exists; its exceptions are attached to {@code error} as
   * suppressed exceptions (PyTorch turns them into warnings), then {@code error} propagates.
   */
  private void runAlwaysCalledHooks(Module module, CallState st, RuntimeException error) {
    List<HookTable.Entry<ForwardHookAnyWithKwargs>> all =
        new ArrayList<>(GLOBAL_FORWARD.entries());
    all.addAll(forward.entries());
    for (HookTable.Entry<ForwardHookAnyWithKwargs> e : all) {
      if (!e.alwaysCall() || st.calledAlwaysCalledHooks.contains(e.id())) {
        continue;
      }
      try {
        Object r = e.hook().apply(module, st.args, st.kwargs, st.result);
        if (r != null) {
          st.result = r;
        }
      } catch (RuntimeException hookError) {
        error.addSuppressed(hookError);
      }
    }
  }

  private static final System.Logger LOG = System.getLogger("dev.jnn.nn");

  /** Module class and output class pairs already warned about (PyTorch warns once per site). */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  /**
   * PyTorch's warning when a module with full backward (pre-)hooks returns neither a tensor nor a
   * tuple: the hooks then see no output gradient, and do not fire.
   */
  private static void warnOutputNotTensorOrTuple(Module module, Object result) {
    String type = Outputs.typeName(result);
    if (WARNED.add(module.getClass().getName() + " " + type)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "For backward hooks to be called, module output should be a Tensor or a tuple (record)"
              + " of Tensors but received "
              + type
              + " (from "
              + module.pythonClassName()
              + ")");
    }
  }
}
