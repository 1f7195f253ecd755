package dev.jnn.models;

import static dev.jnn.models.ModelsGoldenTest.assertLogitsClose;
import static dev.jnn.models.ModelsGoldenTest.keysText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.io.TorchCheckpoint;
import dev.jnn.nn.LoadResult;
import dev.jnn.nn.StateDict;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link UNet} against milesial/Pytorch-UNet's UNet as {@code scripts/golden/unet.py} writes it
 * out (PyTorch 1.13): reprs and state-dict keys of the full-size models (both upsampling modes) and
 * the small ones; the small ones' {@code torch.save}d state dicts loaded strictly, eval-mode
 * logits, training-mode logits and the gradients of the input and of parameters on every level,
 * for an input of odd size (the decoder's padding).
 */
class UNetGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("unet.txt");

  /** The golden script's ZOO: id to (n_channels, n_classes, bilinear, base). */
  static UNet create(String id) {
    return switch (id) {
      case "unet" -> new UNet(3, 2);
      case "unet_bilinear" -> new UNet(3, 2, true);
      case "unet_b4" -> new UNet(3, 2, false, 4);
      case "unet_b4_bilinear" -> new UNet(3, 2, true, 4);
      default -> throw new IllegalArgumentException(id);
    };
  }

  static final List<String> IDS = List.of("unet", "unet_bilinear", "unet_b4", "unet_b4_bilinear");

  @TestFactory
  Stream<DynamicTest> reprsAndKeysMatchTheReference() {
    return IDS.stream().map(id -> DynamicTest.dynamicTest(id, () -> {
      UNet m = create(id);
      assertEquals(G.get("repr_" + id).text("repr"), m.toString(), id + " repr");
      assertEquals(G.get("keys_" + id).text("keys"), keysText(m), id + " keys");
    }));
  }

  /** The saved small models: strict load, eval and training logits, gradients. */
  @TestFactory
  Stream<DynamicTest> savedStateDictsGiveTheReferencesOutputsAndGradients() {
    return Stream.of("unet_b4", "unet_b4_bilinear").map(id -> DynamicTest.dynamicTest(id, () -> {
      Golden.Case c = G.get("pt_" + id);
      StateDict sd = TorchCheckpoint.loadStateDict(
          Path.of("src/jnn/test/resources/models/" + id + ".pt"));
      UNet m = create(id);
      LoadResult r = m.loadStateDict(sd, true);
      assertEquals(List.of(), r.missingKeys());
      assertEquals(List.of(), r.unexpectedKeys());
      m.eval();
      try (NoGrad g = NoGrad.enter()) {
        assertLogitsClose(c.tensor("y"), m.call(c.tensor("x")), id + " eval");
      }
      m.train();
      Tensor xg = c.tensor("x").detach().requiresGrad(true);
      Tensor y = m.call(xg);
      assertLogitsClose(c.tensor("y_train"), y, id + " train");
      y.mul(c.tensor("gy")).sum().backward();
      assertLogitsClose(c.tensor("g.x"), xg.grad(), id + " grad x");
      for (String k : c.attr("grads").split(" ")) {
        assertLogitsClose(c.tensor("g." + k), m.getParameter(k).grad(), id + " grad " + k);
      }
    }));
  }

  /** Float64 after {@code toDouble()}: the same logits as float32 within float32's rounding. */
  @Test
  void float64AndEvenSizes() {
    UNet m = create("unet_b4");
    m.eval();
    Tensor x = Tensor.randn(Shape.of(1, 3, 32, 32), DType.FLOAT32, new Generator(3));
    Tensor y32;
    try (NoGrad g = NoGrad.enter()) {
      y32 = m.call(x);
      m.toDouble();
      Tensor y64 = m.call(x.to(DType.FLOAT64));
      assertEquals(Shape.of(1, 2, 32, 32), y64.shape());
      assertEquals(DType.FLOAT64, y64.dtype());
      assertLogitsClose(y64.to(DType.FLOAT32), y32, "float64 vs float32");
    }
  }

  @Test
  void badInputNamesTheModelAndTheShape() {
    UNet m = create("unet_b4");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.call(Tensor.zeros(1, 4, 16, 16)));
    assertEquals("UNet: expected input of shape [N, 3, H, W], got [1, 4, 16, 16]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new UNet(3, 0));
    assertTrue(e.getMessage().startsWith("UNet: n_channels, n_classes and base_channels"),
        e.getMessage());
    assertEquals(new ArrayList<>(List.of(3, 2)), new ArrayList<>(List.of(m.nChannels(),
        m.nClasses())));
  }
}
