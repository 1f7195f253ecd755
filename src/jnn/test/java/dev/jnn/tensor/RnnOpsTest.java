package dev.jnn.tensor;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.GradCheck;
import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused recurrent-cell ops ({@link RnnOps}, internal: no {@code Tensor}/{@code Functional}
 * method, so no op-registry entry): float64 gradient checks with and without biases, forward and
 * gradients against the composite of sigmoid/tanh/mul/add ops they replace (float32 on the
 * Vector API path with a tail, float64), the autograd node's name, no-grad, and bad input.
 * PyTorch's own values for these steps come through the layers' goldens ({@code
 * RecurrentGoldenTest}, {@code RecurrentPackedGoldenTest}, {@code LayersGoldenTest}).
 */
class RnnOpsTest {
  private static Tensor rnd(long seed, DType dt, long... shape) {
    return Tensor.randn(Shape.of(shape), dt, new Generator(seed));
  }

  private static Tensor leaf(long seed, DType dt, long... shape) {
    return rnd(seed, dt, shape).requiresGrad(true);
  }

  /** The composite LSTM step of the layers before the fused op (PyTorch's CPU fallback). */
  static Tensor[] lstmComposite(Tensor ig, Tensor hg, Tensor cx, Tensor bi, Tensor bh) {
    Tensor x = bi == null ? ig.add(hg) : ig.add(hg).add(bi).add(bh);
    List<Tensor> g = x.chunk(4, 1);
    Tensor c = g.get(1).sigmoid().mul(cx).add(g.get(0).sigmoid().mul(g.get(2).tanh()));
    return new Tensor[] {g.get(3).sigmoid().mul(c.tanh()), c};
  }

  /** The composite GRU step. */
  static Tensor gruComposite(Tensor ig, Tensor hg, Tensor hx, Tensor bi, Tensor bh) {
    if (bi != null) {
      ig = ig.add(bi);
      hg = hg.add(bh);
    }
    List<Tensor> i = ig.chunk(3, 1);
    List<Tensor> h = hg.chunk(3, 1);
    Tensor r = i.get(0).add(h.get(0)).sigmoid();
    Tensor z = i.get(1).add(h.get(1)).sigmoid();
    Tensor n = i.get(2).add(r.mul(h.get(2))).tanh();
    return hx.sub(n).mul(z).add(n);
  }

  private static List<Tensor> inputs(long seed, DType dt, int b, int h, int gates, boolean bias) {
    List<Tensor> in = new ArrayList<>();
    in.add(leaf(seed, dt, b, (long) gates * h));
    in.add(leaf(seed + 1, dt, b, (long) gates * h));
    in.add(leaf(seed + 2, dt, b, h));
    in.add(bias ? leaf(seed + 3, dt, (long) gates * h) : null);
    in.add(bias ? leaf(seed + 4, dt, (long) gates * h) : null);
    return in;
  }

  private static Tensor[] present(List<Tensor> in) {
    return in.stream().filter(t -> t != null).toArray(Tensor[]::new);
  }

  @Test
  void lstmCellGradcheck() {
    for (boolean bias : new boolean[] {true, false}) {
      List<Tensor> in = inputs(10, DType.FLOAT64, 3, 5, 4, bias);
      GradCheck.check(
          a -> {
            Tensor[] hc = RnnOps.lstmCell(a.get(0), a.get(1), a.get(2),
                bias ? a.get(3) : null, bias ? a.get(4) : null);
            return Tensor.cat(List.of(hc[0].reshape(-1), hc[1].reshape(-1)), 0);
          },
          present(in));
    }
  }

  @Test
  void gruCellGradcheck() {
    for (boolean bias : new boolean[] {true, false}) {
      List<Tensor> in = inputs(20, DType.FLOAT64, 3, 5, 3, bias);
      GradCheck.check(
          a -> RnnOps.gruCell(a.get(0), a.get(1), a.get(2),
              bias ? a.get(3) : null, bias ? a.get(4) : null),
          present(in));
    }
  }

