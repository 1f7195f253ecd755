package dev.jnn.nn;

import dev.jnn.tensor.Tensor;

/**
 * A tensor that is a learnable parameter of a {@link Module} ({@code torch.nn.Parameter}). It
 * shares storage with the tensor it wraps and requires grad by default. Device and dtype
 * conversions of a module replace the data <em>inside</em> the same Parameter object, so
 * references held elsewhere (an optimizer) stay valid.
 */
public class Parameter extends Tensor {
  /** Wraps {@code data} (shared storage), requiring grad. */
  public Parameter(Tensor data) {
    this(data, true);
  }

  /** Wraps {@code data} (shared storage). */
  public Parameter(Tensor data, boolean requiresGrad) {
    super(data, requiresGrad);
  }

  /**
   * Releases this Parameter's reference to its storage, exactly as {@link Tensor#close()} does
   * for a view. A Parameter <em>shares</em> the storage of the tensor it wraps (as {@code
   * torch.nn.Parameter(t)} does), so the memory is freed only when that tensor (and every other
   * view of it) is closed too: {@code new Parameter(Tensor.randn(3))} keeps the wrapped tensor's
   * reference until it is closed or collected by a {@link dev.jnn.tensor.MemoryScope}. The
   * closed Parameter must not be used any more; a {@link Module} does not close its parameters
   * (they may be shared with other modules or an optimizer): close them, or the tensors they
   * wrap, when the model is discarded.
   */
  @Override
  public void close() {
    super.close();
  }

  /** {@code "Parameter containing:\n" + tensor repr}, as PyTorch prints it. */
  @Override
  public String toString() {
    return "Parameter containing:\n" + super.toString();
  }
}
