package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.CircularPad1d} (PyTorch 2.1's module; {@code F.pad(mode="circular")} is
 * 1.13's): pads the last 1 dim with the input's values wrapped around (the far end's values
 * before the start, the start's after the end); {@code F.pad(input, padding, "circular")}.
 *
 * <p>Shape: {@code [N, C, W] or [C, W]}; each padded dim grows by its two amounts. Other ranks
 * are refused before padding: {@code expected 2D or 3D input (got ND input)}.
 *
 * <pre>{@code
 * CircularPad1d m = new CircularPad1d(2);   // CircularPad1d((2, 2))
 * Tensor y = m.call(Tensor.randn(1, 2, 4));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/2.1/generated/torch.nn.CircularPad1d.html">torch.nn.CircularPad1d</a>
 */
public final class CircularPad1d extends PadNd {
  /**
   * {@code nn.CircularPad1d(padding)}: the same amount on every side.
   *
   * @param padding the amount on each side
   */
  public CircularPad1d(int padding) {
    super(1, repeat(1, padding), "circular", 0.0);
  }

  /**
   * {@code nn.CircularPad1d((left, right))}.
   *
   * @param padding {@code {left, right}}
   * @throws IllegalArgumentException unless there are 2 amounts
   */
  public CircularPad1d(int[] padding) {
    super(1, padding, "circular", 0.0);
  }

  /** 2.1's {@code _check_input_dim}: {@code expected 2D or 3D input (got ND input)}. */
  @Override
  void checkInputDim(Tensor input) {
    if (input.dim() != 2 && input.dim() != 3) {
      throw new IllegalArgumentException(
          "expected 2D or 3D input (got " + input.dim() + "D input)");
    }
  }
}
