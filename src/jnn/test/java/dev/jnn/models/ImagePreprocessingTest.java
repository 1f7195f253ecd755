package dev.jnn.models;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.io.TorchCheckpoint;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImagePreprocessing} against torchvision 0.14's {@code ToTensor}, tensor {@code
 * Resize(antialias=False)}, {@code CenterCrop} and {@code Normalize} on a PNG written by the golden
 * script, and the README's five-line prediction path on the torchvision-saved MobileNetV2.
 */
class ImagePreprocessingTest {
  static final Map<String, Golden.Case> G = ModelsGoldenTest.G;
  static final Path PNG = Path.of("src/jnn/test/resources/models/tiny.png");

  @Test
  void eachStepMatchesTorchvision() throws IOException {
    Golden.Case c = G.get("image");
    Tensor t = ImagePreprocessing.read(PNG);
    assertTensorClose(c.tensor("to_tensor"), t, 0, 0, "ToTensor (PNG decodes exactly)");
    Tensor r = ImagePreprocessing.resize(t, c.intAttr("resize"));
    assertTensorClose(c.tensor("resized"), r, 1e-6, 1e-6, "Resize");
    int crop = c.intAttr("crop");
    assertTensorClose(c.tensor("cropped"),
        ImagePreprocessing.centerCrop(c.tensor("resized"), crop, crop), 0, 0, "CenterCrop");
    Tensor cr = ImagePreprocessing.centerCrop(r, crop, crop);
    Tensor n = ImagePreprocessing.normalize(
        cr, ImagePreprocessing.IMAGENET_MEAN, ImagePreprocessing.IMAGENET_STD);
    assertTensorClose(c.tensor("normalized"), n, 1e-6, 1e-6, "Normalize");
    Tensor all = ImagePreprocessing.imagenet(c.intAttr("resize"), crop).apply(PNG);
    assertTensorClose(c.tensor("normalized"), all, 1e-6, 1e-6, "pipeline");
  }

  @TestFactory
  Stream<DynamicTest> resizeAndCropMatchTorchvisionForOtherShapes() {
    return G.values().stream().filter(c -> c.name().startsWith("resize_"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
          Tensor r = ImagePreprocessing.resize(c.tensor("src"), c.intAttr("size"));
          assertTensorClose(c.tensor("resized"), r, 1e-6, 1e-6, "Resize");
          int[] crop = c.intsAttr("crop");
          assertTensorClose(c.tensor("cropped"),
              ImagePreprocessing.centerCrop(c.tensor("resized"), crop[0], crop[1]), 0, 0,
              "CenterCrop");
        }));
  }

  /**
   * JPEG: the JDK's decoder against PIL's (libjpeg) on the same file. Decoders may differ by a
   * level in a few pixels (IDCT and color-conversion rounding), so this checks closeness, not
   * equality: every sample within 2/255, the mean absolute difference under 0.5/255.
   */
  @Test
  void jpegDecodesAsPilDoesUpToRounding() throws IOException {
    Tensor pil = G.get("jpeg").tensor("to_tensor");
    Tensor jdk = ImagePreprocessing.read(Path.of("src/jnn/test/resources/models/tiny.jpg"));
    assertEquals(pil.shape(), jdk.shape());
    Tensor d = pil.sub(jdk).abs();
    assertTrue(d.max().item() <= 2 / 255.0 + 1e-6, "max difference " + d.max().item() * 255);
    assertTrue(d.mean().item() < 0.5 / 255, "mean difference " + d.mean().item() * 255);
  }

  @Test
  void sameSizeResizeReturnsTheInput() {
    Tensor t = Tensor.rand(3, 6, 9);
    assertSame(t, ImagePreprocessing.resize(t, 6));
  }

  /** The README snippet, line for line, on the committed small model and image. */
  @Test
  void readmeSnippetPredictsWhatTorchvisionPredicts() throws IOException {
    Golden.Case c = G.get("image");
    MobileNetV2 model = MobileNetV2.builder().widthMult(0.25).numClasses(10).build();
    model.loadStateDict(TorchCheckpoint.loadStateDict(ModelsGoldenTest.PT), true);
    model.eval();
    Tensor x = ImagePreprocessing.imagenet(20, 16).apply(PNG).unsqueeze(0);
    Tensor logits = model.call(x);
    long cls = logits.argmax(1, false).itemLong();
    assertTensorClose(c.tensor("logits"), logits, 1e-4, 1e-6, "logits");
    assertEquals(c.tensor("argmax").itemLong(), cls);
  }

  @Test
  void grayscaleImagesAreReplicatedAsPilConvertRgb() {
    BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSample(0, 0, 0, 17);
    g.getRaster().setSample(1, 0, 0, 200);
    Tensor t = ImagePreprocessing.toTensor(g);
    assertEquals(java.util.List.of(3L, 1L, 2L), java.util.Arrays.stream(t.shape().dims()).boxed()
        .toList());
    float[] v = t.toFloatArray();
    for (int ch = 0; ch < 3; ch++) {
      assertEquals(17 / 255f, v[ch * 2]);
      assertEquals(200 / 255f, v[ch * 2 + 1]);
    }
  }

  @Test
  void badInputIsRefusedWithClearMessages(@TempDir Path dir) throws IOException {
    assertEquals(G.get("errors").text("normalize_zero_std"),
        assertThrows(IllegalArgumentException.class, () -> ImagePreprocessing.normalize(
            Tensor.rand(3, 2, 2), new double[] {0.5, 0.5, 0.5}, new double[] {0.2, 0.0, 0.2}))
            .getMessage());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImagePreprocessing.normalize(Tensor.rand(4, 2, 2), ImagePreprocessing.IMAGENET_MEAN,
            ImagePreprocessing.IMAGENET_STD));
    assertTrue(e.getMessage().contains("need 4 values"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ImagePreprocessing.resize(Tensor.zeros(3, 4, 4).toDouble(), 2));
    assertEquals("ImagePreprocessing.resize: expected a float32 image tensor [..., H, W], got"
        + " torch.float64 of shape [3, 4, 4]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ImagePreprocessing.centerCrop(Tensor.zeros(3, 4, 4), 0, 2));
    assertTrue(e.getMessage().contains("[3, 4, 4]"), e.getMessage());
    Path notImage = dir.resolve("x.png");
    Files.writeString(notImage, "not an image");
    IOException io = assertThrows(IOException.class, () -> ImagePreprocessing.read(notImage));
    assertTrue(io.getMessage().startsWith("ImagePreprocessing: cannot decode " + notImage),
        io.getMessage());
  }
}
