package dev.jnn.backend.cuda;

/**
 * cuDNN switches, as {@code torch.backends.cudnn}. Changes apply to convolution shapes seen
 * afterwards (algorithm choices are cached per shape and setting).
 */
public final class Cudnn {
  private static volatile boolean benchmark;
  private static volatile boolean allowTf32;

  private Cudnn() {}

  /**
   * {@code torch.backends.cudnn.benchmark}: when on, the first convolution of each (shape, dtype,
   * device) times cuDNN's algorithms ({@code cudnnFind*}) and keeps the fastest; when off
   * (default) cuDNN's heuristics ({@code *_v7}) choose without running anything.
   */
  public static void benchmark(boolean on) {
    benchmark = on;
  }

  /** Whether benchmark mode is on. */
  public static boolean isBenchmark() {
    return benchmark;
  }

  /**
   * Lets float32 convolutions use TF32 tensor cores (about 10 bits of mantissa;
   * PyTorch's {@code torch.backends.cudnn.allow_tf32}). Off by default in jnn: float32
   * convolutions run in full precision (FMA math), so GPU results match the CPU back end.
   */
  public static void allowTf32(boolean on) {
    allowTf32 = on;
  }

  /** Whether TF32 is allowed for convolutions. */
  public static boolean isTf32Allowed() {
    return allowTf32;
  }
}
