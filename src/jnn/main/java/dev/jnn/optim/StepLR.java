package dev.jnn.optim;

/** Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs ({@code StepLR}). */
public final class StepLR extends LRScheduler {
  private final int stepSize;
  private final double gamma;

  /** {@code StepLR(optimizer, step_size, gamma=0.1)}. */
  public StepLR(Optimizer optimizer, int stepSize, double gamma) {
    super(optimizer);
    if (stepSize <= 0) {
      throw new IllegalArgumentException("step_size must be positive, got " + stepSize);
    }
    this.stepSize = stepSize;
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected double[] computeLr() {
    double[] r = new double[baseLrs.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (lastEpoch == 0 || lastEpoch % stepSize != 0) ? groupLr(i) : groupLr(i) * gamma;
    }
    return r;
  }
}
