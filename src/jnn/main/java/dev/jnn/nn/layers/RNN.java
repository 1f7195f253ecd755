package dev.jnn.nn.layers;

import dev.jnn.nn.utils.rnn.PackedSequence;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A multi-layer Elman RNN ({@code torch.nn.RNN}): per layer, {@code h_t = tanh(x_t W_ih^T + b_ih +
 * h_{t-1} W_hh^T + b_hh)} ({@code relu} with {@code nonlinearity("relu")}).
 *
 * <p>Input {@code [T, B, input_size]} ({@code [B, T, input_size]} with {@code batch_first}, or
 * unbatched {@code [T, input_size]}) and optionally the initial hidden state {@code h_0} {@code
 * [D * num_layers, B, hidden_size]} ({@code [D * num_layers, hidden_size]} unbatched), zeros when
 * absent or null. Output an {@link RNNOutput} {@code (output, h_n)}.
 *
 * <pre>{@code
 * RNN rnn = new RNN(10, 20, 2);                    // RNN(10, 20, num_layers=2)
 * RNNOutput out = rnn.callOutput(Tensor.randn(5, 3, 10), Tensor.randn(2, 3, 20));
 * out.output();                                     // [5, 3, 20]
 * out.hN();                                         // [2, 3, 20]
 * RNN bi = RNN.builder(10, 20).nonlinearity("relu").bidirectional(true).batchFirst(true).build();
 * }</pre>
 *
 * <p>Parameters (per layer {@code k} and direction, {@code _reverse} for the second): {@code
 * weight_ih_lk} {@code [hidden_size, input_size]} ({@code [hidden_size, D * hidden_size]} for
 * {@code k > 0}), {@code weight_hh_lk} {@code [hidden_size, hidden_size]}, {@code bias_ih_lk} and
 * {@code bias_hh_lk} {@code [hidden_size]}, all from {@code U(-1/sqrt(hidden_size),
 * 1/sqrt(hidden_size))}. PyTorch's {@code extra_repr} does not show {@code nonlinearity}, so
 * neither does this one.
 *
 * <p>The initial state may also be given as the keyword argument {@code hx} ({@link
 * #callOutput(List, Map)}).
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.RNN.html">torch.nn.RNN</a>
 */
public final class RNN extends RNNBase<RNNOutput> {
  private final String nonlinearity;

  /** {@code nn.RNN(inputSize, hiddenSize)}. */
  public RNN(int inputSize, int hiddenSize) {
    this(builder(inputSize, hiddenSize));
  }

  /** {@code nn.RNN(inputSize, hiddenSize, numLayers)}. */
  public RNN(int inputSize, int hiddenSize, int numLayers) {
    this(builder(inputSize, hiddenSize).numLayers(numLayers));
  }

  private RNN(Builder b) {
    super(mode(b.nonlinearity), b, 0, RNNOutput.class);
    this.nonlinearity = b.nonlinearity;
  }

  private static Recurrence.Mode mode(String nonlinearity) {
    if ("tanh".equals(nonlinearity)) {
      return Recurrence.Mode.RNN_TANH;
    }
    if ("relu".equals(nonlinearity)) {
      return Recurrence.Mode.RNN_RELU;
    }
    throw new IllegalArgumentException("Unknown nonlinearity '" + nonlinearity + "'");
  }

  /** A builder for the options beyond the constructors. */
  public static Builder builder(int inputSize, int hiddenSize) {
    return new Builder(inputSize, hiddenSize);
  }

  /**
   * {@code rnn(input)} or {@code rnn(input, h_0)} (a null {@code h_0} means zeros).
   *
   * @throws IllegalArgumentException with PyTorch's messages: {@code input must have 3
   *     dimensions, got 4}, {@code input.size(-1) must be equal to input_size. Expected 10, got
   *     7}, {@code Expected hidden size (2, 3, 20), got [2, 4, 20]}, {@code For batched 3-D input,
   *     hx should also be 3-D but got 2-D tensor}, ...
   */
  @Override
  public RNNOutput forwardOutput(Tensor input) {
    return forwardSingleState(input, null);
  }

  /** {@code rnn(input, h_0)}: see {@link #forwardOutput(Tensor)}. */
  @Override
  public RNNOutput forwardOutput(Tensor input, Tensor h0) {
    return forwardSingleState(input, h0);
  }

  /** {@code rnn(input)} or {@code rnn(input, h_0)}: see {@link #forwardOutput(Tensor)}. */
  @Override
  public RNNOutput forwardOutput(Tensor... inputs) {
    if (inputs.length < 1 || inputs.length > 2) {
      throw new IllegalArgumentException(
          "RNN.forward() takes the input and optionally h_0, got " + inputs.length + " tensors");
    }
    return forwardSingleState(inputs[0], inputs.length > 1 ? inputs[1] : null);
  }

  /** {@code rnn(input, hx=h_0)}: the initial state may be the keyword argument {@code hx}. */
  @Override
  public RNNOutput forwardOutput(List<Tensor> args, Map<String, Object> kwargs) {
    return forwardWithKwargs(this, "RNN", args, kwargs);
  }

  static RNNOutput forwardWithKwargs(
      RNNBase<RNNOutput> m, String name, List<Tensor> args, Map<String, Object> kwargs) {
    Object hx = Recurrence.hxKwarg(name, kwargs);
    if (!kwargs.containsKey("hx")) {
      return m.forwardOutput(args.toArray(new Tensor[0]));
    }
    if (args.size() != 1) {
      throw args.isEmpty() ? Recurrence.missingInput(name) : Recurrence.multipleHx(name);
    }
    if (hx != null && !(hx instanceof Tensor)) {
      throw new IllegalArgumentException(
          name + ".forward(): hx must be a Tensor or None, got " + hx.getClass().getName());
    }
    return m.forwardOutput(args.get(0), (Tensor) hx);
  }

  /** {@code nonlinearity}: {@code tanh} or {@code relu}. */
  public String nonlinearity() {
    return nonlinearity;
  }

  /**
   * {@code rnn(packed)}: the layer over a {@link PackedSequence} (from zero states), with its
   * hooks; the input is passed as PyTorch's keyword argument {@code input} (see {@code
   * docs/module-internals.md}).
   *
   * @throws IllegalArgumentException with PyTorch's messages: {@code input must have 2
   *     dimensions, got 3}, {@code Expected hidden size (1, 3, 20), got [1, 4, 20]}, ...
   */
  public PackedRNNOutput callPacked(PackedSequence input) {
    return callPackedAs(PackedRNNOutput.class, input, null);
  }

  /**
   * {@code rnn(packed, h_0)}: {@code h_0} {@code [D * num_layers, B, hidden_size]} in the batch
   * order of the unpacked input (a null {@code h_0} means zeros).
   */
  public PackedRNNOutput callPacked(PackedSequence input, Tensor h0) {
    return callPackedAs(PackedRNNOutput.class, input, h0);
  }

  /** Options of an {@link RNN}, named after PyTorch's keyword arguments. */
  public static final class Builder extends RNNBase.Builder<Builder> {
    private String nonlinearity = "tanh";

    private Builder(int inputSize, int hiddenSize) {
      super(inputSize, hiddenSize);
    }

    /** {@code nonlinearity} (default {@code tanh}): {@code tanh} or {@code relu}. */
    public Builder nonlinearity(String nonlinearity) {
      this.nonlinearity = Objects.requireNonNull(nonlinearity, "nonlinearity");
      return this;
    }

    /** The layer. */
    public RNN build() {
      return new RNN(this);
    }
  }
}
