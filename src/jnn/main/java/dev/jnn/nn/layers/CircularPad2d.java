package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.CircularPad2d} (PyTorch 2.1's module; {@code F.pad(mode="circular")} is
 * 1.13's): pads the last 2 dims with the input's values wrapped around (the far end's values
 * before the start, the start's after the end); {@code F.pad(input, padding, "circular")}.
 *
 * <p>Shape: {@code [N, C, H, W] or [C, H, W]}; each padded dim grows by its two amounts. Other
 * ranks are refused before padding: {@code expected 3D or 4D input (got ND input)}.
 *
 * <pre>{@code
 * CircularPad2d m = new CircularPad2d(2);   // CircularPad2d((2, 2, 2, 2))
 * Tensor y = m.call(Tensor.randn(1, 1, 3, 3));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/2.1/generated/torch.nn.CircularPad2d.html">torch.nn.CircularPad2d</a>
 */
public final class CircularPad2d extends PadNd {
  /**
   * {@code nn.CircularPad2d(padding)}: the same amount on every side.
   *
   * @param padding the amount on each side
   */
  public CircularPad2d(int padding) {
    super(2, repeat(2, padding), "circular", 0.0);
  }

  /**
   * {@code nn.CircularPad2d((left, right, top, bottom))}.
   *
   * @param padding {@code {left, right, top, bottom}}
   * @throws IllegalArgumentException unless there are 4 amounts
   */
  public CircularPad2d(int[] padding) {
    super(2, padding, "circular", 0.0);
  }

  /** 2.1's {@code _check_input_dim}: {@code expected 3D or 4D input (got ND input)}. */
  @Override
  void checkInputDim(Tensor input) {
    if (input.dim() != 3 && input.dim() != 4) {
      throw new IllegalArgumentException(
          "expected 3D or 4D input (got " + input.dim() + "D input)");
    }
  }
}
