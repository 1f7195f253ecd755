package dev.jnn.optim;

import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RMSprop ({@code torch.optim.RMSprop}) with momentum, centering, weight decay and maximize. */
public final class RMSprop extends Optimizer {
  /** RMSprop with PyTorch's defaults (alpha 0.99, eps 1e-8). */
  public RMSprop(List<? extends Parameter> params, double lr) {
    this(params, lr, 0.99, 1e-8, 0, 0, false, false);
  }

  /** All options, named as in PyTorch. */
  public RMSprop(
      List<? extends Parameter> params, double lr, double alpha, double eps, double weightDecay,
      double momentum, boolean centered, boolean maximize) {
    super(params, defaults(lr, alpha, eps, weightDecay, momentum, centered, maximize));
    require(lr >= 0, "learning rate", lr);
    require(eps >= 0, "epsilon value", eps);
    require(momentum >= 0, "momentum value", momentum);
    require(weightDecay >= 0, "weight_decay value", weightDecay);
    require(alpha >= 0, "alpha value", alpha);
  }

  private static Map<String, Object> defaults(
      double lr, double alpha, double eps, double wd, double momentum, boolean centered, boolean maximize) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("lr", lr);
    d.put("alpha", alpha);
    d.put("eps", eps);
    d.put("weight_decay", wd);
    d.put("momentum", momentum);
    d.put("centered", centered);
    d.put("maximize", maximize);
    return d;
  }

  @Override
  protected void stepGroup(ParamGroup g) {
    double lr = g.lr();
    double alpha = g.getDouble("alpha");
    double eps = g.getDouble("eps");
    double wd = g.getDouble("weight_decay");
    double momentum = g.getDouble("momentum");
    boolean centered = g.getBoolean("centered");
    boolean maximize = g.getBoolean("maximize");
    for (Parameter p : g.params()) {
      Tensor grad = p.grad();
      if (grad == null) {
        continue;
      }
      if (maximize) {
        grad = grad.neg();
      }
      Map<String, Object> st = state(p);
      if (!st.containsKey("step")) {
        st.put("step", Tensor.scalar(0.0));
        st.put("square_avg", Tensor.zerosLike(p).detach());
        if (momentum > 0) {
          st.put("momentum_buffer", Tensor.zerosLike(p).detach());
        }
        if (centered) {
          st.put("grad_avg", Tensor.zerosLike(p).detach());
        }
      }
      ((Tensor) st.get("step")).addInPlace(1.0);
      if (wd != 0) {
        grad = grad.add(p.mul(wd));
      }
      Tensor sq = (Tensor) st.get("square_avg");
      sq.mulInPlace(alpha).addInPlace(grad.mul(grad), 1 - alpha);
      Tensor avg;
      if (centered) {
        Tensor ga = (Tensor) st.get("grad_avg");
        ga.mulInPlace(alpha).addInPlace(grad, 1 - alpha);
        avg = sq.sub(ga.mul(ga)).sqrt().add(eps);
      } else {
        avg = sq.sqrt().add(eps);
      }
      if (momentum > 0) {
        Tensor buf = (Tensor) st.get("momentum_buffer");
        buf.mulInPlace(momentum).addInPlace(grad.div(avg));
        p.addInPlace(buf, -lr);
      } else {
        p.addInPlace(grad.div(avg), -lr);
      }
    }
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
    return java.util.Set.of("momentum", "weight_decay");
  }
}
