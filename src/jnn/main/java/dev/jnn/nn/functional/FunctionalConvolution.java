package dev.jnn.nn.functional;

/**
 * {@link Functional}'s convolutions beyond {@code conv2d} ({@code torch.nn.functional}'s "Convolution functions": {@code conv1d}, {@code conv3d}, {@code conv_transpose1d/2d/3d}, {@code fold}, {@code unfold}), a section of its facade kept in its own file: call them as
 * {@code Functional.conv1d(...)}. The class is sealed and abstract: it exists only so that {@code Functional},
 * which extends it, stays readable by family, as Tensor's instance ops are grouped in its {@code
 * Tensor*} interfaces.
 */
public abstract sealed class FunctionalConvolution extends FunctionalLosses permits FunctionalPooling {
  FunctionalConvolution() {}
}
