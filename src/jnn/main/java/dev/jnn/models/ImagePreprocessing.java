package dev.jnn.models;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Image classification preprocessing in pure Java ({@code javax.imageio}, {@code java.awt.image}):
 * the same result as torchvision 0.14's
 *
 * <pre>
 * Compose([ToTensor(), Resize(resize, antialias=False), CenterCrop(crop), Normalize(mean, std)])
 * </pre>
 *
 * that is: decode to RGB, scale to a float32 tensor {@code [3, H, W]} in {@code [0, 1]} ({@code
 * v / 255}), resize on that tensor with bilinear interpolation ({@code align_corners=False}, no
 * antialiasing: the tensor path of {@code torchvision.transforms.functional.resize}, i.e. {@code
 * torch.nn.functional.interpolate(mode="bilinear")}) so that the shorter side is {@code resize}
 * (the longer side {@code int(resize * long / short)}), crop the center ({@code
 * round((H - crop) / 2)}, ties to even as Python's {@code round}; zero padding when the crop is
 * larger), and normalize per channel ({@code (x - mean) / std} in float32).
 *
 * <p>Differences from torchvision's weight presets ({@code ResNet50_Weights.IMAGENET1K_V1
 * .transforms()}) applied to a PIL image: those resize the 8-bit image with PIL's antialiased
 * bilinear filter before converting it to float, so for downscaling by large factors their pixels
 * differ from these by a few percent (top-1 predictions rarely change). JPEG files are decoded by
 * the JDK's decoder, which may differ from libjpeg (PIL) by one level in some pixels; PNG files
 * decode exactly. Grayscale images are replicated to three channels, as PIL's {@code
 * convert("RGB")}; an alpha channel is dropped.
 *
 * <pre>{@code
 * Tensor x = ImagePreprocessing.imagenet().apply(Path.of("cat.jpg"));   // [3, 224, 224]
 * }</pre>
 */
