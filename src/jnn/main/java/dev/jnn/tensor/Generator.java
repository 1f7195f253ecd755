package dev.jnn.tensor;

import java.util.SplittableRandom;

/**
 * A seedable random source ({@code torch.Generator}). The default generator is process-wide;
 * {@link #manualSeed(long)} on it is {@code torch.manual_seed}. Not PyTorch's Mersenne Twister:
 * same distributions, different streams.
 */
public final class Generator {
  private static final Generator DEFAULT = new Generator(0x5DEECE66DL);
  private SplittableRandom random;
  private long seed;

  /** A generator with the given seed. */
  public Generator(long seed) {
    manualSeedThis(seed);
  }

  /** The process-wide default generator. */
  public static Generator defaultGenerator() {
    return DEFAULT;
  }

  /** Reseeds the default generator ({@code torch.manual_seed}). */
  public static void manualSeed(long seed) {
    DEFAULT.manualSeedThis(seed);
  }

  /** Reseeds this generator and returns it. */
  public synchronized Generator manualSeedThis(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    return this;
  }

  /** The seed last set. */
  public synchronized long initialSeed() {
    return seed;
  }

  /** Uniform in [0, 1). */
  public synchronized double nextDouble() {
    return random.nextDouble();
  }

  /** Standard normal. */
  public synchronized double nextGaussian() {
    return random.nextGaussian();
  }

  /**
   * A uniformly random 64-bit value: the seed (key) of a counter-based stream such as a dropout
   * mask ({@link dev.jnn.backend.Philox}); one draw per mask, on every device.
   */
  public synchronized long nextSeed() {
    return random.nextLong();
  }

  /** Uniform integer in [low, high). */
  public synchronized long nextLong(long low, long high) {
    return random.nextLong(low, high);
  }

  /** Fills {@code out} with uniform [0,1) doubles. */
  public synchronized void fillUniform(double[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = random.nextDouble();
    }
  }

  /** Fills {@code out} with standard normals. */
  public synchronized void fillNormal(double[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = random.nextGaussian();
    }
  }
}
