/** Reverse-mode automatic differentiation: graph nodes, the engine, {@link dev.jnn.autograd.NoGrad}, {@link dev.jnn.autograd.GradCheck} and {@link dev.jnn.autograd.Function}, the extension point for user-defined differentiable functions. */
package dev.jnn.autograd;
