package dev.jnn.autograd;

import dev.jnn.tensor.Tensor;
import dev.jnn.tensor.TensorAccess;

/** The sink node of a leaf tensor: adds the incoming gradient into the leaf's {@code grad}. */
public final class AccumulateGrad extends Node {
  private static final TensorAccess TENSORS = TensorAccess.get();

  private final Tensor variable;

  /** The accumulator of {@code variable} (one per leaf, created lazily by the tensor). */
  public AccumulateGrad(Tensor variable) {
    super("AccumulateGrad", new Edge[0], 1);
    this.variable = variable;
  }

  /** The leaf. */
  public Tensor variable() {
    return variable;
  }

  @Override
  public Tensor[] apply(Tensor[] gradOutputs) {
    Tensor g = gradOutputs[0];
    if (g == null) {
      return new Tensor[0];
    }
    TENSORS.accumulateGrad(variable, g, false);
    return new Tensor[0];
  }
}
