package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Py;
import dev.jnn.core.Shape;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.StructuredModule;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.nn.utils.rnn.PackedSequence;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The multi-layer recurrent networks {@link RNN}, {@link LSTM} and {@link GRU} ({@code
 * torch.nn.RNNBase}): the options, the parameters with PyTorch's names and order ({@code
 * weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}, {@code
 * weight_hr_l0} for LSTM with {@code proj_size}, then {@code *_l0_reverse} when bidirectional,
 * then layer 1, ...), PyTorch's initialisation, input checks and {@code extra_repr}.
 *
 * <p>The computation is composed from differentiable tensor ops (linear, tanh, relu, stack, cat,
 * dropout, and for LSTM and GRU the fused cell ops of {@code dev.jnn.tensor.RnnOps}) in the order
 * of PyTorch's fallback: per layer and direction, the input projection of all time steps is one
 * GEMM ({@code x W_ih^T + b_ih} over {@code [T, B, I]}), then each time step computes {@code h
 * W_hh^T + b_hh} and applies the gates (for LSTM and GRU in one kernel, PyTorch's {@code
 * _thnn_fused_lstm_cell} / {@code _thnn_fused_gru_cell}). It runs on every back end, with
 * autograd, and gives PyTorch's results to rounding.
 *
 * @param <O> the output record: {@link RNNOutput} or {@link LSTMOutput}
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.RNN.html">torch.nn.RNN</a>
 */
public abstract class RNNBase<O> extends StructuredModule<O> {
  private static final System.Logger LOG = System.getLogger("dev.jnn.nn");

  final Recurrence.Mode mode;
  private final int inputSize;
  private final int hiddenSize;
  private final int numLayers;
  private final boolean bias;
  private final boolean batchFirst;
  private final double dropout;
  private final boolean bidirectional;
  private final int projSize;
  private final List<List<String>> allWeightNames;

  RNNBase(Recurrence.Mode mode, Builder<?> b, int projSize, Class<?> outputType) {
    super(outputType);
    this.mode = mode;
    this.inputSize = b.inputSize;
    this.hiddenSize = b.hiddenSize;
    this.numLayers = b.numLayers;
    this.bias = b.bias;
    this.batchFirst = b.batchFirst;
    this.dropout = b.dropout;
    this.bidirectional = b.bidirectional;
    this.projSize = projSize;
    if (!(dropout >= 0 && dropout <= 1)) {
      throw new IllegalArgumentException(
          "dropout should be a number in range [0, 1] representing the probability of an element"
              + " being zeroed");
    }
    if (dropout > 0 && numLayers == 1) {
      LOG.log(
          System.Logger.Level.WARNING,
          "dropout option adds dropout after all but last recurrent layer, so non-zero dropout"
              + " expects num_layers greater than 1, but got dropout="
              + Py.floatRepr(dropout)
              + " and num_layers="
              + numLayers);
    }
    if (projSize < 0) {
      throw new IllegalArgumentException(
          "proj_size should be a positive integer or zero to disable projections");
    }
    if (projSize >= hiddenSize) {
      throw new IllegalArgumentException("proj_size has to be smaller than hidden_size");
    }
    if (numLayers <= 0) {
      // PyTorch 1.13 fails later with an IndexError; this is PyTorch 2's message
      throw new IllegalArgumentException("num_layers must be greater than zero");
    }
    int gateSize = mode.gates * hiddenSize;
    int directions = bidirectional ? 2 : 1;
    int realHidden = realHiddenSize();
    List<List<String>> names = new ArrayList<>();
    for (int layer = 0; layer < numLayers; layer++) {
      for (int dir = 0; dir < directions; dir++) {
        int layerInput = layer == 0 ? inputSize : realHidden * directions;
        String sfx = layer + (dir == 1 ? "_reverse" : "");
        List<String> group = new ArrayList<>();
        group.add(param("weight_ih_l" + sfx, b, gateSize, layerInput));
        group.add(param("weight_hh_l" + sfx, b, gateSize, realHidden));
        if (bias) {
          group.add(param("bias_ih_l" + sfx, b, gateSize));
          group.add(param("bias_hh_l" + sfx, b, gateSize));
        }
        if (projSize > 0) {
          group.add(param("weight_hr_l" + sfx, b, projSize, hiddenSize));
        }
        names.add(Collections.unmodifiableList(group));
      }
    }
    this.allWeightNames = Collections.unmodifiableList(names);
    resetParameters();
  }

