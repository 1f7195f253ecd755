package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An Elman RNN cell ({@code torch.nn.RNNCell}): {@code h' = tanh(x W_ih^T + b_ih + h W_hh^T +
 * b_hh)} ({@code relu} with {@code nonlinearity "relu"}).
 *
 * <p>Input {@code [B, input_size]} or unbatched {@code [input_size]}, optionally {@code h}
 * {@code [B, hidden_size]} (or {@code [hidden_size]}; zeros when absent or null); output {@code
 * h'} of {@code h}'s shape.
 *
 * <pre>{@code
 * RNNCell cell = new RNNCell(10, 20);      // RNNCell(10, 20)
 * Tensor h = null;
 * for (Tensor x : Tensor.randn(6, 3, 10).unbind(0)) {
 *   h = h == null ? cell.call(x) : cell.call(x, h);
 * }
 * }</pre>
 *
 * <p>Parameters {@code weight_ih} {@code [hidden_size, input_size]}, {@code weight_hh} {@code
 * [hidden_size, hidden_size]}, {@code bias_ih}, {@code bias_hh} {@code [hidden_size]}, all from
 * {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}.
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.RNNCell.html">torch.nn.RNNCell</a>
 */
public final class RNNCell extends Module {
  private final int inputSize;
  private final int hiddenSize;
  private final boolean bias;
  private final String nonlinearity;
  private final Recurrence.Mode mode;

  /** {@code nn.RNNCell(inputSize, hiddenSize)}. */
  public RNNCell(int inputSize, int hiddenSize) {
    this(builder(inputSize, hiddenSize));
  }

  /** {@code nn.RNNCell(inputSize, hiddenSize, bias, nonlinearity)}. */
  public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
    this(builder(inputSize, hiddenSize).bias(bias).nonlinearity(nonlinearity));
  }

  private RNNCell(Builder b) {
    this.inputSize = b.inputSize;
    this.hiddenSize = b.hiddenSize;
    this.bias = b.bias;
    this.nonlinearity = b.nonlinearity;
    // PyTorch 1.13 accepts any nonlinearity here and fails in forward ("Unknown nonlinearity: x")
    this.mode =
        switch (nonlinearity) {
          case "tanh" -> Recurrence.Mode.RNN_TANH;
          case "relu" -> Recurrence.Mode.RNN_RELU;
          default -> null;
        };
    Recurrence.registerCellParameters(this, 1, inputSize, hiddenSize, bias, b.dtype, b.device);
  }

  /** A builder for the options beyond the constructors. */
  public static Builder builder(int inputSize, int hiddenSize) {
    return new Builder(inputSize, hiddenSize);
  }

  /** Re-initialises every parameter from {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}. */
  public void resetParameters() {
    Recurrence.resetUniform(this, hiddenSize);
  }

  /** {@code cell(input)}: from a zero hidden state. */
  @Override
  public Tensor forward(Tensor input) {
    return forward(input, (Tensor) null);
  }

  /**
   * {@code cell(input, hx)} (a null {@code hx} means zeros).
   *
   * @throws IllegalArgumentException with PyTorch's messages: {@code RNNCell: Expected input to be
   *     1-D or 2-D but received 3-D tensor}, {@code input has inconsistent input_size: got 6
   *     expected 5}, {@code Input batch size 3 doesn't match hidden0 batch size 2}, {@code hidden0
   *     has inconsistent hidden_size: got 5, expected 4}, {@code Unknown nonlinearity: x}
   */
  @Override
  public Tensor forward(Tensor input, Tensor hx) {
    if (mode == null) {
      Recurrence.checkCellRank("RNNCell", input);
      throw new IllegalArgumentException("Unknown nonlinearity: " + nonlinearity);
    }
    return Recurrence.cell("RNNCell", mode, this, input, hx, null).h();
  }

  /** {@code cell(input, hx=h)}. */
  @Override
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    return cellWithKwargs(this, "RNNCell", args, kwargs);
  }

  static Tensor cellWithKwargs(
      Module m, String name, List<Tensor> args, Map<String, Object> kwargs) {
    Object hx = Recurrence.hxKwarg(name, kwargs);
    if (!kwargs.containsKey("hx")) {
      return m.forward(args.toArray(new Tensor[0]));
    }
    if (args.size() != 1) {
      throw args.isEmpty() ? Recurrence.missingInput(name) : Recurrence.multipleHx(name);
    }
    if (hx != null && !(hx instanceof Tensor)) {
      throw new IllegalArgumentException(
          name + ".forward(): hx must be a Tensor or None, got " + hx.getClass().getName());
    }
    return m.forward(args.get(0), (Tensor) hx);
  }

  /** {@code 10, 20, bias=False, nonlinearity=relu}: non-defaults only, as PyTorch. */
  @Override
  protected String extraRepr() {
    return Recurrence.cellRepr(inputSize, hiddenSize, bias, nonlinearity);
  }

  /** {@code weight_ih} {@code [hidden_size, input_size]}. */
  public Parameter weightIh() {
    return (Parameter) getAttribute("weight_ih");
  }

  /** {@code weight_hh} {@code [hidden_size, hidden_size]}. */
  public Parameter weightHh() {
    return (Parameter) getAttribute("weight_hh");
  }

  /** {@code bias_ih} {@code [hidden_size]}, or null without bias. */
  public Parameter biasIh() {
    return (Parameter) getAttribute("bias_ih");
  }

  /** {@code bias_hh} {@code [hidden_size]}, or null without bias. */
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

  /** {@code nonlinearity}. */
  public String nonlinearity() {
    return nonlinearity;
  }

  /** Options of an {@link RNNCell}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int inputSize;
    private final int hiddenSize;
    private boolean bias = true;
    private String nonlinearity = "tanh";
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

    /** {@code nonlinearity} (default {@code tanh}): {@code tanh} or {@code relu}. */
    public Builder nonlinearity(String nonlinearity) {
      this.nonlinearity = Objects.requireNonNull(nonlinearity, "nonlinearity");
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
    public RNNCell build() {
      return new RNNCell(this);
    }
  }
}
