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

  /** {@code "Parameter containing:\n" + tensor repr}, as PyTorch prints it. */
  @Override
  public String toString() {
    return "Parameter containing:\n" + super.toString();
  }
}
