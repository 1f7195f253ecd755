package dev.jnn.readme;

import dev.jnn.tensor.Tensor;
import java.util.List;

/** README.md, "A module": the usage lines after the class {@link Model}. */
final class ModuleExample {
  private ModuleExample() {}

  /** Runs the snippet; returns what its comments claim: the repr, the output shape, the keys. */
  static List<Object> run() {
    // snippet: module
    Model model = new Model();
    System.out.println(model);
    // Model(
    //   (conv1): Conv2d(1, 20, kernel_size=(5, 5), stride=(1, 1))
    //   (conv2): Conv2d(20, 20, kernel_size=(5, 5), stride=(1, 1))
    // )
    Tensor y = model.call(Tensor.randn(64, 1, 28, 28)); // call runs the hooks, then forward
    System.out.println(y.shape());                        // [64, 20, 20, 20]
    System.out.println(model.stateDict().keySet());
    // [conv1.weight, conv1.bias, conv2.weight, conv2.bias]: PyTorch's key names and order
    // end snippet
    return List.of(model.toString(), y.shape().toString(), model.stateDict().keySet().toString());
  }
}
