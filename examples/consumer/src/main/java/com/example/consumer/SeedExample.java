package com.example.consumer;

import dev.jnn.backend.Backends;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;

/** The seed example of README.md, run from a project that depends on jnn by coordinates. */
public final class SeedExample {

  /** The issue-3 model: two 5x5 convolutions, each followed by ReLU. */
  static class Model extends Module {
    final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 20, 5)); // learnable layers in the constructor
    final Conv2d conv2 = registerModule("conv2", new Conv2d(20, 20, 5));

    @Override
    public Tensor forward(Tensor x) { // parameter-free ops via Functional
      x = Functional.relu(conv1.call(x));
      return Functional.relu(conv2.call(x));
    }
  }

  public static void main(String[] args) {
    Generator.manualSeed(0);
    Model model = new Model();
    System.out.println(model);

    Tensor x = Tensor.randn(2, 1, 28, 28);
    Tensor y = model.call(x);
    System.out.println("output shape: " + y.shape());

    // one SGD step on a toy objective (mean of squares), then the loss again
    SGD opt = new SGD(model.parameters(), 0.01);
    opt.zeroGrad();
    Tensor loss = y.pow(2).mean();
    loss.backward();
    opt.step();
    double after = model.call(x).pow(2).mean().item();
    System.out.printf("loss: %.6f -> %.6f after one SGD step%n", loss.item(), after);
    System.out.println("state dict keys: " + model.stateDict().keySet());

    // CUDA: with dev.jnn:jnn-cuda on the class path (mvn -Pcuda ...) jnn finds the back end and
    // says whether a GPU is usable; without it, which dependency to add
    String why = Backends.cudaUnavailableReason();
    System.out.println("cuda: " + (why == null ? "available" : why));
  }
}
