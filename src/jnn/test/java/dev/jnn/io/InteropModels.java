package dev.jnn.io;

import dev.jnn.examples.FashionMnistNet;
import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Linear;
import dev.jnn.tensor.Tensor;
import java.util.function.Supplier;

/** The jnn twins of the models in scripts/golden/interop.py (same module names and forward). */
final class InteropModels {
  private InteropModels() {}

  /** A fresh model by fixture name. */
  static Module create(String name) {
    Supplier<Module> s =
        switch (name) {
          case "lenet" -> LeNet::new;
          case "resnet" -> ResNet::new;
          case "fashion_net" -> FashionMnistNet::new;
          case "tied" -> Tied::new;
          default -> throw new IllegalArgumentException(name);
        };
    return s.get();
  }

  /** LeNet-5 on 28x28 inputs. */
  static final class LeNet extends Module {
    final Conv2d conv1 = registerModule("conv1", Conv2d.builder(1, 6, 5).padding(2).build());
    final Conv2d conv2 = registerModule("conv2", new Conv2d(6, 16, 5));
    final Linear fc1 = registerModule("fc1", new Linear(400, 120));
    final Linear fc2 = registerModule("fc2", new Linear(120, 84));
    final Linear fc3 = registerModule("fc3", new Linear(84, 10));

    @Override
    public Tensor forward(Tensor x) {
      x = Functional.maxPool2d(Functional.relu(conv1.call(x)), 2);
      x = Functional.maxPool2d(Functional.relu(conv2.call(x)), 2);
      x = Functional.flatten(x, 1, -1);
      x = Functional.relu(fc1.call(x));
      x = Functional.relu(fc2.call(x));
      return fc3.call(x);
    }
  }

  /** torchvision's BasicBlock. */
  static final class BasicBlock extends Module {
    final Conv2d conv1;
    final BatchNorm2d bn1;
    final Conv2d conv2;
    final BatchNorm2d bn2;
    final Sequential downsample;

    BasicBlock(int cin, int cout, int stride) {
      conv1 =
          registerModule(
              "conv1", Conv2d.builder(cin, cout, 3).stride(stride).padding(1).bias(false).build());
      bn1 = registerModule("bn1", new BatchNorm2d(cout));
      conv2 = registerModule("conv2", Conv2d.builder(cout, cout, 3).padding(1).bias(false).build());
      bn2 = registerModule("bn2", new BatchNorm2d(cout));
      downsample =
          stride != 1 || cin != cout
              ? registerModule(
                  "downsample",
                  new Sequential(
                      Conv2d.builder(cin, cout, 1).stride(stride).bias(false).build(),
                      new BatchNorm2d(cout)))
              : null;
    }

    @Override
    public Tensor forward(Tensor x) {
      Tensor out = Functional.relu(bn1.call(conv1.call(x)));
      out = bn2.call(conv2.call(out));
      Tensor identity = downsample == null ? x : downsample.call(x);
      return Functional.relu(out.add(identity));
    }
  }

  /** A small ResNet-style network with BatchNorm. */
  static final class ResNet extends Module {
    final Conv2d conv1 =
        registerModule("conv1", Conv2d.builder(3, 8, 3).padding(1).bias(false).build());
    final BatchNorm2d bn1 = registerModule("bn1", new BatchNorm2d(8));
    final BasicBlock layer1 = registerModule("layer1", new BasicBlock(8, 8, 1));
    final BasicBlock layer2 = registerModule("layer2", new BasicBlock(8, 16, 2));
    final Linear fc = registerModule("fc", new Linear(16, 10));

    @Override
    public Tensor forward(Tensor x) {
      x = Functional.relu(bn1.call(conv1.call(x)));
      x = layer2.call(layer1.call(x));
      x = Functional.adaptiveAvgPool2d(x, 1);
      return fc.call(Functional.flatten(x, 1, -1));
    }
  }

  /** Two linear layers (tied weights in the fixture). */
  static final class Tied extends Module {
    final Linear fc1 = registerModule("fc1", new Linear(4, 4));
    final Linear fc2 = registerModule("fc2", new Linear(4, 4));

    @Override
    public Tensor forward(Tensor x) {
      return fc2.call(fc1.call(x).tanh());
    }
  }
}
