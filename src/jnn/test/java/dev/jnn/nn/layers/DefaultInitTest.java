package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.nn.init.InitStats;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layers' default initialisation has PyTorch's distributions ({@code init_*} cases of {@code
 * layers.txt}): {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))} for Linear and Conv2d weights and
 * biases, {@code N(0, 1)} with a zero padding row for Embedding, ones and zeros for the norms.
 */
class DefaultInitTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("layers.txt");

  @Test
  void linearAndConvAreHeUniformWithSqrt5() {
    Generator.manualSeed(1);
    Linear fc = new Linear(1000, 1000);
    InitStats.check(G.get("init_linear_weight"), fc.weight(), 0.01);
    InitStats.check(G.get("init_linear_bias"), fc.bias(), 0.1);
    Conv2d conv = new Conv2d(64, 128, 3);
    InitStats.check(G.get("init_conv_weight"), conv.weight(), 0.02);
    InitStats.check(G.get("init_conv_bias"), conv.bias(), 0.25);
    Conv2d grouped = Conv2d.builder(64, 128, 3).groups(4).build();
    InitStats.check(G.get("init_conv_groups_weight"), grouped.weight(), 0.02);
  }

  @Test
  void embeddingIsStandardNormalWithZeroPaddingRow() {
    Generator.manualSeed(2);
    Embedding e = Embedding.builder(1000, 256).paddingIdx(3).build();
    assertEquals(0.0, e.weight().select(0, 3).abs().sum().item());
    Tensor rest =
        Tensor.cat(java.util.List.of(e.weight().narrow(0, 0, 3), e.weight().narrow(0, 4, 996)), 0);
    InitStats.check(G.get("init_embedding_weight"), rest, 0.02);
  }

  @Test
  void normsStartAtOnesAndZeros() {
    BatchNorm2d bn = new BatchNorm2d(5);
    assertTensorClose(Tensor.ones(5), bn.weight(), "bn weight");
    assertTensorClose(Tensor.zeros(5), bn.bias(), "bn bias");
    assertTensorClose(Tensor.zeros(5), bn.runningMean(), "running_mean");
    assertTensorClose(Tensor.ones(5), bn.runningVar(), "running_var");
    assertEquals(0, bn.numBatchesTracked().itemLong());
    LayerNorm ln = LayerNorm.builder(2, 3).build();
    assertTensorClose(Tensor.ones(2, 3), ln.weight(), "ln weight");
    assertTensorClose(Tensor.zeros(2, 3), ln.bias(), "ln bias");
  }
}
