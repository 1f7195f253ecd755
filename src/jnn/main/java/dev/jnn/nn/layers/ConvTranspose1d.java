package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A 1-D transposed convolution ({@code torch.nn.ConvTranspose1d}), the gradient of {@code Conv1d}
 * with respect to its input (sometimes called a fractionally-strided convolution or a
 * "deconvolution"). {@code padding} removes {@code dilation * (kernel_size - 1) - padding} of the
 * implicit zero padding from both sides; {@code output_padding} adds to one side of the output to
 * resolve the ambiguity of strided shapes (or give {@code output_size} to {@link #forward(Tensor,
 * int...)}). Only {@code padding_mode="zeros"} is supported, as in PyTorch.
 *
 * <p>Shape: input {@code [N, C_in, L]} or unbatched {@code [C_in, L]}; output {@code [N, C_out, L_out]}
 * with {@code O = (I - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding +
 * 1} per spatial dim.
 *
 * <p>Parameters: {@code weight} {@code [C_in, C_out / groups, k]} and {@code bias} {@code
 * [C_out]}, both from {@code U(-sqrt(k), sqrt(k))} with {@code k = groups / (C_out *
 * prod(kernel_size))}, as in PyTorch.
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ConvTranspose1d.html">torch.nn.ConvTranspose1d</a>
 */
public final class ConvTranspose1d extends ConvNd {
  private static final ForwardArgs ARGS = new ForwardArgs("forward()", 1, "input", "output_size");

  /**
   * {@code nn.ConvTranspose1d(inChannels, outChannels, kernelSize)}: stride 1, no padding, with bias.
   *
   * @param inChannels channels of the input
   * @param outChannels channels produced
   * @param kernelSize the kernel's size in every spatial dim
   */
  public ConvTranspose1d(int inChannels, int outChannels, int kernelSize) {
    this(builder(inChannels, outChannels, kernelSize));
  }

  /**
   * {@code nn.ConvTranspose1d(inChannels, outChannels, kernelSize, stride, padding)}, PyTorch's common
   * positional form.
   *
   * @param inChannels channels of the input
   * @param outChannels channels produced
   * @param kernelSize the kernel's size in every spatial dim
   * @param stride the stride in every spatial dim
   * @param padding the padding in every spatial dim
   */
  public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
  }

  private ConvTranspose1d(ConvBuilder<ConvTranspose1d> b) {
    super(b, "ConvTranspose1d");
  }

  /**
   * A builder for the options beyond the short constructor ({@code output_padding} included).
   *
   * @param inChannels channels of the input
   * @param outChannels channels produced
   * @param kernelSize one value (every spatial dim) or 1 ({@code k})
   * @return a builder with PyTorch's defaults
   */
  public static ConvBuilder<ConvTranspose1d> builder(int inChannels, int outChannels, int... kernelSize) {
    return new ConvBuilder<>(1, true, inChannels, outChannels, kernelSize, ConvTranspose1d::new);
  }

  /**
   * The transposed convolution of {@code input} ({@code [N, C_in, L]} or {@code [C_in, L]}) with
   * the layer's {@code output_padding}.
   */
  @Override
  public Tensor forward(Tensor input) {
    return transposedForward(input, null);
  }

  /**
   * {@code forward(input, output_size)}: the output padding that gives {@code outputSize} (1
   * spatial sizes, or the whole output shape with batch and channel dims) instead of the layer's.
   *
   * @param input the input
   * @param outputSize the requested output size, or null for the layer's {@code output_padding}
   * @return the transposed convolution
   * @throws IllegalArgumentException PyTorch's {@code requested an output size of ..., but valid
   *     sizes range from ... to ...} for a size no output padding reaches
   */
  public Tensor forward(Tensor input, int... outputSize) {
    return transposedForward(input, outputSize);
  }

  /** {@code module(input, output_size=...)}: the keyword form of {@link #forward(Tensor, int...)}. */
  @Override
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    Object[] v = ARGS.bind(args, kwargs);
    return transposedForward((Tensor) v[0], outputSize(v[1]));
  }
}