  private String param(String name, Builder<?> b, long... dims) {
    registerParameter(name, new Parameter(Tensor.empty(Shape.of(dims), b.dtype, b.device)));
    return name;
  }

  /**
   * Re-initialises every parameter from {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}, as
   * PyTorch's {@code reset_parameters} does.
   */
  public void resetParameters() {
    double stdv = hiddenSize > 0 ? 1.0 / Math.sqrt(hiddenSize) : 0;
    for (Parameter p : parameters()) {
      Init.uniform(p, -stdv, stdv);
    }
  }

  // ---------------------------------------------------------------- forward machinery

  /** {@code proj_size} when set, else {@code hidden_size}: the size of {@code h}. */
  final int realHiddenSize() {
    return projSize > 0 ? projSize : hiddenSize;
  }

  final int numDirections() {
    return bidirectional ? 2 : 1;
  }

  /** PyTorch's {@code check_input}. */
  final void checkInput(Tensor input) {
    checkInput(input, 3);
  }

  /** PyTorch's {@code check_input}: {@code expectedDim} is 2 for packed data, else 3. */
  final void checkInput(Tensor input, int expectedDim) {
    if (input.dim() != expectedDim) {
      throw new IllegalArgumentException(
          "input must have " + expectedDim + " dimensions, got " + input.dim());
    }
    if (input.size(-1) != inputSize) {
      throw new IllegalArgumentException(
          "input.size(-1) must be equal to input_size. Expected "
              + inputSize
              + ", got "
              + input.size(-1));
    }
  }

  /** PyTorch's {@code get_expected_hidden_size} ({@code size} is {@code h}'s or {@code c}'s). */
  final long[] expectedHiddenSize(Tensor input, int size) {
    long miniBatch = batchFirst ? input.size(0) : input.size(1);
    return new long[] {(long) numLayers * numDirections(), miniBatch, size};
  }

  /** PyTorch's {@code check_hidden_size}; {@code what} is {@code hidden}, {@code hidden[0]}, ... */
  static void checkHiddenSize(Tensor hx, long[] expected, String what) {
    if (!java.util.Arrays.equals(hx.shape().dims(), expected)) {
      throw new IllegalArgumentException(
          "Expected " + what + " size " + Py.tuple(expected) + ", got " + hx.shape());
    }
  }

  /** Outputs of all layers: {@code [T, B, D * H_out]} (time-major), {@code h_n}, {@code c_n}. */
  record Result(Tensor output, Tensor hN, Tensor cN) {}

  /**
   * Runs the layers on a checked, batched input ({@code batch_first} as configured) from the
   * initial states {@code hx} {@code [L * D, B, H_out]} and, for LSTM, {@code cx} {@code [L * D,
   * B, H]}; returns the output in the input's layout.
   */
  final Result run(Tensor input, Tensor hx, Tensor cx) {
    return run(input, null, hx, cx);
  }

