package dev.jnn.tensor;

import static dev.jnn.tensor.Autograd.in;
import static dev.jnn.tensor.Autograd.record;

import dev.jnn.backend.IndexErrors;
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

  /** The error of an index outside {@code [0, size)} (scatter's text), for host-side checks. */
  static IndexOutOfBoundsException outOfBounds(long value, int dim, long size) {
    return IndexErrors.of(IndexErrors.SCATTER_ADD, value, dim, size);
  }
}
