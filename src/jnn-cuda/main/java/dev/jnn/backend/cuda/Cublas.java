package dev.jnn.backend.cuda;

/** cuBLAS switches, as {@code torch.backends.cuda.matmul}. */
public final class Cublas {
  private static volatile boolean allowTf32;

  private Cublas() {}

  /**
   * Lets float32 matrix products use TF32 tensor cores ({@code
   * torch.backends.cuda.matmul.allow_tf32}); off by default, as in PyTorch.
   */
  public static void allowTf32(boolean on) {
    allowTf32 = on;
  }

  /** Whether TF32 is allowed for matrix products. */
  public static boolean isTf32Allowed() {
    return allowTf32;
  }
}
