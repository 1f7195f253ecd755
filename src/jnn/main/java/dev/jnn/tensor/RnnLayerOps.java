package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.needsGrad;
import static dev.jnn.tensor.NnOpSupport.uninitialized;
import static dev.jnn.tensor.NnOpSupport.view;

import dev.jnn.backend.Backend;
import dev.jnn.backend.GemmSpec;
import dev.jnn.backend.GemmSpec.Operand;
import dev.jnn.backend.RnnCellShape;
import dev.jnn.backend.RnnKernels;
import dev.jnn.backend.View;
import dev.jnn.core.Shape;

/**
 * A whole LSTM layer (one direction) as one op and one autograd node, as PyTorch 2.x's CPU path
 * runs it ({@code mkldnn_rnn_layer}, backward {@code MkldnnRnnLayerBackward0}; PyTorch 1.13's
 * fallback records a node per step instead, with the same values): the recurrence of {@link
 * RnnOps#lstmCell}'s fused step over {@code T} time steps of an input projection computed
 * beforehand. The node exists for speed, not for naming: per step, the forward is one GEMM ({@code
 * h W_hh^T}) and the fused cell kernel with no allocation of the sequence's tensors; the backward
 * runs the steps in reverse with one GEMM each ({@code dgates W_hh}, accumulated onto the next
 * step's output gradient) and then computes {@code W_hh}'s gradient as one GEMM over the whole
 * sequence ({@code K = T * B}) instead of {@code T} products of {@code K = B}, each added into a
 * fresh weight-sized tensor, as a per-step graph must.
 *
 * <p>Internal, like {@link RnnOps}: the recurrent layers of {@code dev.jnn.nn.layers} call it.
 */
public final class RnnLayerOps {
  private RnnLayerOps() {}

  static final String NODE = "MkldnnRnnLayerBackward0";
  private static final String OP = "lstm_layer";

