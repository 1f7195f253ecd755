package dev.jnn.tensor;

import dev.jnn.autograd.AccumulateGrad;
import dev.jnn.autograd.FunctionNode;
import java.util.Set;

/**
 * Internal, not API: the few {@link Tensor} internals that autograd's engine (and module backward
 * hooks) need from outside this package, as the JDK's {@code SharedSecrets} hand {@code
 * java.lang}'s internals to other JDK packages. {@code Tensor}'s own methods for them are
 * package-private, so they are not part of its public surface.
 *
 * <p>Only jnn's own packages obtain the instance: {@link #get()} throws {@link
 * IllegalCallerException} for any caller outside {@code dev.jnn.autograd} and {@code dev.jnn.nn}
 * (callers keep it in a {@code static final} field), and {@code ArchitectureTest} checks that no
 * other class of jnn depends on this one. User code that needs a differentiable op of its own
 * writes a {@link dev.jnn.autograd.Function}; see "Public API vs internals" in {@code
 * docs/ARCHITECTURE.md}.
 */
public final class TensorAccess {
  private static final TensorAccess INSTANCE = new TensorAccess();
  private static final Set<String> FRIENDS = Set.of("dev.jnn.autograd", "dev.jnn.nn");
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private TensorAccess() {}

  /** The instance, for a class of {@code dev.jnn.autograd} or {@code dev.jnn.nn} only. */
  public static TensorAccess get() {
    Class<?> caller = WALKER.getCallerClass();
    if (!FRIENDS.contains(caller.getPackageName())) {
      throw new IllegalCallerException(
          "dev.jnn.tensor.TensorAccess is internal to jnn (called from " + caller.getName()
              + "); write a dev.jnn.autograd.Function for a custom differentiable op");
    }
    return INSTANCE;
  }

  /**
   * Records a node named {@code name} with several outputs (when grad mode is on and an input
   * requires grad): {@code Autograd.recordMulti}, for {@code Function.apply} and module backward
   * hooks.
   */
  public Tensor[] recordMulti(
      String name, Tensor[] outs, Tensor[] inputs, Tensor[] saved, FunctionNode.Backward fn) {
    return Tensor.recordMulti(name, outs, inputs, saved, fn);
  }

  /** The (cached) accumulator node of a leaf that requires grad: the engine's root for a leaf. */
  public AccumulateGrad gradAccumulator(Tensor leaf) {
    return leaf.gradAccumulator();
  }

  /**
   * Adds {@code g} into {@code leaf}'s {@code grad} (see {@code Autograd.accumulateGrad}:
   * {@code exclusive} lets the leaf adopt a gradient nothing else refers to).
   */
  public void accumulateGrad(Tensor leaf, Tensor g, boolean exclusive) {
    leaf.accumulateGrad(g, exclusive);
  }

  /** A mark for {@link #createdSince}: tensor handles created from now on compare after it. */
  public long creationMark() {
    return Tensor.creationMark();
  }

  /** Whether handle {@code t} was created after {@link #creationMark()} returned {@code mark}. */
  public boolean createdSince(Tensor t, long mark) {
    return t.createdSince(mark);
  }
}
