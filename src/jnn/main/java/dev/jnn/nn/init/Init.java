package dev.jnn.nn.init;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.Locale;

/**
 * PyTorch's {@code torch.nn.init}: fills a tensor in place, without recording autograd, and returns
 * it. The class name signals mutation ({@code nn.init.kaiming_uniform_(w, a)} is {@code
 * Init.kaimingUniform(w, a)}).
 *
 * <p>Every function works on any floating tensor, a {@link dev.jnn.nn.Parameter} included (the
 * write happens under {@link NoGrad}, so a leaf that requires grad may be initialised). Random
 * values come from the given {@link Generator}, or the default one; they follow PyTorch's
 * distributions but not its random streams, so a seeded jnn model gets different (equally
 * distributed) initial values than a seeded PyTorch model.
 *
 * <pre>{@code
 * Tensor w = Tensor.empty(Shape.of(3, 5), DType.FLOAT32, Device.CPU);
 * Init.kaimingUniform(w, 0.0, "fan_in", "relu");
 * Init.xavierNormal(w, Init.calculateGain("tanh"));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/nn.init.html">torch.nn.init</a>
 */
public final class Init {
  private Init() {}

  /**
   * The fans of a weight tensor ({@code _calculate_fan_in_and_fan_out}): for a weight of shape
   * {@code [out, in, k1, k2, ...]}, {@code fanIn = in * k1 * k2 * ...} and {@code fanOut = out * k1
   * * k2 * ...}.
   *
   * @param fanIn number of inputs feeding one output unit
   * @param fanOut number of outputs one input unit feeds
   */
  public record Fans(long fanIn, long fanOut) {}

  // ---------------------------------------------------------------- gains and fans

  /**
   * {@code calculate_gain(nonlinearity)}: the recommended gain for a nonlinearity (for {@code
   * "leaky_relu"} the default negative slope 0.01).
   *
   * @param nonlinearity the {@code nn.functional} name
   * @return the gain
   * @see #calculateGain(String, double)
   */
  public static double calculateGain(String nonlinearity) {
    return gain(nonlinearity, 0.01);
  }

  /**
   * {@code calculate_gain(nonlinearity, param)}, with PyTorch's values:
   *
   * <table>
   *   <caption>gains</caption>
   *   <tr><th>nonlinearity</th><th>gain</th></tr>
   *   <tr><td>{@code linear}, {@code conv1d/2d/3d}, {@code conv_transpose1d/2d/3d}, {@code
   *       sigmoid}</td><td>1</td></tr>
   *   <tr><td>{@code tanh}</td><td>5/3</td></tr>
   *   <tr><td>{@code relu}</td><td>sqrt(2)</td></tr>
   *   <tr><td>{@code leaky_relu}</td><td>sqrt(2 / (1 + param^2)), param = negative slope</td></tr>
   *   <tr><td>{@code selu}</td><td>3/4</td></tr>
   * </table>
   *
   * <p>{@code param} is only read for {@code leaky_relu}.
   *
   * @param nonlinearity the {@code nn.functional} name
   * @param param the negative slope of {@code leaky_relu}
   * @return the gain
   * @throws IllegalArgumentException {@code Unsupported nonlinearity x}
   */
  public static double calculateGain(String nonlinearity, double param) {
    return gain(nonlinearity, param);
  }

  private static double gain(String nonlinearity, double negativeSlope) {
    if (nonlinearity == null) {
      throw new IllegalArgumentException("Unsupported nonlinearity None");
    }
    switch (nonlinearity) {
      case "linear":
      case "conv1d":
      case "conv2d":
      case "conv3d":
      case "conv_transpose1d":
      case "conv_transpose2d":
      case "conv_transpose3d":
      case "sigmoid":
        return 1.0;
      case "tanh":
        return 5.0 / 3;
      case "relu":
        return Math.sqrt(2.0);
      case "leaky_relu":
        if (!Double.isFinite(negativeSlope)) {
          throw new IllegalArgumentException(
              "negative_slope " + negativeSlope + " not a valid number");
        }
        return Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
      case "selu":
        return 3.0 / 4; // value found empirically (pytorch/pytorch#50664)
      default:
        throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
    }
  }

