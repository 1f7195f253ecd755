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

/**
 * The hook tables of one {@link Module}, the global (all-module) tables, and the hooked call
 * ({@code Module._call_impl}). Every table is a {@link HookTable}; forward pre-hooks and forward
 * hooks are stored as their {@code WithKwargs} form (a plain hook is wrapped, its entry's {@code
 * withKwargs} flag false), so firing needs no type dispatch.
 */
final class ModuleHooks {
  // ---------------------------------------------------------------- global (all-module) tables

  static final HookTable<ForwardPreHookWithKwargs> GLOBAL_FORWARD_PRE = new HookTable<>();
  static final HookTable<ForwardHookWithKwargs> GLOBAL_FORWARD = new HookTable<>();
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
  final HookTable<ForwardHookWithKwargs> forward = new HookTable<>();
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
  static ForwardHookWithKwargs withKwargs(ForwardHook hook) {
    Objects.requireNonNull(hook, "hook");
    return (module, args, kwargs, output) -> hook.apply(module, args, output);
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
    Tensor result;
    final Set<Long> calledAlwaysCalledHooks = new HashSet<>();

    CallState(List<Tensor> args, Map<String, Object> kwargs) {
      this.args = args;
      this.kwargs = kwargs;
    }
  }

  /** {@code module(*args, **kwargs)}: forward directly when no hook exists, else with the hooks. */
  Tensor call(Module module, List<Tensor> args, Map<String, Object> kwargs) {
    if (!hasCallHooks()) {
      return module.forward(args, kwargs); // fast path
    }
    CallState st = new CallState(args, kwargs);
    try {
      return callWithHooks(module, st);
    } catch (RuntimeException e) {
      runAlwaysCalledHooks(module, st, e);
      throw e;
    }
  }

  private Tensor callWithHooks(Module module, CallState st) {
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

    st.result = module.forward(st.args, st.kwargs);

    List<HookTable.Entry<ForwardHookWithKwargs>> post = new ArrayList<>(GLOBAL_FORWARD.entries());
    post.addAll(forward.entries());
    for (HookTable.Entry<ForwardHookWithKwargs> e : post) {
      if (e.alwaysCall()) {
        st.calledAlwaysCalledHooks.add(e.id());
      }
      Tensor r = e.hook().apply(module, st.args, st.kwargs, st.result);
      if (r != null) {
        st.result = r;
      }
    }

    if (bwHook != null && st.result != null) {
      st.result = bwHook.setupOutputHook(st.result);
    }

    if (!nonFullHooks.isEmpty() && st.result != null) {
      Node gradFn = st.result.gradFn();
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
    List<HookTable.Entry<ForwardHookWithKwargs>> all = new ArrayList<>(GLOBAL_FORWARD.entries());
    all.addAll(forward.entries());
    for (HookTable.Entry<ForwardHookWithKwargs> e : all) {
      if (!e.alwaysCall() || st.calledAlwaysCalledHooks.contains(e.id())) {
        continue;
      }
      try {
        Tensor r = e.hook().apply(module, st.args, st.kwargs, st.result);
        if (r != null) {
          st.result = r;
        }
      } catch (RuntimeException hookError) {
        error.addSuppressed(hookError);
      }
    }
  }
}
