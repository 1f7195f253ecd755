package dev.jnn.autograd;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Tensor;

/**
 * A node whose backward is a lambda written next to its forward (micrograd style). Tensors the
 * backward reads are declared as saved: their version is checked when backward runs, and the
 * lambda (with everything it captured) is dropped after a backward without {@code retainGraph}.
 */
public final class FunctionNode extends Node {
  /**
   * The backward formula: output gradients (nulls replaced by zeros) to input gradients. When no
   * hook is registered in the graph, the engine closes the output gradients after the call (their
   * memory is reused at once, as PyTorch frees them), so a formula must not keep them beyond it;
   * returning one, or a view of one, as an input gradient is fine.
   */
  @FunctionalInterface
  public interface Backward {
    /** Input gradients, one per input (null where none flows). */
    Tensor[] apply(Tensor[] gradOutputs);
  }

  private Backward fn;
  private Tensor[] saved;
  private int[] savedVersions;
  private final boolean hasSaved;
  private OutputMeta[] outputMeta; // each output's shape, dtype and device (no data)

  private record OutputMeta(Shape shape, DType dtype, Device device) {}

  /** Creates the node; {@code saved} may be empty. */
  public FunctionNode(String name, Edge[] next, int numOutputs, Backward fn, Tensor[] saved) {
    super(name, next, numOutputs);
    this.fn = fn;
    this.saved = saved;
    this.hasSaved = saved.length > 0;
    this.savedVersions = new int[saved.length];
    for (int i = 0; i < saved.length; i++) {
      savedVersions[i] = saved[i].version();
    }
  }

  /** Records each output's shape, dtype and device (not its data) for zero-filling gradients. */
  public void setOutputMeta(Tensor[] outputs) {
    OutputMeta[] m = new OutputMeta[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      Tensor o = outputs[i];
      m[i] = o == null ? null : new OutputMeta(o.shape(), o.dtype(), o.device());
    }
    this.outputMeta = m;
  }

  /** A zero gradient for output {@code i}. */
  Tensor zeroGrad(int i) {
    OutputMeta m = outputMeta == null ? null : outputMeta[i];
    if (m == null) {
      throw new IllegalStateException("no gradient and no output metadata for output " + i + " of " + name());
    }
    return Tensor.zeros(m.shape(), m.dtype(), m.device());
  }

  @Override
  public Tensor[] apply(Tensor[] gradOutputs) {
    if (fn == null) {
      throw new IllegalStateException(
          "Trying to backward through the graph a second time (or directly access saved tensors"
              + " after they have already been freed). Saved intermediate values of the graph are"
              + " freed when you call .backward() or autograd.grad(). Specify retainGraph=true if"
              + " you need to backward through the graph a second time or if you need to access"
              + " saved tensors after calling backward. (in "
              + name()
              + ")");
    }
    for (int i = 0; i < saved.length; i++) {
      if (saved[i].version() != savedVersions[i]) {
        throw new IllegalStateException(
            "one of the variables needed for gradient computation has been modified by an inplace"
                + " operation: ["
                + saved[i].dtype()
                + " "
                + saved[i].shape()
                + "] is at version "
                + saved[i].version()
                + "; expected version "
                + savedVersions[i]
                + " instead. (saved by "
                + name()
                + ")");
      }
    }
    return fn.apply(gradOutputs);
  }

  @Override
  protected void release() {
    if (hasSaved) {
      fn = null;
      saved = new Tensor[0];
      savedVersions = new int[0];
    }
  }
}
