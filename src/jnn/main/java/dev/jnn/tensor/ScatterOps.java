package dev.jnn.tensor;

import static dev.jnn.tensor.Autograd.in;
import static dev.jnn.tensor.Autograd.record;

import dev.jnn.backend.ScatterSpec;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;

/**
 * Writing by index tensors: {@code scatter} (a tensor or a value, plain or with the old {@code
 * reduce="add"|"multiply"}), {@code scatter_reduce} (sum, prod, mean, amax, amin, with or without
 * self) and {@code index_put}, on the back end's {@code scatter} kernel (ScatterSpec). PyTorch
 * 1.13's checks in its order (ScatterGatherChecks.h: dim, index dtype, src dtype, shapes, then the
 * reduce argument) and its backward formulas (derivatives.yaml, {@code scatter_reduce_backward}
 * in FunctionsManual.cpp). The public entry points are {@link Tensor}'s methods of the same names.
 */
final class ScatterOps {
  private ScatterOps() {}

  // ---------------------------------------------------------------- checks

  private static int[] dims1(Tensor t) {
    return t.dim() == 0 ? new int[] {1} : t.shape.intDims();
  }

  /**
   * PyTorch's scatter checks: the dim, then (for a non-empty index) the index dtype, the src dtype,
   * the ranks and sizes ({@code ensure_nonempty_dim/size}: a 0-d tensor counts as one element of
   * one dim). Returns the wrapped dim.
   */
  private static int check(Tensor self, int dim, Tensor index, Tensor src) {
    Checks.checkSameDevice("scatter", self, index);
    if (src != null) {
      Checks.checkSameDevice("scatter", self, src);
    }
    int d = Shape.normalizeDim(dim, self.dim());
    if (index.numel() != 0 && index.dtype() != DType.INT64) {
      throw new IllegalArgumentException("scatter(): Expected dtype int64 for index");
    }
    if (src != null && src.dtype() != self.dtype()) {
      throw new IllegalArgumentException("scatter(): Expected self.dtype to be equal to src.dtype");
    }
    if (index.numel() == 0) {
      return d;
    }
    int rank = Math.max(self.dim(), 1);
    if (Math.max(index.dim(), 1) != rank) {
      throw new ShapeMismatchException(
          "Index tensor must have the same number of dimensions as self tensor");
    }
    int[] is = dims1(index);
    int[] ss = dims1(self);
    boolean wrong = false;
    for (int i = 0; i < rank; i++) {
      if (i != d && is[i] > ss[i]) {
        wrong = true;
        break;
      }
    }
    if (!wrong && src != null) {
      for (int i = 0; i < rank; i++) {
        // src.size(i) as ensure_nonempty_size calls it: out of range for a src of lower rank
        long srcSize = src.dim() == 0 ? 1 : src.size(Shape.normalizeDim(i, src.dim()));
        if (is[i] > srcSize) {
          wrong = true;
          break;
        }
      }
    }
    if (wrong) {
      throw new ShapeMismatchException(
          "Expected index " + index.shape + " to be smaller than self " + self.shape
              + " apart from dimension " + d
              + (src == null ? "" : " and to be smaller size than src " + src.shape));
    }
    return d;
  }

  private static ScatterSpec.Reduce oldReduce(String reduce) {
    return switch (reduce) {
      case "add" -> ScatterSpec.Reduce.SUM;
      case "multiply" -> ScatterSpec.Reduce.PROD;
      default -> throw new IllegalArgumentException(
          "reduce argument must be either add or multiply.");
    };
  }

  private static void checkNewReduce(String reduce) {
    switch (reduce) {
      case "sum", "prod", "mean", "amax", "amin" -> { }
      default -> throw new IllegalArgumentException(
          "reduce argument must be either sum, prod, mean, amax or amin.");
    }
  }

  // ---------------------------------------------------------------- kernels

  /** A contiguous copy of {@code self} with {@code src} scattered in by {@code op}; unrecorded. */
  static Tensor scatterRaw(Tensor self, int d, Tensor index, Tensor src, ScatterSpec.Reduce op) {
    Tensor out = ViewOps.contiguousRaw(self);
    scatterInto(out, d, index, src, op);
    return out;
  }

