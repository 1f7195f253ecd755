package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.needsGrad;
import static dev.jnn.tensor.NnOpSupport.uninitialized;
import static dev.jnn.tensor.NnOpSupport.view;

import dev.jnn.backend.RnnCellShape;
import dev.jnn.backend.RnnKernels;
import dev.jnn.core.Shape;

/**
 * The fused point-wise parts of one LSTM and one GRU time step, PyTorch's {@code
 * _thnn_fused_lstm_cell} and {@code _thnn_fused_gru_cell} ({@code aten/src/ATen/native/RNN.cpp}
 * calls them for CUDA tensors; here they run on every back end, on {@link RnnKernels}): the gate
 * pre-activations come in from the caller's GEMMs, the activations, the state update and the
 * activated gates saved for backward are one kernel, and the backward is one kernel and one
 * autograd node ({@code ThnnFusedLstmCellBackward0} / {@code ThnnFusedGruCellBackward0}, PyTorch's
 * names for these ops) instead of the dozen nodes of the composite. The recurrent layers and cells
 * of {@code dev.jnn.nn.layers} call them; like PyTorch's underscore ops they are internal, not API
 * (no {@code Tensor} or {@code Functional} method).
 */
public final class RnnOps {
  private RnnOps() {}

  static final String LSTM = "_thnn_fused_lstm_cell";
  static final String GRU = "_thnn_fused_gru_cell";

  /**
   * One LSTM step from its gate pre-activations: {@code gates = inputGates + hiddenGates (+
   * inputBias + hiddenBias)}, chunked into {@code i, f, g, o} ({@code [B, H]} each), {@code cy =
   * sigmoid(f) * cx + sigmoid(i) * tanh(g)}, {@code hy = sigmoid(o) * tanh(cy)}.
   *
   * @param inputGates {@code [B, 4H]}: {@code x W_ih^T} (with or without {@code b_ih})
   * @param hiddenGates {@code [B, 4H]}: {@code h W_hh^T} (with or without {@code b_hh})
   * @param cx the cell state {@code [B, H]}
   * @param inputBias {@code [4H]} or null; given together with {@code hiddenBias}
   * @param hiddenBias {@code [4H]} or null
   * @return {@code {hy, cy}}, both {@code [B, H]}
   * @throws IllegalArgumentException naming the op and the offending shapes, dtypes or devices
   */
  public static Tensor[] lstmCell(
      Tensor inputGates, Tensor hiddenGates, Tensor cx, Tensor inputBias, Tensor hiddenBias) {
    check(LSTM, 4, inputGates, hiddenGates, cx, "cx", inputBias, hiddenBias);
    final int batch = Math.toIntExact(inputGates.size(0));
    final int hidden = Math.toIntExact(cx.size(1));
    final RnnCellShape s = new RnnCellShape(batch, hidden);
    final Tensor ig = contig(inputGates);
    final Tensor hg = contig(hiddenGates);
    final Tensor c0 = contig(cx);
    final Tensor bi = contig(inputBias);
    final Tensor bh = contig(hiddenBias);
    final Tensor[] in = {inputGates, hiddenGates, cx, inputBias, hiddenBias};
    final boolean grad = Autograd.anyRequiresGrad(in);
    final Shape state = Shape.of(batch, hidden);
    final Tensor hy = uninitialized(state, inputGates);
    final Tensor cy = uninitialized(state, inputGates);
    final Tensor ws = grad ? uninitialized(Shape.of(batch, 4L * hidden), inputGates) : null;
    final RnnKernels k = inputGates.backend().rnn();
    k.lstmCell(ig.view(), hg.view(), view(bi), view(bh), c0.view(), s, buf(hy), buf(cy),
        ws == null ? null : buf(ws));
    if (!grad) {
      return new Tensor[] {hy, cy};
    }
    return Tensor.recordMulti(
        "ThnnFusedLstmCellBackward0",
        new Tensor[] {hy, cy},
        in,
        new Tensor[] {cx, cy, ws},
        g -> {
          Tensor gh = contig(g[0]);
          Tensor gc = contig(g[1]);
          Tensor gates = uninitialized(ws.shape(), ws);
          Tensor gcx = uninitialized(state, ws);
          k.lstmCellBackward(gh.view(), gc.view(), c0.view(), cy.view(), ws.view(), s,
              buf(gates), buf(gcx));
          // PyTorch: grad_bias = grad_gates.sum(0), for both biases
          Tensor gb = needsGrad(inputBias) || needsGrad(hiddenBias) ? gates.sum(0, false) : null;
          return new Tensor[] {
            needsGrad(inputGates) ? gates : null,
            needsGrad(hiddenGates) ? gates : null,
            needsGrad(cx) ? gcx : null,
            needsGrad(inputBias) ? gb : null,
            needsGrad(hiddenBias) ? gb : null
          };
        });
  }

