package dev.jnn.nn.layers;

import dev.jnn.nn.utils.rnn.PackedSequence;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A multi-layer gated recurrent unit ({@code torch.nn.GRU}): per layer and time step,
 *
 * <pre>
 * r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 * z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 * h' = (1 - z) * n + z * h
 * </pre>
 *
 * <p>Input {@code [T, B, input_size]} ({@code [B, T, input_size]} with {@code batch_first}, or
 * unbatched {@code [T, input_size]}) and optionally {@code h_0} {@code [D * num_layers, B,
 * hidden_size]}, zeros when absent or null. Output an {@link RNNOutput} {@code (output, h_n)}.
 *
 * <pre>{@code
 * GRU gru = GRU.builder(10, 20).numLayers(2).bidirectional(true).build();
 * RNNOutput out = gru.callOutput(Tensor.randn(5, 3, 10));   // output [5, 3, 40], h_n [4, 3, 20]
 * }</pre>
 *
 * <p>Parameters as {@link RNN}'s with {@code 3 * hidden_size} rows ({@code W_ir|W_iz|W_in}), all
 * from {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}.
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.GRU.html">torch.nn.GRU</a>
 */
public final class GRU extends RNNBase<RNNOutput> {
  /** {@code nn.GRU(inputSize, hiddenSize)}. */
  public GRU(int inputSize, int hiddenSize) {
    this(builder(inputSize, hiddenSize));
  }

  /** {@code nn.GRU(inputSize, hiddenSize, numLayers)}. */
  public GRU(int inputSize, int hiddenSize, int numLayers) {
    this(builder(inputSize, hiddenSize).numLayers(numLayers));
  }

  private GRU(Builder b) {
    super(Recurrence.Mode.GRU, b, 0, RNNOutput.class);
  }

  /** A builder for the options beyond the constructors. */
  public static Builder builder(int inputSize, int hiddenSize) {
    return new Builder(inputSize, hiddenSize);
  }

  /**
   * {@code gru(input)} or {@code gru(input, h_0)} (a null {@code h_0} means zeros).
   *
   * @throws IllegalArgumentException with PyTorch's messages, as {@link RNN#forwardOutput}
   */
  @Override
  public RNNOutput forwardOutput(Tensor input) {
    return forwardSingleState(input, null);
  }

  /** {@code gru(input, h_0)}: see {@link #forwardOutput(Tensor)}. */
  @Override
  public RNNOutput forwardOutput(Tensor input, Tensor h0) {
    return forwardSingleState(input, h0);
  }

  /** {@code gru(input)} or {@code gru(input, h_0)}: see {@link #forwardOutput(Tensor)}. */
  @Override
  public RNNOutput forwardOutput(Tensor... inputs) {
    if (inputs.length < 1 || inputs.length > 2) {
      throw new IllegalArgumentException(
          "GRU.forward() takes the input and optionally h_0, got " + inputs.length + " tensors");
    }
    return forwardSingleState(inputs[0], inputs.length > 1 ? inputs[1] : null);
  }

  /** {@code gru(input, hx=h_0)}: the initial state may be the keyword argument {@code hx}. */
  @Override
  public RNNOutput forwardOutput(List<Tensor> args, Map<String, Object> kwargs) {
    return RNN.forwardWithKwargs(this, "GRU", args, kwargs);
  }

  /**
   * {@code gru(packed)}: the layer over a {@link PackedSequence} (from zero states), with its
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
   * {@code gru(packed, h_0)}: {@code h_0} {@code [D * num_layers, B, hidden_size]} in the batch
   * order of the unpacked input (a null {@code h_0} means zeros).
   */
  public PackedRNNOutput callPacked(PackedSequence input, Tensor h0) {
    return callPackedAs(PackedRNNOutput.class, input, h0);
  }

  /** Options of a {@link GRU}, named after PyTorch's keyword arguments. */
  public static final class Builder extends RNNBase.Builder<Builder> {
    private Builder(int inputSize, int hiddenSize) {
      super(inputSize, hiddenSize);
    }

    /** The layer. */
    public GRU build() {
      return new GRU(this);
    }
  }
}