  /** Scatters into {@code out} (contiguous, owned by the caller); src null: nothing. */
  private static void scatterInto(Tensor out, int d, Tensor index, Tensor src, ScatterSpec.Reduce op) {
    if (index.numel() == 0) {
      return;
    }
    int[] ts = dims1(out);
    Tensor idx = index.dim() == 0 ? index.reshape(1) : index;
    View sv;
    if (src.numel() == 1 && src.dim() == 0) {
      sv = src.reshape(1).broadcastView(idx.shape);
    } else {
      Tensor s = src.dim() == 0 ? src.reshape(1) : src;
      sv = s.view();
    }
    out.backend().scatter(out.storage.buffer(), new ScatterSpec(ts, d, op), idx.view(), sv);
  }

  private static Tensor scalar(Tensor like, double value) {
    return Tensor.full(Shape.of(), value, like.dtype(), like.device());
  }

  private static Tensor notImplemented(Tensor out, Tensor self, Tensor src) {
    Tensor[] ins = src == null ? in(self) : in(self, src);
    return record("NotImplemented", out, ins, Autograd.NONE,
        g -> {
          throw new UnsupportedOperationException("derivative for aten::scatter is not implemented");
        });
  }

  /** PyTorch's validate_outputs: src's gradient is gather's, of index's shape. */
  private static void checkSrcGrad(String node, Tensor index, Tensor src) {
    if (src.requiresGrad() && !index.shape.equals(src.shape)) {
      throw new IllegalStateException(
          "Function " + node + " returned an invalid gradient at index 1 - got " + index.shape
              + " but expected shape compatible with " + src.shape);
    }
  }

  // ---------------------------------------------------------------- scatter

  static Tensor scatter(Tensor self, int dim, Tensor index, Tensor src) {
    int d = check(self, dim, index, src);
    Tensor out = scatterRaw(self, d, index, src, ScatterSpec.Reduce.ASSIGN);
    return record("ScatterBackward0", out, in(self, src), in(index),
        g -> {
          Tensor gs = src.requiresGrad() ? gatherGrad("ScatterBackward0", g[0], d, index, src) : null;
          return new Tensor[] {g[0].scatter(d, index, 0.0), gs};
        });
  }

  private static Tensor gatherGrad(String node, Tensor g, int d, Tensor index, Tensor src) {
    checkSrcGrad(node, index, src);
    return index.numel() == 0 ? Tensor.zerosLike(src) : gather(g, d, index);
  }

  static Tensor scatter(Tensor self, int dim, Tensor index, double value) {
    int d = check(self, dim, index, null);
    Tensor out = scatterRaw(self, d, index, scalar(self, value), ScatterSpec.Reduce.ASSIGN);
    return record("ScatterBackward1", out, in(self), in(index),
        g -> new Tensor[] {g[0].scatter(d, index, 0.0)});
  }

  static Tensor scatter(Tensor self, int dim, Tensor index, Tensor src, String reduce) {
    int d = check(self, dim, index, src);
    ScatterSpec.Reduce op = oldReduce(reduce);
    return notImplemented(scatterRaw(self, d, index, src, op), self, src);
  }

  static Tensor scatter(Tensor self, int dim, Tensor index, double value, String reduce) {
    int d = check(self, dim, index, null);
    ScatterSpec.Reduce op = oldReduce(reduce);
    return notImplemented(scatterRaw(self, d, index, scalar(self, value), op), self, null);
  }

  // ---------------------------------------------------------------- scatter_reduce

  static Tensor scatterReduce(
      Tensor self, int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
    int d = check(self, dim, index, src);
    checkNewReduce(reduce);
    if (reduce.equals("mean") && self.dtype() == DType.BOOL) {
      throw new IllegalArgumentException(
          "\"scatter_gather_tensor_cpu_reduce_mean\" not implemented for 'Bool'");
    }
    Tensor out = scatterReduceRaw(self, d, index, src, reduce, includeSelf);
    return record("ScatterReduceBackward0", out, in(self, src), in(self, index, src, out),
        g -> scatterReduceBackward(g[0], self, d, index, src, reduce, includeSelf, out));
  }

