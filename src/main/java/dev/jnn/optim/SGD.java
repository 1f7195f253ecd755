package dev.jnn.optim;

import dev.jnn.nn.Parameter;
import dev.jnn.tensor.FusedOps;
import dev.jnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov, weight decay and maximize
 * ({@code torch.optim.SGD}); the same update as PyTorch's single-tensor implementation.
 */
public final class SGD extends Optimizer {
  /** SGD with learning rate {@code lr} and no momentum. */
  public SGD(List<? extends Parameter> params, double lr) {
    this(params, lr, 0, 0, 0, false, false);
  }

  /** SGD with momentum. */
  public SGD(List<? extends Parameter> params, double lr, double momentum) {
    this(params, lr, momentum, 0, 0, false, false);
  }

  /** All options, named as in PyTorch. */
  public SGD(
      List<? extends Parameter> params, double lr, double momentum, double dampening,
      double weightDecay, boolean nesterov, boolean maximize) {
    super(params, defaults(lr, momentum, dampening, weightDecay, nesterov, maximize));
    require(lr >= 0, "learning rate", lr);
    require(momentum >= 0, "momentum value", momentum);
    require(weightDecay >= 0, "weight_decay value", weightDecay);
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
    }
  }

  private static Map<String, Object> defaults(
      double lr, double momentum, double dampening, double wd, boolean nesterov, boolean maximize) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("lr", lr);
    d.put("momentum", momentum);
    d.put("dampening", dampening);
    d.put("weight_decay", wd);
    d.put("nesterov", nesterov);
    d.put("maximize", maximize);
    return d;
  }

  @Override
  protected void stepGroup(ParamGroup g) {
    double lr = g.lr();
    double momentum = g.getDouble("momentum");
    double dampening = g.getDouble("dampening");
    double wd = g.getDouble("weight_decay");
    boolean nesterov = g.getBoolean("nesterov");
    boolean maximize = g.getBoolean("maximize");
    for (Parameter p : g.params()) {
      Tensor grad = p.grad();
      if (grad == null) {
        continue;
      }
      if (fusedAllowed() && fused(p, grad, lr, momentum, dampening, wd, nesterov, maximize)) {
        continue;
      }
      Tensor d = maximize ? grad.neg() : grad;
      if (wd != 0) {
        d = d.add(p.mul(wd));
      }
      if (momentum != 0) {
        Map<String, Object> st = state(p);
        Tensor buf = (Tensor) st.get("momentum_buffer");
        if (buf == null) {
          buf = d.clone();
          st.put("momentum_buffer", buf);
        } else {
          buf.mulInPlace(momentum).addInPlace(d, 1 - dampening);
        }
        d = nesterov ? d.add(buf.mul(momentum)) : buf;
      }
      p.addInPlace(d, -lr);
    }
  }

  /** The single-pass update where the back end has one (same arithmetic as the ops above). */
  private boolean fused(Parameter p, Tensor grad, double lr, double momentum, double dampening,
      double wd, boolean nesterov, boolean maximize) {
    Tensor buf = null;
    boolean first = false;
    if (momentum != 0) {
      Map<String, Object> st = state(p);
      buf = (Tensor) st.get("momentum_buffer");
      if (buf == null) {
        buf = Tensor.empty(p.shape(), p.dtype(), p.device());
        first = true;
      }
      if (!FusedOps.sgdStep(p, grad, buf, lr, momentum, dampening, wd, nesterov, maximize, first)) {
        return false;
      }
      if (first) {
        st.put("momentum_buffer", buf);
      }
      return true;
    }
    return FusedOps.sgdStep(p, grad, null, lr, 0, dampening, wd, nesterov, maximize, false);
  }

  /** torch 1.13's repr keys jnn does not implement (see {@link Optimizer#toString()}). */
  @Override
  protected Map<String, Object> reprOnlyOptions() {
    Map<String, Object> m = new java.util.HashMap<>();
    m.put("differentiable", false);
    m.put("foreach", null);
    return m;
  }

  /** The options whose PyTorch default is the int 0. */
  @Override
  protected java.util.Set<String> intDefaultOptions() {
    return java.util.Set.of("momentum", "dampening", "weight_decay");
  }
}
