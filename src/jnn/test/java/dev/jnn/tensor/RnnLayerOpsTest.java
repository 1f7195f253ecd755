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
import dev.jnn.nn.functional.Functional;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The LSTM layer op ({@link RnnLayerOps}, internal: the recurrent layers' path, so no registry
 * entry): float64 gradient checks in both directions, with and without {@code b_hh}; forward,
 * final states and every gradient against the per-step graph it replaces ({@code h W_hh^T + b_hh}
 * by {@code linear}, then {@link RnnOps#lstmCell}, then {@code stack}), float32 (the Vector API
 * path, hidden sizes with a vector tail) and float64; one node; the output free to modify in place;
 * no-grad; bad input. PyTorch's values come through the layers' goldens ({@code
 * RecurrentGoldenTest}, {@code RecurrentPackedGoldenTest}).
 */
class RnnLayerOpsTest {
  private static Tensor leaf(long seed, DType dt, long... shape) {
    return Tensor.randn(Shape.of(shape), dt, new Generator(seed)).mul(0.5).requiresGrad(true);
  }

  /** {ig [T, B, 4H], h0, c0, w_hh, b_hh}. */
  private static List<Tensor> inputs(long seed, DType dt, int t, int b, int h) {
    List<Tensor> in = new ArrayList<>();
    in.add(leaf(seed, dt, t, b, 4L * h));
    in.add(leaf(seed + 1, dt, b, h));
    in.add(leaf(seed + 2, dt, b, h));
    in.add(leaf(seed + 3, dt, 4L * h, h));
    in.add(leaf(seed + 4, dt, 4L * h));
    return in;
  }

  /** The per-step graph the layers built before the layer op. */
  private static Tensor[] perStep(List<Tensor> a, boolean bias, boolean reverse) {
    Tensor ig = a.get(0);
    int steps = (int) ig.size(0);
    Tensor h = a.get(1);
    Tensor c = a.get(2);
    Tensor[] outs = new Tensor[steps];
    for (int i = 0; i < steps; i++) {
      int t = reverse ? steps - 1 - i : i;
      Tensor hg = Functional.linear(h, a.get(3), bias ? a.get(4) : null);
      Tensor[] hc = RnnOps.lstmCell(ig.select(0, t), hg, c, null, null);
      h = hc[0];
      c = hc[1];
      outs[t] = h;
    }
    return new Tensor[] {Tensor.stack(List.of(outs), 0), h, c};
  }

  private static Tensor[] layer(List<Tensor> a, boolean bias, boolean reverse) {
    return RnnLayerOps.lstmLayer(a.get(0), a.get(1), a.get(2), a.get(3), bias ? a.get(4) : null,
        reverse);
  }

  private static Tensor flat(Tensor[] r) {
    return Tensor.cat(List.of(r[0].reshape(-1), r[1].reshape(-1), r[2].reshape(-1)), 0);
  }

  @Test
  void gradcheckBothDirectionsWithAndWithoutBias() {
    for (boolean reverse : new boolean[] {false, true}) {
      for (boolean bias : new boolean[] {true, false}) {
        List<Tensor> in = inputs(reverse ? 10 : 20, DType.FLOAT64, 4, 3, 2);
        Tensor[] args = bias ? in.toArray(new Tensor[0]) : in.subList(0, 4).toArray(new Tensor[0]);
        GradCheck.check(a -> flat(layer(a, bias, reverse)), args);
      }
    }
  }

  /** Values and the five gradients against the per-step graph, with weighted output gradients. */
  @Test
  void matchesThePerStepGraph() {
    for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
      for (int hidden : new int[] {3, 13}) {
        for (boolean reverse : new boolean[] {false, true}) {
          for (boolean bias : new boolean[] {true, false}) {
            String what = dt + " H=" + hidden + (reverse ? " reverse" : "") + (bias ? "" : " no bias");
            List<Tensor> a = inputs(hidden * 7L, dt, 5, 4, hidden);
            List<Tensor> b = new ArrayList<>();
            for (Tensor t : a) {
              b.add(t.detach().clone().requiresGrad(true));
            }
            Tensor[] want = perStep(a, bias, reverse);
            Tensor[] got = layer(b, bias, reverse);
            for (int i = 0; i < 3; i++) {
              assertTensorClose(want[i], got[i], what + ": output " + i);
            }
            Tensor wy = Tensor.randn(want[0].shape(), dt, new Generator(5));
            Tensor wh = Tensor.randn(want[1].shape(), dt, new Generator(6));
            Tensor wc = Tensor.randn(want[2].shape(), dt, new Generator(7));
            want[0].mul(wy).sum().add(want[1].mul(wh).sum()).add(want[2].mul(wc).sum()).backward();
            got[0].mul(wy).sum().add(got[1].mul(wh).sum()).add(got[2].mul(wc).sum()).backward();
            for (int i = 0; i < (bias ? 5 : 4); i++) {
              assertTensorClose(a.get(i).grad(), b.get(i).grad(), what + ": grad of input " + i);
            }
            if (!bias) {
              assertNull(b.get(4).grad());
            }
          }
        }
      }
    }
  }

  /** Only the output used (h_n, c_n get zero gradients), and only some inputs needing grad. */
  @Test
  void partialOutputsAndInputs() {
    List<Tensor> a = inputs(40, DType.FLOAT64, 3, 2, 4);
    List<Tensor> b = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      Tensor t = a.get(i).detach().clone();
      b.add(i == 0 || i == 3 ? t.requiresGrad(true) : t);
    }
    perStep(a, true, false)[0].sum().backward();
    layer(b, true, false)[0].sum().backward();
    assertTensorClose(a.get(0).grad(), b.get(0).grad(), "grad ig");
    assertTensorClose(a.get(3).grad(), b.get(3).grad(), "grad w_hh");
    for (int i : new int[] {1, 2, 4}) {
      assertNull(b.get(i).grad(), "no grad for input " + i);
    }
  }

  @Test
  void oneNodeAnOutputFreeToModifyAndNoGrad() {
    List<Tensor> a = inputs(50, DType.FLOAT32, 3, 2, 4);
    Tensor[] r = layer(a, true, false);
    assertEquals(RnnLayerOps.NODE, r[0].gradFn().name());
    assertSame(r[0].gradFn(), r[1].gradFn());
    assertSame(r[0].gradFn(), r[2].gradFn());
    assertEquals(Shape.of(3, 2, 4), r[0].shape());
    // h_n is the last step's output
    assertTensorClose(r[0].select(0, 2), r[1], "h_n");
    Tensor before = r[0].detach().clone();
    r[0].reluInPlace();
    r[0].sum().backward(); // the node saved its own copy of the hidden states
    assertTrue(a.get(3).grad() != null);
    try (NoGrad ng = NoGrad.enter()) {
      Tensor[] n = layer(a, true, false);
      assertNull(n[0].gradFn());
      assertFalse(n[0].requiresGrad());
      assertTensorClose(before, n[0], "no-grad output");
    }
  }

  private static void bad(String expected, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertEquals(expected, e.getMessage());
  }

  @Test
  void badInputNamesTheOpAndTheShapes() {
    List<Tensor> a = inputs(60, DType.FLOAT32, 3, 2, 4);
    Tensor w = a.get(3);
    bad("lstm_layer: expected input_gates [T, B, 4H], hx [B, H] and w_hh [4H, H], got [3, 2, 16],"
            + " [2, 4, 1] and [16, 4]",
        () -> RnnLayerOps.lstmLayer(a.get(0), a.get(1).unsqueeze(2), a.get(2), w, null, false));
    bad("lstm_layer: inconsistent shapes: input_gates [3, 2, 16], hx [2, 4], cx [2, 4], w_hh"
            + " [16, 3], b_hh None",
        () -> RnnLayerOps.lstmLayer(a.get(0), a.get(1), a.get(2), w.narrow(1, 0, 3), null,
            false));
    bad("lstm_layer: expected all tensors of input_gates' dtype torch.float32 on cpu, got one of dtype"
            + " torch.float64 on cpu",
        () -> RnnLayerOps.lstmLayer(a.get(0), a.get(1), a.get(2), w.to(DType.FLOAT64), null,
            false));
  }
}
