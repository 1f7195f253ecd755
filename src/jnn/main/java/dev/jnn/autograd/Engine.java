package dev.jnn.autograd;

import dev.jnn.tensor.Tensor;
import dev.jnn.tensor.TensorAccess;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Reverse-mode execution: an iterative walk (no recursion, so graph depth is unbounded) counts
 * dependencies, then nodes run when all their output gradients have arrived, the most recently
 * created first (PyTorch's order). Gradient formulas run with recording disabled.
 */
public final class Engine {
  private Engine() {}

  /**
   * {@code -Djnn.autograd.freeGrads=false} keeps consumed gradients for the garbage collector (see
   * {@link #freeConsumed}); for a custom {@link Function} whose backward keeps its gradients.
   */
  private static final boolean FREE_GRADS =
      !"false".equalsIgnoreCase(System.getProperty("jnn.autograd.freeGrads", "true").trim());

  private static final TensorAccess TENSORS = TensorAccess.get();

  /**
   * PyTorch's {@code validate_outputs} on a given root gradient: one on another device is an error
   * (a 0-dim one is moved), one of another dtype is converted to the output's (a float32 gradient
   * of a float64 output is widened before backward, not left to round every gradient to float32).
   */
  private static Tensor validateRootGrad(int i, Tensor g, Tensor r) {
    if (!g.device().equals(r.device())) {
      if (g.dim() != 0) {
        throw new IllegalArgumentException("invalid gradient at index " + i
            + " - expected device " + r.device() + " but got " + g.device());
      }
      g = g.to(r.device());
    }
    if (g.dtype() != r.dtype()) {
      boolean prev = GradMode.set(false);
      try {
        g = g.to(r.dtype());
      } finally {
        GradMode.set(prev);
      }
    }
    return g;
  }

  /**
   * Backpropagates from {@code roots} with seed gradients {@code grads} (null entries mean ones for
   * scalar roots).
   */
  public static void backward(List<Tensor> roots, List<Tensor> grads, boolean retainGraph) {
    if (roots.size() != grads.size()) {
      throw new IllegalArgumentException(
          "backward: got "
              + roots.size()
              + " tensors but "
              + grads.size()
              + " gradients (use null entries for implicit scalar gradients)");
    }
    List<Node> rootNodes = new ArrayList<>();
    List<Integer> rootSlots = new ArrayList<>();
    List<Tensor> seeds = new ArrayList<>();
    for (int i = 0; i < roots.size(); i++) {
      Tensor r = roots.get(i);
      if (!r.requiresGrad()) {
        throw new IllegalStateException(
            "element " + i + " of tensors does not require grad and does not have a grad_fn");
      }
      Tensor g = grads.get(i);
      if (g == null) {
        if (r.numel() != 1) {
          throw new IllegalStateException(
              "grad can be implicitly created only for scalar outputs (got a tensor of shape "
                  + r.shape()
                  + ")");
        }
        g = Tensor.onesLike(r);
      } else if (!g.shape().equals(r.shape())) {
        throw new IllegalArgumentException(
            "Mismatch in shape: grad_output[0] has a shape of "
                + g.shape()
                + " and output[0] has a shape of "
                + r.shape()
                + ".");
      }
      if (grads.get(i) != null) {
        g = validateRootGrad(i, g, r);
      }
      Node n = r.gradFn() != null ? r.gradFn() : TENSORS.gradAccumulator(r);
      rootNodes.add(n);
      rootSlots.add(r.gradFn() != null ? r.outputNr() : 0);
      seeds.add(g);
    }
    boolean prev = GradMode.set(false);
    try {
      run(rootNodes, rootSlots, seeds, retainGraph);
    } finally {
      GradMode.set(prev);
    }
  }

  private static void run(List<Node> rootNodes, List<Integer> slots, List<Tensor> seeds, boolean retain) {
    // Gradients created from here on by backward formulas are private to this pass: a leaf may
    // adopt one as its .grad instead of copying it (see held below and Tensor.accumulateGrad).
    long mark = TENSORS.creationMark();
    Map<Node, Integer> deps = new IdentityHashMap<>();
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Node> stack = new ArrayDeque<>();
    boolean hooks = false;
    for (Node n : rootNodes) {
      if (seen.add(n)) {
        stack.push(n);
      }
    }
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      hooks |= n.hasHooks();
      for (int i = 0; i < n.numInputs(); i++) {
        Edge e = n.edge(i);
        if (e == null) {
          continue;
        }
        deps.merge(e.node(), 1, Integer::sum);
        if (seen.add(e.node())) {
          stack.push(e.node());
        }
      }
    }
    Map<Node, Tensor[]> buffers = new IdentityHashMap<>();
    // How many buffer slots hold each gradient object (a formula may route one object to several
    // inputs); only consulted when no hook can see or keep a gradient.
    Map<Tensor, Integer> held = hooks ? null : new IdentityHashMap<>();
    for (int i = 0; i < rootNodes.size(); i++) {
      addTo(buffers, held, rootNodes.get(i), slots.get(i), seeds.get(i));
    }
    PriorityQueue<Node> ready =
        new PriorityQueue<>((a, b) -> Long.compare(b.sequenceNr(), a.sequenceNr()));
    Set<Node> queued = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Node n : rootNodes) {
      if (deps.getOrDefault(n, 0) == 0 && queued.add(n)) {
        ready.add(n);
      }
    }
    while (!ready.isEmpty()) {
      Node node = ready.poll();
      Tensor[] gout = buffers.remove(node);
      if (gout == null) {
        gout = new Tensor[node.numOutputs()];
      } else if (held != null) {
        for (Tensor t : gout) {
          if (t != null) {
            held.merge(t, -1, Integer::sum);
          }
        }
      }
      if (held != null && node instanceof AccumulateGrad acc) {
        // The leaf may adopt the gradient when this pass created it and no other slot holds it.
        Tensor g = gout[0];
        boolean exclusive =
            g != null && TENSORS.createdSince(g, mark) && held.getOrDefault(g, 0) == 0;
        if (g != null) {
          TENSORS.accumulateGrad(acc.variable(), g, exclusive);
        }
        if (!retain) {
          node.release();
        }
        continue;
      }
      Tensor[] gin;
      if (allNull(gout)) {
        gin = new Tensor[node.numInputs()];
      } else {
        gout = callPreHooks(node, gout);
        // Post hooks see the output gradients as they reached the node, null where none arrived
        // (PyTorch's undefined gradients are None in a hook); only the formula gets zeros.
        Tensor[] hookGout = gout;
        if (node instanceof FunctionNode fn) {
          for (int i = 0; i < gout.length; i++) {
            if (gout[i] == null) {
              if (gout == hookGout) {
                gout = gout.clone();
              }
              gout[i] = fn.zeroGrad(i);
            }
          }
        }
        gin = node.apply(gout);
        if (gin.length != node.numInputs()) {
          throw new IllegalStateException(
              "function "
                  + node.name()
                  + " returned an incorrect number of gradients (expected "
                  + node.numInputs()
                  + ", got "
                  + gin.length
                  + ")");
        }
        for (Node.PostHook h : Node.snapshot(node.postHooks)) {
          Tensor[] r = h.apply(gin, hookGout);
          if (r != null) {
            if (r.length != gin.length) {
              throw new IllegalStateException(
                  "hook of " + node.name() + " returned " + r.length + " gradients, expected " + gin.length);
            }
            gin = r;
          }
        }
      }
      if (!retain) {
        node.release();
      }
      for (int i = 0; i < node.numInputs(); i++) {
        Edge e = node.edge(i);
        if (e == null) {
          continue;
        }
        if (gin[i] != null) {
          addTo(buffers, held, e.node(), e.inputNr(), gin[i]);
        }
        int left = deps.merge(e.node(), -1, Integer::sum);
        if (left == 0 && queued.add(e.node())) {
          ready.add(e.node());
        }
      }
      if (held != null && FREE_GRADS) {
        freeConsumed(gout, mark, held);
      }
    }
  }

  /**
   * Closes the output gradients a node has just consumed, as PyTorch frees them when their last
   * reference goes: their memory returns to the host pool (or the device's caching allocator)
   * for the rest of this pass and the next step, instead of waiting for the garbage collector.
   * Only gradients this pass created (never a caller's seed), only when no hook anywhere in the
   * graph could have seen or kept one ({@code held} is null otherwise), and only when no buffer
   * slot still holds the object (a formula may pass its incoming gradient on unchanged). A view of
   * it passed on keeps the storage alive: storages count their tensor handles.
   */
  private static void freeConsumed(Tensor[] gout, long mark, Map<Tensor, Integer> held) {
    for (Tensor t : gout) {
      // (an object in two slots is closed twice: close() is idempotent)
      if (t != null && TENSORS.createdSince(t, mark) && held.getOrDefault(t, 0) == 0) {
        t.close();
      }
    }
  }

  private static boolean allNull(Tensor[] ts) {
    for (Tensor t : ts) {
      if (t != null) {
        return false;
      }
    }
    return true;
  }

  private static Tensor[] callPreHooks(Node node, Tensor[] gout) {
    Tensor[] g = gout.clone();
    for (Node.TensorPreHook h : Node.snapshot(node.tensorPreHooks)) {
      // tensor hooks are registered per output; the hook itself knows its output index
      for (int i = 0; i < g.length; i++) {
        if (g[i] != null) {
          Tensor r = h.apply(i, g[i]);
          if (r != null) {
            g[i] = r;
          }
        }
      }
    }
    synchronized (node.retainGradHooks) {
      for (Map.Entry<Integer, Node.TensorPreHook> e : node.retainGradHooks.entrySet()) {
        int i = e.getKey();
        if (i < g.length && g[i] != null) {
          e.getValue().apply(i, g[i]);
        }
      }
    }
    for (Node.PreHook h : Node.snapshot(node.preHooks)) {
      Tensor[] r = h.apply(g);
      if (r != null) {
        if (r.length != g.length) {
          throw new IllegalStateException(
              "pre-hook of " + node.name() + " returned " + r.length + " gradients, expected " + g.length);
        }
        g = r;
      }
    }
    return g;
  }

  private static void addTo(
      Map<Node, Tensor[]> buffers, Map<Tensor, Integer> held, Node node, int slot, Tensor g) {
    Tensor[] b = buffers.computeIfAbsent(node, n -> new Tensor[n.numOutputs()]);
    if (held != null && b[slot] != null) {
      held.merge(b[slot], -1, Integer::sum);
    }
    b[slot] = b[slot] == null ? g : b[slot].add(g);
    if (held != null) {
      held.merge(b[slot], 1, Integer::sum);
    }
  }
}