  /** Forward and every gradient of the fused LSTM op against the composite, float32 and 64. */
  @Test
  void lstmCellMatchesTheComposite() {
    for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
      for (boolean bias : new boolean[] {true, false}) {
        // 19 units: two 8-lane vectors and a tail (or one 16-lane vector and a tail)
        List<Tensor> a = inputs(30, dt, 4, 19, 4, bias);
        List<Tensor> b = new ArrayList<>();
        for (Tensor t : a) {
          b.add(t == null ? null : t.detach().requiresGrad(true));
        }
        Tensor[] f = RnnOps.lstmCell(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
        Tensor[] c = lstmComposite(b.get(0), b.get(1), b.get(2), b.get(3), b.get(4));
        String what = "lstm " + dt + (bias ? " with bias" : "");
        assertTensorClose(c[0], f[0], what + ": hy");
        assertTensorClose(c[1], f[1], what + ": cy");
        Tensor wh = rnd(31, dt, 4, 19);
        Tensor wc = rnd(32, dt, 4, 19);
        f[0].mul(wh).sum().add(f[1].mul(wc).sum()).backward();
        c[0].mul(wh).sum().add(c[1].mul(wc).sum()).backward();
        for (int i = 0; i < a.size(); i++) {
          if (a.get(i) != null) {
            assertTensorClose(b.get(i).grad(), a.get(i).grad(), what + ": grad of input " + i);
          }
        }
      }
    }
  }

  @Test
  void gruCellMatchesTheComposite() {
    for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
      for (boolean bias : new boolean[] {true, false}) {
        List<Tensor> a = inputs(40, dt, 4, 19, 3, bias);
        List<Tensor> b = new ArrayList<>();
        for (Tensor t : a) {
          b.add(t == null ? null : t.detach().requiresGrad(true));
        }
        Tensor f = RnnOps.gruCell(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
        Tensor c = gruComposite(b.get(0), b.get(1), b.get(2), b.get(3), b.get(4));
        String what = "gru " + dt + (bias ? " with bias" : "");
        assertTensorClose(c, f, what + ": hy");
        Tensor w = rnd(41, dt, 4, 19);
        f.mul(w).sum().backward();
        c.mul(w).sum().backward();
        for (int i = 0; i < a.size(); i++) {
          if (a.get(i) != null) {
            assertTensorClose(b.get(i).grad(), a.get(i).grad(), what + ": grad of input " + i);
          }
        }
      }
    }
  }

