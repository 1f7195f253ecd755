package dev.jnn.autograd;

/** Thread-local switch for graph recording ({@code torch.is_grad_enabled}). */
public final class GradMode {
  private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

  private GradMode() {}

  /** Whether ops on this thread record autograd nodes. */
  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** Sets the mode and returns the previous one. */
  public static boolean set(boolean enabled) {
    boolean[] f = ENABLED.get();
    boolean prev = f[0];
    f[0] = enabled;
    return prev;
  }
}
