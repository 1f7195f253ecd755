package dev.jnn.backend.cuda;

/**
 * Device memory exhausted even after the caching allocator released its cached blocks and the JVM
 * collected unreachable tensors ({@code torch.cuda.OutOfMemoryError}). The message gives the
 * requested, live and cached bytes.
 */
public class CudaOutOfMemoryException extends CudaException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public CudaOutOfMemoryException(String message) {
    super(message);
  }
}
