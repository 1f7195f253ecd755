package dev.jnn.examples;

import dev.jnn.core.DType;
import dev.jnn.data.Idx;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads Fashion-MNIST from IDX files: the full 60,000 + 10,000 split when a directory with all
 * four files is given or installed ({@code /usr/share/datasets/fashion-mnist}), else the embedded
 * 10,000-image test split under {@code data/}, divided 8,000 train / 2,000 held-out.
 */
public final class FashionMnist {
  /** Images are scaled to [0,1] and normalised with Fashion-MNIST's mean and std. */
  public static final double MEAN = 0.2860;
  /** Standard deviation of the training images. */
  public static final double STD = 0.3530;
  /** Where Debian's dataset-fashion-mnist package installs the full dataset. */
  public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** A loaded split. */
  public record Split(Tensor trainX, Tensor trainY, Tensor testX, Tensor testY, String description) {}

  private FashionMnist() {}

  private static Path file(Path dir, String base) {
    Path gz = dir.resolve(base + ".gz");
    return Files.exists(gz) ? gz : dir.resolve(base);
  }

  /** True when {@code dir} holds all four files of the full dataset. */
  public static boolean hasFullSplit(Path dir) {
    for (String b : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
      if (!Files.exists(file(dir, b))) {
        return false;
      }
    }
    return true;
  }

  /** Images as normalised float32 [N,1,28,28]. */
  static Tensor images(Path f) throws IOException {
    Tensor raw = Idx.read(f, DType.FLOAT32);
    if (raw.dim() != 3 || raw.size(1) != 28 || raw.size(2) != 28) {
      throw new IOException(f + ": expected [N,28,28] images, got " + raw.shape());
    }
    return raw.div(255.0).sub(MEAN).div(STD).reshape(raw.size(0), 1, 28, 28);
  }

  static Tensor labels(Path f) throws IOException {
    Tensor y = Idx.read(f, DType.INT64);
    if (y.dim() != 1) {
      throw new IOException(f + ": expected a 1-D label file, got " + y.shape());
    }
    return y;
  }

  /** The full split from {@code dir}. */
  public static Split full(Path dir) throws IOException {
    Tensor trX = images(file(dir, "train-images-idx3-ubyte"));
    Tensor trY = labels(file(dir, "train-labels-idx1-ubyte"));
    Tensor teX = images(file(dir, "t10k-images-idx3-ubyte"));
    Tensor teY = labels(file(dir, "t10k-labels-idx1-ubyte"));
    check(trX, trY);
    check(teX, teY);
    return new Split(trX, trY, teX, teY,
        "Fashion-MNIST full split from " + dir + " (" + trX.size(0) + " train / " + teX.size(0) + " test)");
  }

  /** The embedded test split from {@code dir} ({@code data/}), 8,000 train / 2,000 held-out. */
  public static Split embedded(Path dir) throws IOException {
    Tensor x = images(file(dir, "t10k-images-idx3-ubyte"));
    Tensor y = labels(file(dir, "t10k-labels-idx1-ubyte"));
    check(x, y);
    long n = x.size(0);
    long train = n * 4 / 5;
    return new Split(x.narrow(0, 0, train).contiguous(), y.narrow(0, 0, train).contiguous(),
        x.narrow(0, train, n - train).contiguous(), y.narrow(0, train, n - train).contiguous(),
        "embedded Fashion-MNIST test split from " + dir + " (" + train + " train / " + (n - train) + " held-out)");
  }

  private static void check(Tensor x, Tensor y) throws IOException {
    if (x.size(0) != y.size(0)) {
      throw new IOException("image and label counts differ: " + x.size(0) + " vs " + y.size(0));
    }
    if (y.numel() > 0 && (y.min().item() < 0 || y.max().item() > 9)) {
      throw new IOException("labels must be in 0..9");
    }
  }
}
