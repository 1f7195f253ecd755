package dev.jnn.backend.cuda;

import dev.jnn.core.DType;

/**
 * The cuDNN settings one convolution call runs under. {@link CudaNnKernels} reads the {@link
 * Cudnn} switches once per call and passes them to {@link Dnn}, whose implementations use what the
 * call carries instead of reading the switches themselves: so the emulated cuDNN of the tests
 * sees exactly what the real one would, and a test can check that a switch reached it.
 *
 * @param tf32 TF32 tensor-core math allowed (only ever true for float32)
 * @param benchmark choose algorithms by timing them ({@code cudnnFind*}) rather than by the
 *     {@code _v7} heuristics
 */
record ConvMode(boolean tf32, boolean benchmark) {
  /** The mode the {@link Cudnn} switches give a convolution of {@code dt} now. */
  static ConvMode current(DType dt) {
    return new ConvMode(dt == DType.FLOAT32 && Cudnn.isTf32Allowed(), Cudnn.isBenchmark());
  }
}
