/**
 * torchvision-compatible models and inference helpers: {@link dev.jnn.models.ResNet} ({@code
 * resnet18}, {@code resnet34}, {@code resnet50}, ...), {@link dev.jnn.models.MobileNetV2}, {@link
 * dev.jnn.models.VGG} ({@code vgg11} ... {@code vgg19_bn}), {@link dev.jnn.models.Fusion} (PyTorch's
 * {@code fuse_conv_bn_eval} and a whole-model conv + batch-norm fusion pass) and {@link
 * dev.jnn.models.ImagePreprocessing} (torchvision's {@code Resize}, {@code CenterCrop}, {@code
 * ToTensor}, {@code Normalize} in pure Java).
 *
 * <p>Each model is a {@link dev.jnn.nn.Module} built from jnn's layers with torchvision 0.14's
 * submodule names, state-dict keys, reprs, forward and initialisation, so a state dict saved by
 * torchvision ({@code torch.save(model.state_dict(), "resnet50.pth")}) loads strictly with {@link
 * dev.jnn.nn.Module#loadStateDict(java.util.Map, boolean)}:
 *
 * <pre>{@code
 * ResNet model = ResNet.resnet50();
 * model.loadStateDict(TorchCheckpoint.loadStateDict(Path.of("resnet50.pth")), true);
 * model.eval();
 * Tensor x = ImagePreprocessing.imagenet().apply(Path.of("cat.jpg")).unsqueeze(0);
 * long cls = model.call(x).argmax(1, false).itemLong();
 * }</pre>
 *
 * @see <a href="https://pytorch.org/vision/0.14/models.html">torchvision.models</a>
 */
package dev.jnn.models;
