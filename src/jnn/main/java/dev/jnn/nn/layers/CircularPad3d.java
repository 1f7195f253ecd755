package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.CircularPad3d} (PyTorch 2.1's module; {@code F.pad(mode="circular")} is
 * 1.13's): pads the last 3 dims with the input's values wrapped around (the far end's values
 * before the start, the start's after the end); {@code F.pad(input, padding, "circular")}.
 *
 * <p>Shape: {@code [N, C, D, H, W] or [C, D, H, W]}; each padded dim grows by its two amounts.
 * Other ranks are refused before padding: {@code expected 4D or 5D input (got ND input)}.
 *
 * <pre>{@code
 * CircularPad3d m = new CircularPad3d(1);   // CircularPad3d((1, 1, 1, 1, 1, 1))
 * Tensor y = m.call(Tensor.randn(1, 1, 2, 2, 2));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/2.1/generated/torch.nn.CircularPad3d.html">torch.nn.CircularPad3d</a>
 */
public final class CircularPad3d extends PadNd {
  /**
   * {@code nn.CircularPad3d(padding)}: the same amount on every side.
   *
   * @param padding the amount on each side
   */
  public CircularPad3d(int padding) {
    super(3, repeat(3, padding), "circular", 0.0);
  }

  /**
   * {@code nn.CircularPad3d((left, right, top, bottom, front, back))}.
   *
   * @param padding {@code {left, right, top, bottom, front, back}}
   * @throws IllegalArgumentException unless there are 6 amounts
   */
  public CircularPad3d(int[] padding) {
    super(3, padding, "circular", 0.0);
  }

  /** 2.1's {@code _check_input_dim}: {@code expected 4D or 5D input (got ND input)}. */
  @Override
  void checkInputDim(Tensor input) {
    if (input.dim() != 4 && input.dim() != 5) {
      throw new IllegalArgumentException(
          "expected 4D or 5D input (got " + input.dim() + "D input)");
    }
  }
}
