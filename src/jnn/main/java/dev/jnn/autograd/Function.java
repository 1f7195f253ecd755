package dev.jnn.autograd;

import dev.jnn.core.Shape;
import dev.jnn.tensor.Tensor;
import dev.jnn.tensor.TensorAccess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A user-defined differentiable function, as PyTorch's {@code torch.autograd.Function}: write
 * {@link #forward} and {@link #backward}, call {@link #apply}. The outputs get a backward node
 * named after the class ({@code MyExp} gives {@code MyExpBackward}, as in PyTorch), so {@code
 * loss.backward()} calls {@link #backward} with the gradients of the outputs.
 *
 * <pre>{@code
 * class MyExp extends Function {
 *   protected Tensor[] forward(Context ctx, Tensor... in) {
 *     Tensor y = in[0].exp();
 *     ctx.saveForBackward(y);                // ctx.save_for_backward(y)
 *     return new Tensor[] {y};
 *   }
 *   protected Tensor[] backward(Context ctx, Tensor... grad) {
 *     Tensor y = ctx.savedTensors()[0];      // y, = ctx.saved_tensors
 *     return new Tensor[] {grad[0].mul(y)};
 *   }
 * }
 * Tensor y = new MyExp().apply(x)[0];        // MyExp.apply(x)
 * }</pre>
 *
 * <p>As in PyTorch: {@link #forward} runs with gradient recording off; the tensors it saves are
 * version-checked when backward runs (modifying one in place in between is an error) and freed
 * after a backward without {@code retainGraph}; {@link Context#needsInputGrad(int)} says which
 * inputs need a gradient; {@link #backward} returns one gradient per input, {@code null} where
 * none is needed; a gradient whose shape broadcasts to its input's is summed down to it, any other
 * shape is an error; integer and boolean outputs are not differentiable. Non-tensor arguments go
 * in the subclass's fields (the constructor) or in {@link Context#set}. Differences: inputs are
 * tensors only; {@link #backward} gets {@code null} for the gradient of a non-differentiable
 * output; double backward through a custom function is not supported (its backward runs with
 * gradient recording off).
 */
public abstract class Function {
  private static final TensorAccess TENSORS = TensorAccess.get();

  /** What {@link #forward} hands to {@link #backward}: saved tensors, flags and values. */
  public static final class Context {
    private final boolean[] needsInputGrad;
    private Tensor[] saved = new Tensor[0];
    private final Map<String, Object> values = new HashMap<>();

    Context(boolean[] needsInputGrad) {
      this.needsInputGrad = needsInputGrad;
    }

    /** {@code ctx.save_for_backward(...)}: tensors {@link Function#backward} will read. */
    public void saveForBackward(Tensor... tensors) {
      for (Tensor t : tensors) {
        if (t == null) {
          throw new IllegalArgumentException("saveForBackward: null tensor (save only tensors)");
        }
      }
      saved = tensors.clone();
    }

    /** {@code ctx.saved_tensors}: what {@link #saveForBackward} saved. */
    public Tensor[] savedTensors() {
      return saved.clone();
    }

    /** {@code ctx.needs_input_grad[i]}: whether input {@code i} needs a gradient. */
    public boolean needsInputGrad(int i) {
      return needsInputGrad[i];
    }

    /** Keeps a value for {@link Function#backward} ({@code ctx.name = value} in PyTorch). */
    public void set(String name, Object value) {
      values.put(name, value);
    }

    /** A value kept with {@link #set}; throws when none was. */
    @SuppressWarnings("unchecked")
    public <T> T get(String name) {
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("Context has no value '" + name + "' (set it in forward)");
      }
      return (T) values.get(name);
    }
  }

  /**
   * The function's forward computation on {@code inputs} (run with gradient recording off);
   * returns its outputs.
   */
  protected abstract Tensor[] forward(Context ctx, Tensor... inputs);

  /**
   * The gradients of the inputs given those of the outputs ({@code null} for an output that is not
   * differentiable): one per input, {@code null} where none is needed.
   */
  protected abstract Tensor[] backward(Context ctx, Tensor... gradOutputs);

  /** The backward node's name: the class's simple name followed by {@code Backward}. */
  public String nodeName() {
    String n = getClass().getSimpleName();
    return (n.isEmpty() ? "Function" : n) + "Backward";
  }

  /** {@code MyFunction.apply(inputs...)}: runs {@link #forward} and records the backward. */
  public final Tensor[] apply(Tensor... inputs) {
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) {
        throw new IllegalArgumentException(nodeName() + ": input " + i + " is null (inputs are"
            + " tensors; pass other arguments through the function's fields)");
      }
    }
    boolean grad = GradMode.isEnabled();
    boolean[] needs = new boolean[inputs.length];
    boolean any = false;
    for (int i = 0; i < inputs.length; i++) {
      needs[i] = grad && inputs[i].requiresGrad();
      any |= needs[i];
    }
    Context ctx = new Context(needs);
    Tensor[] outs;
    try (NoGrad g = NoGrad.enter()) {
      outs = forward(ctx, inputs);
    }
    if (outs == null || outs.length == 0) {
      throw new IllegalStateException(nodeName() + ": forward returned no outputs");
    }
    outs = outs.clone();
    for (int i = 0; i < outs.length; i++) {
      for (Tensor in : inputs) {
        if (outs[i] != null && outs[i] == in) {
          outs[i] = outs[i].detach(); // an input returned as is: a new tensor sharing its data
        }
      }
    }
    if (!any) {
      return outs;
    }
    List<Integer> diff = new ArrayList<>();
    for (int i = 0; i < outs.length; i++) {
      if (outs[i] != null && outs[i].dtype().isFloatingPoint()) {
        diff.add(i);
      }
    }
    if (diff.isEmpty()) {
      return outs;
    }
    Tensor[] diffOuts = new Tensor[diff.size()];
    for (int k = 0; k < diffOuts.length; k++) {
      diffOuts[k] = outs[diff.get(k)];
    }
    Shape[] inShapes = new Shape[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      inShapes[i] = inputs[i].shape();
    }
    int nOut = outs.length;
    String name = nodeName();
    TENSORS.recordMulti(name, diffOuts, inputs, ctx.saved, gradDiff -> {
      Tensor[] gradAll = new Tensor[nOut];
      for (int k = 0; k < gradDiff.length; k++) {
        gradAll[diff.get(k)] = gradDiff[k];
      }
      Tensor[] gin;
      try (NoGrad g = NoGrad.enter()) {
        gin = backward(ctx, gradAll);
      }
      return checked(name, gin, inShapes, needs);
    });
    return outs;
  }

  /** PyTorch's checks of what a backward returned: count, then each gradient's shape. */
  private static Tensor[] checked(String name, Tensor[] gin, Shape[] inShapes, boolean[] needs) {
    int got = gin == null ? 0 : gin.length;
    if (got != inShapes.length) {
      throw new IllegalStateException("function " + name + " returned an incorrect number of"
          + " gradients (expected " + inShapes.length + ", got " + got + ")");
    }
    Tensor[] out = new Tensor[got];
    for (int i = 0; i < got; i++) {
      Tensor g = gin[i];
      if (g == null || !needs[i]) {
        continue;
      }
      Shape want = inShapes[i];
      if (!g.shape().equals(want)) {
        if (!expandable(want, g.shape())) {
          throw new IllegalStateException("Function " + name + " returned an invalid gradient at"
              + " index " + i + " - got " + g.shape() + " but expected shape compatible with "
              + want);
        }
        g = Tensor.sumToShape(g, want);
      }
      out[i] = g;
    }
    return out;
  }

  /** Whether {@code from} broadcasts to {@code to} (so a gradient of shape {@code to} sums down). */
  private static boolean expandable(Shape from, Shape to) {
    long[] f = from.dims();
    long[] t = to.dims();
    if (f.length > t.length) {
      return false;
    }
    for (int i = 1; i <= f.length; i++) {
      long a = f[f.length - i];
      long b = t[t.length - i];
      if (a != b && a != 1) {
        return false;
      }
    }
    return true;
  }
}
