package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;

/**
 * A 3-D convolution ({@code torch.nn.Conv3d}): {@code out(N_i, C_out_j) = bias(C_out_j) + sum_{k
 * < C_in / groups} xcorr(weight(C_out_j, k), input(N_i, k))} with the layer's stride, padding
 * (numeric, {@code "same"} or {@code "valid"}; zeros or the padding mode's values) and dilation.
 *
 * <p>Shape: input {@code [N, C_in, D, H, W]} or unbatched {@code [C_in, D, H, W]}; output {@code [N, C_out, D_out, H_out, W_out]}
 * with {@code O = floor((I + 2 * padding - dilation * (kernel_size - 1) - 1) / stride + 1)} per
 * spatial dim.
 *
 * <p>An unbatched input with {@code padding_mode="circular"} runs as in PyTorch 2.x (1.13's
 * {@code F.pad} rejects circular padding of an unbatched input: {@code Invalid padding size}).
 *
 * <p>Parameters: {@code weight} {@code [C_out, C_in / groups, kD, kH, kW]} and {@code bias} {@code
 * [C_out]} (absent with {@code bias(false)}), both from {@code U(-sqrt(k), sqrt(k))} with {@code k
 * = groups / (C_in * prod(kernel_size))}, as in PyTorch.
 *
 * <pre>{@code
 * Conv3d m = Conv3d.builder(16, 33, 3).stride(2).build();   // Conv3d(16, 33, kernel_size=(3, 3, 3), stride=(2, 2, 2))
 * Tensor y = m.call(Tensor.randn(20, 16, 10, 50, 100));
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Conv3d.html">torch.nn.Conv3d</a>
 */
public final class Conv3d extends ConvNd {

  /**
   * {@code nn.Conv3d(inChannels, outChannels, kernelSize)}: stride 1, no padding, with bias.
   *
   * @param inChannels channels of the input
   * @param outChannels channels produced
   * @param kernelSize the kernel's size in every spatial dim
   */
  public Conv3d(int inChannels, int outChannels, int kernelSize) {
    this(builder(inChannels, outChannels, kernelSize));
  }

  /**
   * {@code nn.Conv3d(inChannels, outChannels, kernelSize, stride, padding)}, PyTorch's common
   * positional form.
   *
   * @param inChannels channels of the input
   * @param outChannels channels produced
   * @param kernelSize the kernel's size in every spatial dim
   * @param stride the stride in every spatial dim
   * @param padding the padding in every spatial dim
   */
  public Conv3d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
  }

  private Conv3d(ConvBuilder<Conv3d> b) {
    super(b, "Conv3d");
  }

  /**
   * A builder for the options beyond the short constructor.
   *
   * @param inChannels channels of the input
   * @param outChannels channels produced
   * @param kernelSize one value (every spatial dim) or 3 ({@code kD, kH, kW})
   * @return a builder with PyTorch's defaults
   */
  public static ConvBuilder<Conv3d> builder(int inChannels, int outChannels, int... kernelSize) {
    return new ConvBuilder<>(3, false, inChannels, outChannels, kernelSize, Conv3d::new);
  }

  /**
   * Convolves {@code input} ({@code [N, C_in, D, H, W]} or {@code [C_in, D, H, W]}) with the layer's weight.
   *
   * @throws IllegalArgumentException with PyTorch's messages for a wrong rank or channel count
   */
  @Override
  public Tensor forward(Tensor input) {
    return convForward(input);
  }
}
