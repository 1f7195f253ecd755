package dev.jnn.tensor;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import java.util.Arrays;

/**
 * Sorting and selection ({@code torch.sort}, {@code argsort}, {@code topk}, {@code kthvalue}),
 * issue 17 item 7. The back-end SPI has no sort kernel yet, so the order is computed on the host:
 * the input (moved so that {@code dim} is last) is read back, each row's indices are sorted
 * there, and the int64 indices go back to the input's device; the values are then gathered on the
 * device. On CUDA this is a device-to-host round trip (correct, not fast: a sort kernel is future
 * work). The sort is always stable, which is a valid result for {@code stable=false} too. Order:
 * PyTorch's, NaN above +inf, -0.0 equal to 0.0.
 */
final class SortOps {
  private SortOps() {}

  /**
   * For each row of {@code x} along {@code d}, the indices of its {@code k} first elements in
   * sorted order (ascending, or descending), as an int64 tensor on {@code x}'s device shaped like
   * {@code x} with {@code size(d) = k}.
   */
  private static Tensor order(Tensor x, int d, boolean descending, int k) {
    int last = x.dim() - 1;
    Tensor xm;
    try (var g = NoGrad.enter()) {
      xm = x.transpose(d, last).contiguous();
    }
    int n = Math.toIntExact(xm.size(-1));
    int rows = n == 0 ? 0 : Math.toIntExact(xm.numel() / n);
    boolean integral = !x.isFloatingPoint();
    long[] lv = integral ? xm.toLongArray() : null;
    double[] dv = integral ? null : xm.toDoubleArray();
    long[] idx = new long[Math.multiplyExact(rows, k)];
    Integer[] perm = new Integer[n];
    for (int r = 0; r < rows; r++) {
      int base = r * n;
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      Arrays.sort(perm, (a, b) -> {
        int c = integral ? Long.compare(lv[base + a], lv[base + b])
            : compare(dv[base + a], dv[base + b]);
        return descending ? -c : c; // Arrays.sort on objects is stable: ties keep index order
      });
      for (int i = 0; i < k; i++) {
        idx[r * k + i] = perm[i];
      }
    }
    long[] dims = xm.shape().dims();
    dims[last] = k;
    Tensor it = Tensor.fromArray(idx, dims).to(x.device());
    return it.transpose(d, last).contiguous();
  }

  /** Ascending order with NaN above everything and -0.0 == 0.0 (PyTorch's sort order). */
  private static int compare(double a, double b) {
    boolean an = Double.isNaN(a);
    boolean bn = Double.isNaN(b);
    if (an || bn) {
      return an == bn ? 0 : an ? 1 : -1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Gathers the selected values and records {@code name}'s backward (a scatter of the gradient). */
  private static Tensor.ValuesIndices select(
      Tensor x, int d, Tensor idx, boolean keepdim, String name) {
    Tensor vals;
    try (var g = NoGrad.enter()) {
      vals = x.gather(d, idx);
    }
    Tensor vi = keepdim ? vals : vals.squeeze(d);
    Tensor ii = keepdim ? idx : idx.squeeze(d);
    Shape in = x.shape();
    Tensor out = Tensor.record(name, vi, new Tensor[] {x}, new Tensor[] {idx},
        g -> {
          Tensor gg = keepdim ? g[0] : g[0].unsqueeze(d);
          Tensor z = Tensor.zeros(in, gg.dtype(), gg.device());
          if (gg.numel() > 0) {
            z.backend().scatterAdd(z.storage().buffer(), in.intDims(), d, idx.view(), gg.view());
          }
          return new Tensor[] {z};
        });
    return new Tensor.ValuesIndices(out, ii);
  }

  /** A 0-d input: every op returns it with index 0. */
  private static Tensor.ValuesIndices scalar(Tensor x, String name) {
    Tensor v;
    try (var g = NoGrad.enter()) {
      v = x.clone();
    }
    Tensor out = Tensor.record(name, v, new Tensor[] {x}, new Tensor[0], g -> new Tensor[] {g[0]});
    return new Tensor.ValuesIndices(out, Tensor.zeros(Shape.scalar(), DType.INT64, x.device()));
  }

  /**
   * {@code torch.sort(x, dim, descending)}, or with {@code stable} given ({@code withStable}):
   * PyTorch's {@code sort.stable} overload, whose node is SortBackward1.
   */
  static Tensor.ValuesIndices sort(Tensor x, int dim, boolean descending, boolean withStable) {
    int d = Shape.normalizeDim(dim, x.dim());
    String name = withStable ? "SortBackward1" : "SortBackward0";
    if (x.dim() == 0) {
      return scalar(x, name);
    }
    Tensor idx = order(x, d, descending, Math.toIntExact(x.size(d)));
    return select(x, d, idx, true, name);
  }

  /** {@code torch.topk(x, k, dim, largest, sorted)}; the result is always sorted. */
  static Tensor.ValuesIndices topk(Tensor x, int k, int dim, boolean largest) {
    int d = Shape.normalizeDim(dim, x.dim());
    long n = x.dim() == 0 ? 1 : x.size(d);
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("selected index k out of range");
    }
    if (x.dim() == 0) {
      return scalar(x, "TopkBackward0");
    }
    Tensor idx = order(x, d, largest, k);
    return select(x, d, idx, true, "TopkBackward0");
  }

  /** {@code torch.kthvalue(x, k, dim, keepdim)}: the k-th smallest (1-based) along {@code dim}. */
  static Tensor.ValuesIndices kthvalue(Tensor x, int k, int dim, boolean keepdim) {
    int d = Shape.normalizeDim(dim, x.dim());
    long n = x.dim() == 0 ? 1 : x.size(d);
    if (x.dim() > 0 && n == 0) {
      throw new IndexOutOfBoundsException(
          "kthvalue(): Expected reduction dim " + d + " to have non-zero size.");
    }
    if (k < 1 || k > n) {
      throw new IllegalArgumentException(
          "kthvalue(): selected number k out of range for dimension " + d);
    }
    if (x.dim() == 0) {
      return scalar(x, "KthvalueBackward0");
    }
    Tensor idx = order(x, d, false, k).narrow(d, k - 1, 1).contiguous();
    return select(x, d, idx, keepdim, "KthvalueBackward0");
  }
}
