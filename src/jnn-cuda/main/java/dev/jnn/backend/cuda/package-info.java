/**
 * The CUDA back end: JCuda 12.6 driver API, cuBLAS through JCublas2 12.6 and cuDNN through JCudnn
 * 11.7 (with forwarding shims onto cuBLAS 13 / cuDNN 9 where those are installed), plus jnn's own
 * kernels ({@code native-kernels/*.cu}, shipped as a fatbin and as PTX).
 *
 * <p>Public entry points: {@link dev.jnn.backend.cuda.Cuda} (availability, devices, memory
 * statistics, synchronisation), {@link dev.jnn.backend.cuda.Cudnn} and {@link
 * dev.jnn.backend.cuda.Cublas} (algorithm and math-mode switches). Tensors reach the back end
 * through {@code Backends.forDevice(Device.cuda(i))}, found by {@link java.util.ServiceLoader}
 * ({@link dev.jnn.backend.cuda.CudaProvider}).
 *
 * <p>Only this package imports {@code jcuda.*}, and only in the classes whose names start with
 * {@code JCuda}/{@code JCublas}/{@code JCudnn} plus {@link dev.jnn.backend.cuda.NativeSetup} and
 * {@code DevicePointers}: everything else works on plain {@code long} device addresses through
 * the package-private {@code DeviceApi}, {@code Blas} and {@code Dnn} interfaces, which is what lets
 * the unit tests run the whole back end against a CPU emulation of the kernels.
 *
 * <p>Execution model: one stream per device per thread, cuBLAS and cuDNN handles per stream, all
 * work asynchronous on that stream; host reads ({@code item()}, {@code toFloatArray()}, {@code
 * cpu()}) and {@link dev.jnn.backend.cuda.Cuda#synchronize()} wait for it. Data-dependent errors
 * of kernels (an index out of range) surface at the next host read.
 */
package dev.jnn.backend.cuda;
