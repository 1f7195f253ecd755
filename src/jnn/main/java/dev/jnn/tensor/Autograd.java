package dev.jnn.tensor;

import dev.jnn.autograd.Edge;
import dev.jnn.autograd.FunctionNode;
import dev.jnn.autograd.GradMode;
import dev.jnn.core.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Recording differentiable ops: the node a forward attaches to its output ({@link Tensor#record},
 * {@link Tensor#recordMulti}), and the helpers the backward formulas share (an input's gradient
 * summed back to its shape). Package-private: the op families and {@link Tensor} call it.
 */
final class Autograd {
  private Autograd() {}

  static boolean anyRequiresGrad(Tensor... inputs) {
    if (!GradMode.isEnabled()) {
      return false;
    }
    for (Tensor t : inputs) {
      if (t != null && t.requiresGrad) {
        return true;
      }
    }
    return false;
  }

  /**
   * A view taken before a differentiable in-place op rewrote its base (say {@code v = y.narrow(..);
   * y.mulInPlace(w)}) still points at the old history. PyTorch regenerates the view's grad_fn
   * (AsStridedBackward0); jnn does not, so using such a view in a recorded op fails instead of
   * silently producing wrong gradients.
   */
  private static void checkViewHistories(String op, Tensor[] inputs) {
    if (!GradMode.isEnabled()) {
      return;
    }
    for (Tensor t : inputs) {
      if (t != null && t.viewBase != null && t.storage != null
          && t.viewHistoryVersion != t.storage.historyVersion()) {
        throw new IllegalStateException(
            "a view used by " + op + " was taken before its base was modified by a differentiable"
                + " in-place operation, so its autograd history is stale (jnn does not regenerate"
                + " view histories as PyTorch's AsStridedBackward0 does): take the view again after"
                + " the in-place operation, or clone() it before");
      }
    }
  }

  private static Edge edgeOf(Tensor t) {
    if (t == null || !t.requiresGrad) {
      return null;
    }
    return t.gradFn != null ? new Edge(t.gradFn, t.outputNr) : new Edge(t.gradAccumulator(), 0);
  }

  static Tensor record(
      String name, Tensor out, Tensor[] inputs, Tensor[] saved, FunctionNode.Backward fn) {
    checkViewHistories(name, inputs);
    if (!anyRequiresGrad(inputs) || !out.dtype().isFloatingPoint()) {
      return out;
    }
    Edge[] edges = new Edge[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      edges[i] = edgeOf(inputs[i]);
    }
    FunctionNode node = new FunctionNode(name, edges, 1, fn, saved);
    node.setOutputMeta(new Tensor[] {out});
    out.gradFn = node;
    out.outputNr = 0;
    out.requiresGrad = true;
    return out;
  }

  static Tensor[] recordMulti(
      String name, Tensor[] outs, Tensor[] inputs, Tensor[] saved, FunctionNode.Backward fn) {
    checkViewHistories(name, inputs);
    if (!anyRequiresGrad(inputs)) {
      return outs;
    }
    Edge[] edges = new Edge[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      edges[i] = edgeOf(inputs[i]);
    }
    FunctionNode node = new FunctionNode(name, edges, outs.length, fn, saved);
    node.setOutputMeta(outs);
    for (int i = 0; i < outs.length; i++) {
      outs[i].gradFn = node;
      outs[i].outputNr = i;
      outs[i].requiresGrad = true;
    }
    return outs;
  }

  static Tensor[] in(Tensor... ts) {
    return ts;
  }

  static final Tensor[] NONE = new Tensor[0];

  static Tensor sumToShape(Tensor g, Shape target) {
    if (g.shape.equals(target)) {
      return g;
    }
    int lead = g.dim() - target.rank();
    List<Integer> dims = new ArrayList<>();
    for (int i = 0; i < g.dim(); i++) {
      if (i < lead) {
        dims.add(i);
      } else if (target.get(i - lead) == 1 && g.size(i) != 1) {
        dims.add(i);
      }
    }
    Tensor r = g;
    if (!dims.isEmpty()) {
      r = g.sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
    }
    return r.reshape(target.dims());
  }

  static Tensor gradFor(Tensor g, Tensor input) {
    if (input == null || !input.requiresGrad) {
      return null;
    }
    Tensor r = sumToShape(g, input.shape);
    return r.dtype() == input.dtype() ? r : r.to(input.dtype());
  }
}
