package dev.jnn.tensor;

import static dev.jnn.tensor.Autograd.gradFor;
import static dev.jnn.tensor.Autograd.in;
import static dev.jnn.tensor.Autograd.record;

import dev.jnn.backend.GemmSpec;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import java.util.Arrays;

/**
 * Linear algebra: {@code matmul} with PyTorch's promotion and batch broadcasting over the back
 * end's batched GEMM, {@code mm}, {@code outer}, {@code tril}/{@code triu}. The public entry points
 * are {@link Tensor}'s methods of the same names (documented there).
 */
final class LinalgOps {
  private LinalgOps() {}

  static Tensor matmul(Tensor self, Tensor other) {
    Checks.checkSameDevice("matmul", self, other);
    if (self.dtype() != other.dtype()) {
      throw new IllegalArgumentException(
          "expected m1 and m2 to have the same dtype, but got: "
              + self.dtype().torchName()
              + " != "
              + other.dtype().torchName());
    }
    if (self.dim() == 0 || other.dim() == 0) {
      throw new IllegalArgumentException(
          "both arguments to matmul need to be at least 1D, but they are "
              + self.dim()
              + "D and "
              + other.dim()
              + "D");
    }
    if (self.dim() == 1 && other.dim() == 1) {
      if (self.size(0) != other.size(0)) {
        throw new ShapeMismatchException(
            "inconsistent tensor size, expected tensor [" + self.size(0) + "] and src ["
                + other.size(0) + "] to have the same number of elements, but got "
                + self.size(0) + " and " + other.size(0) + " elements respectively");
      }
      return self.unsqueeze(0).matmul(other.unsqueeze(1)).reshape();
    }
    if (self.dim() == 1) {
      return self.unsqueeze(0).matmul(other).squeeze(-2);
    }
    if (other.dim() == 1) {
      return self.matmul(other.unsqueeze(1)).squeeze(-1);
    }
    long m = self.size(-2);
    long k = self.size(-1);
    long k2 = other.size(-2);
    long n = other.size(-1);
    if (k != k2) {
      // PyTorch folds the batch dims of the first operand when the second is a matrix; for
      // batched-by-batched operands the matrices' own sizes are shown, with both full shapes
      String msg =
          other.dim() == 2
              ? "mat1 and mat2 shapes cannot be multiplied (" + shapeAs2d(self) + " and " + k2 + "x"
                  + n + ")"
              : "mat1 and mat2 shapes cannot be multiplied (" + m + "x" + k + " and " + k2 + "x" + n
                  + ") in batched matmul of " + self.shape + " and " + other.shape;
      throw new ShapeMismatchException(msg);
    }
    long[] ab = Arrays.copyOf(self.shape.dims(), self.dim() - 2);
    long[] bb = Arrays.copyOf(other.shape.dims(), other.dim() - 2);
    Shape batch = Shape.broadcast(Shape.of(ab), Shape.of(bb), "matmul batch dims");
    Tensor a = self;
    Tensor b = other;
    Tensor out = bmmRaw(a, b, batch, (int) m, (int) n, (int) k);
    return record("MmBackward0", out, in(a, b), in(a, b),
        g -> new Tensor[] {
          a.requiresGrad ? gradFor(g[0].matmul(b.transpose(-1, -2)), a) : null,
          b.requiresGrad ? gradFor(a.transpose(-1, -2).matmul(g[0]), b) : null
        });
  }

  private static String shapeAs2d(Tensor t) {
    return (t.numel() / t.size(-1)) + "x" + t.size(-1);
  }

  private static Tensor bmmRaw(Tensor a, Tensor b, Shape batch, int m, int n, int k) {
    long[] outDims = Arrays.copyOf(batch.dims(), batch.rank() + 2);
    outDims[batch.rank()] = m;
    outDims[batch.rank() + 1] = n;
    Shape outShape = Shape.of(outDims);
    Tensor out = Tensor.allocate(outShape, a.dtype(), a.device());
    int nb = Math.toIntExact(batch.numel());
    if (out.numel() == 0) {
      return out;
    }
    MatOperand pa = MatOperand.of(a, batch, m, k);
    MatOperand pb = MatOperand.of(b, batch, k, n);
    a.backend().gemm(
        new GemmSpec(pa.trans, pb.trans, nb, m, n, k,
            new GemmSpec.Operand(pa.off, pa.batchStride, pa.ld),
            new GemmSpec.Operand(pb.off, pb.batchStride, pb.ld),
            new GemmSpec.Operand(0, m * n, n), false),
        pa.t.storage.buffer(), pb.t.storage.buffer(), out.storage.buffer());
    return out;
  }