  /**
   * Runs one direction of one LSTM layer: for each step {@code t} (from {@code T - 1} down to 0
   * when {@code reverse}), {@code gates = ig[t] + h W_hh^T (+ b_hh)}, then {@link
   * RnnOps#lstmCell}'s update of {@code (h, c)}.
   *
   * @param ig the input projection of every step, {@code [T, B, 4H]} ({@code x W_ih^T + b_ih})
   * @param h0 the initial hidden state {@code [B, H]}
   * @param c0 the initial cell state {@code [B, H]}
   * @param wHh {@code [4H, H]}
   * @param bHh {@code [4H]} or null
   * @param reverse whether time runs backwards
   * @return {@code {output [T, B, H], h_n [B, H], c_n [B, H]}}
   * @throws IllegalArgumentException naming the op and the offending shapes, dtypes or devices
   */
  public static Tensor[] lstmLayer(
      Tensor ig, Tensor h0, Tensor c0, Tensor wHh, Tensor bHh, boolean reverse) {
    check(ig, h0, c0, wHh, bHh);
    final int steps = Math.toIntExact(ig.size(0));
    final int batch = Math.toIntExact(ig.size(1));
    final int hidden = Math.toIntExact(h0.size(1));
    final int gates = 4 * hidden;
    final Tensor igc = contig(ig);
    final Tensor h0c = contig(h0);
    final Tensor c0c = contig(c0);
    final Tensor w = contig(wHh);
    final Tensor b = contig(bHh);
    final Tensor[] in = {ig, h0, c0, wHh, bHh};
    final boolean grad = Autograd.anyRequiresGrad(in);
    final Backend be = ig.backend();
    final RnnKernels k = be.rnn();
    final RnnCellShape s = new RnnCellShape(batch, hidden);
    final Shape state = Shape.of(batch, hidden);
    final int hStep = batch * hidden;
    final int gStep = batch * gates;
    // hs: every step's h, the output; private to the node when it records (the caller gets a copy,
    // free to modify in place, as PyTorch's output is)
    final Tensor hs = uninitialized(Shape.of(steps, batch, hidden), ig);
    final Tensor[] cs = new Tensor[steps];
    final Tensor[] ws = grad ? new Tensor[steps] : null;
    final Tensor hg = uninitialized(Shape.of(batch, gates), ig);
    // the kernels take both biases or neither: b_hh beside a zero input bias (b_ih is in ig)
    final Tensor zeroBias = b == null ? null : NnOpSupport.zeros(Shape.of(gates), ig);
    Tensor hy = null;
    View hPrev = h0c.view();
    Tensor cPrev = c0c;
    for (int i = 0; i < steps; i++) {
      int t = reverse ? steps - 1 - i : i;
      // hg = h W_hh^T ([B, H] x [H, 4H])
      be.gemm(GemmSpec.of(false, true, batch, gates, hidden, Operand.at(hPrev.offset(), hidden),
              Operand.at(w.view().offset(), hidden), Operand.at(0, gates)),
          hPrev.buffer(), buf(w), buf(hg));
      hy = uninitialized(state, ig);
      Tensor cy = uninitialized(state, ig);
      Tensor wst = grad ? uninitialized(Shape.of(batch, gates), ig) : null;
      View igt = new View(buf(igc), new int[] {batch, gates}, new int[] {gates, 1},
          igc.view().offset() + t * gStep);
      k.lstmCell(igt, hg.view(), view(zeroBias), view(b), cPrev.view(), s, buf(hy), buf(cy),
          wst == null ? null : buf(wst));
      View slot = View.contiguous(buf(hs), new int[] {batch, hidden});
      slot = new View(slot.buffer(), slot.shape(), slot.strides(), t * hStep);
      be.copy(hy.view(), slot);
      hPrev = slot;
      cs[t] = cy;
      if (grad) {
        ws[t] = wst;
      }
      cPrev = cy;
    }
    final Tensor hN = steps == 0 ? h0c.clone() : hy;
    final Tensor cN = steps == 0 ? c0c.clone() : cPrev;
    if (!grad) {
      return new Tensor[] {hs, hN, cN};
    }
    final Tensor out = hs.clone();
    Tensor[] saved = new Tensor[2 * steps + 3];
    saved[0] = hs;
    saved[1] = h0c;
    saved[2] = c0c;
    System.arraycopy(cs, 0, saved, 3, steps);
    System.arraycopy(ws, 0, saved, 3 + steps, steps);
    return Tensor.recordMulti(NODE, new Tensor[] {out, hN, cN}, in, saved, g -> {
      Tensor gOut = contig(g[0]);
      Tensor dG = uninitialized(Shape.of(steps, batch, gates), ig);
      Tensor gh = null;
      Tensor dc = contig(g[2]);
      Tensor dh0 = null;
      // one step's gate gradient, copied into dG and read by the step's GEMM before the next
      // step's kernel overwrites it (in stream order on a device)
      Tensor dGt = uninitialized(Shape.of(batch, gates), ig);
      for (int i = 0; i < steps; i++) {
        int t = reverse ? i : steps - 1 - i;
        if (i == 0) {
          gh = gOut.select(0, t).add(g[1]);
        }
        Tensor cBefore = reverse ? (t == steps - 1 ? c0c : cs[t + 1]) : (t == 0 ? c0c : cs[t - 1]);
        Tensor dcPrev = uninitialized(state, ig);
        k.lstmCellBackward(contig(gh).view(), dc.view(), cBefore.view(), cs[t].view(),
            ws[t].view(), s, buf(dGt), buf(dcPrev));
        be.copy(dGt.view(), new View(buf(dG), new int[] {batch, gates}, new int[] {gates, 1},
            t * gStep));
        dc = dcPrev;
        boolean last = i == steps - 1;
        if (last && !needsGrad(h0)) {
          break;
        }
        // the previous step's h gradient: its output gradient + dgates W_hh ([B, 4H] x [4H, H])
        Tensor next = uninitialized(state, ig);
        if (!last) {
          int tn = reverse ? t + 1 : t - 1;
          be.copy(new View(buf(gOut), new int[] {batch, hidden}, new int[] {hidden, 1},
              gOut.view().offset() + tn * hStep), next.view());
        }
        be.gemm(GemmSpec.of(false, false, batch, hidden, gates, Operand.at(0, gates),
                Operand.at(w.view().offset(), hidden), Operand.at(0, hidden))
                .accumulating(!last),
            buf(dGt), buf(w), buf(next));
        if (last) {
          dh0 = next;
        } else {
          gh = next;
        }
      }
      Tensor dW = null;
      if (needsGrad(wHh)) {
        dW = uninitialized(wHh.shape(), ig);
        // dW_hh = sum over steps of dgates[t]^T h_before(t): the steps whose h_before is another
        // step's output in one GEMM over (T - 1) * B rows, the first step's (h0) accumulated
        int rest = (steps - 1) * batch;
        int first = reverse ? steps - 1 : 0;
        if (rest > 0) {
          int gOff = reverse ? 0 : gStep;
          int hOff = reverse ? hStep : 0;
          be.gemm(GemmSpec.of(true, false, gates, hidden, rest, Operand.at(gOff, gates),
                  Operand.at(hOff, hidden), Operand.at(0, hidden)),
              buf(dG), buf(hs), buf(dW));
        }
        be.gemm(GemmSpec.of(true, false, gates, hidden, batch, Operand.at(first * gStep, gates),
                Operand.at(h0c.view().offset(), hidden), Operand.at(0, hidden))
                .accumulating(rest > 0),
            buf(dG), buf(h0c), buf(dW));
      }
      Tensor db = needsGrad(bHh) ? dG.reshape(steps * batch, gates).sum(0, false) : null;
      return new Tensor[] {needsGrad(ig) ? dG : null, dh0, needsGrad(c0) ? dc : null, dW, db};
    });
  }

