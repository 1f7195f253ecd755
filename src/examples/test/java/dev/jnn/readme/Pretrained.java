package dev.jnn.readme;

import dev.jnn.io.TorchCheckpoint;
import dev.jnn.models.ImagePreprocessing;
import dev.jnn.models.ResNet;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;

/**
 * README.md, "Pretrained torchvision models": compiled here against the public API; it needs
 * torchvision's 100 MB {@code resnet50.pth}, so the build runs the same calls on a committed
 * torchvision-saved MobileNetV2 and PNG instead ({@code
 * dev.jnn.models.ImagePreprocessingTest.readmeSnippetPredictsWhatTorchvisionPredicts}).
 */
final class Pretrained {
  private Pretrained() {}

  /** The snippet: the ImageNet class torchvision's ResNet-50 predicts for {@code cat.jpg}. */
  static long predict() throws IOException {
    // snippet: pretrained
    ResNet model = ResNet.resnet50();
    model.loadStateDict(TorchCheckpoint.loadStateDict(Path.of("resnet50.pth")), true);
    model.eval();
    Tensor x = ImagePreprocessing.imagenet().apply(Path.of("cat.jpg")).unsqueeze(0);  // 256 -> crop 224
    long cls = model.call(x).argmax(1, false).itemLong();
    // end snippet
    return cls;
  }
}
