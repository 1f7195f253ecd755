package dev.jnn.tensor;

import dev.jnn.core.Shape;
import java.util.Arrays;

/**
 * {@code torch.norm} with a string {@code p} (issue 17 item 7), following PyTorch 1.13's
 * torch/functional.py and {@code frobenius_norm}: {@code "fro"} over no dim or one dim is the
 * 2-norm ({@link StatOps#norm}, {@code NormBackward1}); over two dims it is {@code sqrt(sum(x *
 * x, dims))} ({@code SqrtBackward0}); more than two dims raise. {@code "nuc"} (the nuclear norm,
 * a sum of singular values) is not implemented: jnn has no SVD. Its argument checks are PyTorch's,
 * then it raises an {@link UnsupportedOperationException} naming the op.
 */
final class MatrixNormOps {
  private MatrixNormOps() {}

  static Tensor norm(Tensor x, String p, int[] dims, boolean keepdim) {
    if ("fro".equals(p)) {
      return frobenius(x, dims == null ? new int[0] : dims, keepdim);
    }
    if ("nuc".equals(p)) {
      if (dims == null) {
        if (x.dim() != 2) {
          throw new IllegalArgumentException("Expected a tensor with 2 dimensions, but got a tensor"
              + " with " + x.dim() + " dimension" + (x.dim() == 1 ? "" : "s") + " instead.");
        }
      } else if (dims.length != 2) {
        throw new IllegalArgumentException("nuclear norm requires a 'dim' argument of size 2");
      }
      throw new UnsupportedOperationException(
          "norm(p='nuc'): the nuclear norm (a sum of singular values) is not supported by jnn,"
              + " which has no singular value decomposition");
    }
    throw new IllegalArgumentException(
        "only valid string values are 'fro' and 'nuc', found " + p);
  }

  private static Tensor frobenius(Tensor x, int[] dims, boolean keepdim) {
    if (dims.length > 2) {
      throw new IllegalArgumentException(
          "Expected at most 2 dimensions, but got " + dims.length + " dimensions instead.");
    }
    if (dims.length < 2) {
      return StatOps.norm(x, 2, dims, keepdim);
    }
    int d0 = Shape.normalizeDim(dims[0], x.dim());
    int d1 = Shape.normalizeDim(dims[1], x.dim());
    if (d0 == d1) {
      throw new IllegalArgumentException(
          "Expected dims to be different, got " + Arrays.toString(dims) + " instead");
    }
    return x.mul(x).sum(new int[] {d0, d1}, keepdim).sqrt();
  }
}