  /** Shapes, dtypes and devices of {@link #lstmLayer}'s arguments, with messages naming them. */
  private static void check(Tensor ig, Tensor h0, Tensor c0, Tensor wHh, Tensor bHh) {
    if (ig == null || h0 == null || c0 == null || wHh == null) {
      throw new IllegalArgumentException(OP + ": input_gates, hx, cx and w_hh are required");
    }
    if (ig.dim() != 3 || h0.dim() != 2 || wHh.dim() != 2) {
      throw new IllegalArgumentException(OP + ": expected input_gates [T, B, 4H], hx [B, H] and"
          + " w_hh [4H, H], got " + ig.shape() + ", " + h0.shape() + " and " + wHh.shape());
    }
    long batch = ig.size(1);
    long hidden = h0.size(1);
    if (h0.size(0) != batch || ig.size(2) != 4 * hidden || !c0.shape().equals(h0.shape())
        || wHh.size(0) != 4 * hidden || wHh.size(1) != hidden
        || (bHh != null && !bHh.shape().equals(Shape.of(4 * hidden)))) {
      throw new IllegalArgumentException(OP + ": inconsistent shapes: input_gates "
          + ig.shape() + ", hx " + h0.shape() + ", cx " + c0.shape() + ", w_hh " + wHh.shape()
          + ", b_hh " + (bHh == null ? "None" : bHh.shape()));
    }
    Tensor[] all = {h0, c0, wHh, bHh};
    if (!ig.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          OP + ": expected floating-point tensors, got input_gates of dtype " + ig.dtype());
    }
    for (Tensor t : all) {
      if (t != null && (t.dtype() != ig.dtype() || !t.device().equals(ig.device()))) {
        throw new IllegalArgumentException(OP + ": expected all tensors of input_gates' dtype "
            + ig.dtype() + " on " + ig.device() + ", got one of dtype " + t.dtype() + " on "
            + t.device());
      }
    }
  }
}
