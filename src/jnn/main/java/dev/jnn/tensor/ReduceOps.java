package dev.jnn.tensor;

import static dev.jnn.tensor.Autograd.NONE;
import static dev.jnn.tensor.Autograd.in;
import static dev.jnn.tensor.Autograd.record;

import dev.jnn.backend.ReduceOp;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Tensor.ValuesIndices;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reductions: sum, mean, var, max/min (all elements or along a dim, with indices), argmax/argmin,
 * any/all; the back end's reduce kernel runs over the reduced dims moved to the end. The public
 * entry points are {@link Tensor}'s methods of the same names (documented there).
 */
final class ReduceOps {
  private ReduceOps() {}

  /** {@code dims} normalised and sorted; null or empty means every dim. PyTorch's texts. */
  static int[] normDims(Tensor self, int[] dims) {
    int r = self.dim();
    if (dims == null || dims.length == 0) {
      int[] all = new int[r];
      for (int i = 0; i < r; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] d = new int[dims.length];
    boolean[] seen = new boolean[Math.max(r, 1)];
    for (int i = 0; i < dims.length; i++) {
      d[i] = Shape.normalizeDim(dims[i], r);
      if (seen[d[i]]) {
        throw new IllegalArgumentException("dim " + d[i] + " appears multiple times in the list of dims");
      }
      seen[d[i]] = true;
    }
    Arrays.sort(d);
    return d;
  }

  /** Moves {@code dims} to the end and makes the result contiguous: [kept..., reduced...]. */
  private static Tensor reduceLayout(Tensor self, int[] dims) {
    int r = self.dim();
    int[] perm = new int[r];
    int k = 0;
    boolean[] red = new boolean[r];
    for (int d : dims) {
      red[d] = true;
    }
    for (int i = 0; i < r; i++) {
      if (!red[i]) {
        perm[k++] = i;
      }
    }
    for (int d : dims) {
      perm[k++] = d;
    }
    Tensor p = ViewOps.permuteRaw(self, perm);
    return p.isContiguous() ? p : ViewOps.contiguousRaw(p);
  }

  private static Shape reducedShape(Tensor self, int[] dims, boolean keepdim) {
    List<Long> out = new ArrayList<>();
    boolean[] red = new boolean[self.dim()];
    for (int d : dims) {
      red[d] = true;
    }
    for (int i = 0; i < self.dim(); i++) {
      if (!red[i]) {
        out.add(self.shape.get(i));
      } else if (keepdim) {
        out.add(1L);
      }
    }
    return Shape.of(out.stream().mapToLong(Long::longValue).toArray());
  }

  private static Tensor reduceRaw(
      Tensor self, ReduceOp op, int[] dims, boolean keepdim, DType outType) {
    Shape outShape = reducedShape(self, dims, keepdim);
    long innerL = 1;
    for (int d : dims) {
      innerL *= self.shape.get(d);
    }
    int inner = Math.toIntExact(innerL);
    if (inner == 0 && op != ReduceOp.SUM && op != ReduceOp.PROD) {
      throw new IllegalArgumentException(
          op.name().toLowerCase()
              + "(): Expected reduction dim to be specified for input.numel() == 0. Specify the"
              + " reduction dim with the 'dim' argument.");
    }
    int outer = Math.toIntExact(outShape.numel());
    if (op == ReduceOp.SUM && inner > 0 && outType == self.dtype() && self.isContiguous()
        && leadingDims(self, dims)) {
      // sum over the leading dims of a contiguous tensor (a bias gradient): no transposed copy
      Tensor out = Tensor.allocateUninit(outShape, outType, self.device());
      if (self.backend().sumLeading(self.storage.buffer(), Math.toIntExact(self.offset), inner,
          outer, out.storage.buffer())) {
        return out;
      }
      out.close();
    }
    Tensor lay = reduceLayout(self, dims);
    Tensor out = Tensor.allocate(outShape, outType, self.device());
    if (inner == 0) {
      self.backend().fill(out.view(), op == ReduceOp.PROD ? 1 : 0);
      return out;
    }
    self.backend().reduce(op, lay.storage.buffer(), Math.toIntExact(lay.offset), outer, inner,
        out.storage.buffer());
    return out;
  }

  /** Whether {@code dims} are exactly {@code 0 .. k-1} for some k below {@code dim()}. */
  private static boolean leadingDims(Tensor self, int[] dims) {
    if (dims.length == 0 || dims.length >= self.dim()) {
      return false;
    }
    boolean[] seen = new boolean[self.dim()];
    for (int d : dims) {
      if (d >= dims.length || seen[d]) {
        return false;
      }
      seen[d] = true;
    }
    return true;
  }

  static Tensor sum(Tensor self, int[] dims, boolean keepdim) {
    int[] d = normDims(self, dims);
    DType outType = self.isFloatingPoint() ? self.dtype() : DType.INT64;
    Tensor out = self.dim() == 0
        ? (outType == self.dtype() ? ViewOps.contiguousRaw(self) : UnaryOps.toRaw(self, outType))
        : reduceRaw(self, ReduceOp.SUM, d, keepdim, outType);
    Tensor x = self;
    return record(dims == null || dims.length == 0 ? "SumBackward0" : "SumBackward1", out, in(x), NONE,
        g -> new Tensor[] {x.dim() == 0 ? g[0] : expandReduced(g[0], x.shape, d, keepdim)});
  }

  private static Tensor expandReduced(Tensor g, Shape inputShape, int[] dims, boolean keepdim) {
    Tensor r = g;
    if (!keepdim) {
      for (int d : dims) {
        r = r.unsqueeze(d);
      }
    }
    return r.expand(inputShape.dims());
  }

  static Tensor mean(Tensor self, int[] dims, boolean keepdim) {
    if (!self.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "mean(): could not infer output dtype. Input dtype must be either a floating point or"
              + " complex dtype. Got: "
              + Checks.scalarTypeName(self.dtype()));
    }
    int[] d = normDims(self, dims);
    long n = 1;
    for (int i : d) {
      n *= self.shape.get(i);
    }
    if (self.dim() == 0) {
      n = 1;
    }
    Tensor out;
    try (var g = dev.jnn.autograd.NoGrad.enter()) {
      out = self.sum(dims, keepdim).div((double) n);
    }
    Tensor x = self;
    double scale = 1.0 / n;
    boolean full = dims == null || dims.length == 0;
    return record(full ? "MeanBackward0" : "MeanBackward1", out, in(x), NONE,
        gr -> new Tensor[] {
          x.dim() == 0 ? gr[0].mul(scale) : expandReduced(gr[0].mul(scale), x.shape, d, keepdim)
        });
  }

