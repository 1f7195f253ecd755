package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.AllocationStats;
import dev.jnn.backend.Backend;
import dev.jnn.backend.Backends;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the goldens of {@link ConvLayersGoldenTest} do not pin: PyTorch's initialisation bounds
 * (statistics, since the random streams differ), the builder's dtype, the options a layer kind
 * does not have, and that a transposed layer's {@code output_size} is the output padding it
 * implies, and that the 3-d path and fold/unfold free their temporaries.
 */
class ConvLayersTest {

  private static double maxAbs(Tensor t) {
    double m = 0;
    for (double v : t.toDoubleArray()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  @Test
  void initialisationIsUniformWithinOneOverSqrtFanInOfTheWeightsSecondDim() {
    // transposed: weight [in, out / groups, k...], fan_in = (out / groups) * prod(k) = 3 * 9
    ConvTranspose2d t = ConvTranspose2d.builder(40, 6, 3).groups(2).build();
    assertArrayEquals(new long[] {40, 3, 3, 3}, t.weight().shape().dims());
    double bound = 1 / Math.sqrt(27);
    assertTrue(maxAbs(t.weight()) <= bound && maxAbs(t.weight()) > 0.9 * bound);
    assertTrue(maxAbs(t.bias()) <= bound);
    // plain: weight [out, in / groups, k...], fan_in = 4 * 2 * 3 * 2
    Conv3d c = Conv3d.builder(8, 30, 2, 3, 2).groups(2).build();
    assertArrayEquals(new long[] {30, 4, 2, 3, 2}, c.weight().shape().dims());
    double b3 = 1 / Math.sqrt(48);
    assertTrue(maxAbs(c.weight()) <= b3 && maxAbs(c.weight()) > 0.9 * b3);
  }

  @Test
  void builderDtypeAndOptionsOfTheOtherKind() {
    Conv1d c = Conv1d.builder(2, 3, 2).dtype(DType.FLOAT64).build();
    assertEquals(DType.FLOAT64, c.weight().dtype());
    assertEquals(DType.FLOAT64, c.call(Tensor.randn(1, 2, 4).to(DType.FLOAT64)).dtype());
    assertThrows(IllegalStateException.class, () -> Conv1d.builder(2, 3, 2).outputPadding(1));
    assertThrows(IllegalStateException.class,
        () -> ConvTranspose1d.builder(2, 3, 2).padding("same"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Conv3d.builder(2, 3, 2, 2).build());
    assertEquals("kernel_size must be one value or 3 values, but got [2, 2]", e.getMessage());
  }

  @Test
  void outputSizeIsTheOutputPaddingItImplies() {
    ConvTranspose3d m = ConvTranspose3d.builder(2, 3, 3).stride(3, 2, 1).padding(1).build();
    Tensor x = Tensor.randn(2, 2, 3, 2, 4);
    Tensor y = m.forward(x, 9, 4, 4);
    assertArrayEquals(new long[] {2, 3, 9, 4, 4}, y.shape().dims());
    Tensor ref = Functional.convTranspose3d(x, m.weight(), m.bias(), new int[] {3, 2, 1},
        new int[] {1}, new int[] {2, 1, 0}, 1, new int[] {1});
    assertTensorClose(ref, y, "output_size");
    Tensor viaKwargs = m.call(List.of(x), Map.of("output_size", List.of(2, 3, 9, 4, 4)));
    assertTensorClose(ref, viaKwargs, "output_size keyword with batch and channel dims");
    assertArrayEquals(new long[] {2, 3, 7, 3, 4}, m.call(x).shape().dims());
  }

  @Test
  void conv1dIsConv2dOfHeightOne() {
    Tensor x = Tensor.randn(2, 4, 9);
    Tensor w = Tensor.randn(6, 2, 3);
    Tensor b = Tensor.randn(6);
    Tensor y = Functional.conv1d(x, w, b, new int[] {2}, new int[] {1}, new int[] {2}, 2);
    Tensor y2 = Functional.conv2d(x.unsqueeze(2), w.unsqueeze(2), b, new int[] {1, 2},
        new int[] {0, 1}, new int[] {1, 2}, 2).squeeze(2);
    assertTensorClose(y2, y, "conv1d");
  }

  @Test
  void foldOfUnfoldMultipliesByTheNumberOfBlocksCoveringEachPixel() {
    Tensor x = Tensor.randn(2, 3, 5, 4);
    int[] k = {2, 3};
    Tensor cols = Functional.unfold(x, k);
    Tensor back = Functional.fold(cols, new int[] {5, 4}, k);
    Tensor count = Functional.fold(Functional.unfold(Tensor.ones(1, 1, 5, 4), k),
        new int[] {5, 4}, k);
    assertTensorClose(x.mul(count), back, "fold(unfold(x))");
  }

  /** Bytes the CPU back end counts as allocated after {@code op} minus before, and the result. */
  private static long liveAfter(java.util.function.Supplier<Tensor> op, Tensor[] result) {
    Backend cpu = Backends.cpu();
    AllocationStats s0 = cpu.allocationStats(Device.CPU);
    result[0] = op.get();
    return cpu.allocationStats(Device.CPU).allocatedBytes() - s0.allocatedBytes();
  }

  @Test
  void onlyTheOutputOutlivesTheForwardAndOnlyTheGradientsTheBackward() {
    Tensor x = Tensor.randn(2, 4, 5, 6, 6).requiresGrad(true);
    Tensor w = Tensor.randn(6, 2, 3, 2, 3).requiresGrad(true);
    Tensor b = Tensor.randn(6).requiresGrad(true);
    Tensor[] out = new Tensor[1];
    long live = liveAfter(() -> Functional.conv3d(x, w, b, new int[] {2, 1, 1},
        new int[] {1}, new int[] {1, 2, 1}, 2), out);
    assertEquals(out[0].numel() * 4, live, "conv3d forward");
    Tensor gy = Tensor.randn(out[0].shape().dims());
    Tensor[] none = new Tensor[1];
    long grads = liveAfter(() -> {
      out[0].backward(gy);
      return null;
    }, none);
    assertEquals((x.numel() + w.numel() + b.numel()) * 4, grads, "conv3d backward");
    Tensor xt = Tensor.randn(2, 6, 3, 4, 4);
    long liveT = liveAfter(() -> Functional.convTranspose3d(xt, w.detach(), null,
        new int[] {2}, new int[] {1}, new int[] {1, 0, 1}, 2, new int[] {1}), out);
    assertEquals(out[0].numel() * 4, liveT, "conv_transpose3d forward");
    Tensor img = Tensor.randn(2, 3, 7, 6);
    long liveU = liveAfter(() -> Functional.unfold(img, new int[] {3, 2}, new int[] {1},
        new int[] {1}, new int[] {2}), out);
    assertEquals(out[0].numel() * 4, liveU, "unfold forward");
    Tensor cols = out[0];
    long liveF = liveAfter(() -> Functional.fold(cols, new int[] {7, 6}, new int[] {3, 2},
        new int[] {1}, new int[] {1}, new int[] {2}), out);
    assertEquals(out[0].numel() * 4, liveF, "fold forward");
  }

  @Test
  void unbatchedCircularPaddingIsTheBatchedOneAsInPyTorch2() {
    Conv3d m = Conv3d.builder(2, 3, 2).padding(1, 0, 1).paddingMode("circular").build();
    Tensor x = Tensor.randn(2, 3, 4, 3);
    assertTensorClose(m.call(x.unsqueeze(0)).squeeze(0), m.call(x), "conv3d circular");
    Conv1d c = Conv1d.builder(2, 3, 3).padding(2).paddingMode("circular").build();
    Tensor x1 = Tensor.randn(2, 5);
    assertTensorClose(c.call(x1.unsqueeze(0)).squeeze(0), c.call(x1), "conv1d circular");
  }
}
