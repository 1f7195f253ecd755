/** Reverse-mode automatic differentiation: graph nodes, the engine, {@link dev.jnn.autograd.NoGrad} and {@link dev.jnn.autograd.GradCheck}. */
package dev.jnn.autograd;