  static Tensor var(Tensor self, int[] dims, int correction, boolean keepdim) {
    if (!self.isFloatingPoint()) {
      throw new IllegalArgumentException("std and var only support floating point and complex dtypes");
    }
    int[] d = normDims(self, dims);
    long n = 1;
    for (int i : d) {
      n *= self.shape.get(i);
    }
    Tensor out;
    try (var g = dev.jnn.autograd.NoGrad.enter()) {
      Tensor diff = self.sub(self.mean(dims, true));
      out = diff.mul(diff).sum(dims, keepdim).div((double) Math.max(0, n - correction));
    }
    Tensor x = self;
    double scale = 2.0 / (n - correction);
    return record("VarBackward0", out, in(x), in(x),
        g -> {
          // d var / dx = 2 (x - mean) / (n - correction)
          Tensor gg = g[0];
          if (!keepdim) {
            for (int k : d) {
              gg = gg.unsqueeze(k);
            }
          }
          return new Tensor[] {gg.mul(x.sub(x.mean(dims, true))).mul(scale)};
        });
  }

  static Tensor max(Tensor self) {
    return fullReduceMinMax(self, ReduceOp.MAX, "MaxBackward1");
  }

  static Tensor min(Tensor self) {
    return fullReduceMinMax(self, ReduceOp.MIN, "MinBackward1");
  }

