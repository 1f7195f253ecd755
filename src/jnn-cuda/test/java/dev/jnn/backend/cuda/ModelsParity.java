package dev.jnn.backend.cuda;

import static dev.jnn.backend.cuda.CudaParitySuite.GPU;
import static dev.jnn.backend.cuda.CudaParitySuite.close;
import static dev.jnn.backend.cuda.CudaParitySuite.rnd;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.io.TorchCheckpoint;
import dev.jnn.models.FormulaWeights;
import dev.jnn.models.Fusion;
import dev.jnn.models.ImagePreprocessing;
import dev.jnn.models.MobileNetV2;
import dev.jnn.models.ModelZoo;
import dev.jnn.models.UNet;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The torchvision models of {@code dev.jnn.models} on the CUDA back end (issue 20), called from
 * {@link CudaParitySuite#models()}: the torchvision-saved MobileNetV2 against torchvision's logits
 * (its golden input and the README path's preprocessed PNG), a small ResNet with formula weights
 * against torchvision in eval and training mode (logits, running statistics, gradients), conv +
 * batch-norm fusion on the device, and a float64 MobileNetV2 training step (dropout included)
 * against the CPU, and the saved small U-Nets (both upsampling modes) against PyTorch's logits and
 * gradients. Inputs stay small: the emulator is slow.
 */
final class ModelsParity {
  private ModelsParity() {}

  static final Path PT = Path.of("src/jnn/test/resources/models/mobilenet_v2_w025_c10.pt");
  static final Path PNG = Path.of("src/jnn/test/resources/models/tiny.png");

  /** Golden tolerance: logits within 1e-4 of torchvision's scale. */
  static final double GOLDEN = 1e-4;

  static void run() {
    Map<String, Golden.Case> g = Golden.loadByName("models.txt");
    try {
      savedMobileNet(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    formulaResNet(g.get("formula_resnet_basic_1111_c10"));
    mobileNetTraining();
    Map<String, Golden.Case> u = Golden.loadByName("unet.txt");
    for (boolean bilinear : new boolean[] {false, true}) {
      try {
        savedUNet(u, bilinear);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * The saved small U-Nets ({@code scripts/golden/unet.py}: transposed-convolution and bilinear
   * upsampling) on the device: eval and training logits and gradients against PyTorch's.
   */
  private static void savedUNet(Map<String, Golden.Case> g, boolean bilinear) throws IOException {
    String id = bilinear ? "unet_b4_bilinear" : "unet_b4";
    Golden.Case c = g.get("pt_" + id);
    UNet m = new UNet(3, 2, bilinear, 4);
    m.loadStateDict(TorchCheckpoint.loadStateDict(
        Path.of("src/jnn/test/resources/models/" + id + ".pt")), true);
    m.to(GPU);
    m.eval();
    try (NoGrad ng = NoGrad.enter()) {
      close(id + " eval logits", c.tensor("y"), m.call(c.tensor("x").to(GPU)).cpu(), GOLDEN);
    }
    m.train();
    Tensor xg = c.tensor("x").to(GPU).detach().requiresGrad(true);
    Tensor y = m.call(xg);
    close(id + " train logits", c.tensor("y_train"), y.cpu(), GOLDEN);
    y.mul(c.tensor("gy").to(GPU)).sum().backward();
    close(id + " grad x", c.tensor("g.x"), xg.grad().cpu(), GOLDEN);
    for (String k : c.attr("grads").split(" ")) {
      assertEquals(GPU, m.getParameter(k).grad().device(), k);
      close(id + " grad " + k, c.tensor("g." + k), m.getParameter(k).grad().cpu(), GOLDEN);
    }
  }

  private static void savedMobileNet(Map<String, Golden.Case> g) throws IOException {
    MobileNetV2 m = MobileNetV2.builder().widthMult(0.25).numClasses(10).build();
    m.loadStateDict(TorchCheckpoint.loadStateDict(PT), true);
    m.to(GPU);
    m.eval();
    Golden.Case pt = g.get("pt_mobilenet");
    Golden.Case img = g.get("image");
    try (NoGrad ng = NoGrad.enter()) {
      Tensor y = m.call(pt.tensor("x").to(GPU));
      assertEquals(GPU, y.device());
      close("saved MobileNetV2 eval logits", pt.tensor("y"), y.cpu(), GOLDEN);
      Tensor x = ImagePreprocessing.imagenet(20, 16).apply(PNG).unsqueeze(0).to(GPU);
      Tensor logits = m.call(x);
      close("README path logits", img.tensor("logits"), logits.cpu(), GOLDEN);
      assertEquals(img.tensor("argmax").itemLong(), logits.argmax(1, false).itemLong());
      Tensor before = m.call(pt.tensor("x").to(GPU)).cpu();
      Fusion.fuseConvBn(m);
      assertEquals(GPU, m.getParameter("features.0.0.bias").device(), "fused conv on the device");
      close("fused MobileNetV2", before, m.call(pt.tensor("x").to(GPU)).cpu(), 1e-5);
    }
  }

  private static void formulaResNet(Golden.Case c) {
    Module m = ModelZoo.create(c.attr("model"));
    FormulaWeights.load(m);
    m.to(GPU);
    int[] xs = c.intsAttr("x");
    Tensor x = FormulaWeights.input(xs[0], xs[1], xs[2], xs[3]).to(GPU);
    m.eval();
    try (NoGrad ng = NoGrad.enter()) {
      close("formula ResNet eval", c.tensor("y"), m.call(x).cpu(), GOLDEN);
    }
    m.train();
    Tensor xg = x.detach().requiresGrad(true);
    Tensor y = m.call(xg);
    close("formula ResNet train", c.tensor("y_train"), y.cpu(), GOLDEN);
    close("running_mean", c.tensor("rm"), m.getSubmodule("bn1").getBuffer("running_mean").cpu(),
        GOLDEN);
    close("running_var", c.tensor("rv"), m.getSubmodule("bn1").getBuffer("running_var").cpu(),
        GOLDEN);
    y.mul(c.tensor("gy").to(GPU)).sum().backward();
    close("grad x", c.tensor("g.x.corner8"), xg.grad().cpu().narrow(2, 0, 8).narrow(3, 0, 8),
        GOLDEN);
    for (String k : c.attr("grads").split(" ")) {
      assertEquals(GPU, m.getParameter(k).grad().device(), k);
      close("grad " + k, c.tensor("g." + k), m.getParameter(k).grad().cpu(), GOLDEN);
    }
  }

  private static void mobileNetTraining() {
    Module cpu = ModelZoo.create("mobilenet_v2_opts");
    Module gpu = ModelZoo.create("mobilenet_v2_opts");
    gpu.loadStateDict(cpu.stateDict(), true);
    // float64: training-mode batch norm over few values amplifies float32 rounding past any
    // useful tolerance; in float64 both devices agree to 1e-8
    cpu.toDouble();
    gpu.toDouble();
    gpu.to(GPU);
    cpu.train();
    gpu.train();
    Tensor x = rnd(960, DType.FLOAT64, 2, 3, 32, 32);
    Tensor xc = x.detach().requiresGrad(true);
    Tensor xg = x.to(GPU).detach().requiresGrad(true);
    Generator.manualSeed(96);
    Tensor yc = cpu.call(xc);
    Generator.manualSeed(96);
    Tensor yg = gpu.call(xg);
    close("MobileNetV2 train output", yc, yg.cpu(), 1e-8);
    Tensor w = rnd(961, DType.FLOAT64, yc.shape().dims());
    yc.mul(w).sum().backward();
    yg.mul(w.to(GPU)).sum().backward();
    close("MobileNetV2 grad x", xc.grad(), xg.grad().cpu(), 1e-8);
    Map<String, Parameter> pc = cpu.namedParameters();
    Map<String, Parameter> pg = gpu.namedParameters();
    for (String k : pc.keySet()) {
      close("MobileNetV2 grad " + k, pc.get(k).grad(), pg.get(k).grad().cpu(), 1e-8);
    }
    close("running_var", cpu.getSubmodule("features.0.1").getBuffer("running_var"),
        gpu.getSubmodule("features.0.1").getBuffer("running_var").cpu(), 1e-8);
  }
}
