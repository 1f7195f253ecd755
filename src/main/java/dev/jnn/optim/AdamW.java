package dev.jnn.optim;

import dev.jnn.nn.Parameter;
import java.util.List;
import java.util.Map;

/** Adam with decoupled weight decay ({@code torch.optim.AdamW}; default weight decay 0.01). */
public final class AdamW extends Adam {
  /** AdamW with PyTorch's defaults (weight decay 0.01). */
  public AdamW(List<? extends Parameter> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false, false);
  }

  /** All options, named as in PyTorch. */
  public AdamW(
      List<? extends Parameter> params, double lr, double beta1, double beta2, double eps,
      double weightDecay, boolean amsgrad, boolean maximize) {
    super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, true);
  }

  /** torch 1.13's repr keys jnn does not implement (see {@link Optimizer#toString()}). */
  @Override
  protected Map<String, Object> reprOnlyOptions() {
    Map<String, Object> m = new java.util.HashMap<>();
    m.put("capturable", false);
    m.put("foreach", null);
    return m;
  }

  /** None: AdamW's {@code weight_decay} default is the float 0.01. */
  @Override
  protected java.util.Set<String> intDefaultOptions() {
    return java.util.Set.of();
  }
}