  private static Tensor fullReduceMinMax(Tensor self, ReduceOp op, String name) {
    if (self.numel() == 0) {
      // PyTorch 1.13's text (torch.max(torch.zeros(0))), as the op registry's fixture records it
      throw new IllegalArgumentException(
          op.name().toLowerCase()
              + "(): Expected reduction dim to be specified for input.numel() == 0. Specify the"
              + " reduction dim with the 'dim' argument.");
    }
    Tensor out = self.dim() == 0
        ? self.clone().detach()
        : reduceRaw(self, op, normDims(self, null), false, self.dtype());
    Tensor x = self;
    return record(name, out, in(x), in(x, out),
        g -> {
          Tensor mask = x.eq(out).to(g[0].dtype());
          return new Tensor[] {mask.mul(g[0].div(mask.sum()))};
        });
  }

  static ValuesIndices max(Tensor self, int dim, boolean keepdim) {
    return minMaxDim(self, dim, keepdim, true);
  }

  static ValuesIndices min(Tensor self, int dim, boolean keepdim) {
    return minMaxDim(self, dim, keepdim, false);
  }

  private static ValuesIndices minMaxDim(Tensor self, int dim, boolean keepdim, boolean max) {
    int d = Shape.normalizeDim(dim, self.dim());
    int[] dims = self.dim() == 0 ? new int[0] : new int[] {d};
    Tensor idx = self.dim() == 0 ? Tensor.zeros(Shape.scalar(), DType.INT64, self.device())
        : reduceRaw(self, max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, dims, true, DType.INT64);
    Tensor vals = self.dim() == 0 ? self.clone().detach() : IndexOps.gatherRaw(self, d, idx);
    if (!keepdim && self.dim() > 0) {
      idx = idx.squeeze(d);
      vals = vals.squeeze(d);
    }
    Tensor x = self;
    Tensor fidx = idx;
    Tensor out = record(max ? "MaxBackward0" : "MinBackward0", vals, in(x), in(fidx),
        g -> {
          if (x.dim() == 0) {
            return new Tensor[] {g[0]};
          }
          Tensor gg = keepdim ? g[0] : g[0].unsqueeze(d);
          Tensor ii = keepdim ? fidx : fidx.unsqueeze(d);
          Tensor z = Tensor.zeros(x.shape, g[0].dtype(), g[0].device());
          z.backend().scatterAdd(z.storage.buffer(), x.shape.intDims(), d, ii.view(), gg.view());
          return new Tensor[] {z};
        });
    return new ValuesIndices(out, idx);
  }

  static Tensor argmax(Tensor self) {
    if (self.numel() == 0) {
      // PyTorch 1.13 raises IndexError here (torch.argmax(torch.zeros(0, 3)))
      throw new IndexOutOfBoundsException(
          "argmax(): Expected reduction dim to be specified for input.numel() == 0.");
    }
    return self.reshape(-1).argmax(0, false);
  }

  static Tensor argmax(Tensor self, int dim, boolean keepdim) {
    if (self.dim() == 0) {
      return Tensor.zeros(Shape.scalar(), DType.INT64, self.device());
    }
    int d = Shape.normalizeDim(dim, self.dim());
    return reduceRaw(self, ReduceOp.ARGMAX, new int[] {d}, keepdim, DType.INT64);
  }

  static Tensor argmin(Tensor self, int dim, boolean keepdim) {
    if (self.dim() == 0) {
      return Tensor.zeros(Shape.scalar(), DType.INT64, self.device());
    }
    int d = Shape.normalizeDim(dim, self.dim());
    return reduceRaw(self, ReduceOp.ARGMIN, new int[] {d}, keepdim, DType.INT64);
  }

  static Tensor any(Tensor self) {
    return self.ne(0).to(DType.INT64).sum().gt(0);
  }

  static Tensor all(Tensor self) {
    return self.eq(0).any().logicalNot();
  }
}
