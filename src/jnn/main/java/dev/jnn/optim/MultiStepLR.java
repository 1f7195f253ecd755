package dev.jnn.optim;

import java.util.Arrays;

/** Multiplies the learning rate by {@code gamma} at each milestone epoch ({@code MultiStepLR}). */
public final class MultiStepLR extends LRScheduler {
  private final int[] milestones;
  private final double gamma;

  /** {@code MultiStepLR(optimizer, milestones, gamma=0.1)}; repeated milestones apply gamma repeatedly. */
  public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
    super(optimizer);
    this.milestones = milestones.clone();
    Arrays.sort(this.milestones);
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected double[] computeLr() {
    int count = 0;
    for (int m : milestones) {
      if (m == lastEpoch) {
        count++;
      }
    }
    double[] r = new double[baseLrs.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = count == 0 ? groupLr(i) : groupLr(i) * Math.pow(gamma, count);
    }
    return r;
  }
}
