package dev.jnn.autograd;

import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node of the autograd graph ({@code grad_fn}): maps the gradients of its outputs to the
 * gradients of its inputs. {@link #nextEdges()} lists, per input, where that input's gradient
 * goes (null when the input does not require grad).
 */
public abstract class Node {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final String name;
  private final long sequenceNr;
  private final Edge[] nextEdges;
  private final int numOutputs;
  final Map<Long, TensorPreHook> tensorPreHooks = new LinkedHashMap<>();
  final Map<Integer, TensorPreHook> retainGradHooks = new LinkedHashMap<>();
  final Map<Long, PreHook> preHooks = new LinkedHashMap<>();
  final Map<Long, PostHook> postHooks = new LinkedHashMap<>();

  /** Whether any hook (tensor, retain-grad, pre or post) is registered on this node. */
  boolean hasHooks() {
    synchronized (retainGradHooks) {
      if (!retainGradHooks.isEmpty()) {
        return true;
      }
    }
    synchronized (tensorPreHooks) {
      if (!tensorPreHooks.isEmpty()) {
        return true;
      }
    }
    synchronized (preHooks) {
      if (!preHooks.isEmpty()) {
        return true;
      }
    }
    synchronized (postHooks) {
      return !postHooks.isEmpty();
    }
  }

  /** A hook on the gradient of one output of this node (a tensor hook of a non-leaf). */
  @FunctionalInterface
  public interface TensorPreHook {
    /** Returns a replacement gradient for output {@code outputNr}, or null to keep it. */
    Tensor apply(int outputNr, Tensor grad);
  }

  /** A hook run before the node, on all output gradients ({@code Node.register_prehook}). */
  @FunctionalInterface
  public interface PreHook {
    /** Returns replacement output gradients (same length), or null to keep them. */
    Tensor[] apply(Tensor[] gradOutputs);
  }

  /** A hook run after the node ({@code Node.register_hook}). */
  @FunctionalInterface
  public interface PostHook {
    /**
     * Sees the input gradients the node computed and the output gradients it received (null where
     * none arrived, PyTorch's {@code None}; the node's formula saw zeros there); returns
     * replacement input gradients (same length, null entries send no gradient), or null to keep
     * them.
     */
    Tensor[] apply(Tensor[] gradInputs, Tensor[] gradOutputs);
  }

  /** A node with the given PyTorch-style name, input edges and output count. */
  protected Node(String name, Edge[] nextEdges, int numOutputs) {
    this.name = name;
    this.nextEdges = nextEdges;
    this.numOutputs = numOutputs;
    this.sequenceNr = SEQUENCE.getAndIncrement();
  }

  /** PyTorch's class name of the backward function, e.g. {@code "AddBackward0"}. */
  public String name() {
    return name;
  }

  /** Creation order; the engine runs later nodes first among those ready. */
  public long sequenceNr() {
    return sequenceNr;
  }

  /** Per input: where its gradient flows (null when it needs none). */
  public List<Edge> nextEdges() {
    List<Edge> l = new ArrayList<>(nextEdges.length);
    Collections.addAll(l, nextEdges);
    return Collections.unmodifiableList(l);
  }

  Edge edge(int i) {
    return nextEdges[i];
  }

  int numInputs() {
    return nextEdges.length;
  }

  /** Number of outputs of the forward op. */
  public int numOutputs() {
    return numOutputs;
  }

  /** Computes input gradients from output gradients (entries may be null = zero). */
  public abstract Tensor[] apply(Tensor[] gradOutputs);

  /** Frees saved tensors after a backward without {@code retainGraph}. */
  protected void release() {}

  /** Registers a hook before this node runs. */
  public RemovableHandle registerPreHook(PreHook hook) {
    return register(preHooks, hook, false);
  }

  /** Registers a hook before this node runs, optionally first. */
  public RemovableHandle registerPreHook(PreHook hook, boolean prepend) {
    return register(preHooks, hook, prepend);
  }

  /** Registers a hook after this node runs. */
  public RemovableHandle registerPostHook(PostHook hook) {
    return register(postHooks, hook, false);
  }

  /** Registers a hook on the gradient of output {@code outputNr} (a tensor hook). */
  public RemovableHandle registerTensorPreHook(TensorPreHook hook) {
    return register(tensorPreHooks, hook, false);
  }

  /** Sets the retain_grad hook of one output (replacing any earlier one). */
  public void setRetainGradHook(int outputNr, TensorPreHook hook) {
    synchronized (retainGradHooks) {
      retainGradHooks.put(outputNr, hook);
    }
  }

  private static <H> RemovableHandle register(Map<Long, H> map, H hook, boolean prepend) {
    RemovableHandle h = new RemovableHandle(map);
    synchronized (map) {
      if (prepend) {
        LinkedHashMap<Long, H> copy = new LinkedHashMap<>(map);
        map.clear();
        map.put(h.id(), hook);
        map.putAll(copy);
      } else {
        map.put(h.id(), hook);
      }
    }
    return h;
  }

  static <H> List<H> snapshot(Map<?, H> map) {
    synchronized (map) {
      return new ArrayList<>(map.values());
    }
  }

  @Override
  public String toString() {
    return "<" + name + ">";
  }
}
