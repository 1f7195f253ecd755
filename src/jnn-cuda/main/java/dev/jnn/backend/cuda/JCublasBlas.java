package dev.jnn.backend.cuda;

import dev.jnn.core.DType;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * {@link Blas} on cuBLAS through JCublas2 12.6 (directly on cuBLAS 12, through the {@code
 * libcublas.so.12} shim on cuBLAS 13). One handle per thread context, bound to its stream; the
 * math mode follows the {@code tf32} flag each call carries (the caller's reading of {@link
 * Cublas#allowTf32(boolean)}; default: strict fp32, as PyTorch's matmul).
 */
final class JCublasBlas implements Blas {
  private final JCudaDeviceApi api;
  private final String version;

  /** Per-context state kept in {@link ThreadContext#blasHandle}. */
  private static final class Handle {
    final cublasHandle handle;
    int mathMode = -1;

    Handle(cublasHandle handle) {
      this.handle = handle;
    }
  }

  JCublasBlas(JCudaDeviceApi api, String version) {
    this.api = api;
    this.version = version;
  }

  static void check(int r, String what) {
    if (r != cublasStatus.CUBLAS_STATUS_SUCCESS) {
      throw new CudaException(what + " failed: " + cublasStatus.stringFor(r) + " (" + r + ")");
    }
  }

  private Handle handle(ThreadContext ctx, boolean tf32) {
    Handle h = (Handle) ctx.blasHandle;
    if (h == null) {
      cublasHandle ch = new cublasHandle();
      check(JCublas2.cublasCreate(ch), "cublasCreate");
      check(JCublas2.cublasSetStream(ch, new cudaStream_t(api.stream(ctx.stream))), "cublasSetStream");
      h = new Handle(ch);
      ctx.blasHandle = h;
    }
    int mode = tf32 ? cublasMath.CUBLAS_TF32_TENSOR_OP_MATH : cublasMath.CUBLAS_DEFAULT_MATH;
    if (h.mathMode != mode) {
      check(JCublas2.cublasSetMathMode(h.handle, mode), "cublasSetMathMode");
      h.mathMode = mode;
    }
    return h;
  }

  @Override
  public void gemm(
      ThreadContext ctx, DType dtype, boolean tf32, boolean transA, boolean transB, int m, int n,
      int k, long a, int lda, long strideA, long b, int ldb, long strideB, double beta, long c,
      int ldc, long strideC, int batch) {
    Handle h = handle(ctx, tf32 && dtype == DType.FLOAT32);
    int opA = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
    int opB = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
    Pointer pa = DevicePointers.of(a);
    Pointer pb = DevicePointers.of(b);
    Pointer pc = DevicePointers.of(c);
    if (dtype == DType.FLOAT32) {
      Pointer alpha = Pointer.to(new float[] {1f});
      Pointer bt = Pointer.to(new float[] {(float) beta});
      if (batch == 1) {
        check(JCublas2.cublasSgemm(h.handle, opA, opB, m, n, k, alpha, pa, lda, pb, ldb, bt, pc, ldc),
            "cublasSgemm");
      } else {
        check(JCublas2.cublasSgemmStridedBatched(h.handle, opA, opB, m, n, k, alpha, pa, lda, strideA,
            pb, ldb, strideB, bt, pc, ldc, strideC, batch), "cublasSgemmStridedBatched");
      }
    } else if (dtype == DType.FLOAT64) {
      Pointer alpha = Pointer.to(new double[] {1.0});
      Pointer bt = Pointer.to(new double[] {beta});
      if (batch == 1) {
        check(JCublas2.cublasDgemm(h.handle, opA, opB, m, n, k, alpha, pa, lda, pb, ldb, bt, pc, ldc),
            "cublasDgemm");
      } else {
        check(JCublas2.cublasDgemmStridedBatched(h.handle, opA, opB, m, n, k, alpha, pa, lda, strideA,
            pb, ldb, strideB, bt, pc, ldc, strideC, batch), "cublasDgemmStridedBatched");
      }
    } else {
      throw new IllegalArgumentException("cuBLAS GEMM for " + dtype);
    }
  }

  @Override
  public String describe() {
    return "cuBLAS " + version + (Cublas.isTf32Allowed() ? ", TF32 allowed" : ", strict fp32");
  }
}
