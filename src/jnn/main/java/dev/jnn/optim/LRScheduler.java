package dev.jnn.optim;

import java.util.List;

/**
 * Base of learning-rate schedulers ({@code torch.optim.lr_scheduler.LRScheduler}): records each
 * group's {@code initial_lr}, performs the first step in the constructor, and on every {@link
 * #step()} sets each group's {@code lr} from PyTorch's recursive (chainable) formula.
 */
public abstract class LRScheduler {
  /** The scheduled optimizer. */
  protected final Optimizer optimizer;
  /** Each group's initial learning rate. */
  protected final double[] baseLrs;
  /** The epoch counter (PyTorch's {@code last_epoch}); -1 before the constructor's step. */
  protected int lastEpoch = -1;
  private double[] lastLr;

  /** Attaches to {@code optimizer} and performs the initial step. */
  protected LRScheduler(Optimizer optimizer) {
    this.optimizer = optimizer;
    List<ParamGroup> groups = optimizer.paramGroups();
    baseLrs = new double[groups.size()];
    for (int i = 0; i < groups.size(); i++) {
      ParamGroup g = groups.get(i);
      g.options().putIfAbsent("initial_lr", g.lr());
      baseLrs[i] = g.getDouble("initial_lr");
    }
  }

  /** Must be called at the end of subclass constructors (PyTorch's {@code _initial_step}). */
  protected final void initialStep() {
    step();
  }

  /** Advances one epoch and updates each group's learning rate. */
  public void step() {
    lastEpoch++;
    double[] lrs = computeLr();
    List<ParamGroup> groups = optimizer.paramGroups();
    for (int i = 0; i < groups.size(); i++) {
      groups.get(i).setLr(lrs[i]);
    }
    lastLr = lrs.clone();
  }

  /** The learning rates set by the last step ({@code get_last_lr()}). */
  public double[] lastLr() {
    return lastLr.clone();
  }

  /** The epoch counter. */
  public int lastEpoch() {
    return lastEpoch;
  }

  /** The current learning rate of group {@code i}. */
  protected double groupLr(int i) {
    return optimizer.paramGroups().get(i).lr();
  }

  /** The new learning rate of every group for epoch {@link #lastEpoch}. */
  protected abstract double[] computeLr();
}