  /**
   * {@link #run(Tensor, Tensor, Tensor)}, or, with {@code batchSizes}, the same on packed data
   * {@code [sum(batchSizes), I]} (output {@code [sum(batchSizes), D * H_out]} in packed order,
   * states in sorted order, {@code batch_first} not applying).
   */
  private Result run(Tensor input, long[] batchSizes, Tensor hx, Tensor cx) {
    boolean packed = batchSizes != null;
    Tensor layerInput = batchFirst && !packed ? input.transpose(0, 1) : input;
    if (!packed && layerInput.size(0) == 0) {
      throw new IllegalArgumentException("Expected sequence length to be larger than 0 in RNN");
    }
    int directions = numDirections();
    List<Tensor> hs = new ArrayList<>();
    List<Tensor> cs = new ArrayList<>();
    for (int layer = 0; layer < numLayers; layer++) {
      List<Tensor> outs = new ArrayList<>(directions);
      for (int dir = 0; dir < directions; dir++) {
        int idx = layer * directions + dir;
        List<String> w = allWeightNames.get(idx);
        Tensor wIh = tensor(w.get(0));
        Tensor wHh = tensor(w.get(1));
        Tensor bIh = bias ? tensor(w.get(2)) : null;
        Tensor bHh = bias ? tensor(w.get(3)) : null;
        Tensor wHr = projSize > 0 ? tensor(w.get(w.size() - 1)) : null;
        // the input projection of every time step in one GEMM
        Tensor ig = Functional.linear(layerInput, wIh, bIh);
        Recurrence.State init =
            new Recurrence.State(hx.select(0, idx), cx == null ? null : cx.select(0, idx));
        Recurrence.DirectionResult r =
            packed
                ? Recurrence.runPackedDirection(
                    mode, ig, batchSizes, init, wHh, bHh, wHr, dir == 1)
                : Recurrence.runDirection(mode, ig, init, wHh, bHh, wHr, dir == 1);
        outs.add(r.output());
        hs.add(r.last().h());
        if (cx != null) {
          cs.add(r.last().c());
        }
      }
      Tensor layerOutput = directions == 1 ? outs.get(0) : Tensor.cat(outs, packed ? 1 : 2);
      if (dropout != 0 && isTraining() && layer < numLayers - 1) {
        layerOutput = Functional.dropout(layerOutput, dropout, true);
      }
      layerInput = layerOutput;
    }
    Tensor output = batchFirst && !packed ? layerInput.transpose(0, 1) : layerInput;
    return new Result(
        output, Tensor.stack(hs, 0), cx == null ? null : Tensor.stack(cs, 0));
  }

  /**
   * The {@code forward} of {@link RNN} and {@link GRU} (one state tensor): unbatched input, the
   * default zero state, PyTorch's checks in PyTorch's order.
   */
  final RNNOutput forwardSingleState(Tensor input, Tensor hx) {
    Objects.requireNonNull(input, "input");
    boolean batched = input.dim() == 3;
    int batchDim = batchFirst ? 0 : 1;
    if (!batched) {
      input = input.unsqueeze(batchDim);
      if (hx != null) {
        if (hx.dim() != 2) {
          throw new IllegalArgumentException(
              "For unbatched 2-D input, hx should also be 2-D but got " + hx.dim() + "-D tensor");
        }
        hx = hx.unsqueeze(1);
      }
    } else if (hx != null && hx.dim() != 3) {
      throw new IllegalArgumentException(
          "For batched 3-D input, hx should also be 3-D but got " + hx.dim() + "-D tensor");
    }
    long maxBatch = batchFirst ? input.size(0) : input.size(1);
    if (hx == null) {
      hx =
          Recurrence.zeros(
              input, (long) numLayers * numDirections(), maxBatch, realHiddenSize());
    }
    checkInput(input);
    checkHiddenSize(hx, expectedHiddenSize(input, realHiddenSize()), "hidden");
    Result r = run(input, hx, null);
    Tensor output = r.output();
    Tensor hN = r.hN();
    if (!batched) {
      output = output.squeeze(batchDim);
      hN = hN.squeeze(1);
    }
    return new RNNOutput(output, hN);
  }

  // ---------------------------------------------------------------- packed input

  /**
   * The hooked computation: {@link #forwardOutput(List, Map)}, or, when the keyword argument
   * {@code input} is a {@link PackedSequence} (as {@code callPacked} passes it: PyTorch's {@code
   * rnn(input=packed, hx=h_0)}), the packed forward, returning a {@link PackedRNNOutput} ({@link
   * PackedLSTMOutput} for {@link LSTM}).
   */
  @Override
  public Object forwardAny(List<Tensor> args, Map<String, Object> kwargs) {
    if (kwargs.get("input") instanceof PackedSequence packed) {
      String name = getClass().getSimpleName();
      for (String k : kwargs.keySet()) {
        if (!k.equals("input") && !k.equals("hx")) {
          throw new IllegalArgumentException(
              name + ".forward() got an unexpected keyword argument '" + k + "'");
        }
      }
      if (!args.isEmpty()) {
        throw new IllegalArgumentException(
            name + ".forward() got multiple values for argument 'input'");
      }
      return forwardPacked(packed, kwargs.get("hx"));
    }
    return super.forwardAny(args, kwargs);
  }

