package dev.jnn.backend;

import dev.jnn.core.Device;
import java.util.Optional;

/**
 * What a back end provides for one device type: the SPI families. The families every tensor op
 * uses ({@link MemoryOps}, {@link ElementwiseKernels}, {@link ReduceKernels}, {@link BlasKernels},
 * {@link IndexKernels}) are methods of the back end itself; the neural-network families are handed
 * out by accessors ({@link #conv()}, {@link #pool()}, {@link #norm()}, {@link #softmax()}, {@link
 * #loss()}, {@link #rnn()}, {@link #sample()}), and the fused optimizer steps are optional ({@link #optim()}). Ops
 * take {@link View}s, buffers and small parameter records, never tensors; outputs are contiguous
 * buffers of the documented shape allocated by the caller with {@link #allocate}. Back ends are found through
 * {@link Backends} ({@link java.util.ServiceLoader}, {@link BackendProvider}).
 */
public interface Backend
    extends MemoryOps, ElementwiseKernels, ReduceKernels, BlasKernels, IndexKernels {
  /** The device type served. */
  Device.Type type();

  /** The convolution kernels. */
  ConvKernels conv();

  /** The pooling kernels. */
  PoolKernels pool();

  /** The normalisation kernels. */
  NormKernels norm();

  /** The softmax kernels. */
  SoftmaxKernels softmax();

  /** The loss kernels. */
  LossKernels loss();

  /** The fused recurrent-cell kernels (the point-wise part of an LSTM or GRU step). */
  RnnKernels rnn();

  /** The resampling kernels ({@code F.interpolate}, {@code F.grid_sample}). */
  SampleKernels sample();

  /** The fused optimizer steps, when this back end has them (callers run the unfused ops else). */
  default Optional<OptimKernels> optim() {
    return Optional.empty();
  }
}