  /**
   * One node per step, under PyTorch's names for the fused ops; the gradient of a missing output
   * (only {@code hy} used) counts as zero; no node and the same values under no-grad.
   */
  @Test
  void oneAutogradNodeNamedAsPyTorchsFusedOps() {
    List<Tensor> a = inputs(50, DType.FLOAT32, 2, 3, 4, true);
    Tensor[] hc = RnnOps.lstmCell(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
    assertEquals("ThnnFusedLstmCellBackward0", hc[0].gradFn().name());
    assertSame(hc[0].gradFn(), hc[1].gradFn());
    assertEquals(0, hc[0].outputNr());
    assertEquals(1, hc[1].outputNr());
    hc[0].sum().backward();
    List<Tensor> b = new ArrayList<>();
    for (Tensor t : a) {
      b.add(t.detach().requiresGrad(true));
    }
    lstmComposite(b.get(0), b.get(1), b.get(2), b.get(3), b.get(4))[0].sum().backward();
    for (int i = 0; i < a.size(); i++) {
      assertTensorClose(b.get(i).grad(), a.get(i).grad(), "only hy used: grad of input " + i);
    }
    Tensor g = RnnOps.gruCell(a.get(0).narrow(1, 0, 9), a.get(1).narrow(1, 0, 9), a.get(2),
        null, null);
    assertEquals("ThnnFusedGruCellBackward0", g.gradFn().name());
    try (var ng = NoGrad.enter()) {
      Tensor[] n = RnnOps.lstmCell(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
      assertNull(n[0].gradFn());
      assertFalse(n[1].requiresGrad());
      assertTensorClose(hc[0].detach(), n[0], 0, 0, "no-grad hy");
      assertTensorClose(hc[1].detach(), n[1], 0, 0, "no-grad cy");
      Tensor gn = RnnOps.gruCell(a.get(0).narrow(1, 0, 9), a.get(1).narrow(1, 0, 9), a.get(2),
          null, null);
      assertNull(gn.gradFn());
      assertTensorClose(g.detach(), gn, 0, 0, "no-grad gru hy");
    }
  }

  /** Non-contiguous operands are read through a contiguous copy; an empty batch is fine. */
  @Test
  void nonContiguousAndEmptyInputs() {
    DType dt = DType.FLOAT64;
    Tensor ig = rnd(60, dt, 8, 3).t();
    Tensor hg = rnd(61, dt, 8, 3).t();
    Tensor cx = rnd(62, dt, 2, 3).t();
    Tensor[] f = RnnOps.lstmCell(ig, hg, cx, null, null);
    Tensor[] c = lstmComposite(ig, hg, cx, null, null);
    assertTensorClose(c[0], f[0], "hy");
    assertTensorClose(c[1], f[1], "cy");
    Tensor[] e = RnnOps.lstmCell(rnd(63, dt, 0, 8), rnd(64, dt, 0, 8), rnd(65, dt, 0, 2),
        null, null);
    assertEquals(Shape.of(0, 2), e[0].shape());
    assertEquals(Shape.of(0, 2), RnnOps.gruCell(rnd(66, dt, 0, 6), rnd(67, dt, 0, 6),
        rnd(68, dt, 0, 2), null, null).shape());
  }

  private static void bad(String expected, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().startsWith(expected.substring(0, expected.indexOf(':') + 1)),
        e.getMessage());
    assertEquals(expected, e.getMessage());
  }

  @Test
  void badInputNamesTheOpAndTheShapesOrDtypes() {
    DType f = DType.FLOAT32;
    Tensor g = rnd(70, f, 3, 8);
    Tensor c = rnd(71, f, 3, 2);
    Tensor b = rnd(72, f, 8);
    bad("_thnn_fused_lstm_cell: expected input_gates to be 2-D [batch, 4 * hidden], got [3, 8, 1]",
        () -> RnnOps.lstmCell(g.unsqueeze(2), g, c, null, null));
    bad("_thnn_fused_lstm_cell: expected hidden_gates of input_gates' shape [3, 8], got [3, 12]",
        () -> RnnOps.lstmCell(g, rnd(73, f, 3, 12), c, null, null));
    bad("_thnn_fused_lstm_cell: expected cx of shape [3, 2] for gates of shape [3, 8] (4 gates),"
            + " got [3, 3]",
        () -> RnnOps.lstmCell(g, g, rnd(74, f, 3, 3), null, null));
    bad("_thnn_fused_gru_cell: expected hx of shape [3, 2] for gates of shape [3, 8] (3 gates),"
            + " got [3, 2]",
        () -> RnnOps.gruCell(g, g, c, null, null));
    bad("_thnn_fused_lstm_cell: expected input_bias and hidden_bias both or neither, got only"
            + " input_bias",
        () -> RnnOps.lstmCell(g, g, c, b, null));
    bad("_thnn_fused_lstm_cell: expected input_bias and hidden_bias of shape [8], got [8] and [4]",
        () -> RnnOps.lstmCell(g, g, c, b, rnd(75, f, 4)));
    bad("_thnn_fused_lstm_cell: expected all tensors of dtype torch.float32 (input_gates'), got cx of"
            + " dtype torch.float64",
        () -> RnnOps.lstmCell(g, g, c.toDouble(), null, null));
    bad("_thnn_fused_lstm_cell: expected floating-point tensors, got input_gates of dtype torch.int64",
        () -> RnnOps.lstmCell(g.toLong(), g.toLong(), c.toLong(), null, null));
    // nothing was recorded or changed
    assertFalse(g.requiresGrad());
  }
}
