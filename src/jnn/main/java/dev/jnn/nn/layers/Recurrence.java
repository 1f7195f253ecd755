package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.RnnLayerOps;
import dev.jnn.tensor.RnnOps;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The recurrent computations shared by {@link RNN}, {@link LSTM}, {@link GRU} and the cells,
 * composed from differentiable tensor ops and, for the point-wise part of an LSTM or GRU step,
 * the fused cell ops of {@link RnnOps} (so they run on every back end with autograd), in the
 * order of PyTorch 1.13's CPU fallback ({@code aten/src/ATen/native/RNN.cpp}: {@code SimpleCell},
 * {@code LSTMCell}, {@code GRUCell}, {@code FullLayer}).
 *
 * <p>A cell step takes the input projection {@code x W_ih^T + b_ih} of one time step already
 * computed ({@code ig}, {@code [B, gates]}): the layers compute it for all time steps of a layer
 * and direction in one GEMM, as PyTorch's fallback does, and the cells compute it per call.
 */
final class Recurrence {
  private Recurrence() {}

  /** PyTorch's RNN modes; {@code gates} is the multiple of {@code hidden_size} in the weights. */
  enum Mode {
    RNN_TANH(1),
    RNN_RELU(1),
    LSTM(4),
    GRU(3);

    final int gates;

    Mode(int gates) {
      this.gates = gates;
    }
  }

  /** A hidden state (and, for LSTM, cell state) of one layer and direction, {@code [B, *]}. */
  record State(Tensor h, Tensor c) {}

  /**
   * One time step: the new state from the input projection {@code ig} ({@code [B, gates *
   * hidden]}, with {@code b_ih}) and the previous state. LSTM and GRU run the point-wise part of
   * the step as one fused op ({@link RnnOps}: PyTorch's {@code _thnn_fused_lstm_cell} / {@code
   * _thnn_fused_gru_cell}, one kernel forward and one backward, one autograd node) after the
   * hidden projection {@code h W_hh^T + b_hh}; both biases are already in the projections, so
   * the fused op gets none.
   *
   * @param wHr LSTM's projection weight {@code [proj_size, hidden_size]}, or null
   */
  static State step(Mode mode, Tensor ig, State prev, Tensor wHh, Tensor bHh, Tensor wHr) {
    Tensor hg = Functional.linear(prev.h(), wHh, bHh);
    switch (mode) {
      case RNN_TANH:
        return new State(hg.add(ig).tanh(), null);
      case RNN_RELU:
        return new State(hg.add(ig).relu(), null);
      case LSTM:
        {
          Tensor[] hc = RnnOps.lstmCell(ig, hg, prev.c(), null, null);
          Tensor h = hc[0];
          if (wHr != null) {
            h = Functional.linear(h, wHr);
          }
          return new State(h, hc[1]);
        }
      case GRU:
        return new State(RnnOps.gruCell(ig, hg, prev.h(), null, null), null);
      default:
        throw new AssertionError(mode);
    }
  }

  /** The output of one direction of one layer: {@code [T, B, H_out]} and the final state. */
  record DirectionResult(Tensor output, State last) {}

  /**
   * Runs one direction of one layer over a padded, time-major sequence.
   *
   * <p>A packed sequence runs through {@link #runPackedDirection}.
   *
   * @param ig the input projection of every time step, {@code [T, B, gates * hidden]}
   * @param reverse whether this is the reverse direction (time runs from {@code T - 1} to 0)
   */
  static DirectionResult runDirection(
      Mode mode, Tensor ig, State init, Tensor wHh, Tensor bHh, Tensor wHr, boolean reverse) {
    int steps = Math.toIntExact(ig.size(0));
    if (mode == Mode.LSTM && wHr == null) {
      // the whole direction as one op: one GEMM per step forward and backward, W_hh's gradient as
      // one GEMM over the sequence (RnnLayerOps)
      Tensor[] r = RnnLayerOps.lstmLayer(ig, init.h(), init.c(), wHh, bHh, reverse);
      return new DirectionResult(r[0], new State(r[1], r[2]));
    }
    Tensor[] outs = new Tensor[steps];
    State s = init;
    // one UnbindBackward0 for all steps (as PyTorch's fallback unbinds the input projection):
    // select per step would allocate, in backward, a zero tensor of the whole projection per step
    List<Tensor> igs = ig.unbind(0);
    for (int k = 0; k < steps; k++) {
      int t = reverse ? steps - 1 - k : k;
      s = step(mode, igs.get(t), s, wHh, bHh, wHr);
      outs[t] = s.h();
    }
    return new DirectionResult(Tensor.stack(List.of(outs), 0), s);
  }

