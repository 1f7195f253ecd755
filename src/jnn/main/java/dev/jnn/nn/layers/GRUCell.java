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
 * A gated recurrent unit cell ({@code torch.nn.GRUCell}):
 *
 * <pre>
 * r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 * z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 * h' = (1 - z) * n + z * h
 * </pre>
 *
 * <p>Input {@code [B, input_size]} or unbatched {@code [input_size]}, optionally {@code h}
 * {@code [B, hidden_size]} (or {@code [hidden_size]}; zeros when absent or null); output {@code
 * h'} of {@code h}'s shape.
 *
 * <pre>{@code
 * GRUCell cell = new GRUCell(10, 20);      // GRUCell(10, 20)
 * Tensor h = null;
 * for (Tensor x : Tensor.randn(6, 3, 10).unbind(0)) {
 *   h = h == null ? cell.call(x) : cell.call(x, h);
 * }
 * }</pre>
 *
 * <p>Parameters {@code weight_ih} {@code [3 * hidden_size, input_size]} ({@code W_ir|W_iz|W_in}),
 * {@code weight_hh} {@code [3 * hidden_size, hidden_size]}, {@code bias_ih}, {@code bias_hh} {@code
 * [3 * hidden_size]}, all from {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}.
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.GRUCell.html">torch.nn.GRUCell</a>
 */
public final class GRUCell extends Module {
  private final int inputSize;
  private final int hiddenSize;
  private final boolean bias;

  /** {@code nn.GRUCell(inputSize, hiddenSize)}. */
  public GRUCell(int inputSize, int hiddenSize) {
    this(builder(inputSize, hiddenSize));
  }

  /** {@code nn.GRUCell(inputSize, hiddenSize, bias)}. */
  public GRUCell(int inputSize, int hiddenSize, boolean bias) {
    this(builder(inputSize, hiddenSize).bias(bias));
  }

  private GRUCell(Builder b) {
    this.inputSize = b.inputSize;
    this.hiddenSize = b.hiddenSize;
    this.bias = b.bias;
    Recurrence.registerCellParameters(this, 3, inputSize, hiddenSize, bias, b.dtype, b.device);
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
   * @throws IllegalArgumentException with PyTorch's messages: {@code GRUCell: Expected input to be
   *     1-D or 2-D but received 3-D tensor}, {@code input has inconsistent input_size: got 6
   *     expected 5}, {@code Input batch size 3 doesn't match hidden0 batch size 2}, {@code hidden0
   *     has inconsistent hidden_size: got 5, expected 4}
   */
  @Override
  public Tensor forward(Tensor input, Tensor hx) {
    return Recurrence.cell("GRUCell", Recurrence.Mode.GRU, this, input, hx, null).h();
  }

  /** {@code cell(input, hx=h)}. */
  @Override
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    return RNNCell.cellWithKwargs(this, "GRUCell", args, kwargs);
  }

  /** {@code 10, 20, bias=False}: non-defaults only, as PyTorch. */
  @Override
  protected String extraRepr() {
    return Recurrence.cellRepr(inputSize, hiddenSize, bias, null);
  }

  /** {@code weight_ih} {@code [3 * hidden_size, input_size]}. */
  public Parameter weightIh() {
    return (Parameter) getAttribute("weight_ih");
  }

  /** {@code weight_hh} {@code [3 * hidden_size, hidden_size]}. */
  public Parameter weightHh() {
    return (Parameter) getAttribute("weight_hh");
  }

  /** {@code bias_ih} {@code [3 * hidden_size]}, or null without bias. */
  public Parameter biasIh() {
    return (Parameter) getAttribute("bias_ih");
  }

  /** {@code bias_hh} {@code [3 * hidden_size]}, or null without bias. */
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

  /** Options of an {@link GRUCell}, named after PyTorch's keyword arguments. */
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
    public GRUCell build() {
      return new GRUCell(this);
    }
  }
}
