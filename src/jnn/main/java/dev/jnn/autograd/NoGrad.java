package dev.jnn.autograd;

/**
 * {@code with torch.no_grad():} as a try-with-resources scope; thread-local and nestable.
 *
 * <pre>{@code
 * try (var g = NoGrad.enter()) {
 *   w.subInPlace(w.grad().mul(lr));
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
  private final boolean previous;
  private boolean closed;

  private NoGrad(boolean previous) {
    this.previous = previous;
  }

  /** Disables graph recording on this thread until {@link #close()}. */
  public static NoGrad enter() {
    return new NoGrad(GradMode.set(false));
  }

  /** Enables graph recording on this thread until {@link #close()} ({@code torch.enable_grad}). */
  public static NoGrad enableGrad() {
    return new NoGrad(GradMode.set(true));
  }

  /** Restores the previous mode (idempotent). */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      GradMode.set(previous);
    }
  }
}
