package dev.jnn.nn.layers;

import static dev.jnn.nn.layers.LayersGoldenTest.message;
import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 part 1's layers beyond their golden forward/backward, repr and state-dict cases (which
 * {@link LayersGoldenTest} runs over {@link LayerZoo}): PyTorch's error messages ({@code
 * errors_vision} in {@code scripts/golden/layers.py}), the argument forms, and refused inputs
 * leaving the input unchanged.
 */
class VisionLayersTest {
  static final Golden.Case E = LayersGoldenTest.G.get("errors_vision");

  @Test
  void paddingErrorMessagesMatchPyTorch() {
    assertEquals(E.text("reflpad2d_big"),
        message(() -> new ReflectionPad2d(3).call(Tensor.zeros(1, 1, 3, 3))));
    assertEquals(E.text("reflpad1d_big"),
        message(() -> new ReflectionPad1d(new int[] {1, 4}).call(Tensor.zeros(2, 3, 4))));
    assertEquals(E.text("reflpad1d_rank"),
        message(() -> new ReflectionPad1d(2).call(Tensor.zeros(2, 3, 4, 5))));
    assertEquals(E.text("replpad3d_rank"),
        message(() -> new ReplicationPad3d(1).call(Tensor.zeros(3, 3))));
    assertEquals(E.text("replpad2d_empty"),
        message(() -> new ReplicationPad2d(1).call(Tensor.zeros(2, 0, 3))));
    assertEquals(E.text("circpad2d_rank"),
        message(() -> new CircularPad2d(1).call(Tensor.zeros(3, 3))));
    assertEquals(E.text("circpad1d_rank"),
        message(() -> new CircularPad1d(1).call(Tensor.zeros(1, 2, 3, 3))));
    assertEquals(E.text("circpad3d_rank"),
        message(() -> new CircularPad3d(1).call(Tensor.zeros(2, 3, 3))));
    assertEquals(E.text("circpad1d_wrap"),
        message(() -> new CircularPad1d(4).call(Tensor.zeros(1, 2, 3))));
    assertEquals(E.text("constpad3d_rank"),
        message(() -> new ConstantPad3d(1, 2.0).call(Tensor.zeros(3, 3))));
    assertEquals(E.text("constpad1d_crop"),
        message(() -> new ConstantPad1d(-3, 2.0).call(Tensor.zeros(3, 4))));
  }

  @Test
  void normalisationErrorMessagesMatchPyTorch() {
    assertEquals(E.text("gn_groups"), message(() -> new GroupNorm(3, 4)));
    assertEquals(E.text("gn_zero"), message(() -> new GroupNorm(0, 4)));
    assertEquals(E.text("gn_channels"),
        message(() -> new GroupNorm(2, 4).call(Tensor.zeros(2, 6, 3))));
    assertEquals(E.text("gn_single"),
        message(() -> new GroupNorm(2, 2).call(Tensor.zeros(1, 2))));
    assertEquals(E.text("inorm1d_rank"),
        message(() -> new InstanceNorm1d(3).call(Tensor.zeros(2, 3, 4, 5))));
    assertEquals(E.text("inorm2d_rank"),
        message(() -> new InstanceNorm2d(3).call(Tensor.zeros(3, 4))));
    assertEquals(E.text("inorm3d_rank"),
        message(() -> new InstanceNorm3d(3).call(Tensor.zeros(2, 3, 4, 5, 6, 7))));
    assertEquals(E.text("inorm_spatial"),
        message(() -> new InstanceNorm2d(3).call(Tensor.zeros(2, 3, 1, 1))));
    assertEquals(E.text("inorm_channels"),
        message(() -> InstanceNorm1d.builder(3).affine(true).build().call(Tensor.zeros(2, 4, 5))));
    Map<String, Tensor> old = new LinkedHashMap<>();
    old.put("running_mean", Tensor.zeros(3));
    old.put("running_var", Tensor.ones(3));
    assertEquals(E.text("inorm_load"), message(() -> new InstanceNorm1d(3).loadStateDict(old)));
    assertEquals(E.text("bn3d_rank"),
        message(() -> new BatchNorm3d(3).call(Tensor.zeros(2, 3, 4, 4))));
    assertEquals(E.text("lrn_rank"),
        message(() -> new LocalResponseNorm(2).call(Tensor.zeros(2, 3))));
    assertEquals(E.text("lrn_size0"),
        message(() -> new LocalResponseNorm(0).call(Tensor.zeros(2, 3, 4, 5))));
  }

