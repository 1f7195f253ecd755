package dev.jnn.readme;

// snippet: module
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.tensor.Tensor;

class Model extends Module {
  final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 20, 5)); // learnable layers here
  final Conv2d conv2 = registerModule("conv2", new Conv2d(20, 20, 5));

  @Override
  public Tensor forward(Tensor x) { // parameter-free ops through Functional
    x = Functional.relu(conv1.call(x));
    return Functional.relu(conv2.call(x));
  }
}
// end snippet
