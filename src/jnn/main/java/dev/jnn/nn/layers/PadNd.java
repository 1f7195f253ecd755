package dev.jnn.nn.layers;

import dev.jnn.core.Py;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * What the padding layers share (PyTorch's {@code _ConstantPadNd}, {@code _ReflectionPadNd},
 * {@code _ReplicationPadNd} and 2.1's {@code _CircularPadNd}): the padding, expanded from one int
 * to {@code 2 * k} ints as PyTorch's {@code _pair}/{@code _quadruple}/{@code _ntuple(6)} do, and a
 * forward that is {@code F.pad(input, padding, mode, value)}.
 *
 * <p>One departure from PyTorch: a padding array of the wrong length is refused at construction
 * ({@code ReflectionPad2d: padding must be one int or 4 ints, got (1, 2)}); PyTorch keeps such a
 * tuple and fails in the first forward.
 */
abstract class PadNd extends Module {
  private final int[] padding;
  private final String mode;
  private final double value;

  PadNd(int k, int[] padding, String mode, double value) {
    if (padding.length != 2 * k) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ": padding must be one int or " + (2 * k) + " ints, got "
              + Py.tuple(padding));
    }
    this.padding = padding.clone();
    this.mode = mode;
    this.value = value;
  }

  /** {@code n} repeated {@code 2 * k} times. */
  static int[] repeat(int k, int n) {
    int[] p = new int[2 * k];
    java.util.Arrays.fill(p, n);
    return p;
  }

  /** {@code F.pad(input, padding, mode, value)}. */
  @Override
  public Tensor forward(Tensor input) {
    checkInputDim(input);
    return Functional.pad(input, padding, mode, value);
  }

  /** A rank check before {@code F.pad}; none by default (PyTorch's reflect/replicate/constant). */
  void checkInputDim(Tensor input) {}

  /** {@code (1, 1, 2, 0)}: the padding tuple (constant padding adds its value). */
  @Override
  protected String extraRepr() {
    return Py.tuple(padding);
  }

  /** {@code padding=(2, 2), value=3.5}: the constant padding layers' repr. */
  String constantRepr() {
    return "padding=" + Py.tuple(padding) + ", value=" + Py.floatRepr(value);
  }

  /** The fill value (constant padding; 0 otherwise). */
  double fillValue() {
    return value;
  }

  /** {@code padding}: (left, right[, top, bottom[, front, back]]), a copy. */
  public int[] padding() {
    return padding.clone();
  }
}