  /**
   * One GRU step from its gate pre-activations, chunked into reset, update and new ({@code [B, H]}
   * each): {@code r = sigmoid(i_r + h_r)}, {@code z = sigmoid(i_z + h_z)}, {@code n = tanh(i_n + r
   * * h_n)}, {@code hy = n + z * (hx - n)} (the biases, when given, added to their side).
   *
   * @param inputGates {@code [B, 3H]}: {@code x W_ih^T} (with or without {@code b_ih})
   * @param hiddenGates {@code [B, 3H]}: {@code h W_hh^T} (with or without {@code b_hh})
   * @param hx the hidden state {@code [B, H]}
   * @param inputBias {@code [3H]} or null; given together with {@code hiddenBias}
   * @param hiddenBias {@code [3H]} or null
   * @return {@code hy} {@code [B, H]}
   * @throws IllegalArgumentException naming the op and the offending shapes, dtypes or devices
   */
  public static Tensor gruCell(
      Tensor inputGates, Tensor hiddenGates, Tensor hx, Tensor inputBias, Tensor hiddenBias) {
    check(GRU, 3, inputGates, hiddenGates, hx, "hx", inputBias, hiddenBias);
    final int batch = Math.toIntExact(inputGates.size(0));
    final int hidden = Math.toIntExact(hx.size(1));
    final RnnCellShape s = new RnnCellShape(batch, hidden);
    final Tensor[] in = {inputGates, hiddenGates, hx, inputBias, hiddenBias};
    final boolean grad = Autograd.anyRequiresGrad(in);
    final Shape state = Shape.of(batch, hidden);
    final Tensor hy = uninitialized(state, inputGates);
    final Tensor ws = grad ? uninitialized(Shape.of(batch, 5L * hidden), inputGates) : null;
    final RnnKernels k = inputGates.backend().rnn();
    k.gruCell(contig(inputGates).view(), contig(hiddenGates).view(), view(contig(inputBias)),
        view(contig(hiddenBias)), contig(hx).view(), s, buf(hy), ws == null ? null : buf(ws));
    if (!grad) {
      return hy;
    }
    final Shape gates = Shape.of(batch, 3L * hidden);
    return Tensor.record(
        "ThnnFusedGruCellBackward0",
        hy,
        in,
        new Tensor[] {ws},
        g -> {
          Tensor gh = contig(g[0]);
          Tensor gi = uninitialized(gates, ws);
          Tensor gw = uninitialized(gates, ws);
          Tensor gx = uninitialized(state, ws);
          k.gruCellBackward(gh.view(), ws.view(), s, buf(gi), buf(gw), buf(gx));
          return new Tensor[] {
            needsGrad(inputGates) ? gi : null,
            needsGrad(hiddenGates) ? gw : null,
            needsGrad(hx) ? gx : null,
            needsGrad(inputBias) ? gi.sum(0, false) : null,
            needsGrad(hiddenBias) ? gw.sum(0, false) : null
          };
        });
  }

  /**
   * The arguments' checks (PyTorch's {@code checkSizes} in {@code RNN.cu}, with messages that name
   * the op and the shapes, dtypes or devices): 2-D gates of one shape whose width is {@code
   * factor} times the state's, a 2-D state of the gates' batch, biases both or neither of {@code
   * [gates]}, one floating dtype, one device.
   */
  private static void check(String op, int factor, Tensor inputGates, Tensor hiddenGates,
      Tensor state, String stateName, Tensor inputBias, Tensor hiddenBias) {
    if (inputGates == null || hiddenGates == null || state == null) {
      throw new IllegalArgumentException(
          op + ": input_gates, hidden_gates and " + stateName + " are required");
    }
    if (inputGates.dim() != 2) {
      throw new IllegalArgumentException(op + ": expected input_gates to be 2-D [batch, "
          + factor + " * hidden], got " + inputGates.shape());
    }
    if (!hiddenGates.shape().equals(inputGates.shape())) {
      throw new IllegalArgumentException(op + ": expected hidden_gates of input_gates' shape "
          + inputGates.shape() + ", got " + hiddenGates.shape());
    }
    if (state.dim() != 2
        || state.size(0) != inputGates.size(0)
        || state.size(1) * factor != inputGates.size(1)) {
      throw new IllegalArgumentException(op + ": expected " + stateName + " of shape [" 
          + inputGates.size(0) + ", " + (inputGates.size(1) / factor) + "] for gates of shape "
          + inputGates.shape() + " (" + factor + " gates), got " + state.shape());
    }
    if ((inputBias == null) != (hiddenBias == null)) {
      throw new IllegalArgumentException(op + ": expected input_bias and hidden_bias both or"
          + " neither, got " + (inputBias == null ? "only hidden_bias" : "only input_bias"));
    }
    Shape biasShape = Shape.of(inputGates.size(1));
    for (Tensor b : new Tensor[] {inputBias, hiddenBias}) {
      if (b != null && !b.shape().equals(biasShape)) {
        throw new IllegalArgumentException(op + ": expected input_bias and hidden_bias of shape "
            + biasShape + ", got " + inputBias.shape() + " and " + hiddenBias.shape());
      }
    }
    Tensor[] all = {inputGates, hiddenGates, state, inputBias, hiddenBias};
    String[] names = {"input_gates", "hidden_gates", stateName, "input_bias", "hidden_bias"};
    if (!inputGates.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          op + ": expected floating-point tensors, got input_gates of dtype " + inputGates.dtype());
    }
    for (int i = 1; i < all.length; i++) {
      if (all[i] != null && all[i].dtype() != inputGates.dtype()) {
        throw new IllegalArgumentException(op + ": expected all tensors of dtype "
            + inputGates.dtype() + " (input_gates'), got " + names[i] + " of dtype "
            + all[i].dtype());
      }
    }
    for (int i = 1; i < all.length; i++) {
      if (all[i] != null && !all[i].device().equals(inputGates.device())) {
        throw new IllegalArgumentException(op + ": expected all tensors on "
            + inputGates.device() + " (input_gates'), got " + names[i] + " on "
            + all[i].device());
      }
    }
  }
}
