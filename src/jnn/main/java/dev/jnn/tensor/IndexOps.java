package dev.jnn.tensor;

import static dev.jnn.tensor.Autograd.in;
import static dev.jnn.tensor.Autograd.record;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;

/**
 * Indexing by index tensors: {@code index_select} and {@code gather}, whose backward scatters into
 * zeros with the back end's indexAdd/scatterAdd. The public entry points are {@link Tensor}'s
 * methods of the same names (documented there).
 */
final class IndexOps {
  private IndexOps() {}

  static Tensor indexSelect(Tensor self, int dim, Tensor index) {
    Checks.checkSameDevice("index_select", self, index);
    if (index.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          // PyTorch 1.13's text (it also takes int32, which jnn does not have), then context
          "index_select(): Expected dtype int32 or int64 for index (got " + index.dtype() + ")");
    }
    if (index.dim() > 1) {
      throw new IllegalArgumentException("index_select(): Index is supposed to be a vector");
    }
    int d = self.dim() == 0 ? 0 : Shape.normalizeDim(dim, self.dim());
    if (self.dim() > 1 && self.size(d) == 0 && index.numel() > 0) {
      throw new IndexOutOfBoundsException(
          "index_select(): self indexing axis dim should be positive");
    }
    Tensor src = self.dim() == 0 ? self.reshape(1) : self;
    Tensor idx = index.dim() == 0 ? index.reshape(1) : index;
    long[] nd = src.shape.dims();
    nd[d] = idx.numel();
    Tensor out = Tensor.allocate(Shape.of(nd), self.dtype(), self.device());
    self.backend().indexSelect(src.view(), d, idx.view(), out.storage.buffer());
    if (self.dim() == 0) {
      out = reshapeRawTo(out, index.dim() == 0 ? new long[0] : new long[] {1});
    }
    Shape in = self.shape;
    Tensor fi = idx;
    return record("IndexSelectBackward0", out, in(self), in(fi),
        g -> {
          Tensor z = Tensor.zeros(in.rank() == 0 ? Shape.of(1) : in, g[0].dtype(), g[0].device());
          Tensor gg = g[0].contiguous().reshape(z.shape().rank() == 0 ? new long[] {1} : nd);
          z.backend().indexAdd(z.storage.buffer(), z.shape.intDims(), d, fi.view(), gg.view());
          return new Tensor[] {z.reshape(in.dims())};
        });
  }

  private static Tensor reshapeRawTo(Tensor self, long[] dims) {
    self.storage.retain();
    return new Tensor(
        self.storage, Shape.of(dims), Shape.of(dims).contiguousStrides(), self.offset);
  }

  static Tensor gatherRaw(Tensor self, int d, Tensor index) {
    Tensor out = Tensor.allocate(index.shape, self.dtype(), self.device());
    self.backend().gather(self.view(), d, index.view(), out.storage.buffer());
    return out;
  }

  static Tensor gather(Tensor self, int dim, Tensor index) {
    Checks.checkSameDevice("gather", self, index);
    if (index.dtype() != DType.INT64) {
      throw new IllegalArgumentException("gather(): Expected dtype int64 for index");
    }
    int d = Shape.normalizeDim(dim, self.dim());
    if (index.dim() != self.dim()) {
      throw new ShapeMismatchException(
          "Index tensor must have the same number of dimensions as input tensor (index "
              + index.shape + ", input " + self.shape + ")");
    }
    for (int i = 0; i < self.dim(); i++) {
      if (i != d && index.size(i) > self.size(i)) {
        throw new ShapeMismatchException(
            "Size does not match at dimension " + i + " expected index " + index.shape
                + " to be smaller than self " + self.shape + " apart from dimension " + d);
      }
    }
    Tensor out = gatherRaw(self, d, index);
    Shape in = self.shape;
    return record("GatherBackward0", out, in(self), in(index),
        g -> {
          Tensor z = Tensor.zeros(in, g[0].dtype(), g[0].device());
          z.backend().scatterAdd(z.storage.buffer(), in.intDims(), d, index.view(), g[0].view());
          return new Tensor[] {z};
        });
  }
}