  /**
   * {@code _calculate_fan_in_and_fan_out(tensor)}: see {@link Fans}.
   *
   * @param tensor a weight of at least 2 dims
   * @return its fans
   * @throws IllegalArgumentException {@code Fan in and fan out can not be computed for tensor with
   *     fewer than 2 dimensions}
   */
  public static Fans calculateFanInAndFanOut(Tensor tensor) {
    if (tensor.dim() < 2) {
      throw new IllegalArgumentException(
          "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
    }
    long receptiveField = 1;
    for (int d = 2; d < tensor.dim(); d++) {
      receptiveField *= tensor.size(d);
    }
    return new Fans(tensor.size(1) * receptiveField, tensor.size(0) * receptiveField);
  }

  /** {@code _calculate_correct_fan}: the fan selected by {@code mode} (case-insensitive). */
  private static long correctFan(Tensor tensor, String mode) {
    String m = mode == null ? "none" : mode.toLowerCase(Locale.ROOT);
    if (!m.equals("fan_in") && !m.equals("fan_out")) {
      throw new IllegalArgumentException(
          "Mode " + m + " not supported, please use one of ['fan_in', 'fan_out']");
    }
    Fans f = calculateFanInAndFanOut(tensor);
    return m.equals("fan_in") ? f.fanIn() : f.fanOut();
  }

  // ---------------------------------------------------------------- plain fills

  /**
   * {@code uniform_(tensor)}: values from {@code U(0, 1)}, default generator.
   *
   * @param tensor the tensor to fill
   * @return {@code tensor}
   */
  public static Tensor uniform(Tensor tensor) {
    return uniform(tensor, 0.0, 1.0, Generator.defaultGenerator());
  }

  /**
   * {@code uniform_(tensor, a, b)}: values from {@code U(a, b)}, default generator.
   *
   * @param tensor the tensor to fill
   * @param a lower bound
   * @param b upper bound
   * @return {@code tensor}
   */
  public static Tensor uniform(Tensor tensor, double a, double b) {
    return uniform(tensor, a, b, Generator.defaultGenerator());
  }

  /**
   * {@code uniform_(tensor, a, b, generator)}: fills {@code tensor} with {@code a + (b - a) * u},
   * {@code u ~ U[0, 1)}, computed in double precision then rounded to the tensor's dtype.
   *
   * @param tensor the tensor to fill (floating point)
   * @param a lower bound
   * @param b upper bound, at least {@code a}
   * @param generator the random source
   * @return {@code tensor}
   * @throws IllegalArgumentException when {@code a > b} or the tensor is not floating point
   */
  public static Tensor uniform(Tensor tensor, double a, double b, Generator generator) {
    checkFloating("uniform_", tensor);
    if (!(a <= b)) {
      throw new IllegalArgumentException(
          "uniform_ expects to return a [from, to) range, but found from=" + a + " > to=" + b);
    }
    try (NoGrad g = NoGrad.enter();
        Tensor u = Tensor.rand(tensor.shape(), DType.FLOAT64, generator)) {
      Tensor v = u.mul(b - a).add(a);
      tensor.copyFrom(v);
      v.close();
    }
    return tensor;
  }

  /**
   * {@code normal_(tensor)}: values from {@code N(0, 1)}, default generator.
   *
   * @param tensor the tensor to fill
   * @return {@code tensor}
   */
  public static Tensor normal(Tensor tensor) {
    return normal(tensor, 0.0, 1.0, Generator.defaultGenerator());
  }

  /**
   * {@code normal_(tensor, mean, std)}: values from {@code N(mean, std^2)}, default generator.
   *
   * @param tensor the tensor to fill
   * @param mean the mean
   * @param std the standard deviation
   * @return {@code tensor}
   */
  public static Tensor normal(Tensor tensor, double mean, double std) {
    return normal(tensor, mean, std, Generator.defaultGenerator());
  }

  /**
   * {@code normal_(tensor, mean, std, generator)}: values from {@code N(mean, std^2)}.
   *
   * @param tensor the tensor to fill (floating point)
   * @param mean the mean
   * @param std the standard deviation, at least 0
   * @param generator the random source
   * @return {@code tensor}
   * @throws IllegalArgumentException when {@code std < 0} or the tensor is not floating point
   */
  public static Tensor normal(Tensor tensor, double mean, double std, Generator generator) {
    checkFloating("normal_", tensor);
    if (!(std >= 0.0)) {
      throw new IllegalArgumentException("normal_ expects std >= 0.0, but found std " + std);
    }
    try (NoGrad g = NoGrad.enter();
        Tensor n = Tensor.randn(tensor.shape(), DType.FLOAT64, generator)) {
      Tensor v = n.mul(std).add(mean);
      tensor.copyFrom(v);
      v.close();
    }
    return tensor;
  }

  /**
   * {@code constant_(tensor, val)}: every element set to {@code val}.
   *
   * @param tensor the tensor to fill
   * @param val the value
   * @return {@code tensor}
   */
  public static Tensor constant(Tensor tensor, double val) {
    try (NoGrad g = NoGrad.enter()) {
      tensor.fill(val);
    }
    return tensor;
  }

  /**
   * {@code zeros_(tensor)}: every element set to 0.
   *
   * @param tensor the tensor to fill
   * @return {@code tensor}
   */
  public static Tensor zeros(Tensor tensor) {
    return constant(tensor, 0.0);
  }

  /**
   * {@code ones_(tensor)}: every element set to 1.
   *
   * @param tensor the tensor to fill
   * @return {@code tensor}
   */
  public static Tensor ones(Tensor tensor) {
    return constant(tensor, 1.0);
  }

  // ---------------------------------------------------------------- Glorot / Xavier

  /**
   * {@code xavier_uniform_(tensor)} with gain 1.
   *
   * @param tensor a weight of at least 2 dims
   * @return {@code tensor}
   */
  public static Tensor xavierUniform(Tensor tensor) {
    return xavierUniform(tensor, 1.0, Generator.defaultGenerator());
  }

  /**
   * {@code xavier_uniform_(tensor, gain)}.
   *
   * @param tensor a weight of at least 2 dims
   * @param gain scaling factor
   * @return {@code tensor}
   */
  public static Tensor xavierUniform(Tensor tensor, double gain) {
    return xavierUniform(tensor, gain, Generator.defaultGenerator());
  }

  /**
   * Glorot uniform initialisation ({@code xavier_uniform_}): {@code U(-a, a)} with {@code a = gain
   * * sqrt(6 / (fanIn + fanOut))}.
   *
   * @param tensor a weight of at least 2 dims
   * @param gain scaling factor
   * @param generator the random source
   * @return {@code tensor}
   * @throws IllegalArgumentException for fewer than 2 dims
   */
  public static Tensor xavierUniform(Tensor tensor, double gain, Generator generator) {
    Fans f = calculateFanInAndFanOut(tensor);
    double std = gain * Math.sqrt(2.0 / (double) (f.fanIn() + f.fanOut()));
    double a = Math.sqrt(3.0) * std; // uniform bounds from the standard deviation
    return uniform(tensor, -a, a, generator);
  }

  /**
   * {@code xavier_normal_(tensor)} with gain 1.
   *
   * @param tensor a weight of at least 2 dims
   * @return {@code tensor}
   */
  public static Tensor xavierNormal(Tensor tensor) {
    return xavierNormal(tensor, 1.0, Generator.defaultGenerator());
  }

  /**
   * {@code xavier_normal_(tensor, gain)}.
   *
   * @param tensor a weight of at least 2 dims
   * @param gain scaling factor
   * @return {@code tensor}
   */
  public static Tensor xavierNormal(Tensor tensor, double gain) {
    return xavierNormal(tensor, gain, Generator.defaultGenerator());
  }

  /**
   * Glorot normal initialisation ({@code xavier_normal_}): {@code N(0, std^2)} with {@code std =
   * gain * sqrt(2 / (fanIn + fanOut))}.
   *
   * @param tensor a weight of at least 2 dims
   * @param gain scaling factor
   * @param generator the random source
   * @return {@code tensor}
   * @throws IllegalArgumentException for fewer than 2 dims
   */
  public static Tensor xavierNormal(Tensor tensor, double gain, Generator generator) {
    Fans f = calculateFanInAndFanOut(tensor);
    double std = gain * Math.sqrt(2.0 / (double) (f.fanIn() + f.fanOut()));
    return normal(tensor, 0.0, std, generator);
  }

  // ---------------------------------------------------------------- He / Kaiming

  /**
   * {@code kaiming_uniform_(tensor)}: {@code a = 0}, {@code fan_in}, {@code leaky_relu} (gain
   * sqrt(2)).
   *
   * @param tensor a weight of at least 2 dims
   * @return {@code tensor}
   */
  public static Tensor kaimingUniform(Tensor tensor) {
    return kaimingUniform(tensor, 0.0, "fan_in", "leaky_relu", Generator.defaultGenerator());
  }

  /**
   * {@code kaiming_uniform_(tensor, a)}, {@code fan_in}, {@code leaky_relu}. The layers' default
   * initialisation is {@code kaimingUniform(weight, Math.sqrt(5))}, i.e. {@code U(-1/sqrt(fanIn),
   * 1/sqrt(fanIn))}.
   *
   * @param tensor a weight of at least 2 dims
   * @param a negative slope of the rectifier that follows
   * @return {@code tensor}
   */
  public static Tensor kaimingUniform(Tensor tensor, double a) {
    return kaimingUniform(tensor, a, "fan_in", "leaky_relu", Generator.defaultGenerator());
  }

  /**
   * {@code kaiming_uniform_(tensor, a, mode, nonlinearity)}, default generator.
   *
   * @param tensor a weight of at least 2 dims
   * @param a negative slope of the rectifier (only read for {@code leaky_relu})
   * @param mode {@code "fan_in"} or {@code "fan_out"}
   * @param nonlinearity the {@code nn.functional} name of the nonlinearity that follows
   * @return {@code tensor}
   */
  public static Tensor kaimingUniform(Tensor tensor, double a, String mode, String nonlinearity) {
    return kaimingUniform(tensor, a, mode, nonlinearity, Generator.defaultGenerator());
  }

  /**
   * He uniform initialisation ({@code kaiming_uniform_}): {@code U(-bound, bound)} with {@code
   * bound = gain * sqrt(3 / fan)}, {@code gain = calculateGain(nonlinearity, a)} and {@code fan}
   * the fan picked by {@code mode}. A tensor with no elements is left alone.
   *
   * @param tensor a weight of at least 2 dims
   * @param a negative slope of the rectifier (only read for {@code leaky_relu})
   * @param mode {@code "fan_in"} (keeps the forward variance) or {@code "fan_out"} (keeps the
   *     backward variance)
   * @param nonlinearity the {@code nn.functional} name of the nonlinearity that follows
   * @param generator the random source
   * @return {@code tensor}
   * @throws IllegalArgumentException for a bad mode, nonlinearity, or fewer than 2 dims
   */
  public static Tensor kaimingUniform(
      Tensor tensor, double a, String mode, String nonlinearity, Generator generator) {
    if (tensor.numel() == 0) {
      return tensor; // PyTorch: "Initializing zero-element tensors is a no-op"
    }
    long fan = correctFan(tensor, mode);
    double gain = calculateGain(nonlinearity, a);
    double std = gain / Math.sqrt(fan);
    double bound = Math.sqrt(3.0) * std; // uniform bounds from the standard deviation
    return uniform(tensor, -bound, bound, generator);
  }

  /**
   * {@code kaiming_normal_(tensor)}: {@code a = 0}, {@code fan_in}, {@code leaky_relu}.
   *
   * @param tensor a weight of at least 2 dims
   * @return {@code tensor}
   */
  public static Tensor kaimingNormal(Tensor tensor) {
    return kaimingNormal(tensor, 0.0, "fan_in", "leaky_relu", Generator.defaultGenerator());
  }

  /**
   * {@code kaiming_normal_(tensor, a)}, {@code fan_in}, {@code leaky_relu}.
   *
   * @param tensor a weight of at least 2 dims
   * @param a negative slope of the rectifier that follows
   * @return {@code tensor}
   */
  public static Tensor kaimingNormal(Tensor tensor, double a) {
    return kaimingNormal(tensor, a, "fan_in", "leaky_relu", Generator.defaultGenerator());
  }

  /**
   * {@code kaiming_normal_(tensor, a, mode, nonlinearity)}, default generator.
   *
   * @param tensor a weight of at least 2 dims
   * @param a negative slope of the rectifier (only read for {@code leaky_relu})
   * @param mode {@code "fan_in"} or {@code "fan_out"}
   * @param nonlinearity the {@code nn.functional} name of the nonlinearity that follows
   * @return {@code tensor}
   */
  public static Tensor kaimingNormal(Tensor tensor, double a, String mode, String nonlinearity) {
    return kaimingNormal(tensor, a, mode, nonlinearity, Generator.defaultGenerator());
  }

  /**
   * He normal initialisation ({@code kaiming_normal_}): {@code N(0, std^2)} with {@code std = gain
   * / sqrt(fan)}. A tensor with no elements is left alone.
   *
   * @param tensor a weight of at least 2 dims
   * @param a negative slope of the rectifier (only read for {@code leaky_relu})
   * @param mode {@code "fan_in"} or {@code "fan_out"}
   * @param nonlinearity the {@code nn.functional} name of the nonlinearity that follows
   * @param generator the random source
   * @return {@code tensor}
   * @throws IllegalArgumentException for a bad mode, nonlinearity, or fewer than 2 dims
   */
  public static Tensor kaimingNormal(
      Tensor tensor, double a, String mode, String nonlinearity, Generator generator) {
    if (tensor.numel() == 0) {
      return tensor; // PyTorch: "Initializing zero-element tensors is a no-op"
    }
    long fan = correctFan(tensor, mode);
    double gain = calculateGain(nonlinearity, a);
    double std = gain / Math.sqrt(fan);
    return normal(tensor, 0.0, std, generator);
  }

  // ---------------------------------------------------------------- helpers

  private static void checkFloating(String op, Tensor t) {
    if (!t.isFloatingPoint()) {
      String name =
          switch (t.dtype()) {
            case INT64 -> "Long";
            case BOOL -> "Bool";
            default -> t.dtype().torchName();
          };
      throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + name + "'");
    }
  }
}