  /** A matrix operand prepared for GEMM: [batch, rows, cols] with row- or column-major layout. */
  private record MatOperand(Tensor t, boolean trans, int off, int batchStride, int ld) {
    static MatOperand of(Tensor x, Shape batch, int rows, int cols) {
      int r = x.dim();
      long rs = x.strides[r - 2];
      long cs = x.strides[r - 1];
      boolean sameBatch = x.dim() - 2 == batch.rank() && Arrays.equals(
          Arrays.copyOf(x.shape.dims(), r - 2), batch.dims());
      boolean batchOne = true;
      for (int i = 0; i < r - 2; i++) {
        if (x.shape.get(i) != 1) {
          batchOne = false;
        }
      }
      // a single matrix broadcast over the batch: stride 0
      if (batchOne || (sameBatch && r == 2)) {
        if (cs == 1 && (rs >= cols || rows == 1)) {
          return new MatOperand(x, false, (int) x.offset, 0, (int) Math.max(rs, cols));
        }
        if (rs == 1 && (cs >= rows || cols == 1)) {
          return new MatOperand(x, true, (int) x.offset, 0, (int) Math.max(cs, rows));
        }
      }
      Tensor c = x;
      if (!sameBatch) {
        long[] dims = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        dims[batch.rank()] = rows;
        dims[batch.rank() + 1] = cols;
        c = x.expand(dims);
      }
      // contiguous [batch, rows, cols] or its transpose in the last two dims
      Tensor ct = ViewOps.transposeRaw(c, -1, -2);
      if (ct.isContiguous()) {
        return new MatOperand(ct, true, (int) ct.offset, rows * cols, rows);
      }
      if (!c.isContiguous()) {
        c = ViewOps.contiguousRaw(c);
      }
      return new MatOperand(c, false, (int) c.offset, rows * cols, cols);
    }
  }

  static Tensor mm(Tensor self, Tensor other) {
    if (self.dim() != 2 || other.dim() != 2) {
      throw new IllegalArgumentException(
          (self.dim() != 2 ? "self" : "mat2") + " must be a matrix (got "
              + (self.dim() != 2 ? self.dim() : other.dim()) + "-D)");
    }
    return self.matmul(other);
  }

  static Tensor outer(Tensor self, Tensor other) {
    if (self.dim() != 1) {
      throw new IllegalArgumentException(
          "outer: Expected 1-D argument self, but got " + self.dim() + "-D");
    }
    if (other.dim() != 1) {
      throw new IllegalArgumentException(
          "outer: Expected 1-D argument vec2, but got " + other.dim() + "-D");
    }
    return self.unsqueeze(1).mul(other.unsqueeze(0));
  }

  static Tensor tril(Tensor self, int diagonal) {
    return triangle(self, diagonal, true);
  }

  static Tensor triu(Tensor self, int diagonal) {
    return triangle(self, diagonal, false);
  }

  private static Tensor triangle(Tensor self, long diagonal, boolean lower) {
    if (self.dim() == 0) {
      throw new IndexOutOfBoundsException("Dimension specified as -2 but tensor has no dimensions");
    }
    Shape.normalizeDim(-2, self.dim()); // PyTorch's error for a 1-d input
    int rows = (int) self.size(self.dim() - 2);
    int cols = (int) self.size(self.dim() - 1);
    boolean[] m = new boolean[Math.multiplyExact(rows, cols)];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[i * cols + j] = lower ? j - i <= diagonal : j - i >= diagonal;
      }
    }
    Tensor mask = Tensor.fromArray(m, rows, cols).to(self.device());
    return Tensor.where(mask, self, Tensor.scalar(0, self.dtype(), self.device()));
  }
}
