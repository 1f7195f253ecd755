package dev.jnn.core;

/**
 * Thrown when a CUDA device is requested but cannot be used; the message gives the concrete
 * reason ("CUDA is not available: ...").
 */
public class CudaUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** With the reason, prefixed by {@code "CUDA is not available: "}. */
  public CudaUnavailableException(String reason) {
    super("CUDA is not available: " + reason);
  }
}
