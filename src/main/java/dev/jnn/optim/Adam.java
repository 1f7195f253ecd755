package dev.jnn.optim;

import dev.jnn.nn.Parameter;
import dev.jnn.tensor.FusedOps;
import dev.jnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam ({@code torch.optim.Adam}) and, with decoupled weight decay, AdamW: the same arithmetic as
 * PyTorch's single-tensor implementation, including amsgrad and maximize.
 */
public class Adam extends Optimizer {
  private final boolean decoupled;

  /** Adam with PyTorch's defaults (betas 0.9/0.999, eps 1e-8, no weight decay). */
  public Adam(List<? extends Parameter> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, 0, false, false);
  }

  /** All options, named as in PyTorch. */
  public Adam(
      List<? extends Parameter> params, double lr, double beta1, double beta2, double eps,
      double weightDecay, boolean amsgrad, boolean maximize) {
    this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, false);
  }

  Adam(
      List<? extends Parameter> params, double lr, double beta1, double beta2, double eps,
      double weightDecay, boolean amsgrad, boolean maximize, boolean decoupled) {
    super(params, defaults(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize));
    require(lr >= 0, "learning rate", lr);
    require(eps >= 0, "epsilon value", eps);
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("Invalid beta parameter at index 0: " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Invalid beta parameter at index 1: " + beta2);
    }
    require(weightDecay >= 0, "weight_decay value", weightDecay);
    this.decoupled = decoupled;
  }

  private static Map<String, Object> defaults(
      double lr, double b1, double b2, double eps, double wd, boolean amsgrad, boolean maximize) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("lr", lr);
    d.put("betas", List.of(b1, b2));
    d.put("eps", eps);
    d.put("weight_decay", wd);
    d.put("amsgrad", amsgrad);
    d.put("maximize", maximize);
    return d;
  }

  @Override
  protected void stepGroup(ParamGroup g) {
    double lr = g.lr();
    List<?> betas = (List<?>) g.options().get("betas");
    double beta1 = ((Number) betas.get(0)).doubleValue();
    double beta2 = ((Number) betas.get(1)).doubleValue();
    double eps = g.getDouble("eps");
    double wd = g.getDouble("weight_decay");
    boolean amsgrad = g.getBoolean("amsgrad");
    boolean maximize = g.getBoolean("maximize");
    for (Parameter p : g.params()) {
      Tensor grad = p.grad();
      if (grad == null) {
        continue;
      }
      Map<String, Object> st = state(p);
      if (!st.containsKey("step")) {
        st.put("step", Tensor.scalar(0.0));
        st.put("exp_avg", Tensor.zerosLike(p).detach());
        st.put("exp_avg_sq", Tensor.zerosLike(p).detach());
        if (amsgrad) {
          st.put("max_exp_avg_sq", Tensor.zerosLike(p).detach());
        }
      }
      Tensor stepT = (Tensor) st.get("step");
      stepT.addInPlace(1.0);
      double step = stepT.item();
      Tensor expAvg = (Tensor) st.get("exp_avg");
      Tensor expAvgSq = (Tensor) st.get("exp_avg_sq");
      Tensor maxSq = amsgrad ? (Tensor) st.get("max_exp_avg_sq") : null;
      double bc1 = 1 - Math.pow(beta1, step);
      double bc2 = 1 - Math.pow(beta2, step);
      double stepSize = lr / bc1;
      double bc2Sqrt = Math.sqrt(bc2);
      // one pass when the back end has a fused kernel (same arithmetic and rounding as below)
      if (fusedAllowed() && FusedOps.adamStep(p, grad, expAvg, expAvgSq, maxSq, lr, beta1, beta2, eps, wd, stepSize,
          bc2Sqrt, amsgrad, maximize, decoupled)) {
        continue;
      }
      if (maximize) {
        grad = grad.neg();
      }
      if (wd != 0) {
        if (decoupled) {
          p.mulInPlace(1 - lr * wd);
        } else {
          grad = grad.add(p.mul(wd));
        }
      }
      // exp_avg.lerp_(grad, 1 - beta1) == exp_avg + (1 - beta1) * (grad - exp_avg)
      expAvg.addInPlace(grad.sub(expAvg), 1 - beta1);
      expAvgSq.mulInPlace(beta2).addInPlace(grad.mul(grad), 1 - beta2);
      Tensor denom;
      if (amsgrad) {
        maxSq.copyFrom(maxSq.maximum(expAvgSq));
        denom = maxSq.sqrt().div(bc2Sqrt).add(eps);
      } else {
        denom = expAvgSq.sqrt().div(bc2Sqrt).add(eps);
      }
      p.addInPlace(expAvg.div(denom), -stepSize);
    }
  }

  /** torch 1.13's repr keys jnn does not implement (see {@link Optimizer#toString()}). */
  @Override
  protected Map<String, Object> reprOnlyOptions() {
    Map<String, Object> m = new java.util.HashMap<>();
    m.put("capturable", false);
    m.put("differentiable", false);
    m.put("foreach", null);
    m.put("fused", false);
    return m;
  }

  /** The options whose PyTorch default is the int 0. */
  @Override
  protected java.util.Set<String> intDefaultOptions() {
    return java.util.Set.of("weight_decay");
  }
}