  /**
   * Runs one direction of one layer over a packed sequence, as PyTorch's {@code PackedLayer} and
   * {@code ReversedPackedLayer} ({@code RNN.cpp}): time step {@code t} runs the same {@link #step}
   * on rows {@code [offset(t), offset(t) + batchSizes[t])} of {@code ig} and the first {@code
   * batchSizes[t]} rows of the state. Forward, the rows that stop at a step are the final states of
   * the sequences ending there; reverse (from the last step back), the state grows by the initial
   * rows of the sequences that start there.
   *
   * @param ig the input projection in packed order, {@code [sum(batchSizes), gates * hidden]}
   * @param init the initial state of the whole (sorted) batch, {@code [batchSizes[0], *]}
   * @return the output in packed order {@code [sum(batchSizes), H_out]} and the final state of
   *     every sequence, {@code [batchSizes[0], *]}, in sorted order
   */
  static DirectionResult runPackedDirection(
      Mode mode,
      Tensor ig,
      long[] batchSizes,
      State init,
      Tensor wHh,
      Tensor bHh,
      Tensor wHr,
      boolean reverse) {
    int steps = batchSizes.length;
    Tensor[] outs = new Tensor[steps];
    boolean hasC = init.c() != null;
    // one SplitWithSizesBackward0 for all steps, as runDirection's unbind: a narrow per step would
    // allocate, in backward, a zero tensor of the whole projection per step
    List<Tensor> igs = ig.split(batchSizes, 0);
    if (!reverse) {
      // final states, collected from the last rows up: reversed and concatenated at the end
      List<Tensor> endH = new java.util.ArrayList<>();
      List<Tensor> endC = new java.util.ArrayList<>();
      State s = init;
      long last = batchSizes[0];
      for (int t = 0; t < steps; t++) {
        long bs = batchSizes[t];
        if (bs < last) {
          endH.add(s.h().narrow(0, bs, last - bs));
          if (hasC) {
            endC.add(s.c().narrow(0, bs, last - bs));
          }
          s = new State(s.h().narrow(0, 0, bs), hasC ? s.c().narrow(0, 0, bs) : null);
        }
        s = step(mode, igs.get(t), s, wHh, bHh, wHr);
        last = bs;
        outs[t] = s.h();
      }
      endH.add(s.h());
      java.util.Collections.reverse(endH);
      Tensor h = endH.size() == 1 ? endH.get(0) : Tensor.cat(endH, 0);
      Tensor c = null;
      if (hasC) {
        endC.add(s.c());
        java.util.Collections.reverse(endC);
        c = endC.size() == 1 ? endC.get(0) : Tensor.cat(endC, 0);
      }
      return new DirectionResult(Tensor.cat(List.of(outs), 0), new State(h, c));
    }
    long last = batchSizes[steps - 1];
    State s =
        new State(init.h().narrow(0, 0, last), hasC ? init.c().narrow(0, 0, last) : null);
    for (int t = steps - 1; t >= 0; t--) {
      long bs = batchSizes[t];
      if (bs > last) {
        Tensor h = Tensor.cat(List.of(s.h(), init.h().narrow(0, last, bs - last)), 0);
        Tensor c =
            hasC ? Tensor.cat(List.of(s.c(), init.c().narrow(0, last, bs - last)), 0) : null;
        s = new State(h, c);
      }
      s = step(mode, igs.get(t), s, wHh, bHh, wHr);
      last = bs;
      outs[t] = s.h();
    }
    return new DirectionResult(Tensor.cat(List.of(outs), 0), s);
  }

  /** {@code torch.zeros(shape, dtype=like.dtype, device=like.device)}. */
  static Tensor zeros(Tensor like, long... dims) {
    DType dt = like.dtype();
    Device dev = like.device();
    return Tensor.zeros(Shape.of(dims), dt, dev);
  }

