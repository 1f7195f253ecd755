package dev.jnn.nn;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Base class of all neural-network modules ({@code torch.nn.Module}). A module owns ordered
 * registries of parameters, buffers and child modules; its state-dict keys, traversal order, hook
 * order, error messages and {@link #toString()} follow PyTorch's {@code
 * torch/nn/modules/module.py}.
 *
 * <pre>{@code
 * class Model extends Module {
 *   final Linear fc1 = registerModule("fc1", new Linear(4, 8));
 *   final Linear fc2 = registerModule("fc2", new Linear(8, 2));
 *
 *   @Override public Tensor forward(Tensor x) {
 *     return fc2.call(Functional.relu(fc1.call(x)));
 *   }
 * }
 * }</pre>
 *
 * <h2>Registration and attributes</h2>
 *
 * Java has no {@code __setattr__}: parameters, buffers and children are registered explicitly with
 * {@link #registerParameter}, {@link #registerBuffer} and {@link #registerModule}, which return
 * their argument so that declaring and registering is one line. {@link #setAttribute} reproduces
 * PyTorch's attribute assignment (re-registration between the registries, a plain tensor is not a
 * buffer, a plain tensor assigned to a parameter name is an error) and keeps other values as plain
 * attributes; {@link #getAttribute} and {@link #delAttribute} complete the set. Parameters,
 * buffers, children, plain attributes and {@code "training"} share one namespace.
 *
 * <p>The children form a tree, or a DAG when one module is registered under several parents or
 * names (shared modules are fine). Unlike PyTorch, jnn refuses a cycle: registering a module as a
 * child of itself or of one of its own descendants ({@code m.registerModule("self", m)}, or {@code
 * a -> b -> a}), by any registration path, throws {@link IllegalArgumentException} and registers
 * nothing. (PyTorch accepts it, and its {@code state_dict()}, {@code train()} and {@code repr}
 * then recurse forever.)
 *
 * <h2>Calling</h2>
 *
 * {@link #call(Tensor...)} runs the forward pre-hooks (global, then local), {@link #forward}, the
 * forward hooks (global, then local) and sets up the full backward (pre-)hooks; with no hook
 * registered anywhere it calls {@code forward} directly. Calling {@code forward} yourself silently
 * skips all hooks, exactly as in PyTorch.
 *
 * <p>A module whose output is not one tensor (a tuple as a Java record, a map, a list, nested
 * combinations) overrides {@link #forwardAny} and is called with {@link #callAny(Tensor...)}, or,
 * for typed access without casts, extends {@link StructuredModule}; {@link ForwardHookAny}s see
 * and may replace such outputs.
 *
 * <h2>Conversions</h2>
 *
 * {@link #cpu()}, {@link #cuda()}, {@link #to(Device)}, {@link #to(DType)}, {@link #toFloat()} and
 * {@link #toDouble()} work in place through {@link #applyConversion}: children first, every
 * parameter keeps its identity (its data is replaced inside the same {@link Parameter} object, so
 * an optimizer built earlier stays valid), gradients are converted too, buffers are
 * <em>replaced</em> (read buffers through {@link #getBuffer} rather than caching the registered
 * object in a field), and dtype conversions only touch floating-point tensors.
 *
 * <p>Modules are not thread-safe for mutation; hook tables may be modified while hooks fire (a hook
 * may remove itself), because every firing iterates over a snapshot.
 */
public class Module {
  // ---------------------------------------------------------------- per-instance state

  boolean training = true;
  final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
  final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
  final Set<String> nonPersistentBuffers = new HashSet<>();
  final LinkedHashMap<String, Module> modules = new LinkedHashMap<>();

  /** Plain (non-registry) attributes, see {@link #setAttribute}. */
  final LinkedHashMap<String, Object> attributes = new LinkedHashMap<>();

  /** This module's hook tables (the global ones are static in {@link ModuleHooks}). */
  final ModuleHooks hooks = new ModuleHooks();

  /** An empty module in training mode. */
  public Module() {}

  // ================================================================ forward

  /**
   * The computation of a single-input module; override it (or one of the other {@code forward}
   * overloads). Call the module with {@link #call(Tensor...)} instead of calling this directly:
   * {@code call} runs the registered hooks, while calling {@code forward} silently ignores them.
   *
   * @throws UnsupportedOperationException {@code Module [X] is missing the required "forward"
   *     function} when not overridden
   */
  public Tensor forward(Tensor input) {
    throw missingForward();
  }

  /**
   * The computation of a two-input module (e.g. a loss: input, target); see {@link
   * #forward(Tensor)}.
   */
  public Tensor forward(Tensor input, Tensor other) {
    throw missingForward();
  }

  /**
   * The computation for any number of positional inputs (null entries are non-tensor arguments).
   * The default dispatches one input to {@link #forward(Tensor)} and two to {@link #forward(Tensor,
   * Tensor)}.
   */
  public Tensor forward(Tensor... inputs) {
    switch (inputs.length) {
      case 1:
        return forward(inputs[0]);
      case 2:
        return forward(inputs[0], inputs[1]);
      default:
        throw missingForward();
    }
  }

  /**
   * The computation with keyword arguments (PyTorch's {@code forward(*args, **kwargs)}). The
   * default rejects any keyword argument, like a Python {@code forward} without such a parameter,
   * and otherwise calls {@link #forward(Tensor...)}.
   */
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    rejectKwargs(kwargs);
    return forward(args.toArray(new Tensor[0]));
  }

  /**
   * The computation whose output may be structured, as a PyTorch {@code forward} may return a
   * tensor, a tuple, a dict or nested combinations of them; this is what {@link #callAny} and
   * every {@code call} run between the hooks. The default returns {@link #forward(List, Map)}, so
   * a single-tensor module overrides one of the {@code forward} overloads and nothing else.
   *
   * <p>An output is read the way PyTorch reads the Python value: a {@link Tensor}; a {@link
   * Record} is a tuple (its components, in declaration order, are the elements, as for a
   * namedtuple); a {@link Map} is a dict; a {@link List} is a list; anything else (null included)
   * is a non-tensor value. Forward hooks ({@link ForwardHookAny}) receive the whole output; full
   * backward hooks and pre-hooks see one gradient per element of a tuple output (null for
   * non-tensor elements, nested tuples included, and for outputs that received no gradient), and
   * none at all for a map or list output, exactly as PyTorch's {@code BackwardHook} does. For typed
   * access without casts, extend {@link StructuredModule}.
   */
  public Object forwardAny(List<Tensor> args, Map<String, Object> kwargs) {
    return forward(args, kwargs);
  }

  /** PyTorch's error for a keyword argument that {@code forward} does not take. */
  final void rejectKwargs(Map<String, Object> kwargs) {
    ModuleText.rejectKwargs(this, kwargs);
  }

  final UnsupportedOperationException missingForward() {
    return ModuleText.missingForward(this);
  }

  /**
   * Runs the module ({@code module(*args)}): forward pre-hooks, {@link #forward}, forward hooks and
   * backward-hook set-up, in PyTorch's order. Null arguments stand for non-tensor arguments.
   *
   * @throws IllegalStateException when the output (after the forward hooks) is not a tensor: call
   *     such a module with {@link #callAny(Tensor...)} (or {@link StructuredModule#callOutput})
   */
  public final Tensor call(Tensor... inputs) {
    return tensorResult(callAny(inputs));
  }

  /** Runs the module with positional and keyword arguments ({@code module(*args, **kwargs)}). */
  public final Tensor call(List<Tensor> args, Map<String, Object> kwargs) {
    return tensorResult(callAny(args, kwargs));
  }

  /**
   * Runs the module like {@link #call(Tensor...)} and returns its output whatever its structure
   * (see {@link #forwardAny}): the hooked {@code module(*args)} of PyTorch.
   */
  public final Object callAny(Tensor... inputs) {
    return hooks.call(this, Collections.unmodifiableList(Arrays.asList(inputs.clone())), Map.of());
  }

  /** Runs the module with positional and keyword arguments, returning any output. */
  public final Object callAny(List<Tensor> args, Map<String, Object> kwargs) {
    return hooks.call(
        this,
        Collections.unmodifiableList(Arrays.asList(args.toArray(new Tensor[0]))),
        Collections.unmodifiableMap(new LinkedHashMap<>(kwargs)));
  }

  private Tensor tensorResult(Object output) {
    return ModuleText.tensorResult(this, output);
  }

  // ================================================================ hook registration (local)

  /** Registers a forward pre-hook, fired after the global ones and after earlier local ones. */
  public HookHandle registerForwardPreHook(ForwardPreHook hook) {
    return registerForwardPreHook(hook, false);
  }

  /**
   * Registers a forward pre-hook; with {@code prepend} it fires before the existing local ones
   * (global pre-hooks still fire first).
   */
  public HookHandle registerForwardPreHook(ForwardPreHook hook, boolean prepend) {
    return hooks.forwardPre.add(ModuleHooks.withKwargs(hook), prepend);
  }

  /** Registers a forward pre-hook that sees and may replace the keyword arguments too. */
  public HookHandle registerForwardPreHookWithKwargs(ForwardPreHookWithKwargs hook) {
    return registerForwardPreHookWithKwargs(hook, false);
  }

  /**
   * Same as {@link #registerForwardPreHookWithKwargs(ForwardPreHookWithKwargs)}, optionally first.
   */
  public HookHandle registerForwardPreHookWithKwargs(
      ForwardPreHookWithKwargs hook, boolean prepend) {
    return hooks.forwardPre.add(hook, prepend, false, true);
  }

  /** Registers a forward hook, fired after the global ones and after earlier local ones. */
  public HookHandle registerForwardHook(ForwardHook hook) {
    return registerForwardHook(hook, false, false);
  }

  /** Registers a forward hook, optionally before the existing local ones. */
  public HookHandle registerForwardHook(ForwardHook hook, boolean prepend) {
    return registerForwardHook(hook, prepend, false);
  }

  /**
   * Registers a forward hook. With {@code prepend} it fires before the existing local forward
   * hooks; with {@code alwaysCall} it also runs when a pre-hook, {@code forward} or another hook
   * throws.
   */
  public HookHandle registerForwardHook(ForwardHook hook, boolean prepend, boolean alwaysCall) {
    return hooks.forward.add(ModuleHooks.withKwargs(hook), prepend, alwaysCall, false);
  }

  /** Registers a forward hook that also sees the keyword arguments. */
  public HookHandle registerForwardHookWithKwargs(ForwardHookWithKwargs hook) {
    return registerForwardHookWithKwargs(hook, false, false);
  }

  /** Registers a forward hook that also sees the keyword arguments, with PyTorch's options. */
  public HookHandle registerForwardHookWithKwargs(
      ForwardHookWithKwargs hook, boolean prepend, boolean alwaysCall) {
    return hooks.forward.add(ModuleHooks.anyOutput(hook), prepend, alwaysCall, true);
  }

  /**
   * Registers a forward hook that sees the whole output, whatever its structure (a tensor, a
   * record, a map, ...; see {@link #forwardAny}), and may replace it. It shares one ordered table
   * with the tensor-typed forward hooks. A tensor-typed {@link ForwardHook} that meets a
   * non-tensor output throws; register such hooks as a {@link ForwardHookAny}.
   */
  public HookHandle registerForwardHookAny(ForwardHookAny hook) {
    return registerForwardHookAny(hook, false, false);
  }

  /** Registers an any-output forward hook, optionally before the existing local ones. */
  public HookHandle registerForwardHookAny(ForwardHookAny hook, boolean prepend) {
    return registerForwardHookAny(hook, prepend, false);
  }

  /**
   * Registers an any-output forward hook with PyTorch's options ({@code prepend}, {@code
   * always_call}; see {@link #registerForwardHook(ForwardHook, boolean, boolean)}).
   */
  public HookHandle registerForwardHookAny(
      ForwardHookAny hook, boolean prepend, boolean alwaysCall) {
    return hooks.forward.add(ModuleHooks.withKwargs(hook), prepend, alwaysCall, false);
  }

  /** Registers an any-output forward hook that also sees the keyword arguments. */
  public HookHandle registerForwardHookAnyWithKwargs(ForwardHookAnyWithKwargs hook) {
    return registerForwardHookAnyWithKwargs(hook, false, false);
  }

  /** Registers an any-output forward hook that sees the keyword arguments, with the options. */
  public HookHandle registerForwardHookAnyWithKwargs(
      ForwardHookAnyWithKwargs hook, boolean prepend, boolean alwaysCall) {
    return hooks.forward.add(hook, prepend, alwaysCall, true);
  }

  /** Registers a full backward pre-hook (sees and may replace the output gradients). */
  public HookHandle registerFullBackwardPreHook(BackwardPreHook hook) {
    return registerFullBackwardPreHook(hook, false);
  }

  /** Registers a full backward pre-hook, optionally before the existing local ones. */
  public HookHandle registerFullBackwardPreHook(BackwardPreHook hook, boolean prepend) {
    return hooks.backwardPre.add(hook, prepend);
  }

  /**
   * Registers a full backward hook: once per backward through the module it sees the gradients with
   * respect to the positional inputs and outputs, and may replace the input gradients. While such a
   * hook exists, {@code forward} receives views of its inputs and the caller a view of the output;
   * modifying those in place is an error.
   */
  public HookHandle registerFullBackwardHook(BackwardHook hook) {
    return registerFullBackwardHook(hook, false);
  }

  /** Registers a full backward hook, optionally before the existing local ones. */
  public HookHandle registerFullBackwardHook(BackwardHook hook, boolean prepend) {
    return hooks.addBackwardHook(hook, prepend, true);
  }

  /**
   * Registers a non-full backward hook on the node that produced the output ({@code
   * register_backward_hook}); it only sees that node's gradients. Cannot be mixed with full
   * backward hooks on one module.
   *
   * @deprecated use {@link #registerFullBackwardHook(BackwardHook)}, as PyTorch recommends
   */
  @Deprecated
  public HookHandle registerBackwardHook(BackwardHook hook) {
    return hooks.addBackwardHook(hook, false, false);
  }

  /** Registers a hook run before this module saves its state in {@link #stateDict}. */
  public HookHandle registerStateDictPreHook(StateDictPreHook hook) {
    return hooks.stateDictPre.add(hook);
  }

  /** Registers a hook run after this module and its children saved their state. */
  public HookHandle registerStateDictPostHook(StateDictPostHook hook) {
    return hooks.stateDictPost.add(hook);
  }

  /** Registers a hook run before this module reads its entries in {@link #loadStateDict}. */
  public HookHandle registerLoadStateDictPreHook(LoadStateDictPreHook hook) {
    return hooks.loadStateDictPre.add(hook);
  }

  /** Registers a hook run after this module and its children were loaded (checked). */
  public HookHandle registerLoadStateDictPostHook(LoadStateDictPostHook hook) {
    return hooks.loadStateDictPost.add(hook);
  }

  // ================================================================ hook registration (global)

  /**
   * Registers a forward pre-hook for every module ({@code register_module_forward_pre_hook});
   * global pre-hooks fire before each module's own. Intended for debugging and profiling.
   */
  public static HookHandle registerModuleForwardPreHook(ForwardPreHook hook) {
    return ModuleHooks.GLOBAL_FORWARD_PRE.add(ModuleHooks.withKwargs(hook));
  }

  /** Registers a forward hook for every module; global hooks fire before each module's own. */
  public static HookHandle registerModuleForwardHook(ForwardHook hook) {
    return registerModuleForwardHook(hook, false);
  }

  /** Registers a forward hook for every module, optionally run even when the call throws. */
  public static HookHandle registerModuleForwardHook(ForwardHook hook, boolean alwaysCall) {
    return ModuleHooks.GLOBAL_FORWARD.add(ModuleHooks.withKwargs(hook), false, alwaysCall, false);
  }

  /** Registers a forward hook for every module that also sees the keyword arguments. */
  public static HookHandle registerModuleForwardHookWithKwargs(
      ForwardHookWithKwargs hook, boolean alwaysCall) {
    return ModuleHooks.GLOBAL_FORWARD.add(ModuleHooks.anyOutput(hook), false, alwaysCall, true);
  }

  /**
   * Registers an any-output forward hook for every module (see {@link
   * #registerForwardHookAny(ForwardHookAny)}); a global hook that may meet structured outputs
   * should be of this kind.
   */
  public static HookHandle registerModuleForwardHookAny(ForwardHookAny hook) {
    return registerModuleForwardHookAny(hook, false);
  }

  /** Registers an any-output forward hook for every module, optionally run when a call throws. */
  public static HookHandle registerModuleForwardHookAny(ForwardHookAny hook, boolean alwaysCall) {
    return ModuleHooks.GLOBAL_FORWARD.add(ModuleHooks.withKwargs(hook), false, alwaysCall, false);
  }

  /** Registers an any-output forward hook for every module that also sees keyword arguments. */
  public static HookHandle registerModuleForwardHookAnyWithKwargs(
      ForwardHookAnyWithKwargs hook, boolean alwaysCall) {
    return ModuleHooks.GLOBAL_FORWARD.add(hook, false, alwaysCall, true);
  }

  /** Registers a full backward pre-hook for every module (fires before each module's own). */
  public static HookHandle registerModuleFullBackwardPreHook(BackwardPreHook hook) {
    return ModuleHooks.GLOBAL_BACKWARD_PRE.add(hook);
  }

  /** Registers a full backward hook for every module (fires before each module's own). */
  public static HookHandle registerModuleFullBackwardHook(BackwardHook hook) {
    return ModuleHooks.addGlobalBackwardHook(hook, true);
  }

  /**
   * Registers a non-full backward hook for every module ({@code register_module_backward_hook}).
   *
   * @deprecated use {@link #registerModuleFullBackwardHook(BackwardHook)}
   */
  @Deprecated
  public static HookHandle registerModuleBackwardHook(BackwardHook hook) {
    return ModuleHooks.addGlobalBackwardHook(hook, false);
  }

  /**
   * Registers a hook run by every buffer registration ({@code
   * register_module_buffer_registration_hook}).
   */
  public static HookHandle registerModuleBufferRegistrationHook(BufferRegistrationHook hook) {
    return ModuleHooks.GLOBAL_BUFFER_REGISTRATION.add(hook);
  }

  /** Registers a hook run by every child-module registration. */
  public static HookHandle registerModuleModuleRegistrationHook(ModuleRegistrationHook hook) {
    return ModuleHooks.GLOBAL_MODULE_REGISTRATION.add(hook);
  }

  /** Registers a hook run by every (non-null) parameter registration. */
  public static HookHandle registerModuleParameterRegistrationHook(ParameterRegistrationHook hook) {
    return ModuleHooks.GLOBAL_PARAMETER_REGISTRATION.add(hook);
  }

  // ================================================================ registration

  /**
   * Adds a parameter ({@code register_parameter}) and returns it (or what a global registration
   * hook substituted). {@code null} registers an absent optional parameter: it keeps its name but
   * is skipped by traversal, conversion and the state dict.
   *
   * @throws IllegalArgumentException for a dotted, empty or already used name ({@code attribute 'x'
   *     already exists}), or a non-leaf parameter
   */
  public <P extends Parameter> P registerParameter(String name, P param) {
    return ModuleAttributes.registerParameter(this, name, param);
  }

  /** Adds a persistent buffer ({@code register_buffer(name, tensor)}) and returns it. */
  public <T extends Tensor> T registerBuffer(String name, T tensor) {
    return registerBuffer(name, tensor, true);
  }

  /**
   * Adds a buffer: state that is not a parameter (e.g. running statistics). Buffers move with
   * {@link #to}/{@link #cuda()} and appear in {@link #namedBuffers()}; only persistent ones are
   * part of the state dict. {@code null} registers an absent buffer.
   *
   * @throws IllegalArgumentException for a dotted, empty or already used name
   */
  public <T extends Tensor> T registerBuffer(String name, T tensor, boolean persistent) {
    return ModuleAttributes.registerBuffer(this, name, tensor, persistent);
  }

  /**
   * Adds a child module ({@code add_module} / {@code register_module}) and returns it. Its
   * parameters get keys {@code name + "." + ...}. {@code null} registers an absent child.
   *
   * @throws IllegalArgumentException for an already used, dotted or empty name, or a module that
   *     is this module or one of its ancestors (a cycle; PyTorch allows it, jnn does not)
   */
  public <M extends Module> M registerModule(String name, M module) {
    return ModuleAttributes.registerModule(this, name, module);
  }

  /**
   * Refuses to make {@code child} a child of this module when that creates a cycle: when it is
   * this module or this module is one of its descendants. Null (an absent child) is fine.
   *
   * @throws IllegalArgumentException naming both modules and the path of the cycle
   */
  void checkNoCycle(String name, Module child) {
    ModuleAttributes.checkNoCycle(this, name, child);
  }

  /** Alias of {@link #registerModule}, PyTorch's {@code add_module}. */
  public <M extends Module> M addModule(String name, M module) {
    return registerModule(name, module);
  }

  // ================================================================ attributes

  /**
   * Assigns {@code value} to {@code name} the way PyTorch's {@code module.name = value} does:
   *
   * <ol>
   *   <li>a {@link Parameter} removes the name from the plain attributes, buffers and children and
   *       registers the parameter;
   *   <li>otherwise, if {@code name} is a parameter, only null is allowed (a plain tensor is an
   *       error: it does not update the parameter's data);
   *   <li>a {@link Module} removes the name from the attributes, parameters and buffers and
   *       registers the child (global module-registration hooks run);
   *   <li>otherwise, if {@code name} is a child, only null is allowed;
   *   <li>a {@link Buffer}, or any tensor or null when {@code name} already is a buffer, registers
   *       a buffer (persistence from the {@code Buffer}, else the existing persistence);
   *   <li>anything else becomes a plain attribute: in particular a new plain {@link Tensor} is
   *       <em>not</em> a buffer (not moved by {@link #to}, not in the state dict).
   * </ol>
   *
   * {@code "training"} takes a {@link Boolean} and sets the training flag of this module only.
   */
  public void setAttribute(String name, Object value) {
    ModuleAttributes.set(this, name, value);
  }

  /**
   * Looks {@code name} up like {@code getattr(module, name)}: {@code "training"} and plain
   * attributes, then parameters, buffers and children (registered nulls are returned as null).
   *
   * @throws IllegalArgumentException {@code 'X' object has no attribute 'name'}
   */
  public Object getAttribute(String name) {
    return ModuleAttributes.get(this, name);
  }

  /**
   * Whether {@code name} is used by a parameter, buffer, child, plain attribute or {@code
   * training}.
   */
  public boolean hasAttribute(String name) {
    return ModuleAttributes.has(this, name);
  }

  /**
   * Removes {@code name} like {@code del module.name}: from the parameters, else the buffers (and
   * the non-persistent set), else the children, else the plain attributes.
   *
   * @throws IllegalArgumentException when nothing has that name
   */
  public void delAttribute(String name) {
    ModuleAttributes.del(this, name);
  }

  // ================================================================ lookup by path

  /**
   * The submodule at dotted path {@code target} ({@code ""} is this module).
   *
   * @throws IllegalArgumentException {@code X has no attribute `a`} or {@code `a` is not an
   *     nn.Module}
   */
  public Module getSubmodule(String target) {
    return ModuleAttributes.getSubmodule(this, target);
  }

  /**
   * Sets (or adds) the submodule at dotted path {@code target}; the parent must exist. Same as
   * {@link #setSubmodule(String, Module, boolean)} with {@code strict = false}.
   */
  public void setSubmodule(String target, Module module) {
    setSubmodule(target, module, false);
  }

  /**
   * Sets the submodule at dotted path {@code target} ({@code set_submodule}). With {@code strict}
   * the leaf must already exist; an existing leaf must be a module.
   *
   * @throws IllegalArgumentException for an empty target, a null module or a bad path
   */
  public void setSubmodule(String target, Module module, boolean strict) {
    ModuleAttributes.setSubmodule(this, target, module, strict);
  }

  /**
   * The parameter at dotted path {@code target}, e.g. {@code "fc1.weight"}.
   *
   * @throws IllegalArgumentException {@code X has no attribute `w`} or {@code `w` is not an
   *     nn.Parameter}
   */
  public Parameter getParameter(String target) {
    return ModuleAttributes.getParameter(this, target);
  }

  /**
   * The buffer at dotted path {@code target} (null for a registered null buffer).
   *
   * @throws IllegalArgumentException {@code X has no attribute `b`} or {@code `b` is not a buffer}
   */
  public Tensor getBuffer(String target) {
    return ModuleAttributes.getBuffer(this, target);
  }

  // ================================================================ traversal

  /** Direct children in registration order, skipping nulls, each once ({@code children()}). */
  public List<Module> children() {
    return List.copyOf(namedChildren().values());
  }

  /** Direct children by name; iteration order is registration order; shared children once. */
  public Map<String, Module> namedChildren() {
    return ModuleTree.namedChildren(this);
  }

  /** This module and all descendants, pre-order, shared modules once ({@code modules()}). */
  public List<Module> modules() {
    return List.copyOf(namedModules().values());
  }

  /**
   * This module (under {@code ""}) and all descendants by dotted name; iteration order is
   * registration order, depth-first (pre-order); a module reachable twice appears once, under its
   * first name.
   */
  public Map<String, Module> namedModules() {
    return namedModules("", true);
  }

  /**
   * {@code named_modules(prefix=prefix, remove_duplicate=removeDuplicate)}: names start with {@code
   * prefix}; without {@code removeDuplicate} a shared module appears under every name.
   */
  public Map<String, Module> namedModules(String prefix, boolean removeDuplicate) {
    return ModuleTree.namedModules(this, prefix, removeDuplicate);
  }

  /** All parameters, recursively, each once (the list an optimizer takes). */
  public List<Parameter> parameters() {
    return parameters(true);
  }

  /** The parameters of this module only ({@code recurse = false}) or of all descendants too. */
  public List<Parameter> parameters(boolean recurse) {
    return List.copyOf(namedParameters("", recurse).values());
  }

  /**
   * All parameters by dotted name ({@code "fc1.weight"}). Iteration order is registration order,
   * depth-first (prefix order); a parameter shared by several modules (tied weights) appears once,
   * under its first name; null parameters are skipped.
   */
  public Map<String, Parameter> namedParameters() {
    return namedParameters("", true, true);
  }

  /** {@code named_parameters(prefix, recurse)}. */
  public Map<String, Parameter> namedParameters(String prefix, boolean recurse) {
    return namedParameters(prefix, recurse, true);
  }

  /** {@code named_parameters(prefix, recurse, remove_duplicate)}. */
  public Map<String, Parameter> namedParameters(
      String prefix, boolean recurse, boolean removeDuplicate) {
    return ModuleTree.namedMembers(this, m -> m.parameters, prefix, recurse, removeDuplicate);
  }

  /** All buffers (persistent or not), recursively, each once. */
  public List<Tensor> buffers() {
    return buffers(true);
  }

  /** The buffers of this module only, or of all descendants too. */
  public List<Tensor> buffers(boolean recurse) {
    return List.copyOf(namedBuffers("", recurse).values());
  }

  /**
   * All buffers by dotted name, including non-persistent ones; ordered and de-duplicated like
   * {@link #namedParameters()}.
   */
  public Map<String, Tensor> namedBuffers() {
    return namedBuffers("", true, true);
  }

  /** {@code named_buffers(prefix, recurse)}. */
  public Map<String, Tensor> namedBuffers(String prefix, boolean recurse) {
    return namedBuffers(prefix, recurse, true);
  }

  /** {@code named_buffers(prefix, recurse, remove_duplicate)}. */
  public Map<String, Tensor> namedBuffers(String prefix, boolean recurse, boolean removeDuplicate) {
    return ModuleTree.namedMembers(this, m -> m.buffers, prefix, recurse, removeDuplicate);
  }

  /**
   * Applies {@code fn} to every descendant (via {@link #children()}), then to this module
   * (post-order); returns this. Typical use: custom initialisation.
   */
  public Module apply(Consumer<? super Module> fn) {
    return ModuleTree.apply(this, fn);
  }

  // ================================================================ modes and gradients

  /** Whether the module is in training mode (true after construction). */
  public boolean isTraining() {
    return training;
  }

  /** Sets training mode on this module and, recursively, its children; returns this. */
  public Module train() {
    return train(true);
  }

  /** Sets training ({@code true}) or evaluation ({@code false}) mode recursively; returns this. */
  public Module train(boolean mode) {
    return ModuleTree.train(this, mode);
  }

  /** {@code train(false)}. */
  public Module eval() {
    return train(false);
  }

  /**
   * Sets {@code requiresGrad} on every parameter (recursively), e.g. to freeze a part; returns
   * this.
   */
  public Module requiresGrad(boolean requiresGrad) {
    return ModuleTree.requiresGrad(this, requiresGrad);
  }

  /**
   * Resets the gradients of all parameters to null: {@code model.zero_grad()} as PyTorch 2.x does
   * it ({@code set_to_none=True} by default). This deliberately follows 2.x although jnn's golden
   * files come from torch 1.13, whose default ({@code set_to_none=False}) zeroes the gradients in
   * place; {@link #zeroGrad(boolean) zeroGrad(false)} gives 1.13's behaviour.
   */
  public void zeroGrad() {
    zeroGrad(true);
  }

  /**
   * Resets all parameter gradients: to null with {@code setToNull}, else fills them with zeros in
   * place (detaching a gradient that has a history first).
   */
  public void zeroGrad(boolean setToNull) {
    ModuleTree.zeroGrad(this, setToNull);
  }

  // ================================================================ conversions

  /**
   * PyTorch's {@code _apply}: applies {@code fn} to the children first, then to every non-null
   * parameter (under no-grad; the result's data is moved <em>into the same Parameter object</em>),
   * to each parameter's gradient (likewise, inside the same gradient tensor), and replaces every
   * non-null buffer by {@code fn(buffer)}. {@code fn} must return its argument or a new tensor; a
   * new tensor returned for a parameter or gradient is adopted and its handle closed. Returns this.
   */
  public Module applyConversion(UnaryOperator<Tensor> fn) {
    ModuleTree.applyConversion(this, fn);
    return this;
  }

  /** Moves all parameters and buffers to the CPU; returns this. */
  public Module cpu() {
    return to(Device.CPU);
  }

  /**
   * Moves all parameters and buffers to {@code cuda:0}; returns this.
   *
   * @throws dev.jnn.core.CudaUnavailableException ("CUDA is not available: ...") when no usable GPU
   *     exists; the module is then unchanged
   */
  public Module cuda() {
    return cuda(0);
  }

  /** Moves all parameters and buffers to {@code cuda:index}; see {@link #cuda()}. */
  public Module cuda(int index) {
    return to(Device.cuda(index));
  }

  /**
   * Moves all parameters and buffers to {@code device} (keeping Parameter identity); returns this.
   * The device is checked before anything is converted, so on failure the module is unchanged.
   */
  public Module to(Device device) {
    ModuleTree.checkDeviceUsable(device);
    return applyConversion(t -> t.to(device));
  }

  /**
   * Casts the floating-point parameters and buffers to {@code dtype}; integer ones (e.g. {@code
   * num_batches_tracked}) are left alone. Returns this.
   *
   * @throws IllegalArgumentException for a non-floating {@code dtype}
   */
  public Module to(DType dtype) {
    ModuleTree.checkFloatingTarget(dtype);
    return applyConversion(t -> t.isFloatingPoint() ? t.to(dtype) : t);
  }

  /** Moves everything to {@code device} and casts the floating-point tensors to {@code dtype}. */
  public Module to(Device device, DType dtype) {
    ModuleTree.checkFloatingTarget(dtype);
    ModuleTree.checkDeviceUsable(device);
    return applyConversion(t -> t.isFloatingPoint() ? t.to(device, dtype) : t.to(device));
  }

  /**
   * Moves to {@code other}'s device and casts the floating-point tensors to its dtype ({@code
   * to(tensor)}).
   *
   * @throws IllegalArgumentException when {@code other} is not floating-point
   */
  public Module to(Tensor other) {
    return to(other.device(), other.dtype());
  }

  /** Casts floating-point parameters and buffers to float32 ({@code float()}). */
  public Module toFloat() {
    return applyConversion(t -> t.isFloatingPoint() ? t.to(DType.FLOAT32) : t);
  }

  /** Casts floating-point parameters and buffers to float64 ({@code double()}). */
  public Module toDouble() {
    return applyConversion(t -> t.isFloatingPoint() ? t.to(DType.FLOAT64) : t);
  }

  /**
   * Casts <em>all</em> parameters and buffers, integer ones included, to {@code dtype} ({@code
   * type()}).
   */
  public Module type(DType dtype) {
    return applyConversion(t -> t.to(dtype));
  }

  /**
   * Moves parameters and buffers to {@code device} without copying their values ({@code to_empty}):
   * each becomes an uninitialised tensor of the same shape and dtype.
   */
  public Module toEmpty(Device device) {
    ModuleTree.checkDeviceUsable(device);
    return applyConversion(t -> Tensor.empty(t.shape(), t.dtype(), device));
  }

  // ================================================================ state dict

  /**
   * The class version saved in the state-dict metadata ({@code _version}, 1 here); a subclass whose
   * parameters or buffers changed overrides it and reads the saved value in {@link
   * #loadFromStateDict} to upgrade old checkpoints.
   */
  protected int version() {
    return 1;
  }

  /**
   * Extra, non-parameter state to save under {@code prefix + "_extra_state"}. Opt-in: it is saved
   * only when a subclass overrides this method (and loaded only when it overrides {@link
   * #setExtraState}). jnn state dicts hold tensors, so extra state is a tensor.
   *
   * @throws IllegalStateException when called on a class that does not override it
   */
  protected Tensor getExtraState() {
    throw ModuleText.unreachable("get_extra_state");
  }

  /** Restores what {@link #getExtraState()} saved; see there. */
  protected void setExtraState(Tensor state) {
    throw ModuleText.unreachable("set_extra_state");
  }

  /**
   * The module's state: every non-null parameter and persistent buffer, depth-first in registration
   * order, under dotted keys ({@code "fc1.weight"}), plus per-module {@code version} metadata.
   * Values share storage with the module (detached aliases), they are not copies.
   */
  public StateDict stateDict() {
    return stateDict(null, "", false);
  }

  /**
   * {@code state_dict(prefix=prefix, keep_vars=keepVars)}; with {@code keepVars} the values are the
   * parameters themselves.
   */
  public StateDict stateDict(String prefix, boolean keepVars) {
    return stateDict(null, prefix, keepVars);
  }

  /**
   * Adds this module's state to {@code destination} (a new {@link StateDict} when null) and returns
   * it: metadata entry, pre-hooks, {@link #saveToStateDict}, children, post-hooks.
   */
  public StateDict stateDict(StateDict destination, String prefix, boolean keepVars) {
    return ModuleStateDict.stateDict(this, destination, prefix, keepVars);
  }

  /**
   * Saves this module's own parameters, persistent buffers and extra state (not the children's)
   * into {@code destination} ({@code _save_to_state_dict}); overridable for class-specific saving.
   */
  protected void saveToStateDict(StateDict destination, String prefix, boolean keepVars) {
    ModuleStateDict.saveToStateDict(this, destination, prefix, keepVars);
  }

  /** {@code loadStateDict(stateDict, true, false)}. */
  public LoadResult loadStateDict(Map<String, ? extends Tensor> stateDict) {
    return loadStateDict(stateDict, true, false);
  }

  /** {@code loadStateDict(stateDict, strict, false)}. */
  public LoadResult loadStateDict(Map<String, ? extends Tensor> stateDict, boolean strict) {
    return loadStateDict(stateDict, strict, false);
  }

  /**
   * Copies parameters and persistent buffers from {@code stateDict} into this module and its
   * descendants ({@code load_state_dict}). Missing and unexpected keys are always collected and
   * returned; with {@code strict} they make the load fail. A shape mismatch always fails. Values
   * are copied in place under no-grad (keeping each tensor's device, dtype and identity), or, with
   * {@code assign}, the state dict's tensors are installed (wrapped in new Parameters that keep the
   * module's {@code requiresGrad}).
   *
   * <p>Atomic: every entry is checked and every hook run before anything is written; when it
   * throws, nothing was loaded (every parameter, buffer and extra state is as before, bit for bit).
   * Consequently {@link LoadStateDictPostHook}s run before the values are written. Failures that
   * only show while copying are found before the first write too: both tensors of every copy must
   * be alive (not closed), and a value on another device or of another dtype is first converted
   * into new storage (so a load briefly holds those converted copies all at once). {@code
   * setExtraState} and, with {@code assign}, the registration hooks run last; when one throws, the
   * steps already done are undone (the previous extra state is set back, the copied values are
   * restored from copies taken before writing, which a module with extra state costs).
   *
   * @throws StateDictException {@code Error(s) in loading state_dict for Net:\n\t...}
   */
  public LoadResult loadStateDict(
      Map<String, ? extends Tensor> stateDict, boolean strict, boolean assign) {
    return ModuleStateDict.loadStateDict(this, stateDict, strict, assign);
  }

  /**
   * Loads this module's own entries (not its children's) from {@code stateDict} ({@code
   * _load_from_state_dict}): runs the load pre-hooks, checks each non-null parameter and persistent
   * buffer (type, shape, with PyTorch's 1-D-into-0-D compatibility rule) and schedules its copy (or
   * assignment when {@code localMetadata} has {@code assign_to_params_buffers}), handles extra
   * state, and with {@code strict} records missing and unexpected keys under {@code prefix}.
   * Overridable for backward-compatible loading of old checkpoints (read {@code
   * localMetadata.get("version")}, possibly edit {@code stateDict}, then call super). Within a
   * {@link #loadStateDict} call the copies are written only after every check passed.
   */
  protected void loadFromStateDict(
      Map<String, Tensor> stateDict,
      String prefix,
      Map<String, Object> localMetadata,
      boolean strict,
      List<String> missingKeys,
      List<String> unexpectedKeys,
      List<String> errorMsgs) {
    ModuleStateDict.loadFromStateDict(
        this, stateDict, prefix, localMetadata, strict, missingKeys, unexpectedKeys, errorMsgs);
  }

  // ================================================================ repr

  /**
   * The extra text printed inside this module's parentheses, e.g. {@code in_features=2,
   * out_features=3, bias=True}; may span several lines. Empty by default. Print only what differs
   * from the defaults, as PyTorch's layers do.
   */
  protected String extraRepr() {
    return "";
  }

  /**
   * The name printed by {@link #toString()} and used in lookup errors ({@code _get_name()}): the
   * class's simple name by default.
   */
  public String typeName() {
    return pythonClassName();
  }

  /**
   * PyTorch's {@code repr(module)}, byte for byte: {@code Linear(in_features=2, out_features=3,
   * bias=True)} or a nested block with one {@code (name): child} line per child, indented by two
   * spaces.
   */
  @Override
  public final String toString() {
    return repr();
  }

  /** The repr; containers with a custom repr (ModuleList) override this. */
  String repr() {
    return ModuleTree.repr(this);
  }

  // ================================================================ helpers

  /** Python's {@code type(self).__name__}. */
  final String pythonClassName() {
    return ModuleText.pythonClassName(getClass());
  }

  /** Package-private views for tests: the forward hooks' flags as PyTorch's side tables. */
  Map<Long, Boolean> forwardHooksWithKwargsTable() {
    return hooks.forward.flagged(HookTable.Entry::withKwargs);
  }

  Map<Long, Boolean> forwardHooksAlwaysCalledTable() {
    return hooks.forward.flagged(HookTable.Entry::alwaysCall);
  }

  Map<Long, Boolean> forwardPreHooksWithKwargsTable() {
    return hooks.forwardPre.flagged(HookTable.Entry::withKwargs);
  }
}
