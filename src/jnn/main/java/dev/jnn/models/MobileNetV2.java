package dev.jnn.models;

import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Dropout;
import dev.jnn.nn.layers.Linear;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * torchvision's MobileNetV2 ({@code torchvision.models.mobilenetv2.MobileNetV2}, 0.14): {@code
 * features}, a {@link Sequential} of a stride-2 3x3 {@link Conv2dNormActivation}, the {@link
 * InvertedResidual} blocks of the setting table and a 1x1 {@link Conv2dNormActivation} to {@code
 * last_channel}; global average pooling; {@code classifier}, a {@link Sequential} of {@code
 * Dropout(p=dropout)} and {@code Linear(last_channel, num_classes)}. State-dict keys ({@code
 * features.0.0.weight}, {@code features.1.conv.0.0.weight}, {@code classifier.1.weight}), repr
 * and forward are torchvision's.
 *
 * <p>Channel counts are scaled by {@code width_mult} and rounded by torchvision's {@code
 * _make_divisible} to multiples of {@code round_nearest}. Initialisation as torchvision:
 * convolutions {@code kaiming_normal_(mode="fan_out")}, batch norms 1 and 0, the linear layer
 * {@code normal_(0, 0.01)} with a zero bias.
 *
 * <pre>{@code
 * MobileNetV2 m = MobileNetV2.builder().widthMult(0.25).numClasses(10).build();
 * }</pre>
 *
 * @see <a href="https://pytorch.org/vision/0.14/models/mobilenetv2.html">torchvision MobileNetV2</a>
 */
public final class MobileNetV2 extends Module {
  /** torchvision's default setting: rows of {@code t} (expansion), {@code c}, {@code n}, {@code s}. */
  private static final int[][] DEFAULT_SETTING = {
    {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
    {6, 320, 1, 1},
  };

  private final int lastChannel;

  private MobileNetV2(Builder b) {
    int[][] setting = b.setting;
    if (setting.length == 0 || setting[0].length != 4) {
      throw new IllegalArgumentException(
          "inverted_residual_setting should be non-empty or a 4-element list, got "
              + Arrays.deepToString(setting));
    }
    if (b.numClasses <= 0 || b.roundNearest <= 0 || !(b.widthMult > 0)) {
      throw new IllegalArgumentException("MobileNetV2: num_classes, width_mult and round_nearest"
          + " must be positive, got " + b.numClasses + ", " + b.widthMult + ", " + b.roundNearest);
    }
    int inputChannel = makeDivisible(32 * b.widthMult, b.roundNearest);
    this.lastChannel = makeDivisible(1280 * Math.max(1.0, b.widthMult), b.roundNearest);
    List<Module> features = new ArrayList<>();
    features.add(new Conv2dNormActivation(
        3, inputChannel, 3, 2, 1, Conv2dNormActivation.Activation.RELU6));
    for (int[] row : setting) {
      int t = row[0];
      int n = row[2];
      int s = row[3];
      int outputChannel = makeDivisible(row[1] * b.widthMult, b.roundNearest);
      for (int i = 0; i < n; i++) {
        features.add(new InvertedResidual(inputChannel, outputChannel, i == 0 ? s : 1, t));
        inputChannel = outputChannel;
      }
    }
    features.add(new Conv2dNormActivation(
        inputChannel, lastChannel, 1, 1, 1, Conv2dNormActivation.Activation.RELU6));
    registerModule("features", new Sequential(features.toArray(new Module[0])));
    registerModule("classifier",
        new Sequential(new Dropout(b.dropout), new Linear(lastChannel, b.numClasses)));
    for (Module m : modules()) {
      if (m instanceof Conv2d c) {
        Init.kaimingNormal(c.weight(), 0.0, "fan_out", "leaky_relu");
        if (c.bias() != null) {
          Init.zeros(c.bias());
        }
      } else if (m instanceof BatchNorm2d bn) {
        Init.ones(bn.weight());
        Init.zeros(bn.bias());
      } else if (m instanceof Linear l) {
        Init.normal(l.weight(), 0, 0.01);
        Init.zeros(l.bias());
      }
    }
  }

  /**
   * torchvision's {@code _make_divisible(v, divisor)}: {@code v} rounded to the nearest multiple
   * of {@code divisor} (at least {@code divisor}), rounded up once more when that loses over 10 %.
   */
  static int makeDivisible(double v, int divisor) {
    int newV = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
    if (newV < 0.9 * v) {
      newV += divisor;
    }
    return newV;
  }

  /**
   * A builder with torchvision's defaults: 1000 classes, {@code width_mult=1.0}, {@code
   * round_nearest=8}, {@code dropout=0.2}, the paper's block table.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code torchvision.models.mobilenet_v2()}: 1000 classes, width 1.0. */
  public static MobileNetV2 mobilenetV2() {
    return builder().build();
  }

  /**
   * torchvision's {@code _forward_impl}: {@code features}, {@code adaptive_avg_pool2d(x, (1,
   * 1))}, {@code flatten(1)}, {@code classifier}.
   *
   * @param x images {@code [N, 3, H, W]}
   * @return logits {@code [N, num_classes]}
   * @throws IllegalArgumentException for an input that is not 4-D, and the first convolution's
   *     (PyTorch's) message for a wrong channel count; either before any running statistic
   *     changes
   */
  @Override
  public Tensor forward(Tensor x) {
    if (x.dim() != 4) {
      throw new IllegalArgumentException(
          "MobileNetV2: expected input of shape [N, 3, H, W], but got " + x.shape());
    }
    x = features().call(x);
    x = Functional.adaptiveAvgPool2d(x, new int[] {1, 1});
    x = x.flatten(1);
    return classifier().call(x);
  }

  /** The feature extractor {@code features}. */
  public Sequential features() {
    return (Sequential) getAttribute("features");
  }

  /** The head {@code classifier} ({@code Dropout}, {@code Linear}). */
  public Sequential classifier() {
    return (Sequential) getAttribute("classifier");
  }

  /** {@code last_channel}: the features' output channels. */
  public int lastChannel() {
    return lastChannel;
  }

  /** Options of a {@link MobileNetV2}, named after torchvision's keyword arguments. */
  public static final class Builder {
    private int numClasses = 1000;
    private double widthMult = 1.0;
    private int[][] setting = DEFAULT_SETTING;
    private int roundNearest = 8;
    private double dropout = 0.2;

    private Builder() {}

    /** {@code num_classes} (default 1000). */
    public Builder numClasses(int numClasses) {
      this.numClasses = numClasses;
      return this;
    }

    /** {@code width_mult} (default 1.0): scales every layer's channels. */
    public Builder widthMult(double widthMult) {
      this.widthMult = widthMult;
      return this;
    }

    /** {@code inverted_residual_setting}: rows {@code {t, c, n, s}} (default: the paper's). */
    public Builder invertedResidualSetting(int[][] setting) {
      int[][] copy = new int[setting.length][];
      for (int i = 0; i < setting.length; i++) {
        copy[i] = Objects.requireNonNull(setting[i], "setting row").clone();
      }
      this.setting = copy;
      return this;
    }

    /** {@code round_nearest} (default 8): channels are rounded to multiples of it (1: off). */
    public Builder roundNearest(int roundNearest) {
      this.roundNearest = roundNearest;
      return this;
    }

    /** {@code dropout} (default 0.2): the classifier's dropout probability. */
    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    /** Builds the model with torchvision's initialisation. */
    public MobileNetV2 build() {
      return new MobileNetV2(this);
    }
  }
}
