package dev.jnn.nn;

import dev.jnn.tensor.Tensor;

/**
 * A tensor marked as a module buffer ({@code torch.nn.Buffer}): assigning it with {@link
 * Module#setAttribute} registers a buffer with the given persistence, where a plain tensor would
 * become a plain attribute. It shares storage with the tensor it wraps and keeps its {@code
 * requiresGrad} flag (but not its autograd history).
 */
public class Buffer extends Tensor {
  private final boolean persistent;

  /** A persistent buffer over {@code data}. */
  public Buffer(Tensor data) {
    this(data, true);
  }

  /** A buffer over {@code data}; non-persistent buffers are left out of the state dict. */
  public Buffer(Tensor data, boolean persistent) {
    super(data, data.requiresGrad());
    this.persistent = persistent;
  }

  /** Whether the buffer belongs to the state dict. */
  public boolean persistent() {
    return persistent;
  }
}
