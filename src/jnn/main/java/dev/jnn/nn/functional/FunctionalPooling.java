package dev.jnn.nn.functional;

/**
 * {@link Functional}'s pooling beyond the 2-D max, average and adaptive average pools ({@code torch.nn.functional}'s "Pooling functions"), a section of its facade kept in its own file: call them as
 * {@code Functional.maxPool1d(...)}. The class is sealed and abstract: it exists only so that {@code Functional},
 * which extends it, stays readable by family, as Tensor's instance ops are grouped in its {@code
 * Tensor*} interfaces.
 */
public abstract sealed class FunctionalPooling extends FunctionalConvolution permits FunctionalSampling {
  FunctionalPooling() {}
}
