package dev.jnn.tensor;

import dev.jnn.autograd.Edge;
import dev.jnn.autograd.FunctionNode;
import dev.jnn.autograd.GradMode;
import dev.jnn.autograd.Node;
import dev.jnn.autograd.RemovableHandle;
import dev.jnn.core.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Tensor-side autograd plumbing: recording a differentiable op (the node a forward attaches to its
 * output, {@link Tensor#record}, {@link Tensor#recordMulti}), the helpers the backward formulas
 * share (an input's gradient summed back to its shape), and what a leaf does with a gradient
 * (accumulation, {@code retain_grad}, tensor hooks). Package-private: the op families and {@link
 * Tensor} call it.
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

  /** The body of {@link Tensor#accumulateGrad(Tensor, boolean)}: adds {@code g} into the grad. */
  static void accumulateGrad(Tensor self, Tensor g, boolean exclusive) {
    if (g.dtype() != self.dtype()) {
      g = g.to(self.dtype());
    }
    if (!g.shape.equals(self.shape)) {
      g = sumToShape(g, self.shape);
    }
    if (self.grad == null) {
      if (exclusive && isPrivateDense(g) && g.device().equals(self.device())) {
        self.grad = g;
      } else {
        self.grad = g.detach().clone();
      }
      MemoryScope.escape(self.grad);
    } else {
      InPlaceOps.addInPlaceRaw(self.grad, g);
    }
  }

  /**
   * Whether this handle is the only one on its storage and covers all of it, contiguous, with no
   * autograd history: then the memory can change owner without anyone noticing.
   */
  private static boolean isPrivateDense(Tensor t) {
    return !t.closed && t.storage != null && t.storage.refCount() == 1 && t.offset == 0
        && t.gradFn == null && !t.requiresGrad && t.isContiguous()
        && t.numel() == t.storage.buffer().numel();
  }

  /** The body of {@link Tensor#retainGrad()}. */
  static void retainGrad(Tensor self) {
    if (!self.requiresGrad) {
      throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
    }
    if (self.gradFn == null || self.retainsGrad) {
      return;
    }
    self.retainsGrad = true;
    final int nr = self.outputNr;
    self.gradFn.setRetainGradHook(
        nr,
        (i, g) -> {
          if (i == nr) {
            if (self.grad == null) {
              self.grad = g.detach().clone();
            } else {
              self.grad = self.grad.add(g);
            }
            MemoryScope.escape(self.grad);
          }
          return null;
        });
  }

  /** The body of {@link Tensor#registerHook}. */
  static RemovableHandle registerHook(Tensor self, UnaryOperator<Tensor> hook) {
    if (!self.requiresGrad) {
      throw new IllegalStateException(
          "cannot register a hook on a tensor that doesn't require gradient");
    }
    final int nr = self.gradFn != null ? self.outputNr : 0;
    Node n = self.gradFn != null ? self.gradFn : self.gradAccumulator();
    return n.registerTensorPreHook((i, g) -> i == nr ? hook.apply(g) : null);
  }
}
