package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.Tensor;

/**
 * The parametric ReLU ({@code torch.nn.PReLU}): {@code x >= 0 ? x : a * x}, with a learnable
 * {@code a}: one shared by all channels, or one per channel ({@code numParameters} = the size of
 * the input's dim 1).
 *
 * <p>Shape: any; output the same shape. With {@code numParameters > 1} the input needs a dim 1 of
 * that size (a 0-dim or 1-dim input has one channel).
 *
 * <p>Parameter: {@code weight}, {@code [numParameters]}, filled with {@code init} (state-dict key
 * {@code "weight"}).
 *
 * <pre>{@code
 * PReLU act = new PReLU(3);   // PReLU(num_parameters=3)
 * Tensor y = act.call(Tensor.randn(2, 3, 4, 4));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.PReLU.html">torch.nn.PReLU</a>
 */
public final class PReLU extends Module {
  private final int numParameters;
  private final double init;

  /** {@code nn.PReLU()}: one parameter, 0.25. */
  public PReLU() {
    this(1, 0.25);
  }

  /** {@code nn.PReLU(num_parameters)}: initialised to 0.25. */
  public PReLU(int numParameters) {
    this(numParameters, 0.25);
  }

  /**
   * {@code nn.PReLU(num_parameters, init)}.
   *
   * @param numParameters 1, or the number of input channels
   * @param init the initial value of every weight
   */
  public PReLU(int numParameters, double init) {
    this(numParameters, init, DType.FLOAT32, Device.CPU);
  }

  /**
   * {@code nn.PReLU(num_parameters, init, device=device, dtype=dtype)}.
   *
   * @param numParameters 1, or the number of input channels
   * @param init the initial value of every weight
   * @param dtype the weight's dtype (floating)
   * @param device the weight's device
   */
  public PReLU(int numParameters, double init, DType dtype, Device device) {
    if (numParameters < 0) {
      throw new IllegalArgumentException("Trying to create tensor with negative dimension "
          + numParameters + ": [" + numParameters + "]");
    }
    this.numParameters = numParameters;
    this.init = init;
    registerParameter("weight", new Parameter(Tensor.empty(Shape.of(numParameters), dtype, device)));
    resetParameters();
  }

  /** Fills {@code weight} with {@code init} again. */
  public void resetParameters() {
    Init.constant(weight(), init);
  }

  /** {@code F.prelu(input, weight)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.prelu(input, weight());
  }

  /** {@code num_parameters=1}. */
  @Override
  protected String extraRepr() {
    return "num_parameters=" + numParameters;
  }

  /** The learnable slopes, {@code [numParameters]}. */
  public Parameter weight() {
    return (Parameter) getAttribute("weight");
  }

  /** {@code num_parameters}. */
  public int numParameters() {
    return numParameters;
  }

  /** {@code init}. */
  public double init() {
    return init;
  }
}