  /** PyTorch's scatter_reduce_two_cpu: identities where self is excluded, then the kernel. */
  private static Tensor scatterReduceRaw(
      Tensor self, int d, Tensor index, Tensor src, String reduce, boolean includeSelf) {
    Tensor out = ViewOps.contiguousRaw(self);
    if (index.numel() == 0) {
      return out;
    }
    boolean floating = self.dtype().isFloatingPoint();
    boolean bool = self.dtype() == DType.BOOL;
    if (!includeSelf) {
      // the reduction's identity where src lands (Long.MIN/MAX_VALUE as doubles cast back exactly)
      double identity =
          switch (reduce) {
            case "prod" -> 1;
            case "amax" -> bool ? 0 : floating ? Double.NEGATIVE_INFINITY : Long.MIN_VALUE;
            case "amin" -> bool ? 1 : floating ? Double.POSITIVE_INFINITY : Long.MAX_VALUE;
            default -> 0;
          };
      scatterInto(out, d, index, scalar(self, identity), ScatterSpec.Reduce.ASSIGN);
    }
    ScatterSpec.Reduce op =
        switch (reduce) {
          case "prod" -> ScatterSpec.Reduce.PROD;
          case "amax" -> ScatterSpec.Reduce.AMAX;
          case "amin" -> ScatterSpec.Reduce.AMIN;
          default -> ScatterSpec.Reduce.SUM;
        };
    scatterInto(out, d, index, src, op);
    if (reduce.equals("mean")) {
      Tensor count = includeSelf ? Tensor.onesLike(out) : Tensor.zerosLike(out);
      scatterInto(count, d, index, scalar(count, 1), ScatterSpec.Reduce.SUM);
      if (!includeSelf) {
        count = count.maskedFill(count.eq(0.0), 1.0);
      }
      Tensor mean = floating ? out.div(count) : floorDivide(out, count);
      out.close();
      out = mean;
    }
    return out;
  }

  private static Tensor floorDivide(Tensor a, Tensor b) {
    // int64: PyTorch divides with rounding_mode="floor"
    return a.to(DType.FLOAT64).div(b.to(DType.FLOAT64)).floor().to(DType.INT64);
  }

  /** {@code x.gather(d, index)}, 0-d tensors read as one element of one dim (as PyTorch does). */
  private static Tensor gather(Tensor x, int d, Tensor index) {
    if (x.dim() > 0 && index.dim() > 0) {
      return x.gather(d, index);
    }
    Tensor x1 = x.dim() == 0 ? x.reshape(1) : x;
    Tensor i1 = index.dim() == 0 ? index.reshape(1) : index;
    return x1.gather(d, i1).reshape(index.shape.dims());
  }

  /** {@code self.scatter_add(dim, index, src)} as a recorded op (scatter_reduce sum with self). */
  private static Tensor scatterAdd(Tensor self, int d, Tensor index, Tensor src) {
    return scatterReduce(self, d, index, src, "sum", true);
  }

  /** FunctionsManual.cpp scatter_reduce_backward (PyTorch 1.13), formula by formula. */
  private static Tensor[] scatterReduceBackward(
      Tensor grad, Tensor self, int d, Tensor index, Tensor src, String reduce, boolean includeSelf,
      Tensor result) {
    Tensor gradSelf;
    Tensor gradSrc = null;
    boolean wantSrc = src.requiresGrad();
    if (wantSrc) {
      checkSrcGrad("ScatterReduceBackward0", index, src);
    }
    if (index.numel() == 0) {
      return new Tensor[] {grad, wantSrc ? Tensor.zerosLike(src) : null};
    }
    switch (reduce) {
      case "sum" -> {
        gradSelf = grad;
        gradSrc = wantSrc ? gather(grad, d, index) : null;
      }
      case "prod" -> {
        // the exclusive product where self or src holds zeros, computed explicitly
        Tensor maskedSelf = self.maskedFill(self.eq(0.0), 1.0);
        Tensor maskedSelfResult = scatterReduce(maskedSelf, d, index, src, reduce, includeSelf);
        gradSelf = grad.mul(maskedSelfResult).div(maskedSelf);
        if (wantSrc) {
          Tensor srcZero = src.eq(0.0);
          Tensor srcNumZeros =
              gather(scatterAdd(Tensor.zerosLike(self), d, index, srcZero.to(self.dtype())), d, index);
          Tensor srcSingleZero = srcZero.logicalAnd(srcNumZeros.eq(1.0));
          Tensor maskedSrc = src.maskedFill(srcSingleZero, 1.0);
          Tensor maskedSrcResult = scatterReduce(self, d, index, maskedSrc, reduce, includeSelf);
          gradSrc = Tensor.where(srcSingleZero, gather(grad.mul(maskedSrcResult), d, index),
              gather(grad.mul(result), d, index).div(src.maskedFill(srcZero, 1.0)));
        }
      }
      case "mean" -> {
        Tensor n = includeSelf ? Tensor.onesLike(grad) : Tensor.zerosLike(grad);
        n = scatterAdd(n, d, index, Tensor.onesLike(src));
        n = n.maskedFill(n.eq(0.0), 1.0);
        gradSelf = grad.div(n);
        gradSrc = wantSrc ? gather(grad, d, index).div(gather(n, d, index)) : null;
      }
      default -> {
        // amax / amin: the gradient is shared evenly among the elements equal to the result
        Tensor value = gather(result, d, index);
        Tensor selfIsResult = self.eq(result).to(self.dtype());
        Tensor srcIsResult = src.eq(value).to(self.dtype());
        Tensor nToDistribute = scatterAdd(selfIsResult, d, index, srcIsResult);
        Tensor gradDistributed = grad.div(nToDistribute);
        gradSelf = selfIsResult.mul(gradDistributed);
        gradSrc = wantSrc ? srcIsResult.mul(gather(gradDistributed, d, index)) : null;
      }
    }
    if (!includeSelf) {
      gradSelf = gradSelf.scatter(d, index, 0.0);
    }
    return new Tensor[] {gradSelf, gradSrc};
  }