public final class ImagePreprocessing {
  /** ImageNet's per-channel mean (RGB), torchvision's {@code (0.485, 0.456, 0.406)}. */
  public static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};

  /** ImageNet's per-channel standard deviation (RGB), {@code (0.229, 0.224, 0.225)}. */
  public static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};

  private final int resize;
  private final int cropH;
  private final int cropW;
  private final double[] mean;
  private final double[] std;

  /**
   * A pipeline: shorter side to {@code resize}, center crop {@code cropH x cropW}, normalize.
   *
   * @param resize the shorter side after resizing
   * @param cropH crop height
   * @param cropW crop width
   * @param mean per-channel mean (3 values)
   * @param std per-channel standard deviation (3 non-zero values)
   * @throws IllegalArgumentException for non-positive sizes or bad mean/std
   */
  public ImagePreprocessing(int resize, int cropH, int cropW, double[] mean, double[] std) {
    if (resize <= 0 || cropH <= 0 || cropW <= 0) {
      throw new IllegalArgumentException("ImagePreprocessing: sizes must be positive, got resize="
          + resize + ", crop=[" + cropH + ", " + cropW + "]");
    }
    checkMeanStd(mean, std, 3);
    this.resize = resize;
    this.cropH = cropH;
    this.cropW = cropW;
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /** torchvision's ImageNet evaluation sizes: resize to 256, crop 224, ImageNet mean and std. */
  public static ImagePreprocessing imagenet() {
    return imagenet(256, 224);
  }

  /**
   * ImageNet mean and std with other sizes.
   *
   * @param resize the shorter side after resizing
   * @param crop the side of the square center crop
   * @return the pipeline
   */
  public static ImagePreprocessing imagenet(int resize, int crop) {
    return new ImagePreprocessing(resize, crop, crop, IMAGENET_MEAN, IMAGENET_STD);
  }

  /**
   * Reads and preprocesses an image file.
   *
   * @param file a PNG, JPEG, BMP or GIF file
   * @return a float32 tensor {@code [3, cropH, cropW]}
   * @throws IOException when the file cannot be read or decoded
   */
  public Tensor apply(Path file) throws IOException {
    return apply(read(file));
  }

  /**
   * Preprocesses a decoded image.
   *
   * @param image the image
   * @return a float32 tensor {@code [3, cropH, cropW]}
   */
  public Tensor apply(BufferedImage image) {
    return apply(toTensor(image));
  }

  /**
   * Preprocesses an image tensor {@code [3, H, W]} (or {@code [N, 3, H, W]}) in {@code [0, 1]}.
   *
   * @param image a float32 image tensor
   * @return the resized, cropped, normalized tensor
   */
  public Tensor apply(Tensor image) {
    return normalize(centerCrop(resize(image, resize), cropH, cropW), mean, std);
  }

  // ------------------------------------------------------------------ the steps

  /**
   * Reads an image file into a tensor ({@link #toTensor(BufferedImage)}).
   *
   * @param file a PNG, JPEG, BMP or GIF file
   * @return a float32 tensor {@code [3, H, W]} in {@code [0, 1]}
   * @throws IOException when the file cannot be read, or javax.imageio has no decoder for it
   */
  public static Tensor read(Path file) throws IOException {
    BufferedImage img;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      img = ImageIO.read(in);
    }
    if (img == null) {
      throw new IOException("ImagePreprocessing: cannot decode " + file
          + " (no javax.imageio reader for it; PNG, JPEG, BMP and GIF are supported)");
    }
    return toTensor(img);
  }

  /**
   * torchvision's {@code ToTensor} of the image converted to RGB: a float32 tensor {@code [3, H,
   * W]} with values {@code v / 255}. Grayscale images are replicated to three channels; alpha is
   * dropped; images of more than 8 bits per sample are read through {@code getRGB} (8 bits).
   *
   * @param image the image
   * @return the tensor
   */
  public static Tensor toTensor(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    int h = image.getHeight();
    int w = image.getWidth();
    float[] out = new float[3 * h * w];
    Raster r = image.getRaster();
    boolean gray8 = r.getNumBands() == 1 && image.getColorModel().getPixelSize() == 8
        && image.getType() == BufferedImage.TYPE_BYTE_GRAY;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (gray8) {
          float v = r.getSample(x, y, 0) / 255f;
          out[i] = v;
          out[h * w + i] = v;
          out[2 * h * w + i] = v;
        } else {
          int rgb = image.getRGB(x, y);
          out[i] = ((rgb >> 16) & 0xff) / 255f;
          out[h * w + i] = ((rgb >> 8) & 0xff) / 255f;
          out[2 * h * w + i] = (rgb & 0xff) / 255f;
        }
      }
    }
    return Tensor.fromArray(out, 3, h, w);
  }

  /**
   * torchvision's tensor {@code Resize(size, antialias=False)} with one size: the shorter side
   * becomes {@code size}, the longer {@code int(size * long / short)}; an image already that size
   * is returned as is.
   *
   * @param image a float32 tensor {@code [..., H, W]}
   * @param size the shorter side
   * @return the resized tensor (on the CPU)
   */
  public static Tensor resize(Tensor image, int size) {
    checkImage(image, "resize");
    if (size <= 0) {
      throw new IllegalArgumentException("ImagePreprocessing.resize: size must be positive, got "
          + size + " for an image of shape " + image.shape());
    }
    long h = image.size(image.dim() - 2);
    long w = image.size(image.dim() - 1);
    long shortSide = Math.min(h, w);
    long longSide = Math.max(h, w);
    int newLong = (int) ((double) ((long) size * longSide) / shortSide);
    int newH = w <= h ? newLong : size;
    int newW = w <= h ? size : newLong;
    if (h == newH && w == newW) {
      return image;
    }
    return resize(image, newH, newW);
  }

  /**
   * Bilinear resize to {@code outH x outW} ({@code interpolate(mode="bilinear",
   * align_corners=False)}, no antialiasing), computed in float32 as PyTorch's CPU kernel.
   *
   * @param image a float32 tensor {@code [..., H, W]}
   * @param outH output height
   * @param outW output width
   * @return the resized tensor (on the CPU)
   */
  public static Tensor resize(Tensor image, int outH, int outW) {
    checkImage(image, "resize");
    if (outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException("ImagePreprocessing.resize: output size must be positive,"
          + " got [" + outH + ", " + outW + "] for an image of shape " + image.shape());
    }
    long[] dims = image.shape().dims();
    int h = (int) dims[dims.length - 2];
    int w = (int) dims[dims.length - 1];
    float[] src = image.contiguous().toFloatArray();
    int planes = h * w == 0 ? 0 : src.length / (h * w);
    int[] y0 = new int[outH];
    int[] y1 = new int[outH];
    float[] ly = new float[outH];
    int[] x0 = new int[outW];
    int[] x1 = new int[outW];
    float[] lx = new float[outW];
    indices(h, outH, y0, y1, ly);
    indices(w, outW, x0, x1, lx);
    float[] out = new float[planes * outH * outW];
    for (int p = 0; p < planes; p++) {
      int base = p * h * w;
      int ob = p * outH * outW;
      for (int oy = 0; oy < outH; oy++) {
        float h1 = ly[oy];
        float h0 = 1f - h1;
        int r0 = base + y0[oy] * w;
        int r1 = base + y1[oy] * w;
        for (int ox = 0; ox < outW; ox++) {
          float w1 = lx[ox];
          float w0 = 1f - w1;
          float top = src[r0 + x0[ox]] * w0 + src[r0 + x1[ox]] * w1;
          float bottom = src[r1 + x0[ox]] * w0 + src[r1 + x1[ox]] * w1;
          out[ob + oy * outW + ox] = top * h0 + bottom * h1;
        }
      }
    }
    long[] od = dims.clone();
    od[od.length - 2] = outH;
    od[od.length - 1] = outW;
    return Tensor.fromArray(out, od);
  }

  /** PyTorch's {@code compute_source_index_and_lambda} for align_corners=False, in float32. */
  private static void indices(int in, int out, int[] i0, int[] i1, float[] l1) {
    float scale = (float) in / out;
    for (int o = 0; o < out; o++) {
      float real = scale * (o + 0.5f) - 0.5f;
      if (real < 0) {
        real = 0;
      }
      int lo = (int) real;
      i0[o] = lo;
      i1[o] = lo + (lo < in - 1 ? 1 : 0);
      l1[o] = Math.min(Math.max(real - lo, 0f), 1f);
    }
  }

  /**
   * torchvision's {@code CenterCrop((cropH, cropW))}: the top-left corner at {@code round((H -
   * cropH) / 2)}, {@code round((W - cropW) / 2)} (ties to even); a crop larger than the image pads
   * it with zeros first, as torchvision does.
   *
   * @param image a float32 tensor {@code [..., H, W]}
   * @param cropH crop height
   * @param cropW crop width
   * @return the crop (on the CPU)
   */
  public static Tensor centerCrop(Tensor image, int cropH, int cropW) {
    checkImage(image, "centerCrop");
    if (cropH <= 0 || cropW <= 0) {
      throw new IllegalArgumentException("ImagePreprocessing.centerCrop: crop size must be"
          + " positive, got [" + cropH + ", " + cropW + "] for an image of shape " + image.shape());
    }
    long[] dims = image.shape().dims();
    int h = (int) dims[dims.length - 2];
    int w = (int) dims[dims.length - 1];
    // padding (left, top) when the crop is larger, as torchvision's center_crop
    int padTop = cropH > h ? (cropH - h) / 2 : 0;
    int padLeft = cropW > w ? (cropW - w) / 2 : 0;
    int ph = cropH > h ? cropH : h;
    int pw = cropW > w ? cropW : w;
    int top = (int) Math.rint((ph - cropH) / 2.0) - padTop;
    int left = (int) Math.rint((pw - cropW) / 2.0) - padLeft;
    float[] src = image.contiguous().toFloatArray();
    int planes = h * w == 0 ? 0 : src.length / (h * w);
    float[] out = new float[planes * cropH * cropW];
    for (int p = 0; p < planes; p++) {
      for (int y = 0; y < cropH; y++) {
        int sy = y + top;
        if (sy < 0 || sy >= h) {
          continue;
        }
        for (int x = 0; x < cropW; x++) {
          int sx = x + left;
          if (sx >= 0 && sx < w) {
            out[(p * cropH + y) * cropW + x] = src[(p * h + sy) * w + sx];
          }
        }
      }
    }
    long[] od = dims.clone();
    od[od.length - 2] = cropH;
    od[od.length - 1] = cropW;
    return Tensor.fromArray(out, od);
  }

  /**
   * torchvision's {@code Normalize(mean, std)}: {@code (x - mean[c]) / std[c]} per channel (dim
   * -3), with mean and std rounded to float32 as torchvision does.
   *
   * @param image a float32 tensor {@code [..., C, H, W]}
   * @param mean C means
   * @param std C non-zero standard deviations
   * @return the normalized tensor (on the CPU)
   */
  public static Tensor normalize(Tensor image, double[] mean, double[] std) {
    checkImage(image, "normalize");
    if (image.dim() < 3) {
      throw new IllegalArgumentException("ImagePreprocessing.normalize: expected a tensor image"
          + " [..., C, H, W], got shape " + image.shape());
    }
    long[] dims = image.shape().dims();
    int c = (int) dims[dims.length - 3];
    checkMeanStd(mean, std, c);
    int hw = (int) (dims[dims.length - 2] * dims[dims.length - 1]);
    float[] x = image.contiguous().toFloatArray();
    for (int i = 0; i < x.length; i++) {
      int ch = hw == 0 ? 0 : (i / hw) % c;
      x[i] = (x[i] - (float) mean[ch]) / (float) std[ch];
    }
    return Tensor.fromArray(x, dims);
  }

  private static void checkMeanStd(double[] mean, double[] std, int channels) {
    if (mean == null || std == null || mean.length != channels || std.length != channels) {
      throw new IllegalArgumentException("ImagePreprocessing: mean and std need " + channels
          + " values (one per channel), got " + Arrays.toString(mean) + " and "
          + Arrays.toString(std));
    }
    for (double s : std) {
      if ((float) s == 0f) {
        throw new IllegalArgumentException("std evaluated to zero after conversion to"
            + " torch.float32, leading to division by zero.");
      }
    }
  }

  private static void checkImage(Tensor image, String op) {
    Objects.requireNonNull(image, "image");
    if (image.dtype() != DType.FLOAT32 || image.dim() < 2) {
      throw new IllegalArgumentException("ImagePreprocessing." + op + ": expected a float32"
          + " image tensor [..., H, W], got " + image.dtype() + " of shape " + image.shape());
    }
  }
}