  @Test
  void aRefusedInstanceNormChangesNoRunningStatistic() {
    InstanceNorm2d m = InstanceNorm2d.builder(3).affine(true).trackRunningStats(true).build();
    m.call(Tensor.randn(2, 3, 2, 2).add(1.0));
    Tensor mean = m.runningMean().clone();
    Tensor var = m.runningVar().clone();
    int version = m.runningMean().version();
    assertThrows(RuntimeException.class, () -> m.call(Tensor.zeros(2, 4, 2, 2)));
    assertThrows(RuntimeException.class, () -> m.call(Tensor.zeros(2, 3, 1, 1)));
    assertTensorClose(mean, m.runningMean(), "running_mean unchanged");
    assertTensorClose(var, m.runningVar(), "running_var unchanged");
    assertEquals(version, m.runningMean().version());
    assertEquals(0, m.numBatchesTracked().itemLong(), "instance norm never counts batches");
  }

  @Test
  void rearrangingErrorMessagesMatchPyTorch() {
    assertEquals(E.text("pixel_shuffle_channels"),
        message(() -> new PixelShuffle(2).call(Tensor.zeros(2, 6, 3, 3))));
    assertEquals(E.text("pixel_unshuffle_height"),
        message(() -> new PixelUnshuffle(2).call(Tensor.zeros(2, 2, 3, 4))));
    assertEquals(E.text("channel_shuffle_groups"),
        message(() -> new ChannelShuffle(4).call(Tensor.zeros(2, 6, 3))));
    assertEquals(E.text("unflatten_sizes"),
        message(() -> new Unflatten(1, new long[] {2, 3}).call(Tensor.zeros(4, 5))));
  }

  /** 1.13 has no derivative for channel_shuffle: the layer golden is forward only. */
  @Test
  void channelShuffleForwardMatchesPyTorch() {
    Golden.Case c = LayersGoldenTest.G.get("channel_shuffle_forward");
    assertTensorClose(c.tensor("y"), new ChannelShuffle(2).call(c.tensor("x")), "y");
  }

  @Test
  void aRefusedPaddingLeavesItsInputAlone() {
    Tensor x = Tensor.randn(1, 1, 3, 3).requiresGrad(true);
    Tensor before = x.clone().detach();
    int version = x.version();
    assertThrows(RuntimeException.class, () -> new ReflectionPad2d(3).call(x));
    assertThrows(RuntimeException.class, () -> new CircularPad1d(1).call(x));
    assertTensorClose(before, x, "input unchanged");
    assertEquals(version, x.version());
  }

  @Test
  void paddingArgumentForms() {
    assertArrayEquals(new int[] {2, 2}, new ReflectionPad1d(2).padding());
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, new ReplicationPad3d(1).padding());
    assertArrayEquals(new int[] {1, 2, 3, 4}, new ZeroPad2d(new int[] {1, 2, 3, 4}).padding());
    assertEquals(3.5, new ConstantPad2d(1, 3.5).value());
    // the accessor and the module keep their own copies
    int[] given = {1, 2};
    ReplicationPad1d m = new ReplicationPad1d(given);
    given[0] = 9;
    m.padding()[1] = 9;
    assertArrayEquals(new int[] {1, 2}, m.padding());
    // a tuple of the wrong length is refused at construction (PyTorch fails at the forward)
    assertEquals("ReflectionPad2d: padding must be one int or 4 ints, got (1, 2)",
        message(() -> new ReflectionPad2d(new int[] {1, 2})));
    assertEquals("ConstantPad3d: padding must be one int or 6 ints, got (1, 1, 1, 1)",
        message(() -> new ConstantPad3d(new int[] {1, 1, 1, 1}, 0.0)));
  }
}
