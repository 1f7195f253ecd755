package com.example.quickstart;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.data.DataLoader;
import dev.jnn.data.Idx;
import dev.jnn.data.TensorDataset;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.Linear;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.nio.file.Path;

/** Trains a classifier on the 10,000 Fashion-MNIST images in jnn's data/ folder (or args[0]). */
public class Quickstart {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "data");
    Tensor x = Idx.read(dir.resolve("t10k-images-idx3-ubyte.gz"), DType.FLOAT32) // [10000, 28, 28]
        .view(-1, 784).div(255);
    Tensor y = Idx.read(dir.resolve("t10k-labels-idx1-ubyte.gz"), DType.INT64); // classes 0-9
    Tensor trainX = x.narrow(0, 0, 8000), trainY = y.narrow(0, 0, 8000);  // 8,000 to train on
    Tensor testX = x.narrow(0, 8000, 2000), testY = y.narrow(0, 8000, 2000); // 2,000 held out

    Generator.manualSeed(0);
    Sequential model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
    SGD opt = new SGD(model.parameters(), 0.01, 0.9);
    DataLoader loader =
        DataLoader.builder(new TensorDataset(trainX, trainY)).batchSize(64).shuffle(true).build();
    for (int epoch = 1; epoch <= 5; epoch++) {
      double sum = 0;
      int batches = 0;
      for (Tensor[] batch : loader) {
        Tensor loss = Functional.crossEntropy(model.call(batch[0]), batch[1]);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        sum += loss.item();
        batches++;
      }
      try (var noGrad = NoGrad.enter()) {
        double acc = model.call(testX).argmax(1, false).eq(testY).toFloat().mean().item();
        System.out.printf("epoch %d: loss %.4f, held-out accuracy %.1f %%%n",
            epoch, sum / batches, 100 * acc);
      }
    }
  }
}