  /**
   * Runs the module with its hooks on a packed sequence, as PyTorch's {@code module(input=packed,
   * hx=hx)}: pre-hooks see no positional argument and the keyword arguments {@code input} (the
   * {@link PackedSequence}) and {@code hx} (when given), forward hooks see the {@code type}
   * record.
   */
  final <R> R callPackedAs(Class<R> type, PackedSequence input, Object hx) {
    Objects.requireNonNull(input, "input");
    Map<String, Object> kwargs = new LinkedHashMap<>();
    kwargs.put("input", input);
    if (hx != null) {
      kwargs.put("hx", hx);
    }
    Object out = callAny(List.of(), kwargs);
    if (out != null && !type.isInstance(out)) {
      throw new IllegalStateException(
          getClass().getSimpleName()
              + " outputs a "
              + type.getName()
              + " for a PackedSequence, but its call returned a "
              + out.getClass().getName()
              + " (replaced by a forward hook); call it with callAny to receive such a"
              + " replacement");
    }
    return type.cast(out);
  }

  /**
   * PyTorch's {@code RNNBase.forward} / {@code LSTM.forward} for a {@link PackedSequence}: zero
   * states of batch {@code batch_sizes[0]} when {@code hx} is null, else {@code hx} permuted into
   * sorted order ({@code permute_hidden}); the checks; the layers over the packed data; the output
   * packed with the input's batch sizes and indices, the final states permuted back.
   */
  private Object forwardPacked(PackedSequence input, Object hx) {
    String name = getClass().getSimpleName();
    boolean lstm = mode == Recurrence.Mode.LSTM;
    long[] bs = input.batchSizesArray();
    if (bs.length == 0) {
      throw new IllegalArgumentException(
          "Expected sequence length to be larger than 0 in RNN");
    }
    Tensor data = input.data();
    Tensor sorted = input.sortedIndices();
    long maxBatch = bs[0];
    long layers = (long) numLayers * numDirections();
    Tensor h0;
    Tensor c0 = null;
    if (hx == null) {
      h0 = Recurrence.zeros(data, layers, maxBatch, realHiddenSize());
      if (lstm) {
        c0 = Recurrence.zeros(data, layers, maxBatch, hiddenSize);
      }
    } else {
      if (lstm) {
        if (hx instanceof LSTMState st && st.h() != null && st.c() != null) {
          h0 = st.h();
          c0 = st.c();
        } else if (hx instanceof List<?> l
            && l.size() == 2
            && l.get(0) instanceof Tensor h
            && l.get(1) instanceof Tensor c) {
          h0 = h;
          c0 = c;
        } else {
          throw new IllegalArgumentException(
              name
                  + ".forward(): hx must be an LSTMState or a list of two tensors (h_0, c_0), got "
                  + hx.getClass().getName());
        }
      } else if (hx instanceof Tensor h) {
        h0 = h;
      } else {
        throw new IllegalArgumentException(
            name + ".forward(): hx must be a Tensor or None, got " + hx.getClass().getName());
      }
      if (sorted != null) {
        h0 = h0.indexSelect(1, sorted);
        c0 = c0 == null ? null : c0.indexSelect(1, sorted);
      }
    }
    checkInput(data, 2);
    long[] expectedH = {layers, maxBatch, realHiddenSize()};
    checkHiddenSize(h0, expectedH, lstm ? "hidden[0]" : "hidden");
    if (lstm) {
      checkHiddenSize(c0, new long[] {layers, maxBatch, hiddenSize}, "hidden[1]");
    }
    Result r = run(data, bs, h0, c0);
    PackedSequence output =
        new PackedSequence(
            r.output(), input.batchSizes(), sorted, input.unsortedIndices());
    Tensor unsorted = input.unsortedIndices();
    Tensor hN = unsorted == null ? r.hN() : r.hN().indexSelect(1, unsorted);
    if (!lstm) {
      return new PackedRNNOutput(output, hN);
    }
    Tensor cN = unsorted == null ? r.cN() : r.cN().indexSelect(1, unsorted);
    return new PackedLSTMOutput(output, new LSTMState(hN, cN));
  }

  private Tensor tensor(String name) {
    return (Tensor) getAttribute(name);
  }