  /** A Python {@code forward} without keyword parameters but {@code hx}: PyTorch's message. */
  static Object hxKwarg(String module, Map<String, Object> kwargs) {
    Object hx = null;
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      if (!e.getKey().equals("hx")) {
        throw new IllegalArgumentException(
            module + ".forward() got an unexpected keyword argument '" + e.getKey() + "'");
      }
      hx = e.getValue();
    }
    return hx;
  }

  /**
   * {@code forward() got multiple values for argument 'hx'} when {@code hx} is given both
   * positionally and by keyword.
   */
  static IllegalArgumentException multipleHx(String module) {
    return new IllegalArgumentException(
        module + ".forward() got multiple values for argument 'hx'");
  }

  /**
   * Registers a cell's {@code weight_ih} {@code [gates * hidden, input]}, {@code weight_hh}
   * {@code [gates * hidden, hidden]}, {@code bias_ih} and {@code bias_hh} {@code [gates * hidden]}
   * (null without bias) and initialises them as PyTorch's {@code RNNCellBase.reset_parameters}.
   */
  static void registerCellParameters(
      Module m, int gates, int inputSize, int hiddenSize, boolean bias, DType dt, Device dev) {
    long g = (long) gates * hiddenSize;
    m.registerParameter(
        "weight_ih", new Parameter(Tensor.empty(Shape.of(g, inputSize), dt, dev)));
    m.registerParameter(
        "weight_hh", new Parameter(Tensor.empty(Shape.of(g, hiddenSize), dt, dev)));
    m.registerParameter(
        "bias_ih", bias ? new Parameter(Tensor.empty(Shape.of(g), dt, dev)) : null);
    m.registerParameter(
        "bias_hh", bias ? new Parameter(Tensor.empty(Shape.of(g), dt, dev)) : null);
    resetUniform(m, hiddenSize);
  }

  /** Every parameter from {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}. */
  static void resetUniform(Module m, int hiddenSize) {
    double stdv = hiddenSize > 0 ? 1.0 / Math.sqrt(hiddenSize) : 0;
    for (Parameter p : m.parameters()) {
      Init.uniform(p, -stdv, stdv);
    }
  }

  /**
   * One call of a cell ({@code RNNCell}, {@code LSTMCell}, {@code GRUCell}.forward): unbatched
   * input, zero default states and PyTorch's checks; {@code cx} is LSTM's cell state (null
   * otherwise, and null {@code hx} means zeros). Returns the new state, without the batch dim for
   * unbatched input.
   */
  static State cell(String name, Mode mode, Module m, Tensor input, Tensor hx, Tensor cx) {
    checkCellRank(name, input);
    Tensor wIh = (Tensor) m.getAttribute("weight_ih");
    Tensor wHh = (Tensor) m.getAttribute("weight_hh");
    Tensor bIh = (Tensor) m.getAttribute("bias_ih");
    Tensor bHh = (Tensor) m.getAttribute("bias_hh");
    long hidden = wHh.size(1);
    boolean batched = input.dim() == 2;
    if (!batched) {
      input = input.unsqueeze(0);
    }
    if (hx == null) {
      hx = zeros(input, input.size(0), hidden);
      cx = mode == Mode.LSTM ? hx : null;
    } else if (!batched) {
      hx = hx.unsqueeze(0);
      cx = cx == null ? null : cx.unsqueeze(0);
    }
    checkCellInput(input, wIh.size(1));
    checkCellHidden(input, hx, hidden, 0);
    if (cx != null) {
      // PyTorch labels the cell state's check "hidden0" too (RNN.cpp, LSTMCell)
      checkCellHidden(input, cx, hidden, 0);
    }
    Tensor ig = Functional.linear(input, wIh, bIh);
    State s = step(mode, ig, new State(hx, cx), wHh, bHh, null);
    if (!batched) {
      s = new State(s.h().squeeze(0), s.c() == null ? null : s.c().squeeze(0));
    }
    return s;
  }

  /** The cells' assertion: {@code RNNCell: Expected input to be 1-D or 2-D but received 3-D tensor}. */
  static void checkCellRank(String name, Tensor input) {
    if (input.dim() != 1 && input.dim() != 2) {
      throw new IllegalArgumentException(
          name
              + ": Expected input to be 1-D or 2-D but received "
              + input.dim()
              + "-D tensor");
    }
  }

  /** {@code 10, 20, bias=False, nonlinearity=relu}: PyTorch's {@code RNNCellBase.extra_repr}. */
  static String cellRepr(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
    String s = inputSize + ", " + hiddenSize;
    if (!bias) {
      s += ", bias=False";
    }
    if (nonlinearity != null && !nonlinearity.equals("tanh")) {
      s += ", nonlinearity=" + nonlinearity;
    }
    return s;
  }

  /** {@code forward() missing 1 required positional argument: 'input'}. */
  static IllegalArgumentException missingInput(String module) {
    return new IllegalArgumentException(
        module + ".forward() missing 1 required positional argument: 'input'");
  }

  /** The checks of {@code check_rnn_cell_forward_input}/{@code _hidden} (RNN.cpp). */
  static void checkCellInput(Tensor input, long inputSize) {
    if (input.size(1) != inputSize) {
      throw new IllegalArgumentException(
          "input has inconsistent input_size: got " + input.size(1) + " expected " + inputSize);
    }
  }

  static void checkCellHidden(Tensor input, Tensor hx, long hiddenSize, int label) {
    if (input.size(0) != hx.size(0)) {
      throw new IllegalArgumentException(
          "Input batch size "
              + input.size(0)
              + " doesn't match hidden"
              + label
              + " batch size "
              + hx.size(0));
    }
    if (hx.size(1) != hiddenSize) {
      throw new IllegalArgumentException(
          "hidden"
              + label
              + " has inconsistent hidden_size: got "
              + hx.size(1)
              + ", expected "
              + hiddenSize);
    }
  }
}
