package dev.jnn.backend.cuda;

/** A failed CUDA, cuBLAS or cuDNN call on a usable device; the message names the call and status. */
public class CudaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public CudaException(String message) {
    super(message);
  }

  /** With a message and a cause. */
  public CudaException(String message, Throwable cause) {
    super(message, cause);
  }
}
