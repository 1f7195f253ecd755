package dev.jnn.backend.cuda;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.RnnCellShape;
import dev.jnn.backend.RnnKernels;
import dev.jnn.backend.View;

/**
 * The CUDA implementation of {@link RnnKernels}: one grid-stride launch of jnn's kernels
 * ({@code native-kernels/rnn.cuh}, one thread per unit of the {@code [B, H]} state) per fused
 * LSTM or GRU step, forward or backward, after the cuBLAS GEMMs that made the gate
 * pre-activations, as PyTorch's CUDA fallback does ({@code _thnn_fused_lstm_cell_cuda}); not
 * cuDNN's RNN API (docs/GPU-STACK.md, "Recurrent layers", says why). Every device address goes
 * through {@link CudaBackend#in} / {@link CudaBackend#out} so the streams stay ordered.
 */
final class CudaRnnKernels implements RnnKernels {
  private final CudaBackend be;

  CudaRnnKernels(CudaBackend be) {
    this.be = be;
  }

  private static String sfx(View v) {
    return CudaBackend.suffix(v.buffer().dtype());
  }

  private static long r(ThreadContext c, View v) {
    return CudaBackend.in(c, v);
  }

  private static long w(ThreadContext c, Buffer b) {
    return CudaBackend.out(c, b);
  }

  private static long units(RnnCellShape s) {
    return (long) s.batch() * s.hidden();
  }

  @Override
  public void lstmCell(
      View inputGates, View hiddenGates, View inputBias, View hiddenBias, View cx, RnnCellShape s,
      Buffer hy, Buffer cy, Buffer workspace) {
    ThreadContext c = be.ctx(hy);
    be.launchN(c, "lstm_cell_" + sfx(inputGates), units(s),
        new KernelArgs().i64(units(s)).i32(s.hidden()).ptr(r(c, inputGates))
            .ptr(r(c, hiddenGates)).ptr(r(c, inputBias)).ptr(r(c, hiddenBias)).ptr(r(c, cx))
            .ptr(w(c, hy)).ptr(w(c, cy)).ptr(w(c, workspace)));
  }

  @Override
  public void lstmCellBackward(
      View gradHy, View gradCy, View cx, View cy, View workspace, RnnCellShape s,
      Buffer gradGates, Buffer gradCx) {
    ThreadContext c = be.ctx(gradGates);
    be.launchN(c, "lstm_cell_backward_" + sfx(gradHy), units(s),
        new KernelArgs().i64(units(s)).i32(s.hidden()).ptr(r(c, gradHy)).ptr(r(c, gradCy))
            .ptr(r(c, cx)).ptr(r(c, cy)).ptr(r(c, workspace)).ptr(w(c, gradGates))
            .ptr(w(c, gradCx)));
  }

  @Override
  public void gruCell(
      View inputGates, View hiddenGates, View inputBias, View hiddenBias, View hx, RnnCellShape s,
      Buffer hy, Buffer workspace) {
    ThreadContext c = be.ctx(hy);
    be.launchN(c, "gru_cell_" + sfx(inputGates), units(s),
        new KernelArgs().i64(units(s)).i32(s.hidden()).ptr(r(c, inputGates))
            .ptr(r(c, hiddenGates)).ptr(r(c, inputBias)).ptr(r(c, hiddenBias)).ptr(r(c, hx))
            .ptr(w(c, hy)).ptr(w(c, workspace)));
  }

  @Override
  public void gruCellBackward(
      View gradHy, View workspace, RnnCellShape s, Buffer gradInputGates,
      Buffer gradHiddenGates, Buffer gradHx) {
    ThreadContext c = be.ctx(gradInputGates);
    be.launchN(c, "gru_cell_backward_" + sfx(gradHy), units(s),
        new KernelArgs().i64(units(s)).i32(s.hidden()).ptr(r(c, gradHy)).ptr(r(c, workspace))
            .ptr(w(c, gradInputGates)).ptr(w(c, gradHiddenGates)).ptr(w(c, gradHx)));
  }
}
