/** {@link dev.jnn.tensor.Tensor}: device-tagged, strided, reference-counted arrays with autograd. */
package dev.jnn.tensor;
