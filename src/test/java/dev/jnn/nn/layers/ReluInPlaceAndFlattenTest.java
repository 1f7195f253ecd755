package dev.jnn.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code nn.ReLU(inplace=True)} / {@code F.relu(x, inplace)} / {@code relu_}, torchvision's
 * BasicBlock written with them (identical repr), and the {@code flatten} overloads; expected
 * reprs and shapes from {@code scripts/golden/api_parity.py} (torch 1.13, torchvision 0.14).
 */
class ReluInPlaceAndFlattenTest {
  private static final Map<String, Golden.Case> G = Golden.loadByName("api_parity.txt");

  /** torchvision.models.resnet.BasicBlock, line for line. */
  static final class BasicBlock extends Module {
    final Conv2d conv1;
    final BatchNorm2d bn1;
    final ReLU relu;
    final Conv2d conv2;
    final BatchNorm2d bn2;
    final Module downsample;

    BasicBlock(int inplanes, int planes, int stride, Module downsample, boolean inplace) {
      conv1 = registerModule("conv1",
          Conv2d.builder(inplanes, planes, 3).stride(stride).padding(1).bias(false).build());
      bn1 = registerModule("bn1", new BatchNorm2d(planes));
      relu = registerModule("relu", new ReLU(inplace));
      conv2 = registerModule("conv2", Conv2d.builder(planes, planes, 3).padding(1).bias(false).build());
      bn2 = registerModule("bn2", new BatchNorm2d(planes));
      this.downsample = downsample == null ? null : registerModule("downsample", downsample);
    }

    @Override
    public Tensor forward(Tensor x) {
      Tensor identity = x;
      Tensor out = relu.call(bn1.call(conv1.call(x)));
      out = bn2.call(conv2.call(out));
      if (downsample != null) {
        identity = downsample.call(x);
      }
      out = relu.inplace() ? out.addInPlace(identity) : out.add(identity); // out += identity
      return relu.call(out);
    }
  }

  private static BasicBlock downsampling(boolean inplace) {
    return new BasicBlock(4, 8, 2,
        new Sequential(Conv2d.builder(4, 8, 1).stride(2).bias(false).build(), new BatchNorm2d(8)),
        inplace);
  }

  @Test
  void reprsMatchPyTorch() {
    Golden.Case c = G.get("relu");
    assertEquals(c.text("relu_repr"), new ReLU().toString());
    assertEquals(c.text("relu_inplace_repr"), new ReLU(true).toString());
    assertEquals(c.text("basic_block_repr"), new BasicBlock(4, 4, 1, null, true).toString());
    assertEquals(c.text("basic_block_downsample_repr"), downsampling(true).toString());
  }

  @Test
  void inPlaceReluModifiesAndReturnsItsInput() {
    Tensor x = Tensor.fromArray(new float[] {-1, 2, -3, 4});
    int v = x.version();
    assertSame(x, x.reluInPlace());
    assertArrayEquals(new float[] {0, 2, 0, 4}, x.toFloatArray());
    assertEquals(v + 1, x.version());
    Tensor y = Tensor.fromArray(new float[] {-1, 2});
    assertSame(y, Functional.relu(y, true));
    assertSame(y, Functional.relu_(y));
    assertSame(y, new ReLU(true).call(y));
    assertArrayEquals(new float[] {0, 2}, y.toFloatArray());
    Tensor z = Tensor.fromArray(new float[] {-1, 2});
    Tensor r = new ReLU().call(z);
    assertNotSame(z, r);
    assertArrayEquals(new float[] {-1, 2}, z.toFloatArray(), "out of place leaves the input");
    // a strided view is modified in place through its strides
    Tensor m = Tensor.fromArray(new float[] {-1, -2, 3, -4}, 2, 2);
    m.t().reluInPlace();
    assertArrayEquals(new float[] {0, 0, 3, 0}, m.toFloatArray());
  }

  @Test
  void inPlaceReluFollowsAutogradsInPlaceRules() {
    Tensor leaf = Tensor.zeros(2).requiresGrad(true);
    IllegalStateException e = assertThrows(IllegalStateException.class, leaf::reluInPlace);
    assertEquals(G.get("relu").text("relu_inplace_leaf") + " (relu_)", e.getMessage());
    assertArrayEquals(new float[] {0, 0}, leaf.toFloatArray());
    // a tensor saved for backward and then modified: backward fails on the version counter
    Tensor w = Tensor.fromArray(new float[] {-1, 2, 3}).requiresGrad(true);
    Tensor y = w.mul(2.0);
    Tensor s = y.mul(y); // saves y
    y.reluInPlace();
    IllegalStateException v = assertThrows(IllegalStateException.class, () -> s.sum().backward());
    assertTrue(v.getMessage().contains("modified by an inplace operation"), v.getMessage());
    // recorded on a non-leaf: the gradient is ReLU's
    Tensor a = Tensor.fromArray(new float[] {-1, 2, 3}).requiresGrad(true);
    Tensor h = a.mul(3.0);
    assertSame(h, h.reluInPlace());
    h.sum().backward();
    assertArrayEquals(new float[] {0, 3, 3}, a.grad().toFloatArray());
  }

  @Test
  void basicBlockWithInPlaceReluComputesWhatTheOutOfPlaceOneDoes() {
    BasicBlock inplace = downsampling(true);
    BasicBlock plain = downsampling(false);
    plain.loadStateDict(inplace.stateDict());
    Tensor x1 = Tensor.randn(Shape.of(2, 4, 6, 6), dev.jnn.core.DType.FLOAT32, new Generator(5))
        .requiresGrad(true);
    Tensor x2 = x1.detach().clone().requiresGrad(true);
    Tensor o1 = inplace.call(x1);
    Tensor o2 = plain.call(x2);
    assertArrayEquals(o2.toFloatArray(), o1.toFloatArray(), 1e-6f);
    o1.sum().backward();
    o2.sum().backward();
    assertArrayEquals(x2.grad().toFloatArray(), x1.grad().toFloatArray(), 1e-5f);
    assertArrayEquals(plain.conv1.weight().grad().toFloatArray(),
        inplace.conv1.weight().grad().toFloatArray(), 1e-4f);
  }

  private static String dims(Tensor t) {
    return String.join(" ", Arrays.stream(t.shape().dims()).mapToObj(Long::toString).toList());
  }

  @Test
  void flattenOverloadsMatchPyTorch() {
    Golden.Case c = G.get("flatten");
    Tensor x = Tensor.arange(0, 120, 1, dev.jnn.core.DType.FLOAT32).reshape(2, 3, 4, 5);
    assertEquals(c.attr("flatten"), dims(Functional.flatten(x)));
    assertEquals(c.attr("flatten"), dims(x.flatten()));
    assertEquals(c.attr("flatten_1"), dims(Functional.flatten(x, 1)));
    assertEquals(c.attr("flatten_1"), dims(x.flatten(1)));
    assertEquals(c.attr("flatten_2"), dims(x.flatten(2)));
    assertEquals(c.attr("flatten_m2"), dims(x.flatten(-2)));
    assertEquals(c.attr("flatten_1_2"), dims(Functional.flatten(x, 1, 2)));
    assertEquals(c.attr("flatten_1_2"), dims(x.flatten(1, 2)));
    assertEquals(c.attr("nn_flatten"), dims(new Flatten().call(x)));
    assertEquals(c.attr("nn_flatten_2"), dims(new Flatten(2).call(x)));
    assertEquals(c.text("nn_flatten_repr"), new Flatten().toString());
    assertEquals(c.text("nn_flatten_2_repr"), new Flatten(2).toString());
  }
}
