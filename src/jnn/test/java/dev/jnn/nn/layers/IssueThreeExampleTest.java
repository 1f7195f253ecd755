package dev.jnn.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example of issue 3, exactly as written there, compiled and run. */
class IssueThreeExampleTest {
  class Model extends Module {
      final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 20, 5));
      final Conv2d conv2 = registerModule("conv2", new Conv2d(20, 20, 5));
      @Override public Tensor forward(Tensor x) {
          x = Functional.relu(conv1.call(x));
          return Functional.relu(conv2.call(x));
      }
  }

  static final Map<String, Golden.Case> G = Golden.loadByName("layers.txt");

  @Test
  void reprKeysShapeAndBackward() {
    Model model = new Model();
    assertEquals(G.get("repr").text("model"), model.toString());
    assertEquals(
        "Model(\n"
            + "  (conv1): Conv2d(1, 20, kernel_size=(5, 5), stride=(1, 1))\n"
            + "  (conv2): Conv2d(20, 20, kernel_size=(5, 5), stride=(1, 1))\n"
            + ")",
        model.toString());
    assertEquals(G.get("keys").text("model"), LayersGoldenTest.keysText(model));
    assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"),
        List.copyOf(model.stateDict().keySet()));

    Tensor x = Tensor.randn(64, 1, 28, 28);
    Tensor y = model.call(x);
    assertEquals(Shape.of(64, 20, 20, 20), y.shape());
    assertTrue(y.min().item() >= 0.0); // after ReLU
    y.sum().backward();
    for (Map.Entry<String, dev.jnn.nn.Parameter> e : model.namedParameters().entrySet()) {
      assertNotNull(e.getValue().grad(), e.getKey());
      assertEquals(e.getValue().shape(), e.getValue().grad().shape(), e.getKey());
    }
    assertTrue(model.conv1.weight().grad().abs().sum().item() > 0);
  }
}
