package dev.jnn.models;

import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.init.Init;
import dev.jnn.nn.layers.AdaptiveAvgPool2d;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Dropout;
import dev.jnn.nn.layers.Linear;
import dev.jnn.nn.layers.MaxPool2d;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torchvision's VGG ({@code torchvision.models.vgg.VGG}, 0.14): {@code features} built by {@code
 * make_layers} from a configuration ({@code 3x3 Conv2d} with padding 1, optional {@code
 * BatchNorm2d}, in-place {@code ReLU}; {@code MaxPool2d(2, 2)} for each {@code "M"}), {@code
 * avgpool} ({@code AdaptiveAvgPool2d((7, 7))}) and {@code classifier} ({@code Linear(25088, 4096)},
 * ReLU, Dropout, {@code Linear(4096, 4096)}, ReLU, Dropout, {@code Linear(4096, num_classes)}).
 * State-dict keys ({@code features.0.weight}, {@code classifier.6.bias}), repr and forward are
 * torchvision's.
 *
 * <p>Initialisation as torchvision with {@code init_weights=True}: convolutions {@code
 * kaiming_normal_(mode="fan_out", nonlinearity="relu")} with zero bias, batch norms 1 and 0, linear
 * layers {@code normal_(0, 0.01)} with zero bias.
 *
 * @see <a href="https://pytorch.org/vision/0.14/models/vgg.html">torchvision VGG</a>
 */
public final class VGG extends Module {
  /** torchvision's {@code cfgs}: channel counts, {@code 0} for a max pool ({@code "M"}). */
  private static final Map<String, int[]> CFGS = Map.of(
      "A", new int[] {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
      "B", new int[] {64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
      "D", new int[] {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0},
      "E", new int[] {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512,
          512, 512, 512, 0});

  /**
   * {@code VGG(features, num_classes, init_weights, dropout)}.
   *
   * @param features the feature extractor (its output must have 512 channels)
   * @param numClasses outputs of the last linear layer
   * @param initWeights whether to apply torchvision's initialisation
   * @param dropout the classifier's dropout probability
   */
  public VGG(Module features, int numClasses, boolean initWeights, double dropout) {
    registerModule("features", features);
    registerModule("avgpool", new AdaptiveAvgPool2d(7, 7));
    registerModule("classifier", new Sequential(
        new Linear(512 * 7 * 7, 4096), new ReLU(true), new Dropout(dropout),
        new Linear(4096, 4096), new ReLU(true), new Dropout(dropout),
        new Linear(4096, numClasses)));
    if (initWeights) {
      for (Module m : modules()) {
        if (m instanceof Conv2d c) {
          Init.kaimingNormal(c.weight(), 0.0, "fan_out", "relu");
          if (c.bias() != null) {
            Init.constant(c.bias(), 0);
          }
        } else if (m instanceof BatchNorm2d bn) {
          Init.constant(bn.weight(), 1);
          Init.constant(bn.bias(), 0);
        } else if (m instanceof Linear l) {
          Init.normal(l.weight(), 0, 0.01);
          Init.constant(l.bias(), 0);
        }
      }
    }
  }

  /**
   * torchvision's {@code make_layers(cfgs[cfg], batch_norm)}.
   *
   * @param cfg {@code "A"} (VGG-11), {@code "B"} (13), {@code "D"} (16) or {@code "E"} (19)
   * @param batchNorm whether a {@code BatchNorm2d} follows each convolution
   * @return the feature extractor
   */
  public static Sequential makeLayers(String cfg, boolean batchNorm) {
    int[] c = CFGS.get(cfg);
    if (c == null) {
      throw new IllegalArgumentException(
          "VGG: unknown cfg '" + cfg + "', expected one of A, B, D, E");
    }
    List<Module> layers = new ArrayList<>();
    int in = 3;
    for (int v : c) {
      if (v == 0) {
        layers.add(MaxPool2d.builder(2).stride(2).build());
      } else {
        layers.add(Conv2d.builder(in, v, 3).padding(1).build());
        if (batchNorm) {
          layers.add(new BatchNorm2d(v));
        }
        layers.add(new ReLU(true));
        in = v;
      }
    }
    return new Sequential(layers.toArray(new Module[0]));
  }

  /**
   * {@code VGG(make_layers(cfgs[cfg], batch_norm), num_classes=numClasses, dropout=dropout)}.
   *
   * @param cfg {@code "A"}, {@code "B"}, {@code "D"} or {@code "E"}
   * @param batchNorm whether to add batch norms
   * @param numClasses outputs of the classifier (torchvision: 1000)
   * @param dropout dropout probability (torchvision: 0.5)
   * @return the model
   */
  public static VGG of(String cfg, boolean batchNorm, int numClasses, double dropout) {
    return new VGG(makeLayers(cfg, batchNorm), numClasses, true, dropout);
  }

  /** {@code torchvision.models.vgg11()}: configuration A, 1000 classes. */
  public static VGG vgg11() {
    return of("A", false, 1000, 0.5);
  }

  /** {@code torchvision.models.vgg11_bn()}: configuration A with batch norm. */
  public static VGG vgg11Bn() {
    return of("A", true, 1000, 0.5);
  }

  /** {@code torchvision.models.vgg13()}: configuration B. */
  public static VGG vgg13() {
    return of("B", false, 1000, 0.5);
  }

  /** {@code torchvision.models.vgg13_bn()}: configuration B with batch norm. */
  public static VGG vgg13Bn() {
    return of("B", true, 1000, 0.5);
  }

  /** {@code torchvision.models.vgg16()}: configuration D. */
  public static VGG vgg16() {
    return of("D", false, 1000, 0.5);
  }

  /** {@code torchvision.models.vgg16_bn()}: configuration D with batch norm. */
  public static VGG vgg16Bn() {
    return of("D", true, 1000, 0.5);
  }

  /** {@code torchvision.models.vgg19()}: configuration E. */
  public static VGG vgg19() {
    return of("E", false, 1000, 0.5);
  }

  /** {@code torchvision.models.vgg19_bn()}: configuration E with batch norm. */
  public static VGG vgg19Bn() {
    return of("E", true, 1000, 0.5);
  }

  /**
   * {@code features}, {@code avgpool}, {@code flatten(1)}, {@code classifier}.
   *
   * @param x images {@code [N, 3, H, W]} (at least 32x32 for the five max pools)
   * @return logits {@code [N, num_classes]}
   * @throws IllegalArgumentException naming the model and the shape for an input that is not
   *     4-D (the first convolution names a wrong channel count)
   */
  @Override
  public Tensor forward(Tensor x) {
    if (x.dim() != 4) {
      throw new IllegalArgumentException(
          "VGG: expected input of shape [N, C, H, W], but got " + x.shape());
    }
    x = features().call(x);
    x = ((Module) getAttribute("avgpool")).call(x);
    x = x.flatten(1);
    return classifier().call(x);
  }

  /** The feature extractor {@code features}. */
  public Module features() {
    return (Module) getAttribute("features");
  }

  /** The head {@code classifier}. */
  public Sequential classifier() {
    return (Sequential) getAttribute("classifier");
  }
}
