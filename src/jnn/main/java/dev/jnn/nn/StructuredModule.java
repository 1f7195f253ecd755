package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A module whose output is a structured value of type {@code O} rather than one tensor, with typed
 * access for the caller: PyTorch's {@code LSTM} returning {@code (output, (h_n, c_n))}, a network
 * with two heads, a detection head returning a dict. Implement one of the {@code forwardOutput}
 * overloads and call the module with {@link #callOutput(Tensor...)}, which runs the same hooks as
 * {@link #call(Tensor...)} and returns an {@code O} without a cast:
 *
 * <pre>{@code
 * record Heads(Tensor cls, Tensor box) {}
 *
 * class TwoHead extends StructuredModule<Heads> {
 *   final Linear trunk = registerModule("trunk", new Linear(4, 8));
 *   final Linear cls = registerModule("cls", new Linear(8, 3));
 *   final Linear box = registerModule("box", new Linear(8, 4));
 *
 *   TwoHead() { super(Heads.class); }
 *
 *   @Override public Heads forwardOutput(Tensor x) {
 *     Tensor h = Functional.relu(trunk.call(x));
 *     return new Heads(cls.call(h), box.call(h));
 *   }
 * }
 *
 * Heads out = net.callOutput(x);   // out.cls(), out.box()
 * }</pre>
 *
 * <p>A record is PyTorch's tuple (a namedtuple): its components in declaration order are the
 * elements full backward hooks see one gradient for (null for a non-tensor component or a nested
 * record, as PyTorch gives {@code None} for a nested tuple); a {@link Map} is a dict and a {@link
 * List} a list, which full backward hooks do not look into. See {@link Module#forwardAny}. Shape
 * the record as PyTorch shapes the tuple: {@code LSTM}'s {@code (output, (h_n, c_n))} is a record
 * {@code (output, state)} whose {@code state} is a record {@code (hN, cN)}; convenience accessors
 * such as {@code hN()} may be added to the outer record.
 *
 * <p>Forward hooks that see the structured output are {@link ForwardHookAny}; a hook may replace
 * the output by any value, but {@link #callOutput} then checks that it is still an instance of the
 * output type given to the constructor (use {@link #callAny(Tensor...)} to receive anything). The
 * tensor-returning {@code forward} and {@code call} methods of {@link Module} do not apply: the
 * {@code forward} overloads throw, and {@code call} throws since the output is not a tensor.
 *
 * @param <O> the output type
 */
public abstract class StructuredModule<O> extends Module {
  private final Class<?> outputType;

  /**
   * A module whose outputs are instances of {@code outputType} (the raw class for a generic type,
   * e.g. {@code Map.class} for {@code Map<String, Tensor>}); {@link #callOutput} checks hook
   * replacements against it.
   */
  protected StructuredModule(Class<?> outputType) {
    this.outputType = Objects.requireNonNull(outputType, "outputType");
  }

  /** The output type given to the constructor. */
  public final Class<?> outputType() {
    return outputType;
  }

  // ---------------------------------------------------------------- forward

  /** The computation of a single-input module; override it or another overload. */
  public O forwardOutput(Tensor input) {
    throw missingForward();
  }

  /** The computation of a two-input module. */
  public O forwardOutput(Tensor input, Tensor other) {
    throw missingForward();
  }

  /**
   * The computation for any number of positional inputs (null entries are non-tensor arguments);
   * the default dispatches one input to {@link #forwardOutput(Tensor)} and two to {@link
   * #forwardOutput(Tensor, Tensor)}.
   */
  public O forwardOutput(Tensor... inputs) {
    switch (inputs.length) {
      case 1:
        return forwardOutput(inputs[0]);
      case 2:
        return forwardOutput(inputs[0], inputs[1]);
      default:
        throw missingForward();
    }
  }

  /**
   * The computation with keyword arguments; the default rejects any keyword argument, like a
   * Python {@code forward} without such a parameter, and calls {@link #forwardOutput(Tensor...)}.
   */
  public O forwardOutput(List<Tensor> args, Map<String, Object> kwargs) {
    rejectKwargs(kwargs);
    return forwardOutput(args.toArray(new Tensor[0]));
  }

  /**
   * Runs {@link #forwardOutput(List, Map)}: the computation {@link #callAny} hooks around. A
   * subclass may override it to return another structure for some arguments, as a Python {@code
   * forward} may (the recurrent layers return a {@code PackedRNNOutput} for a {@code
   * PackedSequence} input); {@link #callOutput} then rejects that output, and the subclass offers
   * its own typed call for it.
   */
  @Override
  public Object forwardAny(List<Tensor> args, Map<String, Object> kwargs) {
    return forwardOutput(args, kwargs);
  }

  private UnsupportedOperationException notTensor() {
    return new UnsupportedOperationException(
        pythonClassName()
            + " returns a "
            + outputType.getName()
            + ", not a Tensor: implement and call forwardOutput, or call the module with"
            + " callOutput");
  }

  /**
   * Not applicable: a structured module's computation is {@link #forwardOutput(Tensor)}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public final Tensor forward(Tensor input) {
    throw notTensor();
  }

  /**
   * Not applicable, see {@link #forward(Tensor)}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public final Tensor forward(Tensor input, Tensor other) {
    throw notTensor();
  }

  /**
   * Not applicable, see {@link #forward(Tensor)}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public final Tensor forward(Tensor... inputs) {
    throw notTensor();
  }

  /**
   * Not applicable, see {@link #forward(Tensor)}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public final Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    throw notTensor();
  }

  // ---------------------------------------------------------------- call

  /**
   * Runs the module ({@code module(*args)}) with its hooks, as {@link #callAny(Tensor...)} does,
   * and returns the typed output.
   *
   * @throws IllegalStateException when a forward hook replaced the output by a value that is not
   *     an instance of {@link #outputType()}
   */
  public final O callOutput(Tensor... inputs) {
    return typed(callAny(inputs));
  }

  /** Runs the module with positional and keyword arguments and returns the typed output. */
  public final O callOutput(List<Tensor> args, Map<String, Object> kwargs) {
    return typed(callAny(args, kwargs));
  }

  @SuppressWarnings("unchecked")
  private O typed(Object output) {
    if (output != null && !outputType.isInstance(output)) {
      throw new IllegalStateException(
          pythonClassName()
              + " outputs a "
              + outputType.getName()
              + ", but its call returned a "
              + Outputs.typeName(output)
              + " (replaced by a forward hook); call it with callAny to receive such a"
              + " replacement");
    }
    return (O) output;
  }
}