  // ---------------------------------------------------------------- index_put

  /** One index after bool masks are expanded: its shape and (host) values. */
  private record Idx(Shape shape, long[] values) {}

  /**
   * {@code torch.index_put(self, indices, values, accumulate)}: the indices (int64, or bool masks
   * standing for their nonzero coordinates) address the leading dims; they broadcast together,
   * negative values count from the end. The index values are read on the host (PyTorch's checks,
   * in its order, then the linear row of every indexed element), and the rows are written with
   * the scatter kernel along dim 0 of self viewed as [rows, rest].
   */
  static Tensor indexPut(Tensor self, Tensor[] indices, Tensor values, boolean accumulate) {
    for (Tensor t : indices) {
      Checks.checkSameDevice("index_put", self, t);
    }
    Checks.checkSameDevice("index_put", self, values);
    if (indices.length > self.dim()) {
      throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + self.dim()
          + " (got " + indices.length + ")");
    }
    if (indices.length == 0) {
      throw new IllegalArgumentException("index_put: at least one index tensor is required");
    }
    java.util.List<Idx> idx = new java.util.ArrayList<>();
    for (Tensor t : indices) {
      if (t.dtype() == DType.INT64) {
        idx.add(new Idx(t.shape, t.toLongArray()));
      } else if (t.dtype() == DType.BOOL) {
        int pos = idx.size();
        for (int j = 0; j < t.dim(); j++) {
          if (pos + j >= self.dim()) {
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension "
                + self.dim() + " (got " + (pos + t.dim()) + ")");
          }
          if (t.size(j) != self.size(pos + j)) {
            throw new IndexOutOfBoundsException("The shape of the mask " + t.shape + " at index "
                + j + " does not match the shape of the indexed tensor " + self.shape
                + " at index " + (pos + j));
          }
        }
        idx.addAll(nonzero(t));
      } else {
        throw new IndexOutOfBoundsException(
            "tensors used as indices must be long, byte or bool tensors");
      }
    }
    int k = idx.size();
    Shape b = idx.get(0).shape();
    for (Idx i : idx) {
      try {
        b = Shape.broadcast(b, i.shape());
      } catch (RuntimeException e) {
        StringBuilder sb = new StringBuilder();
        for (Idx j : idx) {
          sb.append(sb.length() == 0 ? "" : ", ").append(j.shape());
        }
        throw new IndexOutOfBoundsException(
            "shape mismatch: indexing tensors could not be broadcast together with shapes " + sb);
      }
    }
    long[] rd = new long[b.rank() + self.dim() - k];
    long rest = 1;
    for (int i = 0; i < rd.length; i++) {
      rd[i] = i < b.rank() ? b.get(i) : self.size(k + i - b.rank());
      if (i >= b.rank()) {
        rest *= rd[i];
      }
    }
    Shape result = Shape.of(rd);
    if (!expandable(values.shape, result)) {
      throw new ShapeMismatchException("shape mismatch: value tensor of shape " + values.shape
          + " cannot be broadcast to indexing result of shape " + result);
    }
    if (values.dtype() != self.dtype()) {
      throw new IllegalArgumentException("Index put requires the source and destination dtypes"
          + " match, got " + Checks.scalarTypeName(self.dtype()) + " for the destination and "
          + Checks.scalarTypeName(values.dtype()) + " for the source.");
    }
    long n = b.numel();
    long[] lin = new long[Math.toIntExact(n)];
    long rows = 1;
    for (int j = 0; j < k; j++) {
      rows *= self.size(j);
    }
    long[][] st = new long[k][];
    for (int j = 0; j < k; j++) {
      st[j] = broadcastStrides(idx.get(j).shape(), b);
    }
    long[] bd = b.dims();
    for (int e = 0; e < lin.length; e++) {
      long row = 0;
      for (int j = 0; j < k; j++) {
        long at = 0;
        long rem = e;
        for (int q = bd.length - 1; q >= 0; q--) {
          at += (rem % bd[q]) * st[j][q];
          rem /= bd[q];
        }
        long v = idx.get(j).values()[(int) at];
        long size = self.size(j);
        if (v < -size || v >= size) {
          throw new IndexOutOfBoundsException(
              "index " + v + " is out of bounds for dimension " + j + " with size " + size);
        }
        row = row * size + (v < 0 ? v + size : v);
      }
      lin[e] = row;
    }
    Tensor linT = Tensor.fromArray(lin, n).to(self.device());
    Tensor rowsIndex = linT.reshape(n, 1).expand(n, rest);
    Tensor out = ViewOps.contiguousRaw(self);
    Tensor flat = out.reshape(rows, rest);
    Tensor v = values.expand(result.dims()).contiguous().reshape(n, rest);
    scatterInto(flat, 0, rowsIndex, v,
        accumulate ? ScatterSpec.Reduce.SUM : ScatterSpec.Reduce.ASSIGN);
    Shape in = self.shape;
    Shape vs = values.shape;
    long r = rows;
    long re = rest;
    return record("IndexPutBackward0", out, in(self, values), in(linT),
        g -> {
          Tensor g2 = g[0].reshape(r, re);
          Tensor gs = accumulate ? g[0] : g2.scatter(0, rowsIndex, 0.0).reshape(in.dims());
          Tensor gv = values.requiresGrad()
              ? Tensor.sumToShape(g2.indexSelect(0, linT).reshape(result.dims()), vs) : null;
          return new Tensor[] {gs, gv};
        });
  }

  /** The coordinates of a bool mask's true elements, one int64 index per dim (row-major). */
  private static java.util.List<Idx> nonzero(Tensor mask) {
    boolean[] m = mask.toBooleanArray();
    long[] dims = mask.shape.dims();
    int count = 0;
    for (boolean x : m) {
      count += x ? 1 : 0;
    }
    long[][] c = new long[dims.length][count];
    int at = 0;
    for (int e = 0; e < m.length; e++) {
      if (!m[e]) {
        continue;
      }
      long rem = e;
      for (int q = dims.length - 1; q >= 0; q--) {
        c[q][at] = rem % dims[q];
        rem /= dims[q];
      }
      at++;
    }
    java.util.List<Idx> r = new java.util.ArrayList<>();
    for (long[] col : c) {
      r.add(new Idx(Shape.of(count), col));
    }
    return r;
  }

  /** Whether {@code from} expands to {@code to} (PyTorch's is_expandable_to). */
  private static boolean expandable(Shape from, Shape to) {
    if (from.rank() > to.rank()) {
      return false;
    }
    for (int i = 1; i <= from.rank(); i++) {
      long f = from.get(from.rank() - i);
      if (f != 1 && f != to.get(to.rank() - i)) {
        return false;
      }
    }
    return true;
  }

  /** Row-major element strides of a tensor of {@code s} read broadcast to {@code b}. */
  private static long[] broadcastStrides(Shape s, Shape b) {
    long[] st = new long[b.rank()];
    long acc = 1;
    for (int i = s.rank() - 1; i >= 0; i--) {
      int q = b.rank() - s.rank() + i;
      st[q] = s.get(i) == 1 ? 0 : acc;
      acc *= s.get(i);
    }
    return st;
  }
}
