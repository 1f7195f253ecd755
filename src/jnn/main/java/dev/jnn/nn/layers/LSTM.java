package dev.jnn.nn.layers;

import dev.jnn.nn.utils.rnn.PackedSequence;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A multi-layer long short-term memory RNN ({@code torch.nn.LSTM}): per layer and time step,
 *
 * <pre>
 * i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)         o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 * c' = f * c + i * g                              h' = o * tanh(c')    (then h' W_hr^T with proj_size)
 * </pre>
 *
 * <p>Input {@code [T, B, input_size]} ({@code [B, T, input_size]} with {@code batch_first}, or
 * unbatched {@code [T, input_size]}) and optionally the initial states {@code h_0} {@code [D *
 * num_layers, B, H_out]} and {@code c_0} {@code [D * num_layers, B, hidden_size]} (without the
 * batch dim for unbatched input; {@code H_out} is {@code proj_size} when set, else {@code
 * hidden_size}), zeros when absent. Output an {@link LSTMOutput} {@code (output, (h_n, c_n))}.
 *
 * <p>PyTorch passes the initial states as one tuple {@code hx=(h_0, c_0)}; the positional
 * arguments of {@link #callOutput(Tensor...)} are tensors, so they are given as two tensors
 * {@code callOutput(input, h_0, c_0)} (both or neither; two nulls mean zeros), as an {@link
 * LSTMState} ({@link #callOutput(Tensor, LSTMState)}), or as the keyword argument {@code hx}
 * holding an {@link LSTMState} or a list of two tensors.
 *
 * <pre>{@code
 * LSTM lstm = LSTM.builder(10, 20).numLayers(2).batchFirst(true).bidirectional(true).build();
 * // LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True)
 * LSTMOutput out = lstm.callOutput(Tensor.randn(3, 5, 10));
 * out.output();   // [3, 5, 40]
 * out.hN();       // [4, 3, 20]
 * out.cN();       // [4, 3, 20]
 * }</pre>
 *
 * <p>Parameters as {@link RNN}'s with {@code 4 * hidden_size} rows ({@code W_ii|W_if|W_ig|W_io}),
 * plus {@code weight_hr_lk} {@code [proj_size, hidden_size]} with {@code proj_size}, all from
 * {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}.
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.LSTM.html">torch.nn.LSTM</a>
 */
public final class LSTM extends RNNBase<LSTMOutput> {
  /** {@code nn.LSTM(inputSize, hiddenSize)}. */
  public LSTM(int inputSize, int hiddenSize) {
    this(builder(inputSize, hiddenSize));
  }

  /** {@code nn.LSTM(inputSize, hiddenSize, numLayers)}. */
  public LSTM(int inputSize, int hiddenSize, int numLayers) {
    this(builder(inputSize, hiddenSize).numLayers(numLayers));
  }

  private LSTM(Builder b) {
    super(Recurrence.Mode.LSTM, b, b.projSize, LSTMOutput.class);
  }

  /** A builder for the options beyond the constructors ({@code proj_size} among them). */
  public static Builder builder(int inputSize, int hiddenSize) {
    return new Builder(inputSize, hiddenSize);
  }

  /** {@code lstm(input)}: from zero states. */
  @Override
  public LSTMOutput forwardOutput(Tensor input) {
    return forwardStates(input, null, null);
  }

  /**
   * Not applicable: PyTorch's {@code hx} is the pair {@code (h_0, c_0)}, given here as {@link
   * #forwardOutput(Tensor, Tensor, Tensor)} or an {@link LSTMState}.
   *
   * @throws IllegalArgumentException always
   */
  @Override
  public LSTMOutput forwardOutput(Tensor input, Tensor h0) {
    throw new IllegalArgumentException(
        "LSTM.forward() takes the input and optionally h_0 and c_0 (PyTorch's hx=(h_0, c_0)),"
            + " got 2 tensors");
  }

  /** {@code lstm(input, (h_0, c_0))}, both states given or both null (zeros). */
  public LSTMOutput forwardOutput(Tensor input, Tensor h0, Tensor c0) {
    return forwardStates(input, h0, c0);
  }

  /**
   * {@code lstm(input)} or {@code lstm(input, (h_0, c_0))} given as {@code (input, h_0, c_0)}.
   *
   * @throws IllegalArgumentException with PyTorch's messages: {@code input must have 3
   *     dimensions, got 4}, {@code Expected hidden[0] size (2, 3, 20), got [2, 4, 20]}, {@code
   *     Expected hidden[1] size ...}, {@code For batched 3-D input, hx and cx should also be 3-D
   *     but got (2-D, 3-D) tensors}, ...
   */
  @Override
  public LSTMOutput forwardOutput(Tensor... inputs) {
    if (inputs.length == 1) {
      return forwardStates(inputs[0], null, null);
    }
    if (inputs.length == 3) {
      return forwardStates(inputs[0], inputs[1], inputs[2]);
    }
    throw new IllegalArgumentException(
        "LSTM.forward() takes the input and optionally h_0 and c_0 (PyTorch's hx=(h_0, c_0)),"
            + " got "
            + inputs.length
            + " tensors");
  }

  /**
   * {@code lstm(input, hx=(h_0, c_0))}: the keyword argument {@code hx} holds an {@link LSTMState}
   * or a list of two tensors (or null).
   */
  @Override
  public LSTMOutput forwardOutput(List<Tensor> args, Map<String, Object> kwargs) {
    Object hx = Recurrence.hxKwarg("LSTM", kwargs);
    if (!kwargs.containsKey("hx")) {
      return forwardOutput(args.toArray(new Tensor[0]));
    }
    if (args.size() != 1) {
      throw args.isEmpty() ? Recurrence.missingInput("LSTM") : Recurrence.multipleHx("LSTM");
    }
    if (hx == null) {
      return forwardStates(args.get(0), null, null);
    }
    if (hx instanceof LSTMState s) {
      return forwardStates(args.get(0), s.h(), s.c());
    }
    if (hx instanceof List<?> l
        && l.size() == 2
        && l.get(0) instanceof Tensor h
        && l.get(1) instanceof Tensor c) {
      return forwardStates(args.get(0), h, c);
    }
    throw new IllegalArgumentException(
        "LSTM.forward(): hx must be an LSTMState or a list of two tensors (h_0, c_0), got "
            + hx.getClass().getName());
  }

  /**
   * {@code lstm(input, hx)} with hooks, as {@link #callOutput(Tensor...)}: {@code
   * callOutput(input, hx.h(), hx.c())}, or {@code callOutput(input)} when {@code hx} is null.
   */
  public LSTMOutput callOutput(Tensor input, LSTMState hx) {
    return hx == null ? callOutput(input) : callOutput(input, hx.h(), hx.c());
  }

  /**
   * {@code lstm(packed)}: the layer over a {@link PackedSequence} (from zero states), with its
   * hooks; the input is passed as PyTorch's keyword argument {@code input} (see {@code
   * docs/module-internals.md}).
   *
   * @throws IllegalArgumentException with PyTorch's messages: {@code input must have 2
   *     dimensions, got 3}, {@code Expected hidden[0] size (1, 3, 20), got [1, 4, 20]}, ...
   */
  public PackedLSTMOutput callPacked(PackedSequence input) {
    return callPackedAs(PackedLSTMOutput.class, input, null);
  }

  /**
   * {@code lstm(packed, (h_0, c_0))}: the states in the batch order of the unpacked input (two
   * nulls mean zeros).
   */
  public PackedLSTMOutput callPacked(PackedSequence input, Tensor h0, Tensor c0) {
    if ((h0 == null) != (c0 == null)) {
      throw new IllegalArgumentException(
          "LSTM.forward(): h_0 and c_0 must be given together (PyTorch's hx=(h_0, c_0))");
    }
    return callPackedAs(PackedLSTMOutput.class, input, h0 == null ? null : new LSTMState(h0, c0));
  }

  /** {@code lstm(packed, hx)}: see {@link #callPacked(PackedSequence, Tensor, Tensor)}. */
  public PackedLSTMOutput callPacked(PackedSequence input, LSTMState hx) {
    return callPackedAs(PackedLSTMOutput.class, input, hx);
  }

  private LSTMOutput forwardStates(Tensor input, Tensor h0, Tensor c0) {
    if ((h0 == null) != (c0 == null)) {
      throw new IllegalArgumentException(
          "LSTM.forward(): h_0 and c_0 must be given together (PyTorch's hx=(h_0, c_0))");
    }
    boolean batched = input.dim() == 3;
    int batchDim = batchFirst() ? 0 : 1;
    if (!batched) {
      input = input.unsqueeze(batchDim);
    }
    long maxBatch = batchFirst() ? input.size(0) : input.size(1);
    if (h0 == null) {
      long layers = (long) numLayers() * numDirections();
      h0 = Recurrence.zeros(input, layers, maxBatch, realHiddenSize());
      c0 = Recurrence.zeros(input, layers, maxBatch, hiddenSize());
    } else if (batched) {
      if (h0.dim() != 3 || c0.dim() != 3) {
        throw new IllegalArgumentException(
            "For batched 3-D input, hx and cx should also be 3-D but got ("
                + h0.dim()
                + "-D, "
                + c0.dim()
                + "-D) tensors");
      }
    } else {
      if (h0.dim() != 2 || c0.dim() != 2) {
        throw new IllegalArgumentException(
            "For unbatched 2-D input, hx and cx should also be 2-D but got ("
                + h0.dim()
                + "-D, "
                + c0.dim()
                + "-D) tensors");
      }
      h0 = h0.unsqueeze(1);
      c0 = c0.unsqueeze(1);
    }
    checkInput(input);
    checkHiddenSize(h0, expectedHiddenSize(input, realHiddenSize()), "hidden[0]");
    checkHiddenSize(c0, expectedHiddenSize(input, hiddenSize()), "hidden[1]");
    Result r = run(input, h0, c0);
    Tensor output = r.output();
    Tensor hN = r.hN();
    Tensor cN = r.cN();
    if (!batched) {
      output = output.squeeze(batchDim);
      hN = hN.squeeze(1);
      cN = cN.squeeze(1);
    }
    return new LSTMOutput(output, new LSTMState(hN, cN));
  }

  /** Options of an {@link LSTM}, named after PyTorch's keyword arguments. */
  public static final class Builder extends RNNBase.Builder<Builder> {
    private int projSize;

    private Builder(int inputSize, int hiddenSize) {
      super(inputSize, hiddenSize);
    }

    /**
     * {@code proj_size} (default 0): when positive, {@code h} is projected to this size by
     * {@code weight_hr_lk} after every step; it must be smaller than {@code hidden_size}.
     */
    public Builder projSize(int projSize) {
      this.projSize = projSize;
      return this;
    }

    /** The layer. */
    public LSTM build() {
      return new LSTM(this);
    }
  }
}
