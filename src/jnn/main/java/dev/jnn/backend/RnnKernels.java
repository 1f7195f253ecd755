package dev.jnn.backend;

/**
 * The fused recurrent-cell family of the back-end SPI: the point-wise part of one LSTM or GRU time
 * step in one pass, forward and backward, as PyTorch's {@code _thnn_fused_lstm_cell} and {@code
 * _thnn_fused_gru_cell} (the GEMMs that produce the gate pre-activations stay with {@link
 * BlasKernels#gemm}). Conventions: every view is contiguous (it may start at an offset), of the
 * sizes below with {@code B = s.batch()}, {@code H = s.hidden()}; outputs are caller-allocated
 * contiguous buffers that the kernel overwrites completely; the arithmetic is in the views' dtype
 * (float32 or float64), in the order written below.
 */
public interface RnnKernels {

  /**
   * One LSTM step: with {@code x = inputGates + hiddenGates (+ inputBias + hiddenBias)} split into
   * four column blocks of {@code H}, {@code i = sigmoid(x0)}, {@code f = sigmoid(x1)}, {@code g =
   * tanh(x2)}, {@code o = sigmoid(x3)}, {@code cy = f * cx + i * g}, {@code hy = o * tanh(cy)}.
   *
   * @param inputGates {@code [B, 4H]}
   * @param hiddenGates {@code [B, 4H]}
   * @param inputBias {@code [4H]} or null (then {@code hiddenBias} is null too)
   * @param hiddenBias {@code [4H]} or null
   * @param cx the previous cell state {@code [B, H]}
   * @param hy {@code [B, H]}
   * @param cy {@code [B, H]}
   * @param workspace {@code [B, 4H]}: the activated gates {@code i, f, g, o} for {@link
   *     #lstmCellBackward}, or null when no backward follows
   */
  void lstmCell(
      View inputGates,
      View hiddenGates,
      View inputBias,
      View hiddenBias,
      View cx,
      RnnCellShape s,
      Buffer hy,
      Buffer cy,
      Buffer workspace);

  /**
   * The gradient of {@link #lstmCell}: the gradient of the gate pre-activations (the same for
   * {@code inputGates}, {@code hiddenGates} and, summed over the batch, both biases) and of
   * {@code cx}.
   *
   * @param gradHy {@code [B, H]}
   * @param gradCy {@code [B, H]}
   * @param cx {@code [B, H]}: the forward's
   * @param cy {@code [B, H]}: the forward's output
   * @param workspace {@code [B, 4H]}: the forward's
   * @param gradGates {@code [B, 4H]}
   * @param gradCx {@code [B, H]}
   */
  void lstmCellBackward(
      View gradHy,
      View gradCy,
      View cx,
      View cy,
      View workspace,
      RnnCellShape s,
      Buffer gradGates,
      Buffer gradCx);

  /**
   * One GRU step: with the gates split into three column blocks of {@code H} (reset, update, new),
   * {@code r = sigmoid(i0 + h0 (+ bi0 + bh0))}, {@code z = sigmoid(i1 + h1 (+ bi1 + bh1))}, {@code
   * hn = h2 (+ bh2)}, {@code n = tanh(i2 (+ bi2) + r * hn)}, {@code hy = n + z * (hx - n)}.
   *
   * @param inputGates {@code [B, 3H]}
   * @param hiddenGates {@code [B, 3H]}
   * @param inputBias {@code [3H]} or null (then {@code hiddenBias} is null too)
   * @param hiddenBias {@code [3H]} or null
   * @param hx the previous hidden state {@code [B, H]}
   * @param hy {@code [B, H]}
   * @param workspace {@code [B, 5H]}: {@code r, z, n, hx, hn} for {@link #gruCellBackward}, or
   *     null when no backward follows
   */
  void gruCell(
      View inputGates,
      View hiddenGates,
      View inputBias,
      View hiddenBias,
      View hx,
      RnnCellShape s,
      Buffer hy,
      Buffer workspace);

  /**
   * The gradient of {@link #gruCell}: of the input gates, of the hidden gates (they differ in the
   * new-gate block, which the reset gate scales on the hidden side) and the direct part of {@code
   * hx}'s ({@code gradHy * z}; the part through {@code hiddenGates} is the caller's GEMM).
   *
   * @param gradHy {@code [B, H]}
   * @param workspace {@code [B, 5H]}: the forward's
   * @param gradInputGates {@code [B, 3H]}
   * @param gradHiddenGates {@code [B, 3H]}
   * @param gradHx {@code [B, H]}
   */
  void gruCellBackward(
      View gradHy,
      View workspace,
      RnnCellShape s,
      Buffer gradInputGates,
      Buffer gradHiddenGates,
      Buffer gradHx);
}
