package dev.jnn.optim;

import dev.jnn.autograd.NoGrad;
import dev.jnn.nn.Parameter;
import dev.jnn.core.Py;
import dev.jnn.tensor.MemoryScope;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Base class of optimizers ({@code torch.optim.Optimizer}): parameter groups, per-parameter state,
 * {@link #zeroGrad()}, {@link #step()}, {@link #stateDict()} / {@link #loadStateDict(Map)}. Updates
 * are in place, on each parameter's own device, under {@link NoGrad}.
 */
public abstract class Optimizer {
  private final Map<String, Object> defaults;
  private final List<ParamGroup> paramGroups = new ArrayList<>();
  private final Map<Parameter, Map<String, Object>> state = new IdentityHashMap<>();

  /** An optimizer over one group of {@code params} with the given defaults. */
  protected Optimizer(List<? extends Parameter> params, Map<String, Object> defaults) {
    this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
    if (params.isEmpty()) {
      throw new IllegalArgumentException("optimizer got an empty parameter list");
    }
    addParamGroup(params, Map.of());
  }

  /** The default options every new group starts from. */
  public Map<String, Object> defaults() {
    return defaults;
  }

  /** The parameter groups ({@code optimizer.param_groups}). */
  public List<ParamGroup> paramGroups() {
    return Collections.unmodifiableList(paramGroups);
  }

  /**
   * Adds a group ({@code add_param_group}); options override the defaults. A parameter may belong
   * to only one group.
   */
  public ParamGroup addParamGroup(List<? extends Parameter> params, Map<String, Object> options) {
    Map<String, Object> o = new LinkedHashMap<>(defaults);
    o.putAll(options);
    for (Parameter p : params) {
      if (p == null) {
        throw new IllegalArgumentException("optimizer can only optimize Tensors, but one of the params is null");
      }
      if (!p.isLeaf()) {
        throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
      }
      for (ParamGroup g : paramGroups) {
        for (Parameter q : g.params()) {
          if (q == p) {
            throw new IllegalArgumentException("some parameters appear in more than one parameter group");
          }
        }
      }
    }
    ParamGroup g = new ParamGroup(params, o);
    paramGroups.add(g);
    return g;
  }

  /** The state of one parameter (created empty on first use). */
  protected Map<String, Object> state(Parameter p) {
    return state.computeIfAbsent(p, k -> new LinkedHashMap<>());
  }

  /** Read-only view of all per-parameter state, by parameter identity. */
  public Map<Parameter, Map<String, Object>> state() {
    return Collections.unmodifiableMap(state);
  }

  /**
   * PyTorch's {@code repr(optimizer)}: {@code "SGD (\nParameter Group 0\n    dampening: 0\n
   * ...\n)"}, each group's options but {@code params} in sorted order, as torch 1.13 prints them
   * (the golden files are 1.13's): its keys include the options jnn does not implement, printed
   * with 1.13's defaults ({@code foreach: None}, {@code differentiable: False}, and for Adam
   * {@code capturable: False}, {@code fused: False}; torch 1.13's AdamW has no {@code
   * differentiable} / {@code fused}). PyTorch 2.x prints more of them ({@code capturable}, {@code
   * fused} on more optimizers). Numbers print as Python would print what PyTorch's defaults
   * are: an integral value of an option whose PyTorch default is the int {@code 0} (SGD's {@code
   * momentum}, {@code dampening}, {@code weight_decay}, ...) prints as {@code 0}, other numbers
   * as {@code repr(float)} ({@code 0.1}, {@code 1e-08}, {@code 1.0}), tuples as {@code (0.9,
   * 0.999)}.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(getClass().getSimpleName()).append(" (");
    for (int i = 0; i < paramGroups.size(); i++) {
      b.append("\nParameter Group ").append(i).append('\n');
      Map<String, Object> keys = new TreeMap<>(reprOnlyOptions());
      keys.putAll(paramGroups.get(i).options());
      for (Map.Entry<String, Object> e : keys.entrySet()) {
        if (!e.getKey().equals("params")) {
          b.append("    ").append(e.getKey()).append(": ")
              .append(pyStr(e.getKey(), e.getValue())).append('\n');
        }
      }
    }
    return b.append(')').toString();
  }

  /**
   * Options torch 1.13 shows in this optimizer's repr that jnn does not implement, with the
   * values 1.13 shows ({@code null} prints {@code None}); never part of the groups or the state
   * dict.
   */
  protected Map<String, Object> reprOnlyOptions() {
    return Map.of();
  }

  /** Options whose PyTorch default is the int 0: integral values print as ints. */
  protected Set<String> intDefaultOptions() {
    return Set.of();
  }

  /** Python's {@code str(value)} for an option value. */
  private String pyStr(String key, Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Boolean bo) {
      return Py.bool(bo);
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (key != null && intDefaultOptions().contains(key) && d == Math.rint(d)
          && Math.abs(d) < 0x1p53) {
        return Long.toString((long) d);
      }
      return Py.floatRepr(d);
    }
    if (v instanceof List<?> l) {
      StringBuilder t = new StringBuilder("(");
      for (int i = 0; i < l.size(); i++) {
        t.append(i > 0 ? ", " : "").append(pyStr(null, l.get(i)));
      }
      return t.append(l.size() == 1 ? ",)" : ")").toString();
    }
    return String.valueOf(v);
  }

  /**
   * Sets every gradient to null: {@code optimizer.zero_grad()} as PyTorch 2.x does it ({@code
   * set_to_none=True} by default). This deliberately follows 2.x although jnn's golden files
   * (and {@link #toString()}) come from torch 1.13, whose default ({@code set_to_none=False})
   * zeroes the gradients in place; {@link #zeroGrad(boolean) zeroGrad(false)} gives 1.13's
   * behaviour.
   */
  public void zeroGrad() {
    zeroGrad(true);
  }

  /** Sets gradients to null, or zeroes them in place when {@code setToNone} is false. */
  public void zeroGrad(boolean setToNone) {
    for (ParamGroup g : paramGroups) {
      for (Parameter p : g.params()) {
        Tensor gr = p.grad();
        if (gr == null) {
          continue;
        }
        if (setToNone) {
          p.setGrad(null);
        } else {
          try (var ng = NoGrad.enter()) {
            gr.zero();
          }
        }
      }
    }
  }

  /** Performs one update with the current gradients. */
  public final void step() {
    // state created here (momentum buffers, moments) outlives the caller's MemoryScope; the
    // update's temporaries (the unfused arithmetic, a discarded buffer) are closed when it ends
    // instead of waiting for the garbage collector
    MemoryScope.outside(
        () -> {
          try (MemoryScope temporaries = MemoryScope.open(); var ng = NoGrad.enter()) {
            for (ParamGroup g : paramGroups) {
              stepGroup(g);
            }
            for (Map<String, Object> st : state.values()) {
              for (Object v : st.values()) {
                if (v instanceof Tensor t) {
                  MemoryScope.escape(t);
                }
              }
            }
          }
          return null;
        });
  }

  /** Updates the parameters of one group (grad mode is off). */
  protected abstract void stepGroup(ParamGroup group);

  /**
   * PyTorch's optimizer state dict: {@code {"state": {index: {name: value}}, "param_groups":
   * [{options..., "params": [index, ...]}]}} with parameters numbered in group order. Tensors are
   * live references.
   */
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    Map<Integer, Map<String, Object>> st = new LinkedHashMap<>();
    List<Map<String, Object>> groups = new ArrayList<>();
    int idx = 0;
    for (ParamGroup g : paramGroups) {
      Map<String, Object> gm = new LinkedHashMap<>(g.options());
      List<Integer> ids = new ArrayList<>();
      for (Parameter p : g.params()) {
        Map<String, Object> ps = state.get(p);
        if (ps != null && !ps.isEmpty()) {
          st.put(idx, new LinkedHashMap<>(ps));
        }
        ids.add(idx++);
      }
      gm.put("params", ids);
      groups.add(gm);
    }
    sd.put("state", st);
    sd.put("param_groups", groups);
    return sd;
  }

  /**
   * Loads a state dict made by {@link #stateDict()} of an optimizer with the same group sizes.
   * Tensors are copied to each parameter's device and (for floating state) dtype. Validates all
   * first; loads nothing on error.
   */
  @SuppressWarnings("unchecked")
  public void loadStateDict(Map<String, Object> sd) {
    Object gs = sd.get("param_groups");
    Object ss = sd.get("state");
    if (!(gs instanceof List<?> groups) || !(ss instanceof Map<?, ?> st)) {
      throw new IllegalArgumentException("optimizer state dict must have 'state' and 'param_groups'");
    }
    if (groups.size() != paramGroups.size()) {
      throw new IllegalArgumentException("loaded state dict has a different number of parameter groups");
    }
    List<Parameter> all = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      Map<String, Object> gm = (Map<String, Object>) groups.get(i);
      List<?> ids = (List<?>) gm.get("params");
      if (ids == null || ids.size() != paramGroups.get(i).params().size()) {
        throw new IllegalArgumentException(
            "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
      all.addAll(paramGroups.get(i).params());
    }
    // validate state entries
    Map<Parameter, Map<String, Object>> newState = new IdentityHashMap<>();
    int idx = 0;
    List<Integer> order = new ArrayList<>();
    for (Object g : groups) {
      for (Object id : (List<?>) ((Map<String, Object>) g).get("params")) {
        order.add(((Number) id).intValue());
      }
    }
    for (Parameter p : all) {
      int id = order.get(idx++);
      Object e = st.get(id);
      if (e == null) {
        e = st.get((long) id);
      }
      if (e == null) {
        e = st.get(String.valueOf(id));
      }
      if (e == null) {
        continue;
      }
      Map<String, Object> ps = new LinkedHashMap<>();
      for (Map.Entry<String, Object> en : ((Map<String, Object>) e).entrySet()) {
        Object v = en.getValue();
        if (v instanceof Tensor t) {
          Tensor c = t.detach().to(p.device());
          if (t.isFloatingPoint() && !"step".equals(en.getKey())) {
            c = c.to(p.dtype());
            if (!t.shape().equals(p.shape())) {
              throw new IllegalArgumentException(
                  "optimizer state '" + en.getKey() + "' has shape " + t.shape()
                      + " but its parameter has shape " + p.shape());
            }
          }
          v = c == t ? t.clone().detach() : c;
        }
        ps.put(en.getKey(), v);
      }
      newState.put(p, ps);
    }
    state.clear();
    state.putAll(newState);
    for (int i = 0; i < groups.size(); i++) {
      Map<String, Object> gm = (Map<String, Object>) groups.get(i);
      for (Map.Entry<String, Object> en : gm.entrySet()) {
        if (!en.getKey().equals("params")) {
          paramGroups.get(i).options().put(en.getKey(), en.getValue());
        }
      }
    }
  }

  /** Checks a hyper-parameter, PyTorch-style: {@code "Invalid learning rate: -1.0"}. */
  protected static void require(boolean ok, String what, double value) {
    if (!ok) {
      throw new IllegalArgumentException("Invalid " + what + ": " + value);
    }
  }

  /** Set by {@link #stepUnfused}: the back ends' fused update kernels are bypassed on this thread. */
  private static final ThreadLocal<Boolean> UNFUSED = new ThreadLocal<>();

  /** False while {@link #stepUnfused} runs on this thread. */
  static boolean fusedAllowed() {
    return UNFUSED.get() == null;
  }

  /**
   * Runs {@link #step()} with the fused update kernels bypassed (the tensor-op arithmetic only),
   * for tests that check the fused kernels against it.
   */
  static void stepUnfused(Optimizer opt) {
    UNFUSED.set(Boolean.TRUE);
    try {
      opt.step();
    } finally {
      UNFUSED.remove();
    }
  }
}
