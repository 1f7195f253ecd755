package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;

/**
 * PyTorch's {@code torch.nn.modules.linear.NonDynamicallyQuantizableLinear}: a {@link Linear} under
 * another name, which {@link MultiheadAttention} uses for {@code out_proj} (PyTorch keeps it so that
 * quantization tooling can tell that projection apart). Same parameters, initialisation, forward
 * and state-dict keys as {@code Linear}; its repr reads {@code
 * NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)}.
 */
public final class NonDynamicallyQuantizableLinear extends Linear {
  /** {@code NonDynamicallyQuantizableLinear(inFeatures, outFeatures)}, with bias, float32 on the CPU. */
  public NonDynamicallyQuantizableLinear(int inFeatures, int outFeatures) {
    this(inFeatures, outFeatures, true, Device.CPU, DType.FLOAT32);
  }

  /**
   * {@code NonDynamicallyQuantizableLinear(in_features, out_features, bias, device, dtype)}.
   *
   * @param inFeatures size of each input sample
   * @param outFeatures size of each output sample
   * @param bias whether to add a learnable bias
   * @param device where the parameters live
   * @param dtype the parameters' dtype
   */
  public NonDynamicallyQuantizableLinear(
      int inFeatures, int outFeatures, boolean bias, Device device, DType dtype) {
    super(inFeatures, outFeatures, bias, device, dtype);
  }
}
