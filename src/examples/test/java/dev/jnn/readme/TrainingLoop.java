package dev.jnn.readme;

// snippet: loop
import dev.jnn.backend.cuda.Cuda;
import dev.jnn.core.Device;
import dev.jnn.data.DataLoader;
import dev.jnn.data.TensorDataset;
import dev.jnn.io.Checkpoints;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.optim.CosineAnnealingLR;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
// end snippet

/** README.md, "A training loop": the main job's loop, on the GPU when there is one. */
final class TrainingLoop {
  private TrainingLoop() {}

  // snippet: loop
  static void train(Module model, Tensor images, Tensor labels, int epochs, Path checkpoint)
      throws IOException {
    Device dev = Cuda.isAvailable() ? Device.cuda() : Device.CPU;
    model.to(dev);
    DataLoader loader =
        DataLoader.builder(new TensorDataset(images, labels)).batchSize(64).shuffle(true).build();
    SGD opt = new SGD(model.parameters(), 0.05, 0.9);
    CosineAnnealingLR sched = new CosineAnnealingLR(opt, epochs, 0.0);
    for (int epoch = 0; epoch < epochs; epoch++) {
      model.train();
      for (Tensor[] batch : loader) {
        Tensor x = batch[0].to(dev), y = batch[1].to(dev);
        opt.zeroGrad();
        Tensor loss = Functional.crossEntropy(model.call(x), y);
        loss.backward();
        opt.step();
      }
      sched.step();
    }
    Checkpoints.save(model, opt, checkpoint); // safetensors: model and optimizer state
  }
  // end snippet
}
