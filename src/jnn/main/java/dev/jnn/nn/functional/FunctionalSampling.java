package dev.jnn.nn.functional;

/**
 * {@link Functional}'s resampling ({@code interpolate}, {@code grid_sample}, {@code affine_grid}) and {@code bilinear}, a section of its facade kept in its own file: call them as
 * {@code Functional.interpolate(...)}. The class is sealed and abstract: it exists only so that {@code Functional},
 * which extends it, stays readable by family, as Tensor's instance ops are grouped in its {@code
 * Tensor*} interfaces.
 */
public abstract sealed class FunctionalSampling extends FunctionalPooling permits Functional {
  FunctionalSampling() {}
}
