package dev.jnn.optim;

/**
 * Linear warm-up: scales the learning rate from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs ({@code LinearLR}, PyTorch defaults 1/3, 1.0, 5).
 */
public final class LinearLR extends LRScheduler {
  private final double startFactor;
  private final double endFactor;
  private final int totalIters;

  /** {@code LinearLR(optimizer, start_factor, end_factor, total_iters)}. */
  public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
    super(optimizer);
    if (startFactor > 1.0 || startFactor <= 0) {
      throw new IllegalArgumentException(
          "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
    }
    if (endFactor > 1.0 || endFactor < 0) {
      throw new IllegalArgumentException(
          "Ending multiplicative factor expected to be between 0 and 1.");
    }
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    initialStep();
  }

  @Override
  protected double[] computeLr() {
    double[] r = new double[baseLrs.length];
    for (int i = 0; i < r.length; i++) {
      double lr = groupLr(i);
      if (lastEpoch == 0) {
        r[i] = lr * startFactor;
      } else if (lastEpoch > totalIters) {
        r[i] = lr;
      } else {
        r[i] = lr * (1.0 + (endFactor - startFactor)
            / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor)));
      }
    }
    return r;
  }
}
