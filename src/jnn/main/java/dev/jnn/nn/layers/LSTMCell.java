package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.nn.StructuredModule;
import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A long short-term memory cell ({@code torch.nn.LSTMCell}):
 *
 * <pre>
 * i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)         o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 * c' = f * c + i * g                              h' = o * tanh(c')
 * </pre>
 *
 * <p>Input {@code [B, input_size]} or unbatched {@code [input_size]}, optionally the state {@code
 * h}, {@code c} {@code [B, hidden_size]} (or {@code [hidden_size]}; zeros when absent); output an
 * {@link LSTMState} {@code (h', c')}. PyTorch passes the state as one tuple {@code hx=(h, c)};
 * here it is two tensors {@code callOutput(input, h, c)} (both or neither), an {@link LSTMState}
 * ({@link #callOutput(Tensor, LSTMState)}) or the keyword argument {@code hx} holding either.
 *
 * <pre>{@code
 * LSTMCell cell = new LSTMCell(10, 20);      // LSTMCell(10, 20)
 * LSTMState s = null;
 * for (Tensor x : Tensor.randn(6, 3, 10).unbind(0)) {
 *   s = cell.callOutput(x, s);                // s.h(), s.c(): [3, 20]
 * }
 * }</pre>
 *
 * <p>Parameters {@code weight_ih} {@code [4 * hidden_size, input_size]} ({@code W_ii|W_if|W_ig|W_io}),
 * {@code weight_hh} {@code [4 * hidden_size, hidden_size]}, {@code bias_ih}, {@code bias_hh} {@code
 * [4 * hidden_size]}, all from {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}.
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.LSTMCell.html">torch.nn.LSTMCell</a>
 */
public final class LSTMCell extends StructuredModule<LSTMState> {
  private final int inputSize;
  private final int hiddenSize;
  private final boolean bias;

  /** {@code nn.LSTMCell(inputSize, hiddenSize)}. */
  public LSTMCell(int inputSize, int hiddenSize) {
    this(builder(inputSize, hiddenSize));
  }

  /** {@code nn.LSTMCell(inputSize, hiddenSize, bias)}. */
  public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
    this(builder(inputSize, hiddenSize).bias(bias));
  }

  private LSTMCell(Builder b) {
    super(LSTMState.class);
    this.inputSize = b.inputSize;
    this.hiddenSize = b.hiddenSize;
    this.bias = b.bias;
    Recurrence.registerCellParameters(this, 4, inputSize, hiddenSize, bias, b.dtype, b.device);
  }

  /** A builder for the options beyond the constructors. */
  public static Builder builder(int inputSize, int hiddenSize) {
    return new Builder(inputSize, hiddenSize);
  }

  /** Re-initialises every parameter from {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}. */
  public void resetParameters() {
    Recurrence.resetUniform(this, hiddenSize);
  }

  /** {@code cell(input)}: from zero states. */
  @Override
  public LSTMState forwardOutput(Tensor input) {
    return forwardState(input, null, null);
  }

  /**
   * Not applicable: PyTorch's {@code hx} is the pair {@code (h, c)}, given here as {@link
   * #forwardOutput(Tensor, Tensor, Tensor)} or an {@link LSTMState}.
   *
   * @throws IllegalArgumentException always
   */
  @Override
  public LSTMState forwardOutput(Tensor input, Tensor h) {
    throw new IllegalArgumentException(
        "LSTMCell.forward() takes the input and optionally h and c (PyTorch's hx=(h, c)),"
            + " got 2 tensors");
  }

  /** {@code cell(input, (h, c))}, both states given or both null (zeros). */
  public LSTMState forwardOutput(Tensor input, Tensor h, Tensor c) {
    return forwardState(input, h, c);
  }

  /**
   * {@code cell(input)} or {@code cell(input, (h, c))} given as {@code (input, h, c)}.
   *
   * @throws IllegalArgumentException with PyTorch's messages: {@code LSTMCell: Expected input to
   *     be 1-D or 2-D but received 3-D tensor}, {@code input has inconsistent input_size: got 6
   *     expected 5}, {@code Input batch size 3 doesn't match hidden0 batch size 2}, {@code hidden0
   *     has inconsistent hidden_size: got 5, expected 4} (for {@code c} as well), ...
   */
  @Override
  public LSTMState forwardOutput(Tensor... inputs) {
    if (inputs.length == 1) {
      return forwardState(inputs[0], null, null);
    }
    if (inputs.length == 3) {
      return forwardState(inputs[0], inputs[1], inputs[2]);
    }
    throw new IllegalArgumentException(
        "LSTMCell.forward() takes the input and optionally h and c (PyTorch's hx=(h, c)), got "
            + inputs.length
            + " tensors");
  }

  /**
   * {@code cell(input, hx=(h, c))}: the keyword argument {@code hx} holds an {@link LSTMState} or
   * a list of two tensors (or null).
   */
  @Override
  public LSTMState forwardOutput(List<Tensor> args, Map<String, Object> kwargs) {
    Object hx = Recurrence.hxKwarg("LSTMCell", kwargs);
    if (!kwargs.containsKey("hx")) {
      return forwardOutput(args.toArray(new Tensor[0]));
    }
    if (args.size() != 1) {
      throw args.isEmpty()
          ? Recurrence.missingInput("LSTMCell")
          : Recurrence.multipleHx("LSTMCell");
    }
    if (hx == null) {
      return forwardState(args.get(0), null, null);
    }
    if (hx instanceof LSTMState s) {
      return forwardState(args.get(0), s.h(), s.c());
    }
    if (hx instanceof List<?> l
        && l.size() == 2
        && l.get(0) instanceof Tensor h
        && l.get(1) instanceof Tensor c) {
      return forwardState(args.get(0), h, c);
    }
    throw new IllegalArgumentException(
        "LSTMCell.forward(): hx must be an LSTMState or a list of two tensors (h, c), got "
            + hx.getClass().getName());
  }

  /**
   * {@code cell(input, hx)} with hooks, as {@link #callOutput(Tensor...)}: {@code
   * callOutput(input, hx.h(), hx.c())}, or {@code callOutput(input)} when {@code hx} is null.
   */
  public LSTMState callOutput(Tensor input, LSTMState hx) {
    return hx == null ? callOutput(input) : callOutput(input, hx.h(), hx.c());
  }

  private LSTMState forwardState(Tensor input, Tensor h, Tensor c) {
    if ((h == null) != (c == null)) {
      throw new IllegalArgumentException(
          "LSTMCell.forward(): h and c must be given together (PyTorch's hx=(h, c))");
    }
    Recurrence.State s = Recurrence.cell("LSTMCell", Recurrence.Mode.LSTM, this, input, h, c);
    return new LSTMState(s.h(), s.c());
  }

  /** {@code 10, 20, bias=False}: non-defaults only, as PyTorch. */
  @Override
  protected String extraRepr() {
    return Recurrence.cellRepr(inputSize, hiddenSize, bias, null);
  }

  /** {@code weight_ih} {@code [4 * hidden_size, input_size]}. */
  public Parameter weightIh() {
    return (Parameter) getAttribute("weight_ih");
  }

  /** {@code weight_hh} {@code [4 * hidden_size, hidden_size]}. */
  public Parameter weightHh() {
    return (Parameter) getAttribute("weight_hh");
  }

  /** {@code bias_ih} {@code [4 * hidden_size]}, or null without bias. */
  public Parameter biasIh() {
    return (Parameter) getAttribute("bias_ih");
  }

  /** {@code bias_hh} {@code [4 * hidden_size]}, or null without bias. */
  public Parameter biasHh() {
    return (Parameter) getAttribute("bias_hh");
  }

  /** {@code input_size}. */
  public int inputSize() {
    return inputSize;
  }

  /** {@code hidden_size}. */
  public int hiddenSize() {
    return hiddenSize;
  }

  /** {@code bias}. */
  public boolean bias() {
    return bias;
  }

  /** Options of an {@link LSTMCell}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int inputSize;
    private final int hiddenSize;
    private boolean bias = true;
    private Device device = Device.CPU;
    private DType dtype = DType.FLOAT32;

    private Builder(int inputSize, int hiddenSize) {
      this.inputSize = inputSize;
      this.hiddenSize = hiddenSize;
    }

    /** {@code bias} (default true). */
    public Builder bias(boolean bias) {
      this.bias = bias;
      return this;
    }

    /** {@code device} of the parameters (default CPU). */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** {@code dtype} of the parameters (default float32). */
    public Builder dtype(DType dtype) {
      this.dtype = Objects.requireNonNull(dtype, "dtype");
      return this;
    }

    /** The cell. */
    public LSTMCell build() {
      return new LSTMCell(this);
    }
  }
}