  /** {@code 10, 20, num_layers=2, batch_first=True, bidirectional=True}: non-defaults only. */
  @Override
  protected String extraRepr() {
    StringBuilder s = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
    if (projSize != 0) {
      s.append(", proj_size=").append(projSize);
    }
    if (numLayers != 1) {
      s.append(", num_layers=").append(numLayers);
    }
    if (!bias) {
      s.append(", bias=False");
    }
    if (batchFirst) {
      s.append(", batch_first=True");
    }
    if (dropout != 0) {
      s.append(", dropout=").append(Py.floatRepr(dropout));
    }
    if (bidirectional) {
      s.append(", bidirectional=True");
    }
    return s.toString();
  }

  // ---------------------------------------------------------------- accessors

  /** PyTorch's {@code mode}: {@code RNN_TANH}, {@code RNN_RELU}, {@code LSTM} or {@code GRU}. */
  public String mode() {
    return mode.name();
  }

  /** {@code input_size}. */
  public int inputSize() {
    return inputSize;
  }

  /** {@code hidden_size}. */
  public int hiddenSize() {
    return hiddenSize;
  }

  /** {@code num_layers}. */
  public int numLayers() {
    return numLayers;
  }

  /** {@code bias}: whether the layers have {@code b_ih} and {@code b_hh}. */
  public boolean bias() {
    return bias;
  }

  /** {@code batch_first}: whether input and output are {@code [batch, seq, feature]}. */
  public boolean batchFirst() {
    return batchFirst;
  }

  /** {@code dropout}: the probability of dropping outputs of each layer but the last. */
  public double dropout() {
    return dropout;
  }

  /** {@code bidirectional}. */
  public boolean bidirectional() {
    return bidirectional;
  }

  /** {@code proj_size} (0 without projection; always 0 for RNN and GRU). */
  public int projSize() {
    return projSize;
  }

  /**
   * PyTorch's {@code all_weights}: per layer and direction, the currently registered parameters
   * in order ({@code weight_ih}, {@code weight_hh}, biases, {@code weight_hr}).
   */
  public List<List<Parameter>> allWeights() {
    List<List<Parameter>> out = new ArrayList<>();
    for (List<String> group : allWeightNames) {
      List<Parameter> ps = new ArrayList<>();
      for (String n : group) {
        ps.add((Parameter) getAttribute(n));
      }
      out.add(ps);
    }
    return out;
  }

  /** PyTorch's {@code _flat_weights_names}: the parameter names in registration order. */
  public List<String> flatWeightsNames() {
    List<String> out = new ArrayList<>();
    allWeightNames.forEach(out::addAll);
    return out;
  }

  /**
   * The options shared by {@link RNN}, {@link LSTM} and {@link GRU}, named after PyTorch's keyword
   * arguments.
   *
   * @param <B> the concrete builder
   */
  public abstract static class Builder<B extends Builder<B>> {
    final int inputSize;
    final int hiddenSize;
    int numLayers = 1;
    boolean bias = true;
    boolean batchFirst;
    double dropout;
    boolean bidirectional;
    Device device = Device.CPU;
    DType dtype = DType.FLOAT32;

    Builder(int inputSize, int hiddenSize) {
      this.inputSize = inputSize;
      this.hiddenSize = hiddenSize;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** {@code num_layers} (default 1): the number of stacked recurrent layers. */
    public B numLayers(int numLayers) {
      this.numLayers = numLayers;
      return self();
    }

    /** {@code bias} (default true): whether the layers use {@code b_ih} and {@code b_hh}. */
    public B bias(boolean bias) {
      this.bias = bias;
      return self();
    }

    /**
     * {@code batch_first} (default false): input and output as {@code [batch, seq, feature]}
     * rather than {@code [seq, batch, feature]} (not the hidden states, and not unbatched input).
     */
    public B batchFirst(boolean batchFirst) {
      this.batchFirst = batchFirst;
      return self();
    }

    /**
     * {@code dropout} (default 0): in training mode, dropout with this probability on the outputs
     * of every layer but the last.
     */
    public B dropout(double dropout) {
      this.dropout = dropout;
      return self();
    }

    /** {@code bidirectional} (default false). */
    public B bidirectional(boolean bidirectional) {
      this.bidirectional = bidirectional;
      return self();
    }

    /** {@code device} of the parameters (default CPU). */
    public B device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return self();
    }

    /** {@code dtype} of the parameters (default float32). */
    public B dtype(DType dtype) {
      this.dtype = Objects.requireNonNull(dtype, "dtype");
      return self();
    }
  }
}
