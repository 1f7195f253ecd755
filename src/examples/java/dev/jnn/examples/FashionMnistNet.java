package dev.jnn.examples;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Linear;
import dev.jnn.tensor.Tensor;

/**
 * The seed's network with a classifier head: the two 5x5 convolutions of the seed example, each
 * followed by ReLU and 2x2 max pooling, then a linear layer to the 10 classes.
 *
 * <pre>
 * [N,1,28,28] -conv1 5x5-> [N,20,24,24] -relu,pool-> [N,20,12,12]
 *             -conv2 5x5-> [N,20,8,8]   -relu,pool-> [N,20,4,4] -flatten-> [N,320] -fc-> [N,10]
 * </pre>
 */
public final class FashionMnistNet extends Module {
  final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 20, 5));
  final Conv2d conv2 = registerModule("conv2", new Conv2d(20, 20, 5));
  final Linear fc = registerModule("fc", new Linear(320, 10));

  @Override
  public Tensor forward(Tensor x) {
    x = Functional.maxPool2d(Functional.relu(conv1.call(x)), 2);
    x = Functional.maxPool2d(Functional.relu(conv2.call(x)), 2);
    return fc.call(Functional.flatten(x, 1, -1));
  }
}
