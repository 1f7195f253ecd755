package dev.jnn.optim;

/** Cosine annealing from the base rate to {@code etaMin} over {@code tMax} epochs ({@code CosineAnnealingLR}). */
public final class CosineAnnealingLR extends LRScheduler {
  private final int tMax;
  private final double etaMin;

  /** {@code CosineAnnealingLR(optimizer, T_max, eta_min=0)}. */
  public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
    super(optimizer);
    if (tMax <= 0) {
      throw new IllegalArgumentException("T_max must be positive, got " + tMax);
    }
    this.tMax = tMax;
    this.etaMin = etaMin;
    initialStep();
  }

  @Override
  protected double[] computeLr() {
    double[] r = new double[baseLrs.length];
    for (int i = 0; i < r.length; i++) {
      double lr = groupLr(i);
      if (lastEpoch == 0) {
        r[i] = lr;
      } else if ((lastEpoch - 1 - tMax) % (2 * tMax) == 0) {
        r[i] = lr + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
      } else {
        r[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax))
                / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                * (lr - etaMin)
            + etaMin;
      }
    }
    return r;
  }
}
