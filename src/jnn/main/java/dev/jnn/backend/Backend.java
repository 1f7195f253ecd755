package dev.jnn.backend;

import dev.jnn.core.DType;
import dev.jnn.core.Device;

/**
 * The service-provider interface every device type implements. Ops take {@link View}s and
 * buffers, never tensors; outputs are contiguous buffers of the documented shape allocated by the
 * caller with {@link #allocate}. Back ends are found through {@link Backends}.
 */
public interface Backend {
  /** The device type served. */
  Device.Type type();

  /** A zero-filled buffer on {@code device}. */
  Buffer allocate(Device device, DType dtype, long numel);

  /**
   * A buffer whose contents are unspecified, for an output the caller overwrites entirely before
   * reading it (saves zeroing a recycled buffer). Defaults to {@link #allocate}.
   */
  default Buffer allocateUninitialized(Device device, DType dtype, long numel) {
    return allocate(device, dtype, numel);
  }

  /**
   * One SGD update of a contiguous parameter in place, fused into a single pass ({@code
   * torch.optim.SGD}'s single-tensor arithmetic, each operation rounded to the parameter's dtype in
   * the same order, so the result is identical to the unfused ops). {@code buf} (the momentum
   * buffer, same shape) is read and written when {@code momentum != 0}; with {@code firstStep} it
   * is set to the (decayed) gradient instead. Returns false when this back end has no fused kernel
   * for these views (the caller then runs the unfused ops).
   */
  default boolean sgdStep(
      View param, View grad, View buf, double lr, double momentum, double dampening,
      double weightDecay, boolean nesterov, boolean maximize, boolean firstStep) {
    return false;
  }

  /**
   * One Adam / AdamW update of a contiguous parameter in place, fused into a single pass ({@code
   * torch.optim.Adam}'s single-tensor arithmetic as {@code dev.jnn.optim.Adam} writes it with
   * tensor ops, each operation rounded to the parameter's dtype in the same order, so the result
   * is identical to the unfused ops). Updates {@code expAvg}, {@code expAvgSq} and, with {@code
   * amsgrad}, {@code maxExpAvgSq} (all of the parameter's shape and dtype). {@code stepSize} is
   * {@code lr / (1 - beta1^step)} and {@code bc2Sqrt} is {@code sqrt(1 - beta2^step)}; {@code
   * decoupled} selects AdamW's decay ({@code p *= 1 - lr * weightDecay}) over Adam's L2 term.
   * Returns false when this back end has no fused kernel for these views.
   */
  default boolean adamStep(
      View param, View grad, View expAvg, View expAvgSq, View maxExpAvgSq, double lr,
      double beta1, double beta2, double eps, double weightDecay, double stepSize, double bc2Sqrt,
      boolean amsgrad, boolean maximize, boolean decoupled) {
    return false;
  }

  /**
   * Fills the contiguous floating view {@code out} with a dropout mask: element {@code i} is
   * {@code scale} when kept and 0 when dropped, the decision being {@link Philox}'s for ({@code
   * seed}, {@code i}) with drop probability {@code p}. Every back end produces the same mask.
   */
  void dropoutMask(View out, double p, double scale, long seed);

  /**
   * {@code out[c] = sum over r < rows of x[offset + r * cols + c]} for {@code c < cols}: the sum
   * over the leading dims of a contiguous tensor (a bias gradient). Returns false when this back
   * end has no kernel for it (the caller then reduces a transposed copy).
   */
  default boolean sumLeading(Buffer x, int offset, int rows, int cols, Buffer out) {
    return false;
  }

  /** Copies a host buffer's contents to a new buffer on {@code device}. */
  Buffer upload(Device device, HostBuffer host);

  /** Copies {@code src} (any device of this type) into a new host buffer, contiguous. */
  HostBuffer download(View src);

  /** Strided copy with dtype conversion; both views have the same shape. */
  void copy(View src, View dst);

  /** Fills every element of {@code dst} with {@code value} (cast to its dtype). */
  void fill(View dst, double value);

  /** {@code out = op(x)} element-wise; {@code out} has {@code x}'s shape and dtype (may alias x). */
  void unary(UnaryOp op, View x, View out, double p0, double p1);

  /**
   * {@code out = op(a, b)}; {@code a}, {@code b} already broadcast (stride 0) to {@code out}'s
   * shape {@code a.shape()}; both have the compute dtype; {@code out} has that shape (bool for
   * comparisons) and may alias {@code a} exactly (in-place ops).
   */
  void binary(BinaryOp op, View a, View b, View out);

  /** {@code out = cond ? a : b}, all views broadcast to one shape. */
  void where(View cond, View a, View b, View out);

  /**
   * Reduces a contiguous {@code [outer, inner]} block along {@code inner}: {@code out[i] =
   * op(x[i, :])}. For ARGMAX/ARGMIN {@code out} is int64.
   */
  void reduce(ReduceOp op, Buffer x, int xOffset, int outer, int inner, Buffer out);

  /**
   * Batched row-major GEMM: for each batch {@code i}: {@code C_i = op(A_i) op(B_i) (+ C_i when
   * accumulate)}; {@code A_i} at {@code aOff + i * aBatchStride} (stride 0 = shared).
   */
  void gemm(
      boolean transA,
      boolean transB,
      int batch,
      int m,
      int n,
      int k,
      Buffer a,
      int aOff,
      int aBatchStride,
      int lda,
      Buffer b,
      int bOff,
      int bBatchStride,
      int ldb,
      Buffer c,
      int cOff,
      int cBatchStride,
      int ldc,
      boolean accumulate);

  /**
   * {@code out[..., i, ...] = x[..., index[i], ...]} along {@code dim}; out is contiguous with
   * x's shape except {@code shape[dim] = index.numel()}.
   */
  void indexSelect(View x, int dim, View index, Buffer out);

  /** {@code target[..., index[i], ...] += src[..., i, ...]} along {@code dim}; target contiguous. */
  void indexAdd(Buffer target, int[] targetShape, int dim, View index, View src);

  /** {@code out[i][j][k] = x[i][index[i][j][k]][k]} (dim = 1 case), general rank; out contiguous. */
  void gather(View x, int dim, View index, Buffer out);

  /** {@code target[i][index[i][j][k]][k] += src[i][j][k]} (dim = 1 case); target contiguous. */
  void scatterAdd(Buffer target, int[] targetShape, int dim, View index, View src);

  /** The neural-network kernels (convolution, pooling, normalisation, losses) of this back end. */
  NnKernels nn();
}
